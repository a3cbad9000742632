"""Every page of the site, for every role, read in Spanish: no text of ours is left in English.

The pages are the benchmark's (devtools/pages.py: every GET pattern of the URLconf with real
ids per role) over small synthetic data, each user with Spanish as their preferred language.
Each piece of text a page shows (and each title, placeholder, label or button value) is
compared with the English strings of the catalog: one still in English means a string that
was translated too early (gettext at import time, not gettext_lazy), stored in the language of
whoever wrote it, or never looked up. The text of the data itself (names, titles) is not ours,
nor is a piece of text marked as in another language (the switcher names each language in
itself: <button lang="en">English</button>).
Reference data that admins edit (forms of twinning, readiness dimensions and questions,
interests, challenge categories) is read too: its words come from its translations
(twinning/translations.py), the working languages' names from Django's own catalogs."""

from __future__ import annotations

from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.test import Client

from devtools.pages import scopes, site_pages
from devtools.tests.helpers import seed_30

LANGUAGE = "es"
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "label"}


def english_left(catalog: polib.POFile) -> dict[str, str]:
    """Our English strings whose Spanish differs, by their English: a page showing one is
    showing it untranslated. A Spanish word spelt like an English string is not one."""
    translated = {entry.msgstr for entry in catalog if entry.msgstr}
    return {
        entry.msgid: entry.msgstr for entry in catalog
        if entry.msgstr and entry.msgstr != entry.msgid and entry.msgid not in translated
        and "%" not in entry.msgid and any(letter.isalpha() for letter in entry.msgid)
    }


class Texts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self.raw = False
        self.other_language: str | None = None

    def handle_starttag(self, tag, attrs):
        self.raw = tag in {"script", "style"}
        if tag != "html" and dict(attrs).get("lang") not in (None, LANGUAGE):
            self.other_language = tag
            return
        # A button's value is its caption; a text box's is what the reader typed.
        is_a_button = tag == "input" and dict(attrs).get("type") in {"submit", "button", "reset"}
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (name == "value" and is_a_button)):
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        self.raw = False
        if tag == self.other_language:
            self.other_language = None

    def handle_data(self, data):
        if not self.raw and not self.other_language and data.strip():
            self.texts.append(" ".join(data.split()))


def texts_of(html: str) -> list[str]:
    parser = Texts()
    parser.feed(html)
    return parser.texts


@pytest.mark.django_db
def test_every_page_for_every_role_is_in_the_users_language():
    seed_30()
    english = english_left(polib.pofile(str(settings.BASE_DIR / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po")))
    roles = scopes()
    clients = {}
    for role, scope in roles.items():
        scope.user.language = LANGUAGE
        scope.user.save(update_fields=["language"])
        clients[role] = Client()
        clients[role].force_login(scope.user)
    clients["anonymous"] = Client(headers={"accept-language": LANGUAGE})
    targets, _skipped = site_pages(roles)
    assert len(targets) > 150

    left, read = {}, 0
    for target in targets:
        response = clients[target.role].get(target.path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        assert response["Content-Language"] == LANGUAGE, target
        read += 1
        found = sorted({text for text in texts_of(response.content.decode()) if text in english})
        if found:
            left[f"{target.role} {target.path}"] = found
    assert read > 100
    assert not left, f"English left on {len(left)} pages in {LANGUAGE}: {left}"


def test_the_check_sees_an_english_string_and_passes_a_spanish_one():
    catalog = polib.POFile()
    for msgid, msgstr in [("Save", "Guardar"), ("Total", "Total"), ("Plan", "Plan de trabajo"), ("Work plan", "Plan")]:
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    english = english_left(catalog)
    # "Total" is the same in both; "Plan" is Spanish for "Work plan", so seeing it proves nothing.
    assert set(english) == {"Save", "Work plan"}
    page = '<p>Guardar</p><input type="submit" value="Save"><input name="q" value="Work plan"><p>Plan</p>'
    assert [text for text in texts_of(page) if text in english] == ["Save"]

