"""Deskwise settings, read from the environment and validated at start-up.

The embedded default (no environment at all) is a working desk on SQLite under
``var/``. Production (``DESKWISE_ENV=production``) refuses to start without the
settings that must not be guessed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENT = os.environ.get("DESKWISE_ENV", "embedded").strip().lower()
if ENVIRONMENT not in {"embedded", "production", "test"}:
    raise ImproperlyConfigured(
        f"DESKWISE_ENV must be 'embedded', 'production' or 'test', not {ENVIRONMENT!r}"
    )
PRODUCTION = ENVIRONMENT == "production"


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list_int(name: str, default: list[int], *, minimum: int = 1) -> list[int]:
    """A comma-separated list of whole numbers, as long as ``default``."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        values = [int(part) for part in raw.split(",")]
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be whole numbers separated by commas") from None
    if len(values) != len(default) or min(values) < minimum:
        raise ImproperlyConfigured(
            f"{name} needs {len(default)} numbers of at least {minimum}, not {raw!r}"
        )
    return values


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("DESKWISE_DATA_DIR", BASE_DIR / "var")).resolve()
if not PRODUCTION or "DESKWISE_DATA_DIR" in os.environ:
    DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        if PRODUCTION and len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY is required when DESKWISE_ENV=production")
    # Embedded: generate once and keep it, so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(64))
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DESKWISE_DEBUG", False)

BASE_URL = os.environ.get("DESKWISE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(BASE_URL)
if _base.scheme not in {"http", "https"} or not _base.hostname:
    raise ImproperlyConfigured(f"DESKWISE_BASE_URL must be an http(s) URL, not {BASE_URL!r}")
if PRODUCTION and _base.scheme != "https":
    raise ImproperlyConfigured("DESKWISE_BASE_URL must use https in production")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    [_base.hostname] if PRODUCTION else [_base.hostname, "127.0.0.1", "localhost", "[::1]"],
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [f"{_base.scheme}://{_base.netloc}"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "deskwise.core",
    "deskwise.accounts",
    "deskwise.tickets",
    "deskwise.sla",
    "deskwise.triage",
    "deskwise.queueing",
    "deskwise.responses",
    "deskwise.outcomes",
    "deskwise.kb",
    "deskwise.search",
    "deskwise.feedback",
    "deskwise.problems",
    "deskwise.coach",
    "deskwise.timelog",
    "deskwise.reports",
    "deskwise.notifications",
    "deskwise.mail",
    "deskwise.portal",
    "deskwise.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "deskwise.urls"
WSGI_APPLICATION = "deskwise.wsgi.application"

DESKWISE_APPS = [a.removeprefix("deskwise.") for a in INSTALLED_APPS if a.startswith("deskwise.")]
TEMPLATES = [
    {
        # Our pages and mails. Jinja2 finds each app's templates/ folder, as
        # Django's own engine would.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "deskwise" / "templates"]
        + [
            BASE_DIR / "deskwise" / app / "templates"
            for app in DESKWISE_APPS
            if (BASE_DIR / "deskwise" / app / "templates").is_dir()
        ],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "deskwise.jinja2.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "deskwise.core.context_processors.desk",
            ],
        },
    },
    {
        # The Django admin's own templates.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DEFAULT_SQLITE = DATA_DIR / "deskwise.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{DEFAULT_SQLITE}"
try:
    _db = dj_database_url.parse(DATABASE_URL)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not understood: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock
    # when a transaction starts, so two writers queue on busy_timeout instead
    # of failing half-way with "database is locked".
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA temp_store=MEMORY;"
            "PRAGMA mmap_size=134217728;"
            "PRAGMA cache_size=-32000;"
        ),
    }
    # Opening SQLite and setting it up costs more than most queries: keep each
    # thread's connection, checked before reuse.
    _db["CONN_MAX_AGE"] = env_int("DESKWISE_DB_CONN_MAX_AGE", 600)
    _db["CONN_HEALTH_CHECKS"] = True
elif _db["ENGINE"] == "django.db.backends.postgresql":
    # Client-side binding (psycopg's default in Django): PostgreSQL sees the
    # values, so it can use the partial indexes the queues rely on. Prepared
    # statements would save planning but drift to generic plans that cannot.
    _db["OPTIONS"] = {}
    if env_bool("DESKWISE_DB_POOL", True):
        _db["CONN_MAX_AGE"] = 0  # the pool owns connection lifetime
        _db["OPTIONS"]["pool"] = {
            "min_size": env_int("DESKWISE_DB_POOL_MIN", 2, minimum=1),
            "max_size": env_int("DESKWISE_DB_POOL_MAX", 8, minimum=1),
            "timeout": 10,
        }
    else:
        _db["CONN_MAX_AGE"] = env_int("DESKWISE_DB_CONN_MAX_AGE", 60)
        _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ImproperlyConfigured("DATABASE_URL must point to SQLite or PostgreSQL")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background work -------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "mail"],
    }
}
DESKWISE_TASK_MAX_ATTEMPTS = env_int("DESKWISE_TASK_MAX_ATTEMPTS", 5, minimum=1)
DESKWISE_TASK_RESULT_DAYS = env_int("DESKWISE_TASK_RESULT_DAYS", 14, minimum=1)
DESKWISE_HEARTBEAT_STALE_SECONDS = env_int("DESKWISE_HEARTBEAT_STALE_SECONDS", 120, minimum=10)

# --- Auth -----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["deskwise.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DESKWISE_LOGIN_LINK_MINUTES = env_int("DESKWISE_LOGIN_LINK_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = env_int("DESKWISE_SESSION_DAYS", 14, minimum=1) * 86400

# --- Files ----------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("DESKWISE_MEDIA_DIR", DATA_DIR / "media")).resolve()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
DESKWISE_MAX_ATTACHMENT_BYTES = env_int("DESKWISE_MAX_ATTACHMENT_MB", 25, minimum=1) * 1024 * 1024
DESKWISE_MAX_ATTACHMENTS = env_int("DESKWISE_MAX_ATTACHMENTS", 10, minimum=1)
DATA_UPLOAD_MAX_NUMBER_FILES = DESKWISE_MAX_ATTACHMENTS + 5

# --- Triage and the queue ------------------------------------------------------------

# A proposal (a rule's or the trained model's) is applied from this confidence.
DESKWISE_TRIAGE_APPLY_AT = env_float("DESKWISE_TRIAGE_APPLY_AT", 0.75)
# The trained model proposes only from this confidence (below it, rules decide).
DESKWISE_TRIAGE_MODEL_MIN_CONFIDENCE = env_float("DESKWISE_TRIAGE_MODEL_MIN_CONFIDENCE", 0.5)
# Tickets a field's model needs before it is trained.
DESKWISE_TRIAGE_MODEL_MIN_SAMPLES = env_int("DESKWISE_TRIAGE_MODEL_MIN_SAMPLES", 60, minimum=10)
# Triage can be switched off (measuring its cost, or a desk that does not want it).
DESKWISE_TRIAGE = env_bool("DESKWISE_TRIAGE", True)
# When the desk works, unless a team or an agent says otherwise.
DESKWISE_WORKING_HOURS = os.environ.get("DESKWISE_WORKING_HOURS", "mon-fri 09:00-17:00")

# --- Service levels ---------------------------------------------------------------------

# Public holidays the desk does not work (a country, optionally with a region:
# FI, DE-BY, US-CA); empty: none. A team may name its own.
DESKWISE_HOLIDAYS = os.environ.get("DESKWISE_HOLIDAYS", "").strip()
# Hours without a word to the requester, per priority (P1..P4), after which
# the owner is reminded to send a short update.
DESKWISE_SILENCE_HOURS = env_list_int("DESKWISE_SILENCE_HOURS", [2, 8, 24, 72])
# A resolved ticket the requester has not confirmed: a reminder after this many
# days, then closed as "resolved, unconfirmed" after the second number.
DESKWISE_CONFIRM_REMIND_DAYS = env_int("DESKWISE_CONFIRM_REMIND_DAYS", 3, minimum=1)
DESKWISE_CONFIRM_CLOSE_DAYS = env_int("DESKWISE_CONFIRM_CLOSE_DAYS", 7, minimum=1)
# This many similar incidents of a category in 30 days ask for a root cause.
DESKWISE_REPEAT_INCIDENTS = env_int("DESKWISE_REPEAT_INCIDENTS", 3, minimum=2)
# The closing questions can be answered for this many days.
DESKWISE_SURVEY_DAYS = env_int("DESKWISE_SURVEY_DAYS", 14, minimum=1)
# Escalate to a supervisor when a ticket is reopened this many times.
DESKWISE_ESCALATE_REOPENS = env_int("DESKWISE_ESCALATE_REOPENS", 2, minimum=1)
# Supervisors' weekly summary goes out on Mondays from this hour (desk time).
DESKWISE_WEEKLY_SUMMARY_HOUR = env_int("DESKWISE_WEEKLY_SUMMARY_HOUR", 7)
if DESKWISE_WEEKLY_SUMMARY_HOUR > 23:
    raise ImproperlyConfigured(
        f"DESKWISE_WEEKLY_SUMMARY_HOUR is an hour from 0 to 23, not {DESKWISE_WEEKLY_SUMMARY_HOUR}"
    )

# --- Knowledge base -------------------------------------------------------------------

# Public articles can be read on the portal without signing in.
DESKWISE_KB_PUBLIC = env_bool("DESKWISE_KB_PUBLIC", True)

# --- Inbound mail ------------------------------------------------------------------

# A reply to a ticket closed longer ago than this opens a new, linked ticket.
DESKWISE_MAIL_REOPEN_DAYS = env_int("DESKWISE_MAIL_REOPEN_DAYS", 14, minimum=0)
# At most this many acknowledgements per sender per hour: past it, a sender
# (usually an auto-responder without the right headers) is not answered.
DESKWISE_MAIL_ACKS_PER_HOUR = env_int("DESKWISE_MAIL_ACKS_PER_HOUR", 5, minimum=1)
# Messages larger than this are not accepted (the mail server bounces them
# with a clear reason; a polled one is kept as a failure for an admin).
DESKWISE_MAIL_MAX_BYTES = env_int("DESKWISE_MAIL_MAX_MB", 50, minimum=1) * 1024 * 1024
# Attachments per inbound mail kept on the ticket (a mail may carry more
# than a person may upload at once).
DESKWISE_MAIL_MAX_ATTACHMENTS = env_int("DESKWISE_MAIL_MAX_ATTACHMENTS", 50, minimum=1)
# A poll holds its mailbox this long past its last progress (a killed poll
# frees it after this).
DESKWISE_MAIL_POLL_LEASE_SECONDS = env_int("DESKWISE_MAIL_POLL_LEASE_SECONDS", 120, minimum=1)
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Mail -----------------------------------------------------------------------

_email_host = os.environ.get("EMAIL_HOST", "").strip()
if _email_host:
    _email_port = env_int("EMAIL_PORT", 587, minimum=1)
    _use_tls = env_bool("EMAIL_USE_TLS", _email_port == 587)
    _use_ssl = env_bool("EMAIL_USE_SSL", _email_port == 465)
    if _use_tls and _use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": _email_port,
                "username": os.environ.get("EMAIL_HOST_USER", "") or None,
                "password": os.environ.get("EMAIL_HOST_PASSWORD", "") or None,
                "use_tls": _use_tls,
                "use_ssl": _use_ssl,
                "timeout": env_int("EMAIL_TIMEOUT", 30, minimum=1),
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_HOST is required when DESKWISE_ENV=production")
else:
    # Embedded: every message is written to a file under var/mail/.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DESKWISE_FROM_EMAIL", f"Deskwise <help@{_base.hostname}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DESKWISE_MAIL_DOMAIN = os.environ.get("DESKWISE_MAIL_DOMAIN", _base.hostname or "localhost")

# --- Security -------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DESKWISE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DESKWISE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DESKWISE_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# --- Caching --------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "").strip()
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Locale ---------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DESKWISE_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Logging --------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DESKWISE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_MAX_LIMIT = 100
# Links written without a scheme ("www.example.org") become https links.
URLIZE_ASSUME_HTTPS = True
