"""gunicorn.conf.py: a worker prepares itself before its first request (twinning.warmup) and
freezes what it has loaded."""

from __future__ import annotations

import gc
import runpy

from django.conf import settings
from django.template import engines

from twinning.warmup import template_names, warm_up


def cached_templates() -> set[str]:
    [loader] = engines["django"].engine.template_loaders
    return set(loader.get_template_cache)


def test_a_worker_compiles_every_template_before_its_first_request():
    names = template_names()
    assert {"base.html", "partnerships/list.html", "admin/change_form.html"} <= set(names)
    engines["django"].engine.template_loaders[0].reset()
    assert cached_templates() == set()

    assert warm_up() == len(names)
    assert set(names) <= cached_templates()


def test_a_worker_freezes_what_it_has_loaded():
    config = runpy.run_path(str(settings.BASE_DIR / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        config["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
