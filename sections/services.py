"""Writes for sections/: each one checks, saves and returns in one transaction."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning import mail

from .models import (
    SECTION_PROFILE_M2M_FIELDS,
    District,
    DistrictCoordinator,
    FinderDecision,
    Invitation,
    Officer,
    Section,
    invitation_token_hash,
)
from .permissions import can_edit_section, can_invite_to_district, can_invite_to_section
from .selectors import coordinators_of_districts
from .signals import office_ended

# What an officer may change on their section's profile; name, kind and district
# belong to the society and change in the admin.
PROFILE_FIELDS = (
    "description",
    "country",
    "city",
    "time_zone",
    "founded_year",
    "member_count",
    "maturity",
    "offers_notes",
    "needs_notes",
    "seeking_partner",
    "max_concurrent_partnerships",
    "website",
    "contact_email",
)
PROFILE_M2M_FIELDS = SECTION_PROFILE_M2M_FIELDS


@transaction.atomic
def section_profile_update(*, section: Section, actor, data: dict[str, Any]) -> Section:
    """Apply `data` (cleaned form values keyed by field name) to the section's profile."""
    if not can_edit_section(actor, section):
        raise PermissionDenied("Only the section's officers can change its profile.")
    section = Section.objects.select_for_update().get(pk=section.pk)
    for name in PROFILE_FIELDS:
        if name in data:
            setattr(section, name, data[name])
    section.full_clean()
    section.save()
    for name in PROFILE_M2M_FIELDS:
        if name in data:
            getattr(section, name).set(data[name])
    return section


@transaction.atomic
def finder_decide(*, section: Section, actor, candidate: Section, kind: str) -> FinderDecision:
    """Dismiss a suggested partner (hidden until restored) or put it on the shortlist."""
    if not can_edit_section(actor, section):
        raise PermissionDenied("Only the section's officers decide on its suggestions.")
    if candidate.pk == section.pk:
        raise ValidationError("A section is not its own partner.")
    decision, _created = FinderDecision.objects.update_or_create(
        section=section, candidate=candidate, defaults={"kind": kind, "decided_by": actor}
    )
    return decision


@transaction.atomic
def finder_restore(*, section: Section, actor, candidate: Section) -> None:
    """Forget the decision on `candidate`: it shows among the suggestions again."""
    if not can_edit_section(actor, section):
        raise PermissionDenied("Only the section's officers decide on its suggestions.")
    FinderDecision.objects.filter(section=section, candidate=candidate).delete()


# Invitations --------------------------------------------------------------------------------

INVITATION_TEMPLATE = "sections/email/invitation"
RENEWAL_TEMPLATE = "sections/email/invitation_renewal"
# An invitee holding an expired link may ask for a new one this often: each ask mails someone.
RENEWAL_REQUEST_INTERVAL = datetime.timedelta(days=1)


def _check_may_invite(actor, invitation: Invitation) -> None:
    if invitation.district_id:
        allowed = can_invite_to_district(actor, invitation.district)
    else:
        allowed = invitation.section_id is not None and can_invite_to_section(actor, invitation.section)
    if not allowed:
        raise PermissionDenied("Only the section's officers, its district's coordinators and society admins invite.")


def _issue_and_send(invitation: Invitation) -> None:
    """Give the invitation a new link (the old one stops working), save it and mail the link."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = invitation_token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    invitation.renewal_requested_at = None
    invitation.save()
    mail.send(
        INVITATION_TEMPLATE,
        to=[invitation.email],
        context={
            "invitation": invitation,
            "inviter": invitation.invited_by,
            "url": mail.absolute_url(reverse("invitation_accept", kwargs={"token": token})),
            "max_age_days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )


@transaction.atomic
def invitation_create(
    *,
    actor,
    email: str,
    start_date: datetime.date,
    section: Section | None = None,
    role: str = "",
    district: District | None = None,
) -> Invitation:
    """Invite `email` to an office of `section` (with `role`) or to coordinate `district`,
    and mail the link."""
    invitation = Invitation(
        email=email, section=section, role=role if section else "", district=district, start_date=start_date,
        invited_by=actor,
    )
    _check_may_invite(actor, invitation)
    invitation.full_clean()
    try:
        # The unique constraint decides between two invitations sent at the same moment.
        with transaction.atomic():
            _issue_and_send(invitation)
    except IntegrityError:
        raise ValidationError(
            _("This address already has an open invitation to this office: re-send or revoke it.")
        ) from None
    return invitation


def _locked_open(invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update(of=("self",)).select_related("section", "district", "invited_by").get(
        pk=invitation.pk
    )
    if not locked.is_open:
        raise ValidationError(_("This invitation was already accepted or revoked."))
    return locked


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """Mail a new link with a fresh expiry; the old link no longer works."""
    _check_may_invite(actor, invitation)
    invitation = _locked_open(invitation)
    _issue_and_send(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw the invitation: its link then says so."""
    _check_may_invite(actor, invitation)
    invitation = _locked_open(invitation)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link names, or None for a link that never was or has been replaced."""
    return (
        Invitation.objects.select_related("section", "district", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


@dataclass(frozen=True)
class Accepted:
    user: Any
    office: Officer | DistrictCoordinator
    created_account: bool


def _refuse_unless_usable(invitation: Invitation) -> None:
    if invitation.accepted_at:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.revoked_at:
        raise ValidationError(_("This invitation was withdrawn."), code="revoked")
    if invitation.is_expired:
        raise ValidationError(_("This invitation has expired."), code="expired")


@transaction.atomic
def invitation_accept(*, token: str, user=None, full_name: str = "", password: str = "") -> Accepted:
    """Come in by an invitation's link: as `user` (signed in, with the invited address), or as a
    new account with `full_name` and `password`. Starts the office; the link is then used up.

    The invitation row is locked first, so two acceptances at once make one account and one
    office: the second finds it used.
    """
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    if locked is None:
        raise ValidationError(_("This invitation link is not valid."), code="unknown")
    _refuse_unless_usable(locked)
    User = get_user_model()
    created = False
    if user is not None:
        if user.email.lower() != locked.email.lower():
            raise PermissionDenied("The invitation is for another address.")
    else:
        if User.objects.filter(email__iexact=locked.email).exists():
            raise ValidationError(
                _("An account with this address exists: log in to accept the invitation."), code="account"
            )
        user = User(email=locked.email, full_name=full_name)
        errors = {}
        try:
            user.clean_fields(exclude=["password"])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        user.set_password(password)
        user.save()
        created = True
    # Nobody held the office before accepting it: a start date already past moves to today.
    start = max(locked.start_date, timezone.localdate())
    if locked.section_id:
        office = Officer(user=user, section_id=locked.section_id, role=locked.role, start_date=start)
    else:
        office = DistrictCoordinator(user=user, district_id=locked.district_id, start_date=start)
    office.full_clean()
    office.save()
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    return Accepted(user=user, office=office, created_account=created)


@transaction.atomic
def invitation_request_renewal(*, token: str) -> bool:
    """The invitee's expired link asks for a new one: whoever sent it (or, if they can no longer
    act, the district's coordinators) is mailed to re-send it. At most once a day per
    invitation; False when nothing was sent (not expired, closed, or asked too recently)."""
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("section", "district", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )
    now = timezone.now()
    if locked is None or not locked.is_open or not locked.is_expired:
        return False
    if locked.renewal_requested_at and locked.renewal_requested_at > now - RENEWAL_REQUEST_INTERVAL:
        return False
    locked.renewal_requested_at = now
    locked.save(update_fields=["renewal_requested_at"])
    inviter = locked.invited_by
    inviter_may = inviter is not None and inviter.is_active and _may_invite(inviter, locked)
    district_id = locked.district_id or locked.section.district_id
    recipients = [inviter] if inviter_may else sorted(
        coordinators_of_districts([district_id])[district_id], key=lambda person: person.pk
    )
    url = reverse("sections:detail", kwargs={"slug": locked.section.slug}) if locked.section_id else reverse(
        "admin:sections_invitation_changelist"
    )
    mail.send(
        RENEWAL_TEMPLATE,
        to=recipients,
        context={"invitation": locked, "url": mail.absolute_url(url)},
    )
    return True


def _may_invite(actor, invitation: Invitation) -> bool:
    try:
        _check_may_invite(actor, invitation)
    except PermissionDenied:
        return False
    return True


@transaction.atomic
def officer_end(*, officer: Officer, end_date: datetime.date, actor) -> Officer:
    """Set the last day of an office (the society admins do, in the admin, after an
    election) and tell the apps above: what this person led is handed over once the office
    is over. Saving the same end date again tells them again; they act once."""
    officer = Officer.objects.select_for_update().select_related("user", "section").get(pk=officer.pk)
    if officer.end_date != end_date:
        officer.end_date = end_date
        officer.full_clean()
        officer.save(update_fields=["end_date"])
    office_ended.send(sender=Officer, officer=officer, actor=actor)
    return officer
