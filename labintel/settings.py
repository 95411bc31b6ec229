"""LabIntel settings: one module, two ways to run.

With no environment at all LabIntel runs embedded: SQLite under var/, Celery tasks in process,
mail to the console, loopback fetching allowed for the demo. Setting DATABASE_URL and REDIS_URL
(see .env.example for every variable) switches to the full stack: PostgreSQL, a Redis broker,
real workers and beat. Production behaviour (DEBUG off, secure cookies, HSTS) follows DEBUG.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import cast

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured

from labintel.csp import style_attribute_hashes

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LABINTEL_VAR_DIR", BASE_DIR / "var"))

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", True)
# Only ever used with DEBUG on; production refuses to start with it.
_DEV_SECRET = "labintel-embedded-development-key-not-for-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Links in mail and feeds are built from this, never from the request's Host header.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "csp",
    "apps.common",
    "apps.sources",
    "apps.entities",
    "apps.events",
    "apps.digests",
    "apps.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise: static files need no policy; every page, fragment and feed gets one.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "labintel.urls"
WSGI_APPLICATION = "labintel.wsgi.application"

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
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------

VAR_DIR.mkdir(parents=True, exist_ok=True)
_DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'labintel.sqlite3'}"
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", _DEFAULT_DATABASE_URL), conn_max_age=60, conn_health_checks=True
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A restarted or unreachable server fails a request quickly instead of hanging it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded run reads from the dev server while the ingest loop writes: WAL lets readers
    # go on during a write, IMMEDIATE makes writers queue instead of failing, and NORMAL sync
    # is safe with WAL (a power cut may lose the last commits, never corrupt the file).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery -----------------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL", "")
# Without a broker every task runs in the calling process: the embedded default.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when it finished, and given back if its worker died mid-way.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90, minimum=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A hung Redis must not hang a web request that enqueues a task.
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
    # Messages of a worker that vanished come back after this long; the sweeps catch the rest.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 600, minimum=10),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
# Feed polling (network-bound), extraction (page download and parsing) and analysis (CPU-bound
# linking and event rules) scale separately: run workers per queue (see README). Beat's fan-out
# and the sweeps use the default queue.
CELERY_TASK_ROUTES = {
    "sources.fetch_source": {"queue": "fetch"},
    "sources.extract_article": {"queue": "extract"},
    "events.analyze_article": {"queue": "analyze"},
}
CELERY_BEAT_SCHEDULE = {
    # Sources carry their own next_fetch_at; this only asks often enough to honour 5-minute ones.
    "fetch-due-sources": {"task": "sources.fetch_due_sources", "schedule": timedelta(minutes=1)},
    # A lost message or a dead worker must not strand an article between stages.
    "sweep-stuck-articles": {
        "task": "sources.sweep_stuck_articles",
        "schedule": timedelta(minutes=5),
    },
    # The same for articles that have their text but lost their analysis message.
    "sweep-unanalyzed-articles": {
        "task": "events.sweep_unanalyzed_articles",
        "schedule": timedelta(minutes=5),
    },
    # Digests are due at readers' own hours (on the hour, in their time zones); this claims the
    # due ones in chunks, and hands back periods whose task was lost.
    "send-due-digests": {"task": "digests.send_due_digests", "schedule": timedelta(minutes=5)},
    # A subscribe mail whose task never reached the broker (Redis down or hung when the form was
    # sent) goes out within a minute of the broker's return.
    "sweep-subscribe-mails": {
        "task": "digests.sweep_subscribe_mails",
        "schedule": timedelta(minutes=1),
    },
}
# Every period above divided by this: the fault tests run beat in seconds instead of minutes.
BEAT_SPEEDUP = env_int("BEAT_SPEEDUP", 1, minimum=1)
CELERY_BEAT_SCHEDULE = {
    name: {**entry, "schedule": cast(timedelta, entry["schedule"]) / BEAT_SPEEDUP}
    for name, entry in CELERY_BEAT_SCHEDULE.items()
}
# An article this long between two stages lost its message (a dead worker, a flushed broker):
# the sweeps send another. Longer than a busy queue's wait, so they rarely send a spare one.
SWEEP_AFTER_SECONDS = env_int("SWEEP_AFTER_SECONDS", 600, minimum=1)

# --- Fetching ---------------------------------------------------------------------------------

# Loopback targets are allowed only for the embedded demo and tests; production refuses them.
FETCH_ALLOW_LOOPBACK = env_bool("FETCH_ALLOW_LOOPBACK", DEBUG)
FETCH_DEADLINE_SECONDS = env_int("FETCH_DEADLINE_SECONDS", 30, minimum=1)
FETCH_MAX_BYTES = env_int("FETCH_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
FETCH_USER_AGENT = env_str(
    "FETCH_USER_AGENT", "LabIntel/0.1 (+https://github.com/labintel/labintel; feed reader)"
)
SOURCE_MIN_INTERVAL = timedelta(seconds=env_int("SOURCE_MIN_INTERVAL_SECONDS", 300, minimum=1))
SOURCE_MAX_INTERVAL = timedelta(seconds=env_int("SOURCE_MAX_INTERVAL_SECONDS", 86400, minimum=1))
ARTICLE_MAX_EXTRACT_ATTEMPTS = env_int("ARTICLE_MAX_EXTRACT_ATTEMPTS", 3, minimum=1)
OPML_MAX_BYTES = env_int("OPML_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
OPML_MAX_OUTLINES = env_int("OPML_MAX_OUTLINES", 5000, minimum=1)

# --- Dashboard --------------------------------------------------------------------------------

# How often an open home page asks for newly confirmed events (an htmx poll answered 204 when
# nothing is new).
HOME_POLL_SECONDS = env_int("HOME_POLL_SECONDS", 20, minimum=1)

# --- Mail -------------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
# A mail the server would not take is tried again after this, then twice as long each time.
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 30, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "LabIntel <digest@labintel.localhost>")

# --- Static files, i18n -----------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise warns about a missing root until the first collectstatic.
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security ---------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe over plain http; the probe must not be redirected.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Only behind a proxy that overwrites X-Forwarded-Proto: clients could fake it otherwise.
    if env_bool("TRUST_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# How many proxies in front of LabIntel append the address they received the request from to
# X-Forwarded-For. The subscribe form's per-client limit counts that address; with 0 the header
# is ignored (anyone can send it), and behind a proxy every visitor would share the proxy's.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)

# --- Content Security Policy ------------------------------------------------------------------

# Scripts: ours carry the request's nonce (templates/base.html); 'self' stays only because
# Django 5.2's admin loads its own scripts without one. Nothing inline and no eval: htmx is set
# never to eval (base.html's htmx-config). Styles come from stylesheets only, with one exception:
# the digest preview shows the mail as sent in a sandboxed iframe that inherits this policy, and
# mail needs style="" attributes, so exactly our mail templates' declarations are allowed, by hash.
# Images: ours, and data: for the empty favicon; outlets' images in feed summaries are not loaded
# (a reader's visit is nobody else's business, and a hostile feed's pixel stays dark). In DEBUG,
# django-csp leaves 404 and 500 pages alone: Django's debug pages are inline-styled.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": [
            UNSAFE_HASHES,
            *style_attribute_hashes(BASE_DIR / "templates" / "digests" / "mail"),
        ],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"trafilatura": {"level": "WARNING"}},
}
