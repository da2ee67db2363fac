"""Coprod: decide whether, when and how to coproduce health research."""

__version__ = "0.1.0"
