"""The site's form pages look the same whether crispy's own field template or the quick one
(templates/bootstrap5/field.html, twinning/templatetags/quick_forms.py) writes their fields."""

import re

import pytest

from partnerships import services
from twinning.forms import ONCE_FIELD
from twinning.templatetags import quick_forms

from .conftest import endorsed, make_ready

pytestmark = pytest.mark.django_db


def same_markup(html: str) -> str:
    """The page as a browser reads it: whitespace collapsed, and the values that change with
    every rendering (the CSRF token, a form's once-only token) left out."""
    html = re.sub(rf'(name="(csrfmiddlewaretoken|{ONCE_FIELD})" value=")[^"]*"', r'\1"', html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def pages(world):
    partnership = make_ready(world, endorsed(world))
    services.partnership_activate(partnership=partnership, actor=world.officer_a)
    base = f"/partnerships/{partnership.pk}"
    yield from (
        f"/partnerships/propose/{world.a.slug}/",
        f"/sections/{world.a.slug}/edit/",
        f"/sections/{world.a.slug}/readiness/",
        "/accounts/profile/",
        *(f"{base}/plan/{kind}/add/" for kind in ("goal", "objective", "activity", "indicator", "funding")),
        f"{base}/communications/add/",
        f"{base}/conflicts/add/",
        f"{base}/exchanges/add/",
        f"{base}/finances/support/add/",
        f"{base}/lessons/new/",
        f"{base}/evaluation/midterm/",
    )


def test_every_form_page_reads_the_same_with_the_quick_fields(client, world, monkeypatch):
    client.force_login(world.officer_a)
    for path in pages(world):
        quick = client.get(path)
        assert quick.status_code == 200, path
        with monkeypatch.context() as crispy_only:
            crispy_only.setattr(quick_forms, "_plain", lambda bound: False)
            crispy = client.get(path)
        assert same_markup(quick.content.decode()) == same_markup(crispy.content.decode()), path


def test_a_form_sent_back_with_errors_reads_the_same(client, world, monkeypatch):
    client.force_login(world.officer_a)
    path = f"/partnerships/propose/{world.a.slug}/"
    data = {"title": "", "start_date": "2026-02-31", "partner": "no-such-section", "purpose": "<b>"}
    quick = client.post(path, data)
    assert "is-invalid" in quick.content.decode()
    monkeypatch.setattr(quick_forms, "_plain", lambda bound: False)
    crispy = client.post(path, data)
    assert same_markup(quick.content.decode()) == same_markup(crispy.content.decode())
