"""Production settings: refuse to start without a real secret key and hosts."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import HACK365, env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters in production."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production (comma-separated).")


def _site_url() -> str:
    """SITE_URL, else https:// and the first real host name of ALLOWED_HOSTS
    (".example.se" stands for example.se; "*" names no host)."""
    url = os.environ.get("SITE_URL", "").strip().rstrip("/")
    if url:
        if not url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SITE_URL must be an address such as https://hack365.se.")
        return url
    for host in ALLOWED_HOSTS:
        host = host.lstrip(".")
        if host and host != "*":
            return f"https://{host}"
    raise ImproperlyConfigured(
        "SITE_URL must be set (e.g. https://hack365.se) when ALLOWED_HOSTS names no host."
    )


HACK365 = {**HACK365, "SITE_URL": _site_url()}

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision for the operator (see README).
    "security.W021",
]
