"""Running the devtools commands in tests, and the small synthetic society most of them start from."""

from __future__ import annotations

import io

from django.core.management import call_command


def run(*args: str, **options: object) -> str:
    """What a management command printed."""
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def seed_30() -> str:
    # Tests run with DEBUG off, as production does.
    return run("seed_scale", "--sections", "30", "--partnerships", "20", "--years", "1", "--allow-production")
