"""The test suite: fast hashing, mail kept in memory, PostgreSQL when DATABASE_URL is set."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105 - never used outside the test run
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# The scale data and benchmarks are tested; production never installs them.
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The mail path's delivery task, queued on commit, runs in-process, so a test reads the
# outbox once the commit (or django_capture_on_commit_callbacks) has happened. The worker
# tests (evaluation/tests/test_celery_worker.py) switch this off and go through Redis.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files come from the finders in tests; there is no collected folder.
STATIC_ROOT = None
