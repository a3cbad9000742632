"""Settings shared by every environment.

Environment-specific modules (development, test, production) import this one
and change only what differs. Everything a deployment sets comes from the
environment; `.env.example` lists each variable.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_database, env_int, env_list, env_str
from .storage import default_storage, storage_backend

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("TWINNING_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SOCIETY_NAME = env_str("SOCIETY_NAME", "ISA")
# The site's public address, the base of every link in mail (sent outside a request).
# Production demands it (settings/production.py).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "twinning",
    "sections",
    "partnerships",
    "evaluation",
    "recognition",
    "web",
    "twinning.admin_site.TwinningAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_countries",
    "django_celery_beat",
    "import_export",
    "simple_history",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "twinning.middleware.reject_null_characters",
    "twinning.middleware.NotFoundForIdsTooLarge",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in user's own language and time zone over what LocaleMiddleware chose.
    "web.middleware.UserLanguageAndZone",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "web.urls"
WSGI_APPLICATION = "twinning.wsgi.application"

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
                "twinning.context_processors.society",
                "twinning.context_processors.notices",
            ],
        },
    },
]

# SQLite under var/ when DATABASE_URL is unset: nothing to install for `make run`.
DATABASES = {
    "default": env_database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'twinning.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, [
        _options.get("options"),
        # How close a mistyped word must come to a name to match it (twinning.search): set when
        # connecting, so that it costs no query.
        "-c pg_trgm.word_similarity_threshold=0.5",
        # No JIT compilation: the site's queries are small and answer in milliseconds, but a plan
        # whose estimated cost passes jit_above_cost (a list over 20,000 partnerships) spent
        # 50-700 ms compiling before running 2-85 ms of SQL.
        "-c jit=off",
    ]))
# How a deployed web or worker process keeps its connection (production.py, and the benchmark
# that measures a deployment): for a minute, checked before reuse. Opening one costs a few
# milliseconds a request, as much as a small page's queries.
PERSISTENT_CONNECTION = {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "twinning.User"
# django-axes first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "twinning.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The site's languages: a signed-in user's preferred one (their profile) wins, then the
# language switcher's cookie, then the browser's Accept-Language, then English
# (twinning.middleware.UserLanguageAndZone after Django's LocaleMiddleware). Portuguese is one
# language: a browser asking for pt-BR or pt-PT gets it. The catalogs are locale/<code>/ (make
# messages; compiled by make run and make test, never committed).
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French")), ("pt", _("Portuguese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and one date-time format per language (twinning/formats/<code>/formats.py), the
# time always with its zone.
FORMAT_MODULE_PATH = ["twinning.formats"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploads on the local disk by default; STORAGE_BACKEND=s3 keeps them in an object store
# (settings/storage.py), which production asks for.
STORAGE_BACKEND = storage_backend(default="filesystem")
STORAGES = {
    "default": default_storage(STORAGE_BACKEND),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Neither limit stops a large upload before the view. DATA_UPLOAD_MAX_MEMORY_SIZE counts a
# request's body *without* its files (form fields, a JSON body); FILE_UPLOAD_MAX_MEMORY_SIZE is
# only where Django stops holding an uploaded file in memory and spools it to a temporary file.
# A file of any size is received whole; the form's validators (twinning/validators.py) then
# refuse one over 10 MB. The reverse proxy's body-size limit is what stops a huge body early
# (README, Uploaded files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads one partnership may make in an hour (signed agreements, story photos), whoever makes
# them: a script replacing a document in a loop fills neither the store nor the history.
UPLOADS_PER_PARTNERSHIP_PER_HOUR = env_int("UPLOADS_PER_PARTNERSHIP_PER_HOUR", 10)
if UPLOADS_PER_PARTNERSHIP_PER_HOUR < 1:
    raise ImproperlyConfigured("UPLOADS_PER_PARTNERSHIP_PER_HOUR must be at least 1.")

# Django's form templates, with a select's options written in Python (twinning/form_renderer.py).
FORM_RENDERER = "twinning.form_renderer.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# An import with any invalid row is rolled back whole.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing needs the model's change permission and exporting its view permission;
# staff status alone gives neither.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The library drops one leading "=" from exported cells; the resources (sections/resources.py)
# quote every cell a spreadsheet would run, as the site's other exports do (twinning/exports.py).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "twinning@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_FILE_PATH = VAR_DIR / "mail"

# Celery: Redis when configured, otherwise kombu's filesystem transport under
# var/ so that `make run` has a real worker and beat with no server.
_broker_dirs = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or env_str("REDIS_URL") or "filesystem://"
if CELERY_BROKER_URL == "filesystem://":
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dirs / "queue"),
        "data_folder_out": str(_broker_dirs / "queue"),
        "processed_folder": str(_broker_dirs / "processed"),
        "control_folder": str(_broker_dirs / "control"),
        "store_processed": False,
    }
elif not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "amqp://")):
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL/REDIS_URL={CELERY_BROKER_URL!r}: use redis://, rediss:// or amqp://."
    )
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = False
HEALTHZ_BROKER_TIMEOUT = env_int("HEALTHZ_BROKER_TIMEOUT", 2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF at INFO; its warnings (a missing font) matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Lockout after repeated failed log-ins (django-axes), on the site's login and the admin's.
# Attempts are kept in the database, so every web process counts the same failures.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME <= timedelta(0):
    raise ImproperlyConfigured("AXES_FAILURE_LIMIT and AXES_COOLOFF_MINUTES must be at least 1.")
# An attempt during a lockout starts the wait again, so the lockout page's wait is the whole
# cool-off (web.views.locked_out) and guessing on through it gains nothing.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
# Each item is counted on its own; "username+ip_address" would count the pair together.
AXES_LOCKOUT_PARAMETERS = [
    item.split("+") if "+" in item else item
    for item in env_list("AXES_LOCKOUT_PARAMETERS", ["username", "ip_address"])
]
# Checked here: django-axes would only fail on the first log-in, with a server error.
for _parameter in AXES_LOCKOUT_PARAMETERS:
    if not set([_parameter] if isinstance(_parameter, str) else _parameter) <= {"username", "ip_address", "user_agent"}:
        raise ImproperlyConfigured(
            f"AXES_LOCKOUT_PARAMETERS: {_parameter!r} is not username, ip_address or user_agent "
            "(comma-separated; join with + to count a pair together)."
        )
if not AXES_LOCKOUT_PARAMETERS:
    raise ImproperlyConfigured("AXES_LOCKOUT_PARAMETERS must name username, ip_address or both.")
# Both log-in forms post the email address as "username"; it is matched case-insensitively,
# so it is counted that way too (otherwise A@x.org and a@x.org would be two accounts).
# (AXES_USERNAME_FORM_FIELD would default to the model's "email", which neither form posts.)
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "twinning.lockout.attempted_email"
AXES_LOCKOUT_CALLABLE = "web.views.locked_out"
# The client's address is REMOTE_ADDR. Behind a reverse proxy every request would come from
# the proxy: name the header it sets and which entry of it to trust (README, Failed log-ins).
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_IPWARE_META_PRECEDENCE_ORDER", ["REMOTE_ADDR"])
AXES_IPWARE_PROXY_ORDER = env_str("AXES_IPWARE_PROXY_ORDER", "left-most")
if AXES_IPWARE_PROXY_ORDER not in {"left-most", "right-most"}:
    raise ImproperlyConfigured(f"AXES_IPWARE_PROXY_ORDER={AXES_IPWARE_PROXY_ORDER!r}: use left-most or right-most.")
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0) or None

# Password reset (twinning/password_reset.py): requests from one client address are counted in
# windows of PASSWORD_RESET_ADDRESS_WINDOW_MINUTES, and past PASSWORD_RESET_ADDRESS_LIMIT the page
# answers 429; one email address gets at most one link per PASSWORD_RESET_EMAIL_WINDOW_MINUTES
# (a request within it changes nothing, and answers the same). The counts live in the cache, which
# production shares through Redis (settings/production.py). The client's address is read as
# django-axes reads it (AXES_IPWARE_* above).
PASSWORD_RESET_ADDRESS_LIMIT = env_int("PASSWORD_RESET_ADDRESS_LIMIT", 10)
PASSWORD_RESET_ADDRESS_WINDOW = timedelta(minutes=env_int("PASSWORD_RESET_ADDRESS_WINDOW_MINUTES", 60))
PASSWORD_RESET_EMAIL_WINDOW = timedelta(minutes=env_int("PASSWORD_RESET_EMAIL_WINDOW_MINUTES", 15))
if (
    PASSWORD_RESET_ADDRESS_LIMIT < 1
    or PASSWORD_RESET_ADDRESS_WINDOW <= timedelta(0)
    or PASSWORD_RESET_EMAIL_WINDOW <= timedelta(0)
):
    raise ImproperlyConfigured(
        "PASSWORD_RESET_ADDRESS_LIMIT, PASSWORD_RESET_ADDRESS_WINDOW_MINUTES and "
        "PASSWORD_RESET_EMAIL_WINDOW_MINUTES must be at least 1."
    )

# Invitations (sections/services.py): a link works this many days after it was (re-)sent.
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7)
if INVITATION_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured("INVITATION_MAX_AGE_DAYS must be at least 1.")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page's scripts and styles come from our own static files: no inline <script>, style=
# or on*= handler (web/tests/test_csp.py scans the templates). A response that sets its own
# policy keeps it (a downloaded document's "sandbox").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
SESSION_COOKIE_HTTPONLY = True
# An expired form gets the site's page (templates/403_csrf.html), not Django's.
CSRF_FAILURE_VIEW = "web.views.csrf_failure"

# The leaderboard's covering index (recognition.LedgerEntry) includes its points column on
# PostgreSQL; SQLite, the development default, builds it without, which is all it warns of.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
