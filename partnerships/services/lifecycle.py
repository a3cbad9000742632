"""The partnership's life as a state machine (partnerships/transitions.py describes each
change). Every change of status goes through `_move`, under a row lock taken before any
check, and leaves one Transition row saying who, when and why. Apps above hear of
activation and resumption through partnerships.signals, in the same transaction.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from sections.models import District, Section, TwinningForm
from sections.permissions import officer_section_ids
from sections.selectors import coordinators_of_districts, sections_without_officers
from twinning import submissions
from twinning.uploads import file_exists

from .. import notifications
from ..models import Endorsement, Exchange, FormIntent, Participant, Partnership, Status, Transition
from ..models.partnership import COMMITTED_STATUSES, OPEN_STATUSES
from ..permissions import access_for
from ..selectors import sections_led
from ..signals import partnership_activated, partnership_closed, partnership_closing, partnership_resumed
from ..transitions import TRANSITIONS
from .intents import intents_record
from .load import open_partnerships_recount


ENDORSED_ALREADY = _lazy("Your district's endorsement is already recorded; there is nothing more to endorse.")


class TransitionRefused(Exception):
    """A change the partnership's state does not allow; the message says why.

    A change the user's role does not allow raises PermissionDenied instead."""


def _lock(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _check(partnership: Partnership, action: str) -> None:
    if partnership.status not in TRANSITIONS[action].sources:
        raise TransitionRefused(
            _("This partnership is %(status)s, so it cannot be %(action)s now.")
            % {"status": partnership.get_status_display().lower(), "action": TRANSITIONS[action].past}
        )


def _move(partnership: Partnership, action: str, *, actor, reason: str = "") -> Partnership:
    """Record the transition `action` on a partnership that the caller has locked."""
    _check(partnership, action)
    target = TRANSITIONS[action].target
    Transition.objects.create(
        partnership=partnership, from_status=partnership.status, to_status=target, actor=actor, reason=reason
    )
    claims_room = partnership.status in COMMITTED_STATUSES
    partnership.status = target
    if target == Status.ACTIVE:
        # Reporting runs from the activation, and from each resumption after a pause.
        partnership.schedule_from = timezone.localdate()
    partnership.save(update_fields=["status", "end_reason", "schedule_from", "updated_at"])
    if claims_room != (target in COMMITTED_STATUSES):
        # Sent, or closed: its sections' stored count of partnerships under way changes.
        open_partnerships_recount(section_ids=partnership.participants.values_list("section_id", flat=True))
    return partnership


def _require_role(actor, partnership: Partnership, action: str) -> None:
    """The role check, on the locked partnership: the rule the pages ask too
    (PartnershipAccess.may_attempt), so a button shows exactly when the service accepts."""
    if not access_for(actor, partnership).may_attempt(action):
        raise PermissionDenied(TRANSITIONS[action].refusal)


def open_partner_conflicts(section: Section, partners: Iterable[Section]) -> list[Section]:
    """Partners with which `section` already runs an open partnership."""
    partner_ids = [partner.pk for partner in partners]
    busy = Participant.objects.filter(
        section_id__in=partner_ids,
        partnership__status__in=OPEN_STATUSES,
        partnership__participants__section=section,
    ).values_list("section_id", flat=True)
    busy_ids = set(busy)
    return [partner for partner in partners if partner.pk in busy_ids]


@transaction.atomic
def partnership_propose(
    *,
    actor,
    proposing_section: Section,
    partner_sections: list[Section],
    title: str,
    purpose: str,
    forms: Iterable[TwinningForm],
    start_date: datetime.date,
    planned_end_date: datetime.date,
    gives: dict[int, str],
    gains: dict[int, str],
    exploratory: bool = False,
    facilitator_kind: str = "",
    facilitator_district: District | None = None,
    facilitator_section: Section | None = None,
    facilitator_name: str = "",
    submit: bool = True,
    once: uuid.UUID | None = None,
    intents: Iterable[FormIntent] = (),
) -> Partnership:
    """Create a partnership between `proposing_section` and its partners: a draft, or
    (with `submit`) a proposal that the partners are asked to accept. `once` is the form's
    token (twinning.submissions): a proposal sent twice is made once. `intents` (unsaved)
    say what the proposal means by each chosen form; those of forms not chosen are dropped."""
    forms = list(forms)
    if proposing_section.pk not in officer_section_ids(actor):
        raise PermissionDenied(_("Only officers of %(section)s can propose for it.") % {"section": proposing_section})
    # Before the check for an open partnership below, which the first sending's would fail.
    claimed = submissions.claim(once, user=actor)
    # Two proposals naming the same sections at once would both pass the open-partnership
    # check below; locking the sections (in one order, so no deadlock) serialises them.
    list(
        Section.objects.select_for_update()
        .filter(pk__in=[proposing_section.pk, *(partner.pk for partner in partner_sections)])
        .order_by("pk")
    )
    errors: dict[str, list[str]] = {}
    if not partner_sections:
        errors.setdefault("partner", []).append(_("Choose the partner section."))
    if any(partner.pk == proposing_section.pk for partner in partner_sections):
        errors.setdefault("partner", []).append(_("A section cannot twin with itself."))
    if len({partner.pk for partner in partner_sections}) != len(partner_sections):
        errors.setdefault("partner", []).append(_("Each partner section can be named once."))
    busy = open_partner_conflicts(proposing_section, partner_sections)
    if busy:
        errors.setdefault("partner", []).append(
            _("%(section)s already has an open partnership with %(partners)s.")
            % {"section": proposing_section, "partners": ", ".join(str(s) for s in busy)}
        )
    if submit:
        # A draft is its author's sketch: it may name a section whose officers are not in yet.
        for refusal in _no_one_to_answer(partner_sections):
            errors.setdefault("partner", []).append(refusal)
    if errors:
        raise ValidationError(errors)

    partnership = Partnership(
        title=title,
        purpose=purpose,
        start_date=start_date,
        planned_end_date=planned_end_date,
        exploratory=exploratory,
        proposing_section=proposing_section,
        proposed_by=actor,
        facilitator_kind=facilitator_kind,
        facilitator_district=facilitator_district if facilitator_kind == "district" else None,
        facilitator_section=facilitator_section if facilitator_kind == "section" else None,
        facilitator_name=facilitator_name if facilitator_kind == "external" else "",
    )
    partnership.full_clean()
    partnership.save()
    submissions.record(claimed, partnership)
    partnership.forms.set(forms)
    Transition.objects.create(partnership=partnership, to_status=Status.DRAFT, actor=actor)
    now = timezone.now()
    for section in [proposing_section, *partner_sections]:
        proposer = section.pk == proposing_section.pk
        Participant.objects.create(
            partnership=partnership,
            section=section,
            gives=gives.get(section.pk, ""),
            gains=gains.get(section.pk, ""),
            response=Participant.Response.ACCEPTED if proposer else Participant.Response.PENDING,
            responded_by=actor if proposer else None,
            responded_at=now if proposer else None,
        )
    intents_record(partnership=partnership, forms=forms, intents=intents)
    if submit:
        partnership = partnership_submit(partnership=partnership, actor=actor)
    return partnership


def _no_one_to_answer(sections: Iterable[Section]) -> list[str]:
    """Why a proposal cannot go to these sections: one with no officer in office has nobody
    to read or answer it. Each refusal names who answers for its district (its coordinators,
    or the society admins where it has none), who can help it find officers."""
    sections = list(sections)
    unstaffed = sections_without_officers(section.pk for section in sections)
    if not unstaffed:
        return []
    answering = coordinators_of_districts({section.district_id for section in sections if section.pk in unstaffed})
    refusals = []
    for section in sections:
        if section.pk not in unstaffed:
            continue
        people = sorted(answering.get(section.district_id, ()), key=lambda user: (user.full_name, user.email))
        contacts = ", ".join(f"{user.full_name or user.email} ({user.email})" for user in people) or _(
            "the society's admins"
        )
        refusals.append(
            _("%(section)s has no officer in office, so nobody there could answer a proposal. "
              "Contact its district coordinator: %(contacts)s.") % {"section": section, "contacts": contacts}
        )
    return refusals


@transaction.atomic
def partnership_submit(*, partnership: Partnership, actor) -> Partnership:
    partnership = _lock(partnership)
    _require_role(actor, partnership, "submit")
    partners = [
        participant.section
        for participant in partnership.participants.select_related("section")
        if participant.section_id != partnership.proposing_section_id
    ]
    refusals = _no_one_to_answer(partners)
    if refusals:
        raise TransitionRefused(" ".join(refusals))
    _move(partnership, "submit", actor=actor)
    notifications.partnership_event(partnership, "proposed")
    return partnership


def _pending_participant(partnership: Partnership, actor, section: Section) -> Participant:
    access = access_for(actor, partnership)
    if not access.acts_for(section.pk):
        raise PermissionDenied(_("Only officers of %(section)s can answer for it.") % {"section": section})
    if access.is_proposer:
        # Someone holding offices on both sides would otherwise agree with themselves.
        raise PermissionDenied(
            _("You proposed this partnership, so another officer of %(section)s answers it.") % {"section": section}
        )
    participant = partnership.participants.select_for_update().get(section=section)
    if participant.response != Participant.Response.PENDING:
        raise TransitionRefused(
            _("%(section)s has already answered this proposal.") % {"section": section}
        )
    return participant


@transaction.atomic
def partnership_accept(
    *,
    partnership: Partnership,
    section: Section,
    actor,
    comment: str = "",
    gives: str | None = None,
    gains: str | None = None,
) -> Partnership:
    """`section` accepts; once every invited section has, the proposal is accepted."""
    # The partnership's row lock serialises answers, so the last acceptance sees all others.
    partnership = _lock(partnership)
    _check(partnership, "accept")
    participant = _pending_participant(partnership, actor, section)
    participant.response = Participant.Response.ACCEPTED
    participant.responded_by = actor
    participant.responded_at = timezone.now()
    participant.response_comment = comment
    if gives is not None:
        participant.gives = gives
    if gains is not None:
        participant.gains = gains
    participant._history_user = actor
    participant.save()
    still_pending = partnership.participants.exclude(response=Participant.Response.ACCEPTED).exists()
    if not still_pending:
        _move(partnership, "accept", actor=actor, reason=comment)
        notifications.partnership_event(partnership, "accepted")
        notifications.partnership_event(partnership, "needs_endorsement")
    return partnership


@transaction.atomic
def partnership_decline(*, partnership: Partnership, section: Section, actor, comment: str = "") -> Partnership:
    partnership = _lock(partnership)
    _check(partnership, "decline")
    participant = _pending_participant(partnership, actor, section)
    participant.response = Participant.Response.DECLINED
    participant.responded_by = actor
    participant.responded_at = timezone.now()
    participant.response_comment = comment
    participant._history_user = actor
    participant.save()
    _move(partnership, "decline", actor=actor, reason=comment)
    notifications.partnership_event(partnership, "declined")
    return partnership


@transaction.atomic
def partnership_withdraw(*, partnership: Partnership, actor, reason: str = "") -> Partnership:
    partnership = _lock(partnership)
    _require_role(actor, partnership, "withdraw")
    was_sent = partnership.status != Status.DRAFT
    _move(partnership, "withdraw", actor=actor, reason=reason)
    if was_sent:
        # A draft was never sent: nobody but its own section knew of it.
        notifications.partnership_event(partnership, "withdrawn")
    return partnership


@transaction.atomic
def partnership_endorse(*, partnership: Partnership, actor, comment: str = "") -> Partnership:
    """Endorse for every participating district `actor` may speak for; once every district
    has endorsed, the partnership is endorsed."""
    partnership = _lock(partnership)
    access = access_for(actor, partnership)
    if not access.endorsable_district_ids and access.endorsed_district_ids:
        # Sent twice (a double click, another tab), or a colleague of the district was quicker.
        raise TransitionRefused(ENDORSED_ALREADY)
    _check(partnership, "endorse")
    districts = access.endorsable_district_ids
    if not districts:
        raise PermissionDenied(TRANSITIONS["endorse"].refusal)
    for district_id in sorted(districts):
        try:
            with transaction.atomic():
                Endorsement.objects.create(
                    partnership=partnership, district_id=district_id, endorsed_by=actor, comment=comment
                )
        except IntegrityError:
            # Endorsed a moment ago by another coordinator of the same district.
            continue
    required = set(partnership.participants.values_list("section__district_id", flat=True))
    endorsed = set(partnership.endorsements.values_list("district_id", flat=True))
    if required <= endorsed:
        _move(partnership, "endorse", actor=actor, reason=comment)
        notifications.partnership_event(partnership, "endorsed")
    return partnership


def activation_gaps(partnership: Partnership, today: datetime.date | None = None) -> list[str]:
    """What still stands between an endorsed partnership and its activation, in words."""
    gaps = []
    today = today or timezone.localdate()
    if partnership.planned_end_date < today:
        gaps.append(
            _("The planned end date (%(end)s) has passed: move it to a date still to come "
              "(Agreement → Record the agreement), as agreed with the partner.")
            % {"end": date_format(partnership.planned_end_date)}
        )
    participants = list(partnership.participants.select_related("section"))
    for participant in participants:
        if not participant.gains.strip():
            gaps.append(
                _("%(section)s gains nothing yet: twinning must benefit both sides. Say what it gains.")
                % {"section": participant.section}
            )
    led = sections_led(partnership=partnership)
    for participant in participants:
        if participant.section_id not in led:
            gaps.append(_("Name a lead for %(section)s.") % {"section": participant.section})
    if not partnership.goals.exists():
        gaps.append(_("Add at least one goal to the work plan."))
    activities = partnership.activities.all()
    if not activities.exists():
        gaps.append(_("Add at least one activity to the work plan (activities belong to an objective of a goal)."))
    budget = activities.aggregate(total=Sum("budget"))["total"] or Decimal("0")
    financial = partnership.forms.filter(code=TwinningForm.Code.FINANCIAL_SUPPORT).exists()
    if (financial or budget > 0) and not partnership.funding_lines.exists():
        gaps.append(_("Add the funding: each line confirmed, or pending with the date a decision is expected."))
    if not partnership.agreement_kind:
        gaps.append(_("Record the agreement: verbal, or written with the signed document."))
    elif partnership.agreement_kind == Partnership.AgreementKind.WRITTEN and not partnership.agreement_document:
        gaps.append(_("Upload the signed agreement."))
    elif partnership.agreement_kind == Partnership.AgreementKind.WRITTEN and not file_exists(partnership.agreement_document):
        # The database names a file the storage no longer holds: nobody could read the agreement.
        gaps.append(_("The signed agreement's document is missing from the site's storage: upload it again."))
    growing = any(form.code == TwinningForm.Code.GROWING_SECTION for form in partnership.forms.all())
    if growing and not partnership.growth_milestones.exists():
        gaps.append(_("Add at least one growth milestone for the formative section (Growing the section → Add a milestone)."))
    exchange_forms = (TwinningForm.Code.STUDENT_EXCHANGE, TwinningForm.Code.TECHNICAL_EXCHANGE)
    if partnership.forms.filter(code__in=exchange_forms).exists() and not partnership.exchanges.exclude(
        status=Exchange.Status.CANCELLED
    ).exists():
        gaps.append(_("Plan at least one exchange (Exchanges → Plan an exchange): who hosts, who sends, and when."))
    if financial and not partnership.support_agreements.exists():
        gaps.append(_("Add the support agreement: who gives, who receives, how much, and what the giver gains in return."))
    return gaps


@transaction.atomic
def partnership_activate(*, partnership: Partnership, actor, cadence: int | None = None) -> Partnership:
    """Start the partnership; its reporting schedule runs from today at `cadence` (months
    per period), or at the cadence it has when none is given."""
    partnership = _lock(partnership)
    _require_role(actor, partnership, "activate")
    _check(partnership, "activate")
    gaps = activation_gaps(partnership)
    if gaps:
        raise TransitionRefused(_("Not ready to activate: %(gaps)s") % {"gaps": " ".join(gaps)})
    if cadence is not None:
        if cadence not in Partnership.Cadence.values:
            raise ValidationError({"cadence": [_("Choose monthly, quarterly or half-yearly.")]})
        partnership.cadence = cadence
        partnership.save(update_fields=["cadence"])
    _move(partnership, "activate", actor=actor)
    partnership_activated.send(sender=Partnership, partnership=partnership, on=partnership.schedule_from)
    notifications.partnership_event(partnership, "activated")
    return partnership


def _officer_transition(partnership: Partnership, action: str, event: str, *, actor, reason: str) -> Partnership:
    """A change the running partnership's officers make (suspend, resume, complete, end)."""
    partnership = _lock(partnership)
    _require_role(actor, partnership, action)
    required = TRANSITIONS[action].note_required
    if required and not reason.strip():
        raise ValidationError({"reason": [required]})
    closing = action in ("complete", "end")
    if closing:
        _check(partnership, action)
        gaps = [
            gap
            for _receiver, answer in partnership_closing.send(
                sender=Partnership, partnership=partnership, action=action, actor=actor
            )
            for gap in answer or ()
        ]
        if gaps:
            raise TransitionRefused(
                _("Not ready to be %(action)s: %(gaps)s")
                % {"action": TRANSITIONS[action].past, "gaps": " ".join(str(gap) for gap in gaps)}
            )
    if action == "end":
        partnership.end_reason = reason
    _move(partnership, action, actor=actor, reason=reason)
    if closing:
        partnership_closed.send(sender=Partnership, partnership=partnership, action=action, actor=actor)
    notifications.partnership_event(partnership, event)
    return partnership


@transaction.atomic
def partnership_suspend(*, partnership: Partnership, actor, reason: str) -> Partnership:
    return _officer_transition(partnership, "suspend", "suspended", actor=actor, reason=reason)


@transaction.atomic
def partnership_resume(*, partnership: Partnership, actor, reason: str = "") -> Partnership:
    """Resume: the schedule restarts from today (see `_move`); the apps that keep a schedule
    hear when the pause began, to move what it interrupted."""
    partnership = _officer_transition(partnership, "resume", "resumed", actor=actor, reason=reason)
    suspension = (
        partnership.transitions.filter(to_status=Status.SUSPENDED).order_by("-at", "-pk").only("at").first()
    )
    partnership_resumed.send(
        sender=Partnership,
        partnership=partnership,
        suspended_on=timezone.localdate(suspension.at) if suspension else partnership.schedule_from,
        resumed_on=partnership.schedule_from,
    )
    return partnership


@transaction.atomic
def partnership_complete(*, partnership: Partnership, actor, reason: str = "") -> Partnership:
    return _officer_transition(partnership, "complete", "completed", actor=actor, reason=reason)


@transaction.atomic
def partnership_end(*, partnership: Partnership, actor, reason: str) -> Partnership:
    """End early: a reason is required."""
    return _officer_transition(partnership, "end", "ended", actor=actor, reason=reason)
