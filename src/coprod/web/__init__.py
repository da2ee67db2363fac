"""The Django web app (built on the core and formats layers)."""
