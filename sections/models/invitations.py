"""Invitations: how officers and coordinators come in (sections.services.invitation_*)."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .society import District, DistrictCoordinator, Officer, Section


def invitation_token_hash(token: str) -> str:
    """What an invitation keeps of its link's token: a leaked table gives no working link."""
    return hashlib.sha256(token.encode()).hexdigest()


def _unissued_token_hash() -> str:
    # The hash of a token nobody holds: a row is reachable by a link only once a service
    # (sections.services.invitation_create/_resend) issues one and mails it.
    return invitation_token_hash(secrets.token_urlsafe(32))


# How far ahead an invitation may start an office: from an election's result to the term it fills.
INVITATION_FURTHEST_START = datetime.timedelta(days=366)


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        """Neither accepted nor revoked: the invitee may still come in (once re-sent, if expired)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An invitation to an office of a section (section + role) or to coordinate a district.

    The link carries a random token; the row keeps only its hash, so re-sending (a new token)
    makes the old link worthless. Open invitations (neither accepted nor revoked) are unique
    per address and office; an expired one stays open until it is re-sent or revoked.
    """

    email = models.EmailField(_("email address"))
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations",
        verbose_name=_("section"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Officer.Role.choices, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations",
        verbose_name=_("district to coordinate"),
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("invited by"), editable=False,
    )
    token_hash = models.CharField(max_length=64, unique=True, default=_unissued_token_hash, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, editable=False)
    expires_at = models.DateTimeField(_("link expires"), null=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    # When the invitee, holding an expired link, last asked for a new one (at most one ask a day).
    renewal_requested_at = models.DateTimeField(null=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(section__isnull=False) & ~Q(role="") & Q(district__isnull=True))
                | (Q(section__isnull=True) & Q(role="") & Q(district__isnull=False)),
                name="invitation_to_an_office_or_a_district",
                violation_error_message=_(
                    "Invite either to an office of a section (a section and a role) or to coordinate a district."
                ),
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            models.UniqueConstraint(
                Lower("email"), "section", "role",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True, section__isnull=False),
                name="invitation_one_open_per_office",
                violation_error_message=_(
                    "This address already has an open invitation to this office: re-send or revoke it."
                ),
            ),
            models.UniqueConstraint(
                Lower("email"), "district",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True, district__isnull=False),
                name="invitation_one_open_per_district",
                violation_error_message=_(
                    "This address already has an open invitation to coordinate this district: re-send or revoke it."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.office_label}"

    @property
    def office_label(self) -> str:
        if self.district_id:
            return _("coordinator of %(district)s") % {"district": self.district}
        if self.section_id:
            return f"{self.get_role_display()}, {self.section}"
        return ""

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.is_expired else "pending"

    def clean(self) -> None:
        super().clean()
        self.email = (self.email or "").strip().lower()
        errors = {}
        if self.section_id and not self.role:
            errors["role"] = _("Choose the office.")
        if self._state.adding and self.start_date:
            today = timezone.localdate()
            if self.start_date < today:
                errors["start_date"] = _("The start date cannot be in the past.")
            elif self.start_date > today + INVITATION_FURTHEST_START:
                errors["start_date"] = _("Choose a start date within a year from today.")
        if errors:
            raise ValidationError(errors)
        if not self.email:
            return
        # Already in that office (or coordinating that district): nothing to invite to.
        if self.section_id and self.role:
            holding = Officer.objects.open_now().filter(
                section_id=self.section_id, role=self.role, user__email__iexact=self.email
            )
        elif self.district_id:
            holding = DistrictCoordinator.objects.open_now().filter(
                district_id=self.district_id, user__email__iexact=self.email
            )
        else:
            return
        if holding.exists():
            raise ValidationError({"email": _("This person already holds this office.")})
