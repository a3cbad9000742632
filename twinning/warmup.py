"""What a web worker prepares once, before its first request: the URLconf, the translation
catalogues and every template compiled. Without it each worker pays for these on the first
request that needs them (a page's first view in a fresh worker took 480 ms against 55-90 ms
after), and every worker of a deployment does so again after each restart. Called by
gunicorn.conf.py, which then freezes what was made (see there)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


def template_names() -> list[str]:
    """Every template the Django engine can find, by the name it is asked for (a project
    template shadows an app's of the same name, as in `get_template`)."""
    names: dict[str, None] = {}
    for directory in engines["django"].template_dirs:
        root = Path(directory)
        for path in sorted(root.rglob("*")):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                names.setdefault(path.relative_to(root).as_posix(), None)
    return list(names)


def warm_up() -> int:
    """Prepare this process; the number of templates compiled."""
    reverse("healthz")
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Partnerships")
    engine = engines["django"]
    compiled = 0
    for name in template_names():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:
            # A fragment that only compiles inside another (none today): compiled there, when used.
            logger.warning("Template %s was not compiled ahead", name)
            continue
        compiled += 1
    return compiled
