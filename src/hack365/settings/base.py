"""Base settings, read from the environment (12-factor)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("HACK365_HOME", Path.cwd())).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "") or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "hack365.core",
    "hack365.accounts",
    "hack365.organizations",
    "hack365.challenges",
    "hack365.catalog",
    "hack365.teams",
    "hack365.submissions",
    "hack365.judging",
    "hack365.realization",
    # After our apps, so that hack365.accounts' templates override allauth's
    # (allauth/layouts/*, allauth/elements/*): app template directories are
    # searched in INSTALLED_APPS order.
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hack365.core.sessions.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Off unless PAGE_CACHE_SECONDS > 0; after sessions, auth and messages.
    "hack365.core.pagecache.PageCacheMiddleware",
]

ROOT_URLCONF = "hack365.urls"
WSGI_APPLICATION = "hack365.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hack365.core.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

# --- database -------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "hack365.sqlite3")),
            "OPTIONS": {
                # WAL: readers never block the writer; IMMEDIATE avoids
                # "database is locked" upgrades inside write transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------
# Rate limits (logins, sign-ups, questions) count in the cache, so it must be
# shared by every worker: Redis when REDIS_URL is set, else the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "hack365.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hack365_cache",
        }
    }

# Public pages as anonymous visitors and participants without a role see them,
# kept this many seconds (0: off); see hack365/core/pagecache.py.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
# How long past PAGE_CACHE_SECONDS a page may be served while one request renders it anew.
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "60"))
# Pages that change only with a harvest (daily) or a submitted solution's reuse
# may be this much older (seconds; never less than PAGE_CACHE_SECONDS).
PAGE_CACHE_VIEW_SECONDS = {
    "catalog:dataset_list": int(os.environ.get("PAGE_CACHE_DATASET_SECONDS", "300")),
    "catalog:dataset_detail": int(os.environ.get("PAGE_CACHE_DATASET_SECONDS", "300")),
}
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_VIEWS = [
    "home",
    "challenges:list",
    "challenges:detail",
    "challenges:event_list",
    "challenges:event_detail",
    "catalog:dataset_list",
    "catalog:dataset_detail",
    "submissions:gallery",
]

# --- auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "hack365.accounts.validators.MaximumLengthValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/30m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
ACCOUNT_FORMS = {"signup": "hack365.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "hack365.accounts.adapter.AccountAdapter"
ACCOUNT_USER_DISPLAY = "hack365.accounts.adapter.user_display"

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"

# --- static ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

# --- e-mail ---------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hack365 <noreply@hack365.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- background tasks -----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- catalog (harvesting) ---------------------------------------------------
# Limits for fetching harvest sources; see hack365/catalog/harvest/http.py.
CATALOG_HARVEST_MAX_BYTES = int(os.environ.get("CATALOG_HARVEST_MAX_BYTES", str(200 * 1024 * 1024)))
# Hosts that may resolve to private or loopback addresses (an intranet catalog).
CATALOG_HARVEST_ALLOWED_HOSTS = env_list("CATALOG_HARVEST_ALLOWED_HOSTS")
CATALOG_HARVEST_CONNECT_TIMEOUT = float(os.environ.get("CATALOG_HARVEST_CONNECT_TIMEOUT", "10"))
CATALOG_HARVEST_READ_TIMEOUT = float(os.environ.get("CATALOG_HARVEST_READ_TIMEOUT", "60"))
CATALOG_HARVEST_TOTAL_TIMEOUT = float(os.environ.get("CATALOG_HARVEST_TOTAL_TIMEOUT", "900"))
CATALOG_HARVEST_RETRIES = int(os.environ.get("CATALOG_HARVEST_RETRIES", "3"))
CATALOG_HARVEST_RETRY_BACKOFF = float(os.environ.get("CATALOG_HARVEST_RETRY_BACKOFF", "1"))
CATALOG_HARVEST_MAX_PAGES = int(os.environ.get("CATALOG_HARVEST_MAX_PAGES", "10000"))
CATALOG_HARVEST_BATCH_SIZE = 1000
# From this many datasets on, a forked process maps while this one stores (0: never):
# ~15 % faster with a free core, ~15 % slower when every core is busy.
CATALOG_HARVEST_PARALLEL_FROM = int(os.environ.get("CATALOG_HARVEST_PARALLEL_FROM", "20000"))
CATALOG_HARVEST_CKAN_ROWS = 1000
CATALOG_HARVEST_USER_AGENT = "hack365-harvester/0.1 (Hack for Sweden 365; DCAT-AP-SE)"

# --- security -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 8)))
# Idle timeout: the age counts from the last request, refreshed at most every
# five minutes (hack365/core/sessions.py) rather than with a write on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 300
# With Redis, sessions are read from the cache (and still kept in the database).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts or styles anywhere: everything comes from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A file over this size is dropped while the body is read (never kept in
# memory or on disk); the services' own checks are the rule. See core/uploads.py.
FILE_UPLOAD_MAX_BYTES = 25 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "hack365.core.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler scrubs passwords, tokens and personal identity numbers.
    "filters": {"redact": {"()": "hack365.core.logging.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

HACK365 = {
    "SITE_NAME": "hack365",
    # The site's address, for links in e-mails sent outside a request (the
    # realization follow-ups, the mentor notices). Production defaults to
    # https://<the first ALLOWED_HOSTS entry> (settings/production.py).
    "SITE_URL": os.environ.get("SITE_URL", "").strip().rstrip("/") or "http://127.0.0.1:8000",
}
