"""Every page carries a Content-Security-Policy that allows only our own scripts and styles,
so no template may need an inline one."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from twinning.templatetags.bars import bar_width
from web.tests.inline_code import inline_code

POLICY = {
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
}
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _browser_template(path: Path) -> bool:
    """Mail is read in mail clients, which want inline styles; the PDFs are drawn by WeasyPrint
    on the server. Neither is a page a browser loads under the policy."""
    relative = path.relative_to(TEMPLATES)
    return not (
        "email" in relative.parts or relative.name.endswith("_email.html") or relative.stem.endswith("_pdf")
    )


def test_no_template_needs_an_inline_script_or_style():
    found = {
        str(path.relative_to(TEMPLATES)): inline
        for path in sorted(TEMPLATES.rglob("*.html"))
        if _browser_template(path) and (inline := inline_code(path.read_text()))
    }
    assert found == {}


@pytest.mark.parametrize("html", [
    '<div style="width: 5%">', "<script>alert(1)</script>", "<style>p {}</style>",
    '<button onclick="go()">', '<svg><rect style="fill: red"/></svg>',
])
def test_the_scan_finds_inline_code(html):
    assert inline_code(html)


@pytest.mark.parametrize("html", [
    '<script src="/static/x.js"></script>', '<svg><rect fill="red" stroke="#000"/></svg>',
    '<script id="d" type="application/json">{}</script>', '<a data-once="x" class="onward">',
])
def test_the_scan_allows_what_the_policy_allows(html):
    assert inline_code(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/password_reset/", "/no-such-page/"])
def test_pages_carry_the_policy(client, url):
    response = client.get(url)
    # django-csp writes the directives in no fixed order.
    assert set(response["Content-Security-Policy"].split("; ")) == POLICY


@pytest.mark.parametrize(("value", "css_class"), [
    (0, "bar-0"), (42.4, "bar-42"), (99.6, "bar-100"), (250, "bar-100"), (-3, "bar-0"),
    (None, "bar-0"), ("n/a", "bar-0"), (float("nan"), "bar-0"), (float("inf"), "bar-0"),
])
def test_bar_width_is_a_class_within_0_and_100(value, css_class):
    assert bar_width(value) == css_class


def test_every_bar_width_has_its_rule_in_site_css():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    assert all(f".bar-{n} {{ width: {n}%; }}" in css for n in range(101))
