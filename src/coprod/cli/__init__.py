"""The ``coprod`` command line."""
