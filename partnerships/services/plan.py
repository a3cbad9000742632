"""Writes to what the partners run together: give and take, leads, work plan, logs (the
agreement is partnerships/services/agreement.py).

The plan stays editable while the partnership is open, active included (partners
adjust as they learn); every plan change is kept in its history with who made it.
What belongs to one side (its give and take, its leads, the conflicts it raised) is
changed by that side's officers only; each such change is kept in the history and tells
the other side.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from sections.models import Officer, Section
from twinning import submissions

from .. import notifications
from ..models import (
    Activity,
    CommunicationEntry,
    Conflict,
    FundingLine,
    Goal,
    HandoverNote,
    Indicator,
    Lead,
    Objective,
    Participant,
    Partnership,
)
from ..models.partnership import RUNNING_STATUSES
from ..permissions import PartnershipAccess, access_for
from ..selectors import sections_led
from .handover import lead_vacancies_resolve

PLAN_MODELS = (Goal, Objective, Activity, Indicator, FundingLine)


def _lock_editable(actor, partnership: Partnership) -> tuple[Partnership, PartnershipAccess]:
    """Lock the partnership, then check that `actor` may change its record: a transition
    committed a moment ago (activation, completion) is seen, not the caller's older copy."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    access = access_for(actor, partnership)
    if not access.may_manage:
        raise PermissionDenied(_("Only officers of a participating section can change this."))
    if not partnership.is_open:
        raise ValidationError(
            _("This partnership is %(status)s; its record can no longer change.")
            % {"status": partnership.get_status_display().lower()}
        )
    return partnership, access


def _participating_section_ids(partnership: Partnership) -> set[int]:
    return set(partnership.participants.values_list("section_id", flat=True))


@transaction.atomic
def plan_item_save(
    *, partnership: Partnership, actor, item: models.Model, once: uuid.UUID | None = None
) -> models.Model:
    """Create or change one plan item (goal, objective, activity, indicator, funding line);
    `once` is the form's token (twinning.submissions): a form sent twice saves once."""
    if not isinstance(item, PLAN_MODELS):
        raise TypeError(f"{type(item).__name__} is not part of a work plan")
    partnership, _access = _lock_editable(actor, partnership)
    claimed = submissions.claim(once, user=actor)
    parent = getattr(item, "goal", None) or getattr(item, "objective", None)
    if parent is not None and parent.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    item.partnership = partnership
    if isinstance(item, Activity):
        if item.owning_section_id not in _participating_section_ids(partnership):
            raise ValidationError({"owning_section": [_("Choose one of the participating sections.")]})
        if item.status == Activity.Status.DONE:
            # Done is all of it, whatever the percent field was left at.
            item.percent_complete = 100
    item._history_user = actor
    item.full_clean()
    item.save()
    submissions.record(claimed, item)
    return item


@transaction.atomic
def plan_item_delete(*, partnership: Partnership, actor, item: models.Model) -> None:
    if not isinstance(item, PLAN_MODELS) or item.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    _lock_editable(actor, partnership)
    item._history_user = actor
    item.delete()


# simple_history keeps a change reason of at most this many characters.
CHANGE_REASON_LENGTH = 100
# What a progress report moves on an activity.
PROGRESS_FIELDS = ("status", "percent_complete")


@transaction.atomic
def activity_progress_record(
    *, partnership: Partnership, actor, progress: dict[int, tuple[str, int | None]], reason: str
) -> list[Activity]:
    """Set activities' status and % complete from what their owning section reported
    (status, percent or None), each change kept in the plan's history under `reason`, which
    names the report. Returns the activities that changed.

    A report that gives no percent leaves the percent as it was, except that a done
    activity is complete."""
    partnership, access = _lock_editable(actor, partnership)
    activities = list(partnership.activities.select_for_update().filter(pk__in=progress).order_by("pk"))
    if len(activities) != len(progress):
        raise ValidationError(_("That belongs to another partnership."))
    changed = []
    for activity in activities:
        if not access.acts_for(activity.owning_section_id):
            raise PermissionDenied(
                _("Only %(section)s reports how its activity goes.") % {"section": activity.owning_section}
            )
        status, percent = progress[activity.pk]
        if percent is None:
            percent = 100 if status == Activity.Status.DONE else activity.percent_complete
        if (activity.status, activity.percent_complete) == (status, percent):
            continue
        activity.status, activity.percent_complete = status, percent
        activity._history_user = actor
        activity._change_reason = Truncator(reason).chars(CHANGE_REASON_LENGTH)
        # Only what changed is checked: the rest of the row was checked when the plan was saved.
        activity.clean_fields(exclude=[f.name for f in Activity._meta.fields if f.name not in PROGRESS_FIELDS])
        activity.save(update_fields=PROGRESS_FIELDS)
        changed.append(activity)
    return changed


@transaction.atomic
def participant_give_take_update(*, participant: Participant, actor, gives: str, gains: str) -> Participant:
    """A section states what it gives and what it expects to gain."""
    partnership, access = _lock_editable(actor, participant.partnership)
    if not access.may_change_side(participant.section_id):
        raise PermissionDenied(_("Only the section's own officers state its give and take."))
    participant = partnership.participants.select_for_update().select_related("section").get(pk=participant.pk)
    before = (participant.gives, participant.gains)
    if before == (gives, gains):
        return participant
    participant.gives = gives
    participant.gains = gains
    participant._history_user = actor
    participant.save(update_fields=["gives", "gains"])
    notifications.side_changed(
        partnership, section=participant.section, actor=actor, what=_("its give and take"),
        before=_("gives: %(gives)s; gains: %(gains)s") % {"gives": before[0], "gains": before[1]},
        after=_("gives: %(gives)s; gains: %(gains)s") % {"gives": gives, "gains": gains},
    )
    return participant


def _require_side(access: PartnershipAccess, section: Section, refusal: str) -> None:
    if not access.may_change_side(section.pk):
        raise PermissionDenied(refusal % {"section": section})


@transaction.atomic
def lead_add(*, partnership: Partnership, actor, section: Section, user) -> Lead:
    """`section`'s officers name one of its officers to lead for it; the other side is told."""
    partnership, access = _lock_editable(actor, partnership)
    if section.pk not in _participating_section_ids(partnership):
        raise ValidationError({"section": [_("Choose one of the participating sections.")]})
    _require_side(access, section, _("Only officers of %(section)s name its leads."))
    holds_office = Officer.objects.open_now().filter(section=section, user=user).exists()
    if not holds_office:
        raise ValidationError(
            {"user": [_("%(user)s holds no office in %(section)s.") % {"user": user, "section": section}]}
        )
    lead = Lead.objects.filter(partnership=partnership, section=section, user=user).first()
    if lead is not None:
        lead_vacancies_resolve(partnership=partnership, section=section, actor=actor)
        return lead
    lead = Lead(partnership=partnership, section=section, user=user)
    lead._history_user = actor
    lead.save()
    lead_vacancies_resolve(partnership=partnership, section=section, actor=actor)
    notifications.side_changed(
        partnership, section=section, actor=actor, what=_("its leads"), before="", after=user.full_name or user.email
    )
    return lead


@transaction.atomic
def handover_note_write(*, partnership: Partnership, actor, section: Section, text: str) -> HandoverNote | None:
    """An officer of `section` (the outgoing lead, or anyone of that side) leaves a note for
    whoever takes over the side; an empty text takes the note away."""
    partnership, access = _lock_editable(actor, partnership)
    if section.pk not in {participant.section_id for participant in partnership.participants.all()}:
        raise ValidationError({"section": [_("Choose one of the participating sections.")]})
    _require_side(access, section, _("Only officers of %(section)s write its handover note."))
    text = text.strip()
    if not text:
        HandoverNote.objects.filter(partnership=partnership, section=section).delete()
        return None
    note = HandoverNote.objects.filter(partnership=partnership, section=section).first() or HandoverNote(
        partnership=partnership, section=section
    )
    note.text = text
    note.written_by = actor
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def lead_remove(*, partnership: Partnership, actor, lead: Lead) -> None:
    """Remove a lead. A running partnership keeps a lead in office for every section: the
    last one is replaced, not removed (activation checks the same under the same lock)."""
    partnership, access = _lock_editable(actor, partnership)
    if lead.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    _require_side(access, lead.section, _("Only officers of %(section)s remove its leads."))
    if partnership.status in RUNNING_STATUSES and lead.section_id not in sections_led(
        partnership=partnership, without=lead
    ):
        raise ValidationError(
                _("%(section)s needs a lead while the partnership runs: name another lead first, then remove this one.")
                % {"section": lead.section}
            )
    lead._history_user = actor
    lead.delete()
    notifications.side_changed(
        partnership, section=lead.section, actor=actor, what=_("its leads"),
        before=lead.user.full_name or lead.user.email, after="",
    )


@transaction.atomic
def cadence_change(*, partnership: Partnership, actor, cadence: int) -> Partnership:
    """Change how often each side reports. Periods already scheduled keep their dates;
    the schedule is anchored again on the day after the last of them, so the next period
    made runs at the new cadence from there."""
    partnership, _access = _lock_editable(actor, partnership)
    if cadence not in Partnership.Cadence.values:
        raise ValidationError({"cadence": [_("Choose monthly, quarterly or half-yearly.")]})
    partnership.cadence = cadence
    last_end = partnership.periods.aggregate(last=models.Max("ends_on"))["last"]
    if last_end is not None:
        partnership.schedule_from = last_end + datetime.timedelta(days=1)
    partnership.save(update_fields=["cadence", "schedule_from", "updated_at"])
    return partnership


@transaction.atomic
def communication_add(
    *, partnership: Partnership, actor, entry: CommunicationEntry, once: uuid.UUID | None = None
) -> CommunicationEntry:
    partnership, _access = _lock_editable(actor, partnership)
    claimed = submissions.claim(once, user=actor)
    entry.partnership = partnership
    entry.recorded_by = actor
    entry.full_clean()
    entry.save()
    submissions.record(claimed, entry)
    return entry


@transaction.atomic
def conflict_raise(*, partnership: Partnership, actor, conflict: Conflict, once: uuid.UUID | None = None) -> Conflict:
    partnership, access = _lock_editable(actor, partnership)
    claimed = submissions.claim(once, user=actor)
    if not access.acts_for(conflict.raised_for_id):
        raise ValidationError({"raised_for": [_("Raise it for a section you hold office in.")]})
    conflict.partnership = partnership
    conflict.raised_by = actor
    conflict._history_user = actor
    if conflict.mediator:
        conflict.status = Conflict.Status.MEDIATING
    conflict.full_clean()
    conflict.save()
    submissions.record(claimed, conflict)
    if conflict.mediator:
        notifications.mediation_requested(conflict)
    return conflict


@transaction.atomic
def conflict_update(*, conflict: Conflict, actor, status: str, resolution: str, mediator: str) -> Conflict:
    """The section that raised the conflict moves it on (mediation, resolution); the other
    side is told, and every step is kept in the conflict's history."""
    partnership, access = _lock_editable(actor, conflict.partnership)
    locked = Conflict.objects.select_for_update().select_related("raised_for").get(pk=conflict.pk)
    if locked.partnership_id != partnership.pk:
        raise ValidationError(_("That belongs to another partnership."))
    _require_side(access, locked.raised_for, _("Only officers of %(section)s update the conflict it raised."))
    asked_now = mediator and mediator != locked.mediator
    before = locked.get_status_display()
    locked.status = status
    locked.resolution = resolution
    locked.mediator = mediator
    locked.resolved_at = timezone.now() if status == Conflict.Status.RESOLVED else None
    locked._history_user = actor
    locked.full_clean()
    locked.save()
    if asked_now:
        notifications.mediation_requested(locked)
    notifications.side_changed(
        partnership, section=locked.raised_for, actor=actor, what=_("the conflict it raised"),
        before=before, after=locked.get_status_display(),
    )
    return locked
