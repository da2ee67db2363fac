"""Production settings for the dashboard benchmark, on a throw-away SQLite file over plain HTTP.

Used by ``benchmarks/dashboard_throughput.py`` (for the in-process set-up and for gunicorn alike).
Everything is production's except what a loopback benchmark must change: the database is a SQLite
file in the directory that ``COPROD_BENCH_DIR`` names (the script makes it in a temp dir), the only
host is 127.0.0.1, requests are plain HTTP so there is no redirect to HTTPS, and the URLs add a
bare view at ``/bare/`` to compare with.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_BENCH_DIR = os.environ.get("COPROD_BENCH_DIR", "")
if not _BENCH_DIR:
    raise RuntimeError("COPROD_BENCH_DIR is not set: run benchmarks/dashboard_throughput.py")
BENCH_DIR = Path(_BENCH_DIR)

# production.py refuses to load without these; set them before it is imported.
os.environ["COPROD_DATA_DIR"] = str(BENCH_DIR)
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(48))
os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
os.environ["COPROD_SSL_REDIRECT"] = "false"

from coprod.web.settings.production import *  # noqa: E402, F403

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
SECURE_SSL_REDIRECT = False
ROOT_URLCONF = "benchmarks.bench_urls"
# Whatever DATABASE_URL says, the benchmark has its own SQLite file (kept open, as in production).
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BENCH_DIR / "bench.sqlite3"),
        "CONN_MAX_AGE": 60,
    }
}
STATIC_ROOT = BENCH_DIR / "static"
