"""Settings of the gunicorn that `bench_pages` measures: the development settings as a deployment
would run them (DEBUG off, so no query log and no debug pages; each worker keeps its database
connection; one cache shared by the workers), on loopback with no HTTPS, and with a middleware
that tells each response's query count in a header."""

from twinning.settings.development import *  # noqa: F403
from twinning.settings.env import env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "bench-pages-key-on-loopback-only")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
# First, so every query of the request is counted: the session's and the user's too.
MIDDLEWARE = ["devtools.middleware.count_queries", *MIDDLEWARE]  # noqa: F405

# As production.py: a connection opened per request cost more than the queries of a small page
# (/healthz: ~15 ms p95 against ~4 ms kept), which no deployment pays.
DATABASES["default"].update(PERSISTENT_CONNECTION)  # noqa: F405

# A deployment's web processes share one cache (Redis: production.py), so figures kept a few
# minutes (the society dashboard's) are counted once, not once per process; the benchmark's
# workers share a directory that devtools.load.Server makes for each server it starts.
if BENCH_CACHE_DIR := env_str("BENCH_CACHE_DIR", ""):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": BENCH_CACHE_DIR}}
