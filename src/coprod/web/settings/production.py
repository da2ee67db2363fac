"""For a server: secure by default. DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS are required."""

import os

from django.core.exceptions import ImproperlyConfigured

from coprod.web.settings.base import *  # noqa: F403
from coprod.web.settings.base import ALLOWED_HOSTS, SECRET_KEY

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY to a random value of 50 characters or more.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the host names Coprod serves.")

DEBUG = False
SECURE_SSL_REDIRECT = os.environ.get("COPROD_SSL_REDIRECT", "true") == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]
EMAIL_BACKEND = os.environ.get(
    "COPROD_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
