"""For a person running Coprod on their own machine: SQLite, e-mail printed to the console."""

from coprod.web.settings.base import *  # noqa: F403
from coprod.web.settings.base import DATA_DIR

DEBUG = True
SECRET_KEY = SECRET_KEY or "development-only-key-not-for-any-server"  # noqa: F405
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
DATA_DIR.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
