"""The Celery application: configured from Django settings (CELERY_*), tasks found in every app."""

import os

from celery import Celery

# twinning/__init__.py imports this module first, so this default is the one wsgi/asgi
# and `celery -A twinning` get: production. manage.py, `make run` and pytest name theirs.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings.production")

app = Celery("twinning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
