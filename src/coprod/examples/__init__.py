"""Example plan files: a contested evaluation, a co-designed service, a priority-setting project."""
