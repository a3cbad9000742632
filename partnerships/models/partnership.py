"""A partnership, the sections taking part, their endorsements, leads and its recorded transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sections.models import District, Section, TwinningForm


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    ENDORSED = "endorsed", _("Endorsed")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    COMPLETED = "completed", _("Completed")
    ENDED = "ended", _("Ended early")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A partnership in one of these is still going on: its sections count as partners.
OPEN_STATUSES = (
    Status.DRAFT,
    Status.PROPOSED,
    Status.ACCEPTED,
    Status.ENDORSED,
    Status.ACTIVE,
    Status.SUSPENDED,
)
# The open ones that take up a section's room for partnerships: a draft is only its
# author's sketch, sent to no one yet.
COMMITTED_STATUSES = OPEN_STATUSES[1:]
# Activated and not closed: it keeps a lead per section and reports on its periods.
RUNNING_STATUSES = (Status.ACTIVE, Status.SUSPENDED)


def agreement_upload_to(instance: Partnership, filename: str) -> str:
    return f"agreements/{instance.pk}/{filename}"


class Partnership(models.Model):
    class AgreementKind(models.TextChoices):
        NONE = "", _("Not recorded yet")
        VERBAL = "verbal", _("Verbal")
        WRITTEN = "written", _("Written (signed document)")

    class FacilitatorKind(models.TextChoices):
        NONE = "", _("No facilitator")
        DISTRICT = "district", _("A district")
        SECTION = "section", _("Another section")
        EXTERNAL = "external", _("A person or organisation outside the society")

    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(
        _("purpose"), help_text=_("What the partnership sets out to achieve, for both sides and the society.")
    )
    forms = models.ManyToManyField(
        TwinningForm, related_name="partnerships", verbose_name=_("forms of twinning")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    exploratory = models.BooleanField(
        _("exploratory stage"),
        default=False,
        help_text=_("A 'friendship' stage: try one joint project before committing to more."),
    )
    start_date = models.DateField(_("start date"))
    planned_end_date = models.DateField(_("planned end date"))

    proposing_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by section")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )

    facilitator_kind = models.CharField(
        _("facilitator"), max_length=20, choices=FacilitatorKind.choices, blank=True, default=""
    )
    facilitator_district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("facilitating district"),
    )
    facilitator_section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="facilitated_partnerships",
        verbose_name=_("facilitating section"),
    )
    facilitator_name = models.CharField(_("facilitator's name"), max_length=200, blank=True)

    agreement_kind = models.CharField(
        _("agreement"), max_length=10, choices=AgreementKind.choices, blank=True, default=""
    )
    agreement_document = models.FileField(
        _("signed agreement"), upload_to=agreement_upload_to, blank=True
    )
    agreement_signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Cadence(models.IntegerChoices):
        MONTHLY = 1, _("Monthly")
        QUARTERLY = 3, _("Quarterly")
        HALF_YEARLY = 6, _("Half-yearly")

    cadence = models.PositiveSmallIntegerField(
        _("check-in cadence"), choices=Cadence.choices, default=Cadence.QUARTERLY,
        help_text=_("How often each side reports on the partnership."),
    )
    # Where the reporting schedule runs from: the activation, then each resumption.
    schedule_from = models.DateField(_("reporting from"), null=True, blank=True, editable=False)

    end_reason = models.TextField(_("reason for ending"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the partnership list's search reads: title, the sections' names and the purpose,
    # folded; kept by partnerships.search, behind a trigram index on PostgreSQL.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["-created_at"]
        # The orders the partnership list (recently changed, the default) and the admin
        # (newest first) read a page in, with the id that breaks ties.
        indexes = [
            models.Index(fields=["updated_at", "id"], name="partnership_updated_idx"),
            models.Index(fields=["created_at", "id"], name="partnership_created_idx"),
            # What waits for someone (the home page): one status's partnerships, longest waiting
            # first. Without it the planner walked all 20,000 by updated_at looking for ten
            # accepted ones that a society admin must endorse (44 ms → 1 ms).
            models.Index(fields=["status", "updated_at", "id"], name="partnership_status_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_date__gt=models.F("start_date")),
                name="partnership_ends_after_start",
                violation_error_message=_("The planned end must come after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | ~Q(end_reason=""),
                name="partnership_early_end_has_reason",
                violation_error_message=_("Ending early needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def facilitator_label(self) -> str:
        if self.facilitator_kind == self.FacilitatorKind.DISTRICT and self.facilitator_district:
            return str(self.facilitator_district)
        if self.facilitator_kind == self.FacilitatorKind.SECTION and self.facilitator_section:
            return str(self.facilitator_section)
        return self.facilitator_name


class Participant(models.Model):
    """One section taking part, with what it gives and what it expects to gain."""

    class Response(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    # Looked up by partnership through the unique constraint's index and by section through
    # participant_by_section (which also holds the partnership, so "the partnerships of these
    # sections", every coordinator's visibility rule, reads the index alone).
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participants", verbose_name=_("partnership"),
        db_index=False,
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="participations", verbose_name=_("section"),
        db_index=False,
    )
    gives = models.TextField(_("gives"), blank=True)
    gains = models.TextField(_("expects to gain"), blank=True)
    response = models.CharField(
        _("answer"), max_length=10, choices=Response.choices, default=Response.PENDING
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("responded by"),
    )
    responded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("responded at"))
    response_comment = models.TextField(_("comment"), blank=True)
    signed_by = models.CharField(
        _("signed for this side by"), max_length=200, blank=True,
        help_text=_("Name and office of the person who agreed or signed for this section."),
    )
    # Each side's own record (give and take, signatory, answer): who changed it, when, from what.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participating section")
        verbose_name_plural = _("participating sections")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "section"], name="participant_once_per_partnership"),
        ]
        indexes = [models.Index(fields=["section", "partnership"], name="participant_by_section")]

    def __str__(self) -> str:
        return f"{self.section} in {self.partnership}"


class Endorsement(models.Model):
    """A district's endorsement, given by its coordinator (or a society admin where it has none)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="endorsements",
        verbose_name=_("partnership"),
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    endorsed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("endorsed by"),
    )
    endorsed_at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "district"], name="endorsement_once_per_district"),
        ]

    def __str__(self) -> str:
        return f"{self.district} endorses {self.partnership}"


class Lead(models.Model):
    """A person leading the partnership for one participating section."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="leads",
        verbose_name=_("partnership"),
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+", verbose_name=_("section"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="led_partnerships",
        verbose_name=_("person"),
    )
    # Naming and removing leads is kept: the other side sees who changed its partner's leads.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["section", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "section", "user"], name="lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.section})"


class Transition(models.Model):
    """One change of a partnership's status: who, when, from, to and why. Never edited."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="transitions",
        verbose_name=_("partnership"),
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True, verbose_name=_("from status"))
    to_status = models.CharField(max_length=20, choices=Status.choices, verbose_name=_("to status"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.TextField(blank=True, verbose_name=_("reason"))

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_status or '—'} → {self.to_status}"
