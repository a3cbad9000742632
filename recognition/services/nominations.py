"""Section performance award nominations: a section's officers draft and submit one a year,
the district's coordinators forward it to the society or return it with a comment, society
admins decide. Every step locks the nomination first, then checks the state and the actor's
role, records a NominationStep and mails the people who act next.

A step the nomination's state does not allow raises NominationRefused (its message is shown
to the user); a step the actor's role does not allow raises PermissionDenied.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sections.models import DistrictCoordinator, Officer, Section
from sections.permissions import coordinated_district_ids, is_society_admin, officer_section_ids

from twinning import mail

from ..models import Nomination, NominationStep
from ..selectors.nominations import points_statement

State = Nomination.State
EDITABLE = (State.DRAFT, State.RETURNED)


class NominationRefused(Exception):
    """A step the nomination's state does not allow; the message says why."""


# Who is who for a nomination. Views and templates ask the same functions.

def is_officer_of(user, section: Section) -> bool:
    return user.is_authenticated and section.pk in officer_section_ids(user)


def is_coordinator_of(user, section: Section) -> bool:
    return user.is_authenticated and section.district_id in coordinated_district_ids(user)


def may_see(user, nomination: Nomination) -> bool:
    """The section's officers, its district's coordinators and society admins; nobody else
    learns that the nomination exists."""
    if not user.is_authenticated:
        return False
    return is_society_admin(user) or is_officer_of(user, nomination.section) or is_coordinator_of(user, nomination.section)


def _officers(section: Section):
    today = timezone.localdate()
    return get_user_model().objects.filter(
        is_active=True, offices__in=Officer.objects.open_on(today).filter(section=section)
    ).distinct()


def _coordinators(section: Section):
    today = timezone.localdate()
    return get_user_model().objects.filter(
        is_active=True, coordinations__in=DistrictCoordinator.objects.open_on(today).filter(district_id=section.district_id)
    ).distinct()


def _society_admins():
    return get_user_model().objects.society_admins()


def _lock(nomination: Nomination) -> Nomination:
    return Nomination.objects.select_for_update().select_related("section").get(pk=nomination.pk)


def _step(nomination: Nomination, *, to: str, actor, comment: str = "") -> None:
    before = nomination.state
    nomination.state = to
    nomination.save(update_fields=["state", "statement", "narrative", "updated_at"])
    NominationStep.objects.create(nomination=nomination, from_state=before, to_state=to, actor=actor, comment=comment)


def _notify(nomination: Nomination, *, event: str, to, actor, comment: str = "") -> None:
    mail.send(
        "recognition/email/nomination",
        to=list(to),
        context={
            "event": event,
            "nomination": nomination,
            "section": nomination.section,
            "actor": actor,
            "comment": comment,
            "url": mail.absolute_url(reverse("recognition:nomination", args=[nomination.pk])),
        },
    )


@transaction.atomic
def nomination_start(*, section: Section, award_year: int, actor) -> Nomination:
    """A draft nomination of `section` for `award_year`, by one of its officers in office."""
    # The section's row serialises two officers starting at the same moment; the unique
    # constraint is the last word.
    section = Section.objects.select_for_update().get(pk=section.pk)
    if not is_officer_of(actor, section):
        raise PermissionDenied(_("Only the section's officers nominate it."))
    if Nomination.objects.filter(section=section, award_year=award_year).exists():
        raise NominationRefused(_("%(section)s already has a nomination for %(year)s.") % {"section": section, "year": award_year})
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(section=section, award_year=award_year, created_by=actor)
    except IntegrityError as exc:
        raise NominationRefused(_("%(section)s already has a nomination for %(year)s.") % {"section": section, "year": award_year}) from exc
    NominationStep.objects.create(nomination=nomination, from_state="", to_state=State.DRAFT, actor=actor)
    return nomination


@transaction.atomic
def nomination_save(*, nomination: Nomination, actor, narrative: str) -> Nomination:
    """The officers' narrative, while the nomination is theirs (draft or returned)."""
    nomination = _lock(nomination)
    if not is_officer_of(actor, nomination.section):
        raise PermissionDenied(_("Only the section's officers write its nomination."))
    if nomination.state not in EDITABLE:
        raise NominationRefused(_("This nomination is with the %(where)s now; it can no longer be changed.") % {
            "where": _("society") if nomination.state != State.SUBMITTED else _("district")
        })
    narrative = narrative.strip()
    if not narrative:
        raise ValidationError({"narrative": _("Say why this section deserves the award.")})
    nomination.narrative = narrative
    nomination.save(update_fields=["narrative", "updated_at"])
    return nomination


@transaction.atomic
def nomination_submit(*, nomination: Nomination, actor) -> Nomination:
    """The officers send the nomination to their district, with the points statement as the
    ledger holds it today."""
    nomination = _lock(nomination)
    if not is_officer_of(actor, nomination.section):
        raise PermissionDenied(_("Only the section's officers submit its nomination."))
    if nomination.state not in EDITABLE:
        raise NominationRefused(_("This nomination has already been submitted."))
    if not nomination.narrative.strip():
        raise NominationRefused(_("Write the narrative first: say why this section deserves the award."))
    nomination.statement = points_statement(nomination.section, nomination.award_year)
    _step(nomination, to=State.SUBMITTED, actor=actor)
    _notify(nomination, event="submitted", to=_coordinators(nomination.section), actor=actor)
    return nomination


@transaction.atomic
def nomination_review(*, nomination: Nomination, actor, forward: bool, comment: str = "") -> Nomination:
    """The district's coordinator forwards the nomination to the society, or returns it to the
    section with a comment saying what to change."""
    nomination = _lock(nomination)
    if not is_coordinator_of(actor, nomination.section):
        raise PermissionDenied(_("Only the section's district coordinators review its nomination."))
    if nomination.state != State.SUBMITTED:
        raise NominationRefused(_("Only a submitted nomination can be reviewed."))
    comment = comment.strip()
    if not forward and not comment:
        raise ValidationError({"comment": _("Say what the section should change before it submits again.")})
    if forward:
        _step(nomination, to=State.FORWARDED, actor=actor, comment=comment)
        _notify(nomination, event="forwarded", to=_society_admins(), actor=actor, comment=comment)
    else:
        _step(nomination, to=State.RETURNED, actor=actor, comment=comment)
        _notify(nomination, event="returned", to=_officers(nomination.section), actor=actor, comment=comment)
    return nomination


@transaction.atomic
def nomination_decide(*, nomination: Nomination, actor, awarded: bool, comment: str = "") -> Nomination:
    """Society admins award the section, or not, once its district has forwarded it."""
    nomination = _lock(nomination)
    if not is_society_admin(actor):
        raise PermissionDenied(_("Society admins decide the awards."))
    if nomination.state != State.FORWARDED:
        raise NominationRefused(_("Only a nomination forwarded by its district can be decided."))
    to = State.AWARDED if awarded else State.NOT_AWARDED
    comment = comment.strip()
    _step(nomination, to=to, actor=actor, comment=comment)
    _notify(nomination, event="decided", to=_officers(nomination.section), actor=actor, comment=comment)
    return nomination
