"""Every string of the site is marked for translation and translated in every language.

- each catalog (locale/<code>/LC_MESSAGES/django.po) has no untranslated and no fuzzy entry,
  and msgfmt accepts it;
- the catalogs hold every marked string of the source: `make messages` run over a copy of the
  source finds no string the catalogs lack (a new string fails here until it is translated);
- no template writes text, or a title, placeholder or label for assistive technology, outside
  {% translate %} / {% blocktranslate %};
- no template writes a date in a format of its own: the language's formats (twinning/formats)
  are the only ones, so one page shows its dates one way.
The pages themselves are read in a second language in test_pages_in_a_second_language.py."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
SKIP_DIRS = {".venv", ".git", "var", "node_modules", "__pycache__", "tests", "locale"}


def catalog(code: str) -> Path:
    return ROOT / "locale" / code / "LC_MESSAGES" / "django.po"


def templates() -> list[Path]:
    found = []
    for path in ROOT.rglob("templates/**/*"):
        if path.suffix in {".html", ".txt"} and not SKIP_DIRS & set(path.relative_to(ROOT).parts):
            found.append(path)
    return sorted(found)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_entry_of_the_catalog_is_translated_and_none_is_fuzzy(code):
    entries = [entry for entry in polib.pofile(str(catalog(code))) if not entry.obsolete]
    untranslated = [entry.msgid for entry in entries if not entry.translated()]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    assert len(entries) > 2000
    assert not untranslated, f"{len(untranslated)} untranslated in {code}, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {code}, e.g. {fuzzy[:5]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed (CI installs it)")
@pytest.mark.parametrize("code", LANGUAGES)
def test_msgfmt_accepts_the_catalog_with_its_placeholders(code):
    # -c: each translation keeps its msgid's %(name)s placeholders and its leading and trailing
    # newlines, and the plural forms the header declares.
    result = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(catalog(code))], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr, result.stderr


def _copy_of_the_source(target: Path) -> None:
    def ignore(directory, names):
        return [name for name in names if name in {".venv", ".git", "var", "node_modules", "__pycache__"}
                or name.endswith((".mo", ".sqlite3"))]
    shutil.copytree(ROOT, target, ignore=ignore)


def _msgids(path: Path) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(path)) if not entry.obsolete}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext's xgettext is not installed (CI installs it)")
def test_the_catalogs_hold_every_marked_string_of_the_source(tmp_path):
    copy = tmp_path / "source"
    _copy_of_the_source(copy)
    # The Makefile's own options (MESSAGE_ARGS), in the copy: its settings put the catalogs there.
    options = re.search(r"^MESSAGE_ARGS := (.*)$", (ROOT / "Makefile").read_text(), re.MULTILINE)[1]
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *shlex.split(options), *(f"--locale={code}" for code in LANGUAGES)],
        cwd=copy, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    for code in LANGUAGES:
        wanted = _msgids(copy / "locale" / code / "LC_MESSAGES" / "django.po")
        have = _msgids(catalog(code))
        new, gone = wanted - have, have - wanted
        assert not new, f"strings not in locale/{code} (run make messages and translate): {sorted(new)[:5]}"
        assert not gone, f"strings in locale/{code} the source no longer has (run make messages): {sorted(gone)[:5]}"


# A template's text with every tag, variable and comment taken out: what it writes itself.
HOLE = "\x00"
ATTRIBUTES_READ_BY_PEOPLE = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
WORD = re.compile(r"[^\W\d_]{2,}")
ENTITY = re.compile(r"&[a-zA-Z]+;|&#x?[0-9a-fA-F]+;")


def own_text(source: str) -> str:
    """The template's literal text outside {% blocktranslate %}: variables become HOLE, block
    tags a space, comments and {% verbatim %} nothing."""
    out, translating, skipping = [], 0, None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.COMMENT:
            continue
        name = token.contents.split()[0] if token.token_type == TokenType.BLOCK and token.contents.split() else ""
        if skipping:
            skipping = None if name == skipping else skipping
            continue
        if name in {"comment", "verbatim"}:
            skipping = f"end{name}"
        elif name in {"blocktranslate", "blocktrans"}:
            translating += 1
        elif name in {"endblocktranslate", "endblocktrans"}:
            translating -= 1
        if token.token_type == TokenType.TEXT and not translating:
            out.append(token.contents)
        else:
            out.append(" " if token.token_type == TokenType.BLOCK else HOLE)
    # A tag whose name a variable chooses (<{{ heading }} ...>) is still a tag.
    return re.sub(r"<(/?)[\s\x00]+\w*", r"<\1x ", "".join(out))


class _Words(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found: list[str] = []
        self.raw: str | None = None

    def _words(self, text: str) -> str:
        text = ENTITY.sub(" ", text.replace(HOLE, " "))
        return " ".join(text.split())[:80] if WORD.search(text) else ""

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.raw = tag
        for name, value in attrs:
            if name in ATTRIBUTES_READ_BY_PEOPLE and value and (words := self._words(value)):
                self.found.append(f'{name}="{words}"')

    def handle_endtag(self, tag):
        if tag == self.raw:
            self.raw = None

    def handle_data(self, data):
        if not self.raw and (words := self._words(data)):
            self.found.append(words)


def unmarked_text(path: Path) -> list[str]:
    text = own_text(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":  # mail's plain text and subjects: every word is read
        parser = _Words()
        words = parser._words(text)
        return [words] if words else []
    parser = _Words()
    parser.feed(text)
    return parser.found


def test_no_template_writes_text_outside_translate_tags():
    found = {str(path.relative_to(ROOT)): words for path in templates() if (words := unmarked_text(path))}
    assert len(templates()) > 150
    assert not found, f"text not marked for translation: {found}"


def test_the_check_finds_text_left_unmarked():
    # The check above is only as good as what it finds.
    assert unmarked_text_of('{% load i18n %}<p>{% translate "Saved" %}</p><p>Saved</p>') == ["Saved"]
    assert unmarked_text_of('<input placeholder="Search" value="{{ q }}">') == ['placeholder="Search"']
    assert unmarked_text_of('{% blocktranslate %}Hello {{ name }}{% endblocktranslate %} &middot; {{ x }}') == []
    assert unmarked_text_of('<{{ tag }} class="a" id="b-{{ pk }}">{% comment %}Not shown{% endcomment %}</{{ tag }}>') == []


def unmarked_text_of(source: str) -> list[str]:
    parser = _Words()
    parser.feed(own_text(source))
    return parser.found


# |date:"j M Y": a format of the template's own. Named formats (DATE_FORMAT, ...) are the
# language's; ISO ("Y-m-d", "c") is allowed only in an attribute a machine reads.
OWN_FORMAT = re.compile(r"""\|(?:date|time):(["'])(?P<format>[^"']*)\1""")
MACHINE_ATTRIBUTE = re.compile(r"""\b(?:value|min|max|datetime|data-[\w-]+)=["'][^"']*$""")


def own_formats(source: str) -> list[str]:
    found = []
    for match in OWN_FORMAT.finditer(source):
        format_ = match["format"]
        if re.fullmatch(r"[A-Z_]+", format_):
            continue
        if format_ in {"Y-m-d", "c"} and MACHINE_ATTRIBUTE.search(source[:match.start()].rsplit("<", 1)[-1]):
            continue
        found.append(match.group(0))
    return found


def test_no_template_writes_a_date_in_a_format_of_its_own():
    found = {str(path.relative_to(ROOT)): formats for path in templates()
             if (formats := own_formats(path.read_text(encoding="utf-8")))}
    assert not found, f"dates in a template's own format, not the language's: {found}"
    assert own_formats('<td>{{ day|date:"j M Y" }}</td>') == ['|date:"j M Y"']
    assert own_formats('<input type="date" value="{{ day|date:\'Y-m-d\' }}">{{ day|date:"DATE_FORMAT" }}') == []


def test_every_field_a_form_shows_has_a_label_marked_for_translation():
    # A field without a verbose_name takes its label from its name ("decided_by" → "Decided
    # by"): the same English in every language, in the admin's change forms.
    from django.apps import apps
    from django.utils.functional import Promise

    ours = {"twinning", "sections", "partnerships", "evaluation", "recognition", "web"}
    unmarked = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models() if model._meta.app_label in ours and not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False) and not field.auto_created and getattr(field, "editable", True)
        and not isinstance(field.verbose_name, Promise)
    ]
    assert not unmarked, f"fields whose label no one can translate: {unmarked}"
