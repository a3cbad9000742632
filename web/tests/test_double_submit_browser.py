"""A double click on a form's button sends the form once, and the form's buttons are disabled
once it is on its way (static/js/send-once.js); whatever still gets through twice is saved
once (twinning.submissions). In a real browser, under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from partnerships.models import Conflict, Goal
from partnerships.tests.conftest import endorsed, propose
from twinning.tests.browser import field, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_second_click_while_the_first_is_on_its_way_adds_no_second_goal(page: Page, world):
    partnership = endorsed(world)
    log_in(page, world.officer_a.email)
    page.goto(f"/partnerships/{partnership.pk}/plan/goal/add/")
    # A slow server: each POST the browser sends is held until both clicks are done.
    held = []
    page.route(
        "**/plan/goal/add/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    field(page, "Title").fill("Grow student membership")
    save = page.get_by_role("button", name="Save")

    # A second click a moment after the first, while the first is on its way.
    disabled = save.evaluate(
        """button => new Promise(resolve => {
            button.click();
            window.setTimeout(() => {
                const disabled = button.disabled;
                button.click();
                resolve(disabled);
            }, 100);
        })"""
    )
    page.wait_for_timeout(300)
    sent = len(held)
    for route in held:
        try:
            route.continue_()
        except Exception:  # noqa: BLE001 - a request the browser gave up for a newer one
            pass

    expect(page.get_by_text("The plan was saved.")).to_be_visible()
    assert disabled is True
    assert sent == 1
    assert list(Goal.objects.filter(partnership=partnership).values_list("title", flat=True)) == [
        "Grow student membership"
    ]


def test_the_buttons_are_disabled_once_the_form_is_sent(page: Page, world):
    partnership = endorsed(world)
    log_in(page, world.officer_a.email)
    page.goto(f"/partnerships/{partnership.pk}/conflicts/add/")
    field(page, "Raised for section").select_option(label="Alpha Section")
    field(page, "What the disagreement is about").fill("Who pays the bus.")
    button = page.get_by_role("button", name="Record the conflict")

    # Two clicks in one go, then a look at the button before the next page arrives.
    disabled = button.evaluate(
        """button => new Promise(resolve => {
            button.click();
            button.click();
            window.setTimeout(() => resolve(button.disabled), 0);
        })"""
    )

    assert disabled is True
    expect(page.get_by_text("The conflict log was updated.")).to_be_visible()
    assert Conflict.objects.filter(partnership=partnership).count() == 1


def test_a_form_with_two_buttons_still_says_which_was_pressed(page: Page, world):
    # The buttons are disabled after the submit, not during it: a disabled button's name would
    # not be sent, and Decline would be taken for Accept.
    partnership = propose(world)
    log_in(page, world.officer_b.email)
    page.goto(f"/partnerships/{partnership.pk}/answer/")

    page.get_by_role("button", name="Decline").click()

    expect(page.get_by_text("You declined the proposal.")).to_be_visible()
