"""Settings of the CCHC portal, read from the environment.

The defaults are for a developer's machine: SQLite, DEBUG on only when asked
for, a throw-away secret key. Production imports this module through
``settings_production``, which refuses to start with unsafe values.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# The key below only signs development sessions; production refuses it.
DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-never-use-in-production"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "core",
    "communes",
    "notifications",
    "accounts",
    "dossiers",
    "indices",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after the user is known, to mark every answer to a logged-in person private, no-store.
    "core.middleware.PrivateCacheMiddleware",
    # An account handed a one-time password is sent to the password form until it sets its own.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers locked-out logins itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cchc_portal.urls"
WSGI_APPLICATION = "cchc_portal.wsgi.application"

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
                "core.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high: the overview's (a subquery
    # per figure) took 5 s to compile and 20 ms to run (docs/performance.md). Off, as for most
    # short web queries.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "communes.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so that a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's list, and the cheaper hasher of one-time passwords after the default (never preferred:
# a one-time password is re-hashed with the default at the first login; accounts/hashers.py).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "accounts.hashers.OneTimePasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed-login throttling (django-axes, with the portal's handler in core/throttling.py):
# - five failures for one username from one client address lock that pair out for 15 minutes.
#   Not by address alone: a commune office shares one address, and one person's typos must not
#   lock out colleagues; nor by username alone, or anyone could keep `xa.chutich` locked;
# - fifty failures within an hour from one client address, whatever the usernames, lock that
#   address out (password spraying), counted from axes' failure log, which a successful login
#   does not reset. An office's normal typos never come near it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_IP_FAILURE_LIMIT = int(os.environ.get("AXES_IP_FAILURE_LIMIT", "50"))
AXES_IP_FAILURE_WINDOW = timedelta(hours=float(os.environ.get("AXES_IP_FAILURE_WINDOW_HOURS", "1")))
AXES_HANDLER = "core.throttling.PortalAxesHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # one row per failed login: what the address ceiling counts
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "core.throttling.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False


def client_address_settings(proxy_count: int) -> dict:
    """How django-axes reads the client's address (through django-ipware) with ``proxy_count``
    proxies in front of the app (AXES_PROXY_COUNT).

    No proxy: the connecting address, REMOTE_ADDR; X-Forwarded-For is the client's to forge.
    Behind proxies that each append the address they received the request from (a load balancer
    ending TLS does): REMOTE_ADDR is the last proxy, and the client is the proxy_count-th address
    of X-Forwarded-For from the right; whatever stands left of it, the client wrote itself.
    django-ipware counts "proxies after the client" in the header, which is one fewer, and its
    default strict mode would refuse a header the client had prefilled (IPWARE_STRICT below).
    A request without the header did not come through the balancer: its address is unknown
    (None), never the balancer's, and such failures are counted together.
    """
    if proxy_count <= 0:
        return {"AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",), "AXES_IPWARE_PROXY_COUNT": None}
    return {
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR",),
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
    }


_client_address = client_address_settings(int(os.environ.get("AXES_PROXY_COUNT", "0")))
AXES_IPWARE_META_PRECEDENCE_ORDER = _client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
AXES_IPWARE_PROXY_COUNT = _client_address["AXES_IPWARE_PROXY_COUNT"]
# At least (not exactly) that many addresses after the client's: a client may prefill the header.
IPWARE_STRICT = False

LANGUAGE_CODE = "vi"
# Vietnamese only until an English catalogue exists: otherwise an office PC with an English
# browser would get Django's own messages in English among the portal's Vietnamese.
LANGUAGES = [("vi", _("Tiếng Việt"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Thousands grouping stays off for plain {{ value }} (it would print years as
# "2.023"); figures go through core.formatting, which groups them explicitly.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["cchc_portal.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Outside production, WhiteNoise serves straight from the apps' and static/ folders.
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"  # uploads are only ever served through views that check access
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SESSION_COOKIE_AGE = 60 * 60 * 10  # an office day
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# No inline script or style anywhere: every page loads its code from static/.
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

# Background tasks (django-tasks): long work such as printing many reports at once is queued in
# the database and run by `manage.py db_worker` (several workers, on several machines, may share
# the queue). TASKS_BACKEND=immediate runs a task inside the request that enqueues it, for a
# machine without a worker; tests use the immediate backend through override_settings.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")],
    }
}
# Printing many reports at once (reports/services/batch.py): a batch that has not moved for this
# many seconds is shown as stalled, with a button to print the rest; `clear_batches` keeps batches
# that moved within this many days.
BATCH_STALL_SECONDS = int(os.environ.get("BATCH_STALL_SECONDS", "300"))
BATCH_KEEP_DAYS = int(os.environ.get("BATCH_KEEP_DAYS", "7"))

# Mail (notifications, invitations, password resets). SMTP from the environment in production; the
# console backend (mail printed by the server) under DEBUG; the tests use Django's locmem outbox.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng CCHC <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address as people reach it: the links in mails are made from it (tasks and the
# daily run have no request to take it from).
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
# A mail that fails is tried again later, this many times in all, then marked as not sent (the
# notification stays in the portal).
NOTIFICATION_EMAIL_ATTEMPTS = int(os.environ.get("NOTIFICATION_EMAIL_ATTEMPTS", "5"))
# send_reminders tells a commune's officer and chairman of a month due within this many days
# (and of a self-scoring deadline); of months overdue on days 1, 3 and 7 after the latest one's due
# date, then weekly (notifications/reminders.py).
REMINDER_DAYS_AHEAD = int(os.environ.get("REMINDER_DAYS_AHEAD", "3"))
# An invitation link works this many days; a password reset link this many seconds (Django).
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "7"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(60 * 60 * 24)))
# "Quên mật khẩu" is throttled (accounts.models.PasswordResetRequest, counted in the database):
# at most PASSWORD_RESET_ADDRESS_LIMIT forms from one client address within the window (then a
# 429 page), and at most PASSWORD_RESET_EMAIL_LIMIT mails to one typed address (beyond that the
# same "sent" page, and no mail: the answer never tells whether the address has an account).
PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("PASSWORD_RESET_ADDRESS_LIMIT", "5"))
PASSWORD_RESET_EMAIL_LIMIT = int(os.environ.get("PASSWORD_RESET_EMAIL_LIMIT", "3"))
PASSWORD_RESET_WINDOW = timedelta(hours=float(os.environ.get("PASSWORD_RESET_WINDOW_HOURS", "1")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
