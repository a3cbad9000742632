"""The shared agreement and each side's signatory.

The agreement binds every side, so one side's officer proposes a change
(`agreement_record`) and each other side's officer confirms it
(`agreement_change_confirm`), as the co-signed evaluation is confirmed by each side: only
the last confirmation changes the partnership. The other side may decline it, and the
proposing side may withdraw it while it waits. Who signed for a section is that section's
own record (`signatory_record`): its officers change it alone, and the other side is told.

Every service locks the partnership's row first, then checks: a transition or another
answer committed a moment ago is seen. Each change is kept (the AgreementChange row, or
the participant's history) and tells the other side through the one mail path.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sections.models import Section
from twinning.uploads import delete_on_commit, discard_file

from .. import notifications
from ..models import AgreementChange, AgreementConfirmation, Participant, Partnership
from ..permissions import PartnershipAccess
from .plan import _lock_editable as _lock
from .uploads import upload_store


def _lock_change(actor, change: AgreementChange) -> tuple[Partnership, PartnershipAccess, AgreementChange]:
    partnership, access = _lock(actor, change.partnership)
    change = AgreementChange.objects.select_for_update().get(pk=change.pk)
    change.partnership = partnership
    if not change.is_pending:
        raise ValidationError(
            _("This change was already %(state)s.") % {"state": change.get_state_display().lower()},
            code="answered",
        )
    return partnership, access, change


def _validate(partnership: Partnership, *, kind: str, signed_on, planned_end_date, document) -> None:
    if kind not in {choice for choice, _label in Partnership.AgreementKind.choices if choice}:
        raise ValidationError({"kind": [_("Choose verbal or written.")]})
    if kind == Partnership.AgreementKind.WRITTEN and not (document or partnership.agreement_document):
        raise ValidationError({"document": [_("Upload the signed agreement (PDF or image).")]})
    if signed_on and signed_on > timezone.localdate():
        raise ValidationError({"signed_on": [_("The signing date cannot be in the future.")]})
    if planned_end_date != partnership.planned_end_date:
        # A planned end that is already past describes nothing the partners can still plan.
        if planned_end_date < timezone.localdate():
            raise ValidationError({"planned_end_date": [_("The planned end cannot be in the past.")]})
        if planned_end_date <= partnership.start_date:
            raise ValidationError({"planned_end_date": [_("The planned end must come after the start.")]})


@transaction.atomic
def agreement_record(
    *,
    partnership: Partnership,
    actor,
    kind: str,
    signed_on: datetime.date | None,
    document=None,
    planned_end_date: datetime.date | None = None,
    section: Section | None = None,
) -> AgreementChange | None:
    """`actor` proposes, for `section` (the side they act for; the proposing section when
    they act for several), that the agreement say this: verbal, or written with the signed
    document (a new one, or the one it has), the signing date and, when given, the planned
    end (a partnership whose end has passed is not activated, so this is where the partners
    move it). Nothing changes until every other side confirms. Returns the change waiting
    for them, or None when it says what the agreement already says."""
    partnership, access = _lock(actor, partnership)
    if not access.may_propose_agreement:
        raise ValidationError(_("Send the proposal first: the agreement is recorded with the partner."))
    if section is None:
        acting = sorted(access.acting)
        section_id = partnership.proposing_section_id if partnership.proposing_section_id in acting else acting[0]
    else:
        section_id = section.pk
        if not access.acts_for(section_id):
            raise PermissionDenied(_("Only officers of %(section)s can propose for it.") % {"section": section})
    planned_end_date = planned_end_date or partnership.planned_end_date
    _validate(partnership, kind=kind, signed_on=signed_on, planned_end_date=planned_end_date, document=document)
    if kind == Partnership.AgreementKind.VERBAL:
        # A verbal agreement has no signed document: none is proposed, and the old one goes.
        document = None
    unchanged = (
        (kind, signed_on, planned_end_date)
        == (partnership.agreement_kind, partnership.agreement_signed_on, partnership.planned_end_date)
        and not document
        and not (kind == Partnership.AgreementKind.VERBAL and partnership.agreement_document)
    )
    if unchanged:
        return None
    waiting = partnership.agreement_changes.filter(state=AgreementChange.State.PENDING).first()
    if waiting is not None:
        raise ValidationError(
            _("A change proposed by %(section)s is waiting for an answer: answer or withdraw it first.")
            % {"section": waiting.proposed_by_section}
        )
    change = AgreementChange(
        partnership=partnership,
        proposed_by_section_id=section_id,
        proposed_by=actor,
        kind=kind,
        signed_on=signed_on,
        planned_end_date=planned_end_date,
        kind_before=partnership.agreement_kind,
        signed_on_before=partnership.agreement_signed_on,
        planned_end_date_before=partnership.planned_end_date,
        document_before=partnership.agreement_document.name if partnership.agreement_document else "",
    )
    if document:
        upload_store(
            partnership=partnership, actor=actor, instance=change, field="document",
            upload=document, error_field="document",
        )
    change.full_clean()
    change.save()
    notifications.agreement_change_event(change, "proposed")
    return change


def _apply(partnership: Partnership, change: AgreementChange) -> None:
    """The agreement says what `change` says. Each confirmed change keeps its document, the
    versions of the agreement; a document uploaded before agreements changed this way belongs
    to no change, and is deleted once it is replaced."""
    old_name = partnership.agreement_document.name or ""
    if old_name and not AgreementChange.objects.filter(document=old_name).exists():
        delete_on_commit(partnership, "agreement_document", old_name)
    partnership.agreement_kind = change.kind
    partnership.agreement_signed_on = change.signed_on
    partnership.planned_end_date = change.planned_end_date
    if change.kind == Partnership.AgreementKind.VERBAL:
        partnership.agreement_document = ""
    elif change.document:
        # The partnership points at the file the partners confirmed; the change keeps it too.
        partnership.agreement_document.name = change.document.name
    partnership.full_clean()
    partnership.save(update_fields=[
        "agreement_kind", "agreement_signed_on", "agreement_document", "planned_end_date", "updated_at",
    ])


def _close(change: AgreementChange, state: str, actor, comment: str = "") -> None:
    change.state = state
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.comment = comment
    if state != AgreementChange.State.CONFIRMED and change.document:
        # A proposed document nobody adopted is not kept (the change says one was proposed).
        discard_file(change, "document")
    change.save(update_fields=["state", "decided_by", "decided_at", "comment", "document"])


@transaction.atomic
def agreement_change_confirm(*, change: AgreementChange, actor) -> AgreementChange:
    """`actor` confirms the change for every side they may answer for; once every side but
    the proposing one has confirmed, the agreement says what the change says."""
    partnership, access, change = _lock_change(actor, change)
    sections = access.change_sections_to_answer(change)
    if not sections:
        raise PermissionDenied(
            _("Only an officer of the other side, not the one who proposed it, confirms this change.")
        )
    for section_id in sorted(sections):
        try:
            with transaction.atomic():
                AgreementConfirmation.objects.create(change=change, section_id=section_id, confirmed_by=actor)
        except IntegrityError:
            continue
    others = set(partnership.participants.exclude(section_id=change.proposed_by_section_id).values_list(
        "section_id", flat=True
    ))
    confirmed = set(change.confirmations.values_list("section_id", flat=True))
    if others <= confirmed:
        _apply(partnership, change)
        _close(change, AgreementChange.State.CONFIRMED, actor)
        notifications.agreement_change_event(change, "confirmed")
    return change


@transaction.atomic
def agreement_change_decline(*, change: AgreementChange, actor, comment: str = "") -> AgreementChange:
    """The other side says no: the agreement stays as it is, and the proposing side is told why."""
    _partnership, access, change = _lock_change(actor, change)
    if not access.change_sections_to_answer(change):
        raise PermissionDenied(_("Only an officer of the other side, not the one who proposed it, declines this change."))
    _close(change, AgreementChange.State.DECLINED, actor, comment)
    notifications.agreement_change_event(change, "declined")
    return change


@transaction.atomic
def agreement_change_withdraw(*, change: AgreementChange, actor) -> AgreementChange:
    _partnership, access, change = _lock_change(actor, change)
    if not access.may_withdraw_change(change):
        raise PermissionDenied(_("Only officers of the proposing side withdraw this change."))
    _close(change, AgreementChange.State.WITHDRAWN, actor)
    notifications.agreement_change_event(change, "withdrawn")
    return change


@transaction.atomic
def signatory_record(*, partnership: Partnership, actor, section: Section, signed_by: str) -> Participant:
    """Who agreed or signed for `section`: that section's own officers say so, and the other
    side is told. Kept in the participant's history (who, when, before and after)."""
    partnership, access = _lock(actor, partnership)
    if not access.may_change_side(section.pk):
        raise PermissionDenied(_("Only officers of %(section)s say who signed for it.") % {"section": section})
    participant = partnership.participants.select_for_update().get(section=section)
    before = participant.signed_by
    if before == signed_by:
        return participant
    participant.signed_by = signed_by
    participant._history_user = actor
    participant.full_clean()
    participant.save(update_fields=["signed_by"])
    notifications.side_changed(
        partnership, section=section, actor=actor, what=_("who signed for it"), before=before, after=signed_by
    )
    return participant
