"""What a proposal says about each chosen form of twinning (models/intents.py), written by
partnership_propose in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from sections.models import TwinningForm

from ..models import FormIntent, Partnership
from ..models.intents import COLUMNS, question_name

SECTION_COLUMNS = ("host_section", "giver", "formative_section")
EMPTY = {
    "host_section": None, "both_ways": False, "length": "", "learning": "",
    "giver": None, "amount": None, "currency": "", "giver_gains": "",
    "formative_section": None, "first_milestones": "",
}


def intents_record(*, partnership: Partnership, forms: Iterable[TwinningForm], intents: Iterable[FormIntent]) -> list[FormIntent]:
    """Save the intents of the partnership's chosen `forms`; those of other forms are dropped,
    and each keeps only its own form's columns. The caller holds the transaction: a
    ValidationError (keyed by the proposal form's field names) undoes the whole proposal."""
    chosen = {form.pk: form for form in forms}
    section_ids = set(partnership.participants.values_list("section_id", flat=True))
    errors: dict[str, list] = {}
    saved = []
    for intent in intents:
        form = chosen.get(intent.form_id)
        if form is None:
            continue
        own = COLUMNS.get(form.code, ())
        for column, empty in EMPTY.items():
            if column not in own:
                setattr(intent, column, empty)
        intent.partnership = partnership
        intent.form = form
        for column in SECTION_COLUMNS:
            if getattr(intent, f"{column}_id") not in (None, *section_ids):
                errors.setdefault(question_name(form.code, column), []).append(
                    _("Choose one of the partnership's sections.")
                )
        try:
            intent.full_clean(exclude=["partnership"])
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                key = question_name(form.code, column) if column in own else NON_FIELD_ERRORS
                errors.setdefault(key, []).extend(messages)
            continue
        saved.append(intent)
    if errors:
        raise ValidationError(errors)
    for intent in saved:
        intent.save()
    return saved
