"""The one settings file. Every deployment difference is an environment variable.

With no environment at all the product runs as a demo on an embedded default: SQLite under
``var/`` and Celery's filesystem broker. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL
and Redis. ``DEBUG`` is off unless asked for, and then ``SECRET_KEY`` is required.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = env_str("SECRET_KEY") or ("insecure-key-for-local-demo-only" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "phonenumber_field",
    "axes",
    "csp",
    "config",
    "accounts",
    "contacts",
    "handover",
    "incidents",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so that its process_exception is the first to see a view's database error.
    "config.errors.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "handover.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel apart from the SQL (Django's server_side_binding), so psycopg prepares
    # a statement a connection has run five times and PostgreSQL can keep its plan instead of
    # planning the look-up anew at every request. Behind PgBouncer: session pooling, or 1.21+
    # with max_prepared_statements.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo's web server, worker and beat share the file: a transaction takes the write lock
    # when it begins (no "database is locked" half-way through a sweep), readers do not wait
    # for writers (WAL), and a writer waits its turn for up to 20 s.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
    # SQLite has no covering indexes: the summary tables' INCLUDE columns are PostgreSQL's.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.OrganisationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: a sliding idle timeout (activity renews the cookie, at most once a minute) and an
# absolute lifetime, both enforced by accounts.middleware.SessionLifetimeMiddleware.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 15 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: five failed logins lock a user name at one client address, the two together (a
# list inside the list): behind the TLS proxy all staff share one address, and one user's typos
# must not lock out her colleagues. The lock ends AXES_COOLOFF_MINUTES after the last counted
# failure; a try during the lock does not move that end, so the time that the page and the token
# endpoint name (accounts.lockout) holds.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_page"
AXES_VERBOSE = False

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

PHONENUMBER_DEFAULT_REGION = "DK"
PHONENUMBER_DB_FORMAT = "E164"

# Security headers. Production (DEBUG off) gets secure cookies, HSTS and an HTTPS redirect;
# SECURE_SSL_REDIRECT can be switched off behind a proxy that already redirects.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = not DEBUG and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

REDIS_URL = env_str("REDIS_URL")


def redis_cache(location: str) -> dict[str, object]:
    """Redis through django-redis: a cache that cannot be reached answers nothing (a miss) and
    is logged, so every page and look-up still answers from the database while Redis is down."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only (API.md): any other body is a 415, and the schema offers no form bodies.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictLimitOffsetPagination",
    "PAGE_SIZE": 100,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# API tokens (django-rest-knox): stored as a hash, one per sign-in, for a shift. Activity does
# not extend a token (AUTO_REFRESH would write its row at every request); the client signs in
# again. The header stays `Authorization: Token <token>` (API.md).
REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 10)),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Udvidet behandlingsansvar API",
    "DESCRIPTION": "Hand-over of extended treatment responsibility after discharge.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "EndReasonEnum": "handover.models.discharges.EndReason",
        "StatusEnum": "handover.models.discharges.Status",
        "DestinationEnum": "handover.models.discharges.Destination",
        "SeverityEnum": "incidents.models.Severity",
        "PlaceKindEnum": "incidents.models.PlaceKind",
        "AlertKindEnum": "handover.models.jobs.AlertKind",
        "WardKindEnum": "contacts.models.WardKind",
    },
}

# Celery: Redis when REDIS_URL is set, otherwise the filesystem broker under var/.
CELERY_BROKER_URL = REDIS_URL or "filesystem://localhost/"
# Fail fast when Redis is down: the outbox keeps the message and a sweep re-sends it, so a web
# request must not wait for the broker (kombu otherwise retries connecting).
REDIS_TRANSPORT_OPTIONS: dict[str, object] = {
    "socket_timeout": 1,
    "socket_connect_timeout": 1,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "visibility_timeout": 3600,
}
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    REDIS_TRANSPORT_OPTIONS
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "broker"),
        "data_folder_out": str(VAR_DIR / "broker"),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TASK_IGNORE_RESULT = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# In the demo, notifications are written as files under var/mail/ instead of being sent.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "behandlingsansvar@localhost")

# MedCom CareCommunications to the municipalities: written as files for a VANS client to pick up
# (the demo's default), or posted to an endpoint (MEDCOM_TRANSPORT=http, MEDCOM_ENDPOINT).
MEDCOM_TRANSPORT = env_str("MEDCOM_TRANSPORT", "folder")
if MEDCOM_TRANSPORT not in ("folder", "http"):
    raise ImproperlyConfigured("MEDCOM_TRANSPORT is 'folder' or 'http'.")
MEDCOM_OUTBOX_DIR = Path(env_str("MEDCOM_OUTBOX_DIR", str(VAR_DIR / "medcom" / "outbox")))
MEDCOM_ENDPOINT = env_str("MEDCOM_ENDPOINT")
MEDCOM_TIMEOUT = env_int("MEDCOM_TIMEOUT", 10)
if MEDCOM_TRANSPORT == "http" and not MEDCOM_ENDPOINT:
    raise ImproperlyConfigured("MEDCOM_TRANSPORT=http needs MEDCOM_ENDPOINT.")

# The keyed hash that stands in for a CPR number in the access log when a look-up misses.
CPR_HASH_KEY = env_str("CPR_HASH_KEY") or SECRET_KEY

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The scheme's numbers with meaning (DOMAIN.md). Window hours live on ResponsibilityRule rows.
HANDOVER_MAX_FUTURE_DISCHARGE = timedelta(hours=env_int("MAX_FUTURE_DISCHARGE_HOURS", 1))
HANDOVER_EXTENSION_MAX_HOURS = env_int("EXTENSION_MAX_HOURS", 72)
HANDOVER_DOCUMENTATION_GRACE = timedelta(minutes=env_int("DOCUMENTATION_GRACE_MINUTES", 0))
HANDOVER_NEARING_EXPIRY = timedelta(hours=env_int("NEARING_EXPIRY_HOURS", 12))
# Seed 003's two goals for the end of 2026: 90 % of the patients discharged with 96 hours of
# responsibility have the treatment plan with contact details in the epikrise, and 90 % in the
# udskrivningsrapport. A document confirmed up to the grace after the discharge still counts
# (a plan saved a few minutes after the patient left was there when the papers were sent).
HANDOVER_KPI_TARGET = 0.9
HANDOVER_KPI_WINDOW_HOURS = 96
HANDOVER_KPI_GRACE = timedelta(minutes=env_int("KPI_GRACE_MINUTES", 60))
MUNICIPAL_RECENT_DAYS = env_int("MUNICIPAL_RECENT_DAYS", 7)
LOOKUP_RATE_PER_MINUTE = env_int("LOOKUP_RATE_PER_MINUTE", 30)
# How long an Idempotency-Key (or a form's one-time token) returns its first answer (API.md).
IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=env_int("IDEMPOTENCY_KEY_HOURS", 24))
