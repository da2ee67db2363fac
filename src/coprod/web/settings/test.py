"""For the test suite: SQLite in memory unless DATABASE_URL names another database."""

import os

import dj_database_url

from coprod.web.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-with-enough-length-to-look-real-0123456789"
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": dj_database_url.config(env="DATABASE_URL", default="sqlite://:memory:")}
if os.environ.get("DATABASE_URL"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("COPROD_TEST_DATABASE", "test_coprod")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files straight from the apps, as in development; nothing is collected.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
