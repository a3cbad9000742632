"""A reader picks their language in the footer, in a real browser: a visitor's choice holds for
their visit and the login form, a signed-in officer's is kept on their profile and follows them
to another device."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from twinning.models import User
from twinning.tests.browser import assert_no_sideways_scroll, log_in
from twinning.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The footer's switcher, named in the page's language.
SWITCHER = re.compile(r"^(Language|Idioma|Langue)$")


def switch_to(page: Page, language: str) -> None:
    page.get_by_role("form", name=SWITCHER).get_by_role("button", name=language).click()


@pytest.mark.on_a_phone_too
def test_a_reader_switches_the_site_to_their_language_and_it_follows_them(page: Page, world, browser, live_server):
    officer = world.officer_a
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # A visitor: the page comes back in Spanish, and so does the next one.
    switch_to(page, "Español")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("link", name="Iniciar sesión").first).to_be_visible()
    # The language in use is named, not offered.
    expect(page.get_by_role("form", name="Idioma").get_by_role("button", name="Español")).to_have_count(0)
    page.get_by_role("link", name="Iniciar sesión").first.click()
    page.get_by_label("Dirección de email").fill(officer.email)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    # The officer has not chosen a language yet: the visit's stays.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hola, {officer.get_short_name()}")
    assert User.objects.get(pk=officer.pk).language == ""

    # Signed in, the choice is kept on their profile.
    switch_to(page, "Français")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bienvenue, {officer.get_short_name()}")
    assert User.objects.get(pk=officer.pk).language == "fr"

    # On another device, with no cookie of this one, the site opens in French at once.
    other = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        phone = other.new_page()
        phone.goto("/accounts/login/")
        expect(phone.locator("html")).to_have_attribute("lang", "en")
        phone.get_by_label("Email address").fill(officer.email)
        phone.get_by_label("Password").fill(PASSWORD)
        phone.get_by_role("button", name="Log in").click()
        expect(phone.get_by_role("heading", level=1)).to_have_text(f"Bienvenue, {officer.get_short_name()}")
    finally:
        other.close()


def test_the_navigation_fits_every_width_in_every_language(page: Page, world):
    """The unfolded navigation is longest for a society admin (the Admin link) with a long
    name; in French or Spanish it is longer still. From the width where it unfolds (768 px) to
    a laptop's, it wraps rather than widen the page."""
    staff = world.staff
    staff.full_name = "Maria Fernanda Albuquerque de Vasconcelos"
    staff.save()
    log_in(page, staff.email)
    for language, _name in settings.LANGUAGES:
        User.objects.filter(pk=staff.pk).update(language=language)
        for width in (768, 900, 1024, 1280):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto("/")
            expect(page.locator("html")).to_have_attribute("lang", language)
            # Unfolded: its last link shows without the menu button.
            expect(page.locator("header .navbar-toggler")).to_be_hidden()
            expect(page.locator('#main-nav form[action$="/logout/"] button')).to_be_visible()
            assert_no_sideways_scroll(page)
