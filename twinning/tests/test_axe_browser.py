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


def test_a_violation_on_a_visited_page_fails_the_test_with_the_rule_and_the_element(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    watch = AxeWatch(context)
    watch.install()
    tab = context.new_page()
    tab.route("**/photos/", lambda route: route.fulfill(status=200, content_type="text/html",
                                                        body=PAGE_WITH_AN_IMAGE_WITHOUT_TEXT))
    try:
        tab.goto("/photos/")
        with pytest.raises(AssertionError) as failed:
            watch.finish()
    finally:
        context.close()

    message = str(failed.value)
    assert "- image-alt (critical)" in message
    assert "page: /photos/" in message
    assert "html: <img src=\"data:image/gif" in message and "element: img" in message


def test_a_page_without_a_violation_passes(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    watch = AxeWatch(context)
    watch.install()
    tab = context.new_page()
    tab.route("**/photos/", lambda route: route.fulfill(
        status=200, content_type="text/html",
        body=PAGE_WITH_AN_IMAGE_WITHOUT_TEXT.replace('class="team"', 'class="team" alt="The team in Delft"'),
    ))
    try:
        tab.goto("/photos/")
        watch.finish()
        assert watch.message() == ""
    finally:
        context.close()
