"""What the browser journeys do as a person would: log in and out, find a field by its label."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from twinning.tests.factories import PASSWORD


# Below Bootstrap's md breakpoint (navbar-expand-md in base.html) the navigation folds into its
# menu button; below lg (site.css) a list's filters fold behind their "Filter" button.
MENU_FOLDS_BELOW = 768
FILTERS_FOLD_BELOW = 992
_OPEN = re.compile(r"\bshow\b")
_MOVING_OR_OPEN = re.compile(r"\b(show|collapsing)\b")


def _narrower_than(page: Page, width: int) -> bool:
    return (page.viewport_size or {"width": 1280})["width"] < width


def _unfold(page: Page, toggler, panel) -> None:
    """Click a collapse's toggler, as a person would, and wait until its panel has finished
    opening: a click on a field or a button still sliding into place may miss it."""
    expect(toggler).to_be_visible()
    if toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(panel).to_have_class(_OPEN)
    expect(panel).not_to_have_class(re.compile(r"\bcollapsing\b"))


# The navigation's parts by what they are rather than by their words, so that a journey of a
# reader in another language signs in and out with the same steps.
def _menu_toggler(page: Page):
    return page.locator("header .navbar-toggler")


def _log_out_button(page: Page):
    return page.locator('form[action$="/logout/"] button[type=submit]')


def open_menu(page: Page) -> None:
    """On a small screen the navigation sits behind its menu button: open it, as a person
    would. The window's width decides, not whether the button shows yet: on a page still
    loading, it may not. On a wide screen this does nothing."""
    if _narrower_than(page, MENU_FOLDS_BELOW):
        _unfold(page, _menu_toggler(page), page.locator("#main-nav"))


def close_menu(page: Page) -> None:
    """Close the small screen's open menu again, so that it no longer covers the page."""
    if _narrower_than(page, MENU_FOLDS_BELOW):
        toggler = _menu_toggler(page)
        expect(toggler).to_be_visible()
        if toggler.get_attribute("aria-expanded") == "true":
            toggler.click()
        expect(page.locator("#main-nav")).not_to_have_class(_MOVING_OR_OPEN)


def go_by_menu(page: Page, link: str) -> None:
    """Follow a link of the main navigation, opening its menu first where the window folds it."""
    open_menu(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()


def open_filters(page: Page) -> None:
    """On a small screen a list's filters sit behind their "Filter (n)" button: open them and
    wait until they are in place. On a wide screen they are always open."""
    if _narrower_than(page, FILTERS_FOLD_BELOW):
        _unfold(page, page.locator(".filter-toggle"), page.locator("#filter-panel"))


def log_in(page: Page, email: str) -> None:
    """Sign in from the login page, which a visitor reads in English unless they chose another
    language; the signed-in pages may then be in the user's own."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(_log_out_button(page)).to_be_attached()
    open_menu(page)
    expect(_log_out_button(page)).to_be_visible()
    close_menu(page)


def log_out(page: Page) -> None:
    open_menu(page)
    _log_out_button(page).click()
    # On the next page, signed out: only there is the menu to open again.
    expect(_log_out_button(page)).to_have_count(0)
    open_menu(page)
    expect(page.locator('#main-nav a[href$="/accounts/login/"]')).to_be_visible()
    close_menu(page)


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


# The element reaching furthest right past the window's edge, outside any container that scrolls
# or clips it: the one that makes the page scroll sideways.
WIDEST_ELEMENT_JS = """() => {
  // Clipped by a container that scrolls or hides what overflows it; an element positioned
  // absolutely escapes every such container that is not itself positioned.
  const clipped = (element) => {
    let absolute = ["absolute", "fixed"].includes(getComputedStyle(element).position);
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      const positioned = style.position !== "static";
      if (style.overflowX !== "visible" && (!absolute || positioned)) return true;
      if (absolute && positioned) absolute = style.position === "absolute" || style.position === "fixed";
    }
    return false;
  };
  let widest = null, right = window.innerWidth;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right > right && !clipped(element)) { right = box.right; widest = element; }
  }
  if (!widest) return "none found";
  const classes = typeof widest.className === "string" && widest.className.trim()
    ? "." + widest.className.trim().split(/\\s+/).join(".") : "";
  const name = widest.tagName.toLowerCase() + (widest.id ? "#" + widest.id : "") + classes;
  return `${name} (right edge at ${Math.round(right)} px): ${(widest.textContent || "").trim().slice(0, 80)}`;
}"""


def assert_no_sideways_scroll(page: Page) -> None:
    """The page fits the window's width: nothing makes it scroll sideways (a wide table scrolls
    inside its own container instead). The message names the page and its widest element."""
    scroll_width, window_width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > window_width:
        widest = page.evaluate(WIDEST_ELEMENT_JS)
        raise AssertionError(
            f"{page.url} scrolls sideways: {scroll_width} px wide in a {window_width} px window; widest: {widest}"
        )


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
