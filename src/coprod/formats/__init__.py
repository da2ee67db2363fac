"""Readers and writers for the files people bring to Coprod. Uses the core and nothing above it."""
