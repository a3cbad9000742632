"""The accessibility check of the browser journeys (twinning/tests/axe.py) fails a page with a
violation, naming the rule, the page and the element: a check that passed everything would
pass the journeys too."""

from __future__ import annotations

import pytest

from twinning.tests.axe import AxeWatch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_WITH_AN_IMAGE_WITHOUT_TEXT = (
    '<!doctype html><html lang="en"><head><title>Photos</title></head>'
    '<body><main><h1>Photos</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="team"></main></body></html>'
)


def serve(body: str):
    """A route handler answering with the page `body` (one argument: Playwright would pass a
    handler of two the request as well)."""
    return lambda route: route.fulfill(status=200, content_type="text/html", body=body)


def what_the_check_says(browser, live_server, pages: dict[str, str], **window) -> str:
    """Visit `pages` (path: HTML) in order in a fresh watched context, and return what the
    watch says at the end of the test: "" when every page passed. The pages are served by
    routes of the context registered before the watch's, so that the watch's runs first and
    holds each navigation until the page it leaves is checked, as it does on the live server."""
    context = browser.new_context(base_url=live_server.url, **window)
    for path, body in pages.items():
        context.route(f"**{path}", serve(body))
    watch = AxeWatch(context)
    watch.install()
    tab = context.new_page()
    try:
        for path in pages:
            tab.goto(path)
        try:
            watch.finish()
        except AssertionError as failed:
            assert str(failed) == watch.message() != ""
            return str(failed)
        return ""
    finally:
        context.close()


def test_a_violation_on_a_visited_page_fails_the_test_with_the_rule_and_the_element(browser, live_server):
    message = what_the_check_says(browser, live_server, {"/photos/": PAGE_WITH_AN_IMAGE_WITHOUT_TEXT})

    assert "- image-alt (critical)" in message
    assert "page: /photos/" in message
    assert "html: <img src=\"data:image/gif" in message and "element: img" in message


def test_a_page_without_a_violation_passes(browser, live_server):
    mended = PAGE_WITH_AN_IMAGE_WITHOUT_TEXT.replace('class="team"', 'class="team" alt="The team in Delft"')
    assert what_the_check_says(browser, live_server, {"/photos/": mended}) == ""


PAGE_WITH_A_WIDE_TABLE = (
    '<!doctype html><html lang="en"><head><title>Reports</title></head>'
    '<body><main><h1>Reports</h1><table class="reports"><tr><td style="min-width: 900px">Q1</td></tr></table>'
    '<div style="overflow-x: auto"><p style="width: 900px">Scrolls in its own box</p></div></main></body></html>'
)


def test_a_page_wider_than_a_phone_fails_the_test_naming_what_widens_it(browser, live_server):
    fitting = PAGE_WITH_A_WIDE_TABLE.replace("min-width: 900px", "min-width: 90px")
    message = what_the_check_says(
        browser, live_server, {"/fitting/": fitting, "/reports/": PAGE_WITH_A_WIDE_TABLE},
        viewport={"width": 390, "height": 844},
    )

    assert "Accessibility" not in message
    lines = message.splitlines()
    assert lines[0] == "Pages that scroll sideways:"
    # The page that fits is not named; the wide one is, on arrival and as the test left it, by
    # its widest element, which is not the paragraph inside its own scrolling box.
    assert [line.split(":")[0] for line in lines[1:]] == ["- /reports/ (on arrival)", "- /reports/ (at the end of the test)"]
    assert all("px wide in a 390 px window; widest: table.reports" in line and "Q1" in line for line in lines[1:]), message
