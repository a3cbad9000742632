"""gunicorn.conf.py freezes what a worker holds once it has loaded the application."""

from __future__ import annotations

import gc
import runpy

from django.conf import settings


def test_a_worker_freezes_what_it_has_loaded():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
