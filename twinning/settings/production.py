"""Production: every secret from the environment, HTTPS everywhere.

`DJANGO_SETTINGS_MODULE=twinning.settings.production python manage.py check --deploy`
must print no warning.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL, DATABASES, PERSISTENT_CONNECTION
from .env import env_bool, env_int, env_list, env_required, env_str
from .storage import FILESYSTEM, default_storage, storage_backend

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_required("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host(s) the site is served on.")

# Production runs web and worker processes on several machines: SQLite and the
# filesystem broker live on one machine's disk, so they are refused here.
if env_str("DATABASE_URL") is None or DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        "DATABASE_URL must name a PostgreSQL database (postgres://user:password@host:5432/name); "
        "SQLite is for development only."
    )
# Each web and worker process keeps its connection (PERSISTENT_CONNECTION). Only here: the
# development server runs each request in a new thread, and a kept connection per thread stays
# open until the database refuses new ones.
DATABASES["default"].update(PERSISTENT_CONNECTION)

if CELERY_BROKER_URL == "filesystem://":
    raise ImproperlyConfigured(
        "REDIS_URL (or CELERY_BROKER_URL) must name the broker (redis://host:6379/0); "
        "the filesystem broker is for development only."
    )

# Figures kept a few minutes (the society dashboard's) are shared by every web process through
# Redis: CACHE_URL, else the broker's Redis. A process-local cache would count once per process.
CACHE_URL = env_str("CACHE_URL") or (CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else None)
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": "twinning"}}

# Every link in mail starts here; a default would send recipients to a host that is not ours.
SITE_URL = env_required("SITE_URL").rstrip("/")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        f"SITE_URL={SITE_URL!r} must be the site's https:// address (https://twinning.example.org)."
    )

# Web processes on several machines must all read a file any of them stored: uploads go to an
# S3-compatible object store, and the bucket must be named (AWS_STORAGE_BUCKET_NAME). A site on
# one machine, or with MEDIA_ROOT on a disk every machine mounts, says STORAGE_BACKEND=filesystem.
STORAGE_BACKEND = storage_backend(default="s3")
if STORAGE_BACKEND != FILESYSTEM and env_str("AWS_STORAGE_BUCKET_NAME") is None:
    raise ImproperlyConfigured(
        "AWS_STORAGE_BUCKET_NAME must name the bucket uploads are kept in (README, Uploaded files); "
        "set STORAGE_BACKEND=filesystem to keep them on this machine's disk instead."
    )
STORAGES = {
    "default": default_storage(STORAGE_BACKEND),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers probe /healthz over plain HTTP; a redirect would read as a failure.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that sets this header itself.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
