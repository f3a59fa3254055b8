"""Test settings: fast hashing, in-memory e-mail, tasks run immediately."""

from __future__ import annotations

import os

from .base import *  # noqa: F401,F403
from .base import BASE_DIR, DATABASE_URL, LOGGING

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if not DATABASE_URL:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", ":memory:"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": os.environ.get("SQLITE_TEST_PATH") or None},
        }
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
WHITENOISE_AUTOREFRESH = True  # no collected static files in tests

# Everything logged during a test run also goes to a file, through the same
# redacting filter as production's handlers; tests/test_logs.py greps it.
TEST_LOG_FILE = os.environ.get("HACK365_TEST_LOG") or str(
    BASE_DIR / "test-artifacts" / "test-run.log"
)
LOGGING = {
    **LOGGING,
    "handlers": {
        **LOGGING["handlers"],  # type: ignore[dict-item]
        "capture": {
            "class": "logging.FileHandler",
            "filename": TEST_LOG_FILE,
            "mode": "a",
            "delay": True,
            "filters": ["redact"],
            "formatter": "full",
        },
    },
    "formatters": {"full": {"format": "%(levelname)s %(name)s %(message)s"}},
    "root": {"handlers": ["console", "capture"], "level": "INFO"},
}

CATALOG_SEARCH_INDEX_DIR = ":memory:"
