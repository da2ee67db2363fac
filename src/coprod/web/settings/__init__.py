"""Settings by environment: base, development, test and production.

Choose one with DJANGO_SETTINGS_MODULE, e.g. ``coprod.web.settings.production``. Everything that
differs between machines comes from environment variables (see README).
"""
