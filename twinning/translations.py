"""Reference data that admins edit (forms of twinning, interests, readiness dimensions and
questions, challenge categories) in the reader's language.

A model with `Translatable` keeps its words in English in its own fields, and in
`translations` its words in the site's other languages: {"es": {"name": "…"}, "fr": {…}}.
`record.translated.name` is the name in the language of the page (or of the mail) being
written, and English where no translation was given; `str(record)` is its translated name,
so a form's options and a page's `{{ record }}` follow the reader too. The admin edits the
translations as one field per language beside the English (`TranslationsForm`)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _


def other_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def local_name(code: str) -> str:
    """A language named in itself, as a reader who cannot read the page finds theirs:
    "Español", "Français"."""
    return capfirst(get_language_info(code)["name_local"])


def is_site_language(code: str) -> bool:
    """Whether `code` is one of the site's languages (settings.LANGUAGES)."""
    return code in {language for language, _name in settings.LANGUAGES}


def in_language(field: str, english: str, translations: dict | None) -> str:
    """`field`'s words in the current language from a record's `translations`, else
    `english`: for a query that reads values, not records."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return ((translations or {}).get(language) or {}).get(field) or english


class _Translated:
    """A record's translated fields as attributes, for templates: `{{ form.translated.name }}`."""

    __slots__ = ("_record",)

    def __init__(self, record: Translatable):
        self._record = record

    def __getattr__(self, field: str) -> str:
        record = self._record
        if field not in record.TRANSLATED_FIELDS:
            raise AttributeError(field)
        return in_language(field, getattr(record, field), record.translations)


class Translatable(models.Model):
    # The fields whose words are translated; the first is what str() shows.
    TRANSLATED_FIELDS: tuple[str, ...] = ("name",)

    # Edited through the admin's one field per language (translations_form), not as JSON.
    translations = models.JSONField(
        _("translations"), default=dict, blank=True, editable=False,
        help_text=_("The words in the site's other languages; English is shown where one is missing."),
    )

    class Meta:
        abstract = True

    @property
    def translated(self) -> _Translated:
        return _Translated(self)

    def __str__(self) -> str:
        return getattr(self.translated, self.TRANSLATED_FIELDS[0])


def translation_field_name(field: str, language: str) -> str:
    return f"{field}__{language}"


class TranslationsForm(forms.ModelForm):
    """An admin form for a Translatable model: beside each translated field, one field per
    other language (`translations_form` declares them), kept in `translations`. An empty one
    removes that translation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        saved = self.instance.translations or {}
        for field in self._meta.model.TRANSLATED_FIELDS:
            for language in other_languages():
                self.fields[translation_field_name(field, language)].initial = (saved.get(language) or {}).get(field, "")

    def clean(self):
        cleaned = super().clean()
        translations: dict[str, dict[str, str]] = {}
        for language in other_languages():
            words = {
                field: value.strip() for field in self._meta.model.TRANSLATED_FIELDS
                if (value := cleaned.get(translation_field_name(field, language)) or "").strip()
            }
            if words:
                translations[language] = words
        self.instance.translations = translations
        return cleaned


def translations_form(model, base: type[forms.ModelForm] = TranslationsForm) -> type[forms.ModelForm]:
    """`base` with a field per translated field and other language, labelled with the
    English field's name and the language named in itself."""
    declared = {}
    for field in model.TRANSLATED_FIELDS:
        english = model._meta.get_field(field)
        for language in other_languages():
            widget = forms.Textarea(attrs={"rows": 2}) if isinstance(english, models.TextField) else forms.TextInput()
            widget.attrs["lang"] = language
            declared[translation_field_name(field, language)] = forms.CharField(
                label=f"{english.verbose_name} ({local_name(language)})",
                required=False, max_length=getattr(english, "max_length", None), widget=widget,
            )
    return type(f"{model.__name__}TranslationsForm", (base,), declared)
