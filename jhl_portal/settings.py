"""Settings for the JHLeasing customer portal.

Everything that differs between a laptop and production is read from environment
variables through the small typed helpers below. They fail loudly
(ImproperlyConfigured) on a value they cannot read, so a typo in production stops the
start instead of silently falling back to a default. The defaults are the ones a
developer needs on a fresh clone: DEBUG on, an SQLite file, mail printed to the console.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env_str(name, "1" if default else "0").strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = env_str(name, str(default))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default or " ").split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    raw = env_str(name, default).strip().lower()
    if raw not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {raw!r}.")
    return raw


def env_url(name: str, schemes: tuple[str, ...]) -> str:
    """A URL with one of `schemes` and a host, or "" when unset."""
    raw = env_str(name, "").strip()
    if not raw:
        return ""
    parsed = urlsplit(raw)
    if parsed.scheme not in schemes or not (parsed.hostname or parsed.scheme == "unix"):
        # Never echo the value: URLs like these carry passwords.
        raise ImproperlyConfigured(
            f"{name} must be a URL starting with {' or '.join(s + '://' for s in schemes)} and naming a host."
        )
    return raw


# --- Core -----------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production-0123456789")
else:
    # No default: production must never run with a key that is published in this repo.
    SECRET_KEY = env_str("SECRET_KEY")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The portal's public address, used for links in e-mails (no request exists there).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "accounts",
    "workflows",
    "tickets",
    "documents",
    "emails",
    "workspace",
    "helpcenter",
    "vehicles",
    "surveys",
    "servicetime",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_filters",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jhl_portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jhl_portal.middleware.UploadNamesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "jhl_portal.urls"
WSGI_APPLICATION = "jhl_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jhl_portal.context_processors.language_choices",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# DATABASE_URL selects the database: an SQLite file by default, PostgreSQL (psycopg 3)
# with e.g. postgres://user:password@host:5432/jhl_portal in production.

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the mail worker use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# Behind PgBouncer in transaction pooling mode a client gets a different server
# connection for each transaction, so nothing may live in a server session: no
# server-side cursors (QuerySet.iterator() would use them), no prepared statements
# (psycopg prepares a query it has run five times). The code itself sets no session
# state (no SET, no advisory locks, no LISTEN).
if IS_POSTGRES and env_bool("DATABASE_PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The ticket list's covering indexes carry extra columns (INCLUDE) on PostgreSQL; SQLite
# builds them without, which is all a development database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- Cache and sessions (shared by every web process on every machine) ----------------
# allauth's rate limits count in the default cache, and the sessions live there with
# REDIS_URL: a login made on one machine is valid on the next, and a limit counts
# the requests made to all of them.

REDIS_URL = env_url("REDIS_URL", ("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that hangs must fail the request (and /healthz), not hold a worker.
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache"
            if not DEBUG
            else "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "jhl_cache",
        }
    }
# Several portals (or a test) can share one Redis database under different prefixes.
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "jhl")
# "cache": sessions only in Redis (run it with persistence and maxmemory-policy
# noeviction, or users are logged out when it restarts or fills up); "cached_db": read
# from Redis, written through to the database as well; "db": the database only.
SESSION_ENGINE = "django.contrib.sessions.backends." + env_choice(
    "SESSION_STORE", ("cache", "cached_db", "db"), "cache" if REDIS_URL else "db"
)

# --- Users and authentication ---------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:ticket_list"
LOGOUT_REDIRECT_URL = "account_login"

# The four rules of seed 001 (one validator each, so every message names exactly what
# is missing), then Django's own checks against common and personal passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.validators.UpperAndLowerCaseValidator"},
    {"NAME": "accounts.validators.DigitValidator"},
    {"NAME": "accounts.validators.SymbolValidator"},
    {"NAME": "accounts.validators.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "JHLeasing · "
# Tell users by e-mail when their password changes (ASVS V6.2/V6.3 notification).
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Django's reset token is single-use (it hashes the password and last login) and lives
# this long.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)
# Allauth keeps the user's other sessions out after a change: they fail Django's
# session hash check at their next request; only the current one is kept.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Rate limits (allauth syntax amount/period/per). "request_invitation" is our
# "Regístrese aquí" view. They count in the default cache, which must be shared by all
# workers (Redis through REDIS_URL in production).
ACCOUNT_RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "reset_password": env_str("RATE_LIMIT_RESET_PASSWORD", "20/m/ip,5/h/key"),
    "reset_password_from_key": "20/m/ip",
    "request_invitation": env_str("RATE_LIMIT_REQUEST_INVITATION", "20/m/ip,5/h/key"),
    "accept_invitation": "20/m/ip",
}
# The real client IP behind the reverse proxy: either the number of proxies that append
# to X-Forwarded-For (one by default behind USE_X_FORWARDED; without it every client
# would share the proxy's address and one abuser would lock everybody out), or a header
# the proxy sets and clients cannot forge.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if env_bool("USE_X_FORWARDED", False) else 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or None

# Staff use a TOTP second factor; with MFA_REQUIRED_FOR_STAFF staff without one are sent
# to enrol before they reach the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "JHLeasing"
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", not DEBUG)

# The address clients write to for an account (seed 001: "it@jhl.mx").
REGISTRATION_REQUEST_EMAIL = env_str("REGISTRATION_REQUEST_EMAIL", "it@jhl.mx")
# How long an invitation link works.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7)

# --- Sessions and security ------------------------------------------------------------

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT", 60 * 60 * 2)
SESSION_SAVE_EVERY_REQUEST = True  # makes SESSION_COOKIE_AGE an idle timeout
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Behind a reverse proxy that terminates TLS (set USE_X_FORWARDED=1 only there).
if env_bool("USE_X_FORWARDED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The load balancer asks each web process directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0

# Django 6's built-in Content-Security-Policy: nothing inline, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Internationalisation -------------------------------------------------------------
# Source strings are Spanish (what users read); English comes from locale/en.

LANGUAGE_CODE = "es-mx"
# Each language named in itself, as a language switch shows them.
LANGUAGES = [("es-mx", "Español (México)"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"

# --- Service clock (issue 11.2) -------------------------------------------------------
# Business time counts between these hours (SERVICE_HOURS="9,18": 9:00 to 18:00) on
# these ISO weekdays (SERVICE_WEEKDAYS="1,2,3,4,5": Monday to Friday), in TIME_ZONE,
# skipping the days of the Holiday table (admin → Plazos de atención).


def env_int_list(name: str, default: str, *, low: int, high: int) -> list[int]:
    try:
        values = [int(item) for item in env_list(name, default)]
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a comma-separated list of integers.") from None
    if not values or any(not low <= value <= high for value in values):
        raise ImproperlyConfigured(f"{name} must list integers between {low} and {high}.")
    return values


SERVICE_HOURS = tuple(env_int_list("SERVICE_HOURS", "9,18", low=0, high=23))
if len(SERVICE_HOURS) != 2 or SERVICE_HOURS[0] >= SERVICE_HOURS[1]:
    raise ImproperlyConfigured("SERVICE_HOURS must be two hours, the opening before the closing (e.g. 9,18).")
SERVICE_WEEKDAYS = tuple(sorted(set(env_int_list("SERVICE_WEEKDAYS", "1,2,3,4,5", low=1, high=7))))
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# MEDIA_URL is deliberately unused: attachments are only served through views that
# check access, never from a public URL.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# With S3_BUCKET, attachments live in S3-compatible object storage (AWS S3, MinIO,
# Ceph, …) shared by every machine instead of on a local disk. The bucket stays
# private: downloads are streamed through the access-checked views.
S3_BUCKET = env_str("S3_BUCKET", "")
if S3_BUCKET:
    _s3_access_key, _s3_secret_key = env_str("S3_ACCESS_KEY_ID", ""), env_str("S3_SECRET_ACCESS_KEY", "")
    if bool(_s3_access_key) != bool(_s3_secret_key):
        raise ImproperlyConfigured("S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or neither, for the machine's role).")
    STORAGES["default"] = {
        "BACKEND": "jhl_portal.storage.AttachmentS3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_url("S3_ENDPOINT_URL", ("https", "http")) or None,
            "region_name": env_str("S3_REGION", "") or None,
            # Empty keys: boto3 finds credentials itself (instance role, AWS_* variables).
            "access_key": _s3_access_key or None,
            "secret_key": _s3_secret_key or None,
            "location": env_str("S3_PREFIX", "").strip("/"),
            "addressing_style": env_choice("S3_ADDRESSING_STYLE", ("auto", "path", "virtual"), "auto"),
            "signature_version": "s3v4",
            "default_acl": None,
            # Names are random (attachment_upload_to): no existence check before a write.
            "file_overwrite": True,
        },
    }

ATTACHMENT_MAX_FILES = env_int("ATTACHMENT_MAX_FILES", 5)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------
# Django 6.1 configures mail through MAILERS. The default prints messages to the
# console; production sets EMAIL_HOST (and friends) to talk SMTP.

_smtp_host = env_str("EMAIL_HOST", "")
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "JHLeasing Soporte <soporte@jhl.mx>")
SERVER_EMAIL = env_str("SERVER_EMAIL", "portal@jhl.mx")

# Replies to ticket e-mail go to <local>+<ticket>.<signature>@<domain> of this address;
# its domain also names our Message-IDs (<ticket-123.…@jhl.mx>).
REPLY_TO_BASE_ADDRESS = env_str("REPLY_TO_BASE_ADDRESS", "soporte@jhl.mx")
# Outbound queue: a failed send is retried after 1, 2, 4 … minutes (capped at
# EMAIL_RETRY_MAX_DELAY seconds), EMAIL_MAX_ATTEMPTS times in all, then marked failed.
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 8)
EMAIL_RETRY_BASE_DELAY = env_int("EMAIL_RETRY_BASE_DELAY", 60)
EMAIL_RETRY_MAX_DELAY = env_int("EMAIL_RETRY_MAX_DELAY", 60 * 60)
# A message claimed by a worker that died mid-send goes back to the queue after this.
EMAIL_SENDING_TIMEOUT = env_int("EMAIL_SENDING_TIMEOUT", 15 * 60)

# Inbound mail: `manage.py fetch_mail` reads this IMAP mailbox over TLS (IMAP_HOST empty
# disables it) and moves each message to the processed or failed folder.
IMAP_HOST = env_str("IMAP_HOST", "")
IMAP_PORT = env_int("IMAP_PORT", 993)
IMAP_USER = env_str("IMAP_USER", "")
IMAP_PASSWORD = env_str("IMAP_PASSWORD", "")
IMAP_FOLDER = env_str("IMAP_FOLDER", "INBOX")
IMAP_PROCESSED_FOLDER = env_str("IMAP_PROCESSED_FOLDER", "Procesados")
IMAP_FAILED_FOLDER = env_str("IMAP_FAILED_FOLDER", "Fallidos")
# A CA bundle to trust for a server with a private certificate (empty: the system's).
IMAP_CA_FILE = env_str("IMAP_CA_FILE", "")
# New e-mail sent to an address that is no area's goes to this area.
TRIAGE_AREA_SLUG = env_str("TRIAGE_AREA_SLUG", "tecnologia-it")
# Who sent an inbound e-mail is read from the Authentication-Results headers (RFC 8601)
# that our receiving server adds, recognised by its authserv-id (e.g. "mx.jhl.mx"); the
# ones naming any other server are ignored, since a sender can write them too, and the
# MTA must strip incoming ones that name ours. Mail it reports as dmarc=fail (or
# spf=fail without a passing DKIM signature) waits for staff review. Empty: none trusted.
INBOUND_AUTHSERV_ID = env_str("INBOUND_AUTHSERV_ID", "").strip().lower()
# Hold for review every e-mail our server did not authenticate (dmarc=pass or a DKIM
# signature of the From domain). Off by default: it needs an MTA that adds
# Authentication-Results (OpenDKIM/OpenDMARC, rspamd…); without one, or for mail that
# arrives through a provider's webhook, every client e-mail would wait for staff.
INBOUND_REQUIRE_AUTHENTICATED_SENDER = env_bool("INBOUND_REQUIRE_AUTHENTICATED_SENDER", False)
if INBOUND_REQUIRE_AUTHENTICATED_SENDER and not INBOUND_AUTHSERV_ID:
    raise ImproperlyConfigured("INBOUND_REQUIRE_AUTHENTICATED_SENDER needs INBOUND_AUTHSERV_ID (our MTA's authserv-id).")

# Inbound webhooks of e-mail providers (/correo/entrante/<provider>/inbound/) are
# protected by HTTP basic auth with this "user:password"; without one they are off.
ANYMAIL_WEBHOOK_SECRET = env_str("ANYMAIL_WEBHOOK_SECRET", "dev-user:dev-password" if DEBUG else "")
ANYMAIL = {"WEBHOOK_SECRET": ANYMAIL_WEBHOOK_SECRET} if ANYMAIL_WEBHOOK_SECRET else {}
# Providers that sign their posts, checked on top of basic auth.
if ANYMAIL and env_str("MAILGUN_WEBHOOK_SIGNING_KEY", ""):
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = env_str("MAILGUN_WEBHOOK_SIGNING_KEY")

# --- Background tasks -----------------------------------------------------------------
# E-mail is sent by a worker: `manage.py db_worker` (django-tasks-db) beside the web
# server, and `manage.py requeue_email` from cron re-enqueues anything left behind.

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Logging --------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # pypdf reads broken PDFs leniently and warns at every repair: a hostile upload
    # would fill the log. The refusal is what matters (tickets.upload_checks).
    "loggers": {"pypdf": {"level": "ERROR"}},
}

# --- Benchmark (bench/portal_load.py; off in production) ------------------------------
# BENCHMARK=1 adds the bare page the benchmark compares the portal's pages with
# (/bench/bare/, through the same middleware) and an X-DB-Queries header with the
# number of SQL queries each response took.
BENCHMARK = env_bool("BENCHMARK", False)
if BENCHMARK:
    MIDDLEWARE = ["jhl_portal.middleware.QueryCountMiddleware", *MIDDLEWARE]
