"""WSGI entry point, e.g. ``gunicorn coprod.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coprod.web.settings.production")
application = get_wsgi_application()
