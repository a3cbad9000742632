"""What the browser journeys do as a person would: log in and out, find a field by its label."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from twinning.tests.factories import PASSWORD


def log_in(page: Page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()


def field(page: Page, label: str):
    """A form field by its whole label; crispy-forms marks required ones with an asterisk."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def pick_section(page: Page, label: str, typed: str, section_name: str) -> None:
    """Type part of a section's name into a typed section field and pick the section from the
    suggestions with the keyboard, as a person would (static/js/section-autocomplete.js)."""
    box = page.get_by_role("combobox", name=re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
    box.fill(typed)
    option = page.get_by_role("option", name=re.compile(rf"^{re.escape(section_name)} \("))
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = page.get_by_role("option")
    for _index in range(options.count()):
        box.press("ArrowDown")
        active = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
        if active.get_attribute("data-label").startswith(f"{section_name} ("):
            break
    box.press("Enter")
    expect(box).to_have_value(re.compile(rf"^{re.escape(section_name)} \("))
    expect(box).to_have_attribute("aria-expanded", "false")


def tab_to(page: Page, target, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as a keyboard user moves through
    a page; fails if it never does (it cannot be reached with the keyboard)."""
    key = "Shift+Tab" if backwards else "Tab"
    for _press in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} was not reached with {key} in {limit} presses")


def expect_accessible_chart(figure, *, title: str, x_label: str, y_label: str) -> None:
    """A chart as every reader gets it: its title, the drawing as an image with a text
    alternative, both axes labelled, and the table of its numbers (opened from its summary
    with the keyboard when it is folded away)."""
    expect(figure.locator("figcaption")).to_contain_text(title)
    drawing = figure.get_by_role("img")
    expect(drawing).to_have_count(1)
    expect(drawing).to_have_accessible_name(re.compile(rf"{re.escape(title)}.*\d", re.IGNORECASE | re.DOTALL))
    expect(figure.locator("svg [data-axis=x]")).to_have_text(x_label)
    expect(figure.locator("svg [data-axis=y]")).to_have_text(y_label)
    folded = figure.locator("details:not([open]) > summary")
    if folded.count():
        folded.focus()
        folded.press("Enter")
    table = figure.get_by_role("table")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader").first).to_be_visible()
    assert table.locator("tbody tr").count() >= 1
