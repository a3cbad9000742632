"""Growing a formative section: the milestones the partners set for it, what the mentoring
section did for each, the section's size and maturity when the partnership starts and ends,
and its officers' proposal that it has reached "developing".

The formative side is the participant whose section's maturity is formative (once recorded
at activation, the section of that snapshot: confirming "developing" must not lose the side);
the other participants are the mentoring side (partnerships/selectors_growth.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sections.models import Section

from .partnership import Partnership


def milestone_evidence_upload_to(instance: GrowthMilestone, filename: str) -> str:
    return f"growth/{instance.partnership_id}/{filename}"


class MilestoneKind(models.Model):
    """A milestone a formative section may aim for; the list is the society admins' (admin)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("offered"), default=True, help_text=_("Offered for new milestones."))

    class Meta:
        verbose_name = _("growth milestone kind")
        verbose_name_plural = _("growth milestone kinds")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class GrowthMilestone(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="growth_milestones",
        verbose_name=_("partnership"),
    )
    kind = models.ForeignKey(MilestoneKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("milestone"))
    target_date = models.DateField(_("target date"))
    # The formative side's part.
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows it is done: minutes, a link, numbers."))
    evidence_file = models.FileField(_("evidence document"), upload_to=milestone_evidence_upload_to, blank=True)
    # The mentoring side's part.
    help = models.TextField(_("help from the mentoring section"), blank=True)
    history = HistoricalRecords(excluded_fields=["evidence_file"])

    class Meta:
        verbose_name = _("growth milestone")
        verbose_name_plural = _("growth milestones")
        ordering = ["target_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_on__isnull=False) | Q(evidence=""),
                name="growth_milestone_evidence_when_done",
                violation_error_message=_("Evidence belongs to a milestone that is done: give the date it was done."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.kind)

    @property
    def is_done(self) -> bool:
        return self.done_on is not None


class GrowthSnapshot(models.Model):
    """The formative section's size and maturity when the partnership started or closed."""

    class Moment(models.TextChoices):
        ACTIVATION = "activation", _("At activation")
        END = "end", _("At the end")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="growth_snapshots",
        verbose_name=_("partnership"),
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+", verbose_name=_("section"))
    moment = models.CharField(_("moment"), max_length=12, choices=Moment.choices)
    member_count = models.PositiveIntegerField(_("members"))
    maturity = models.CharField(_("maturity"), max_length=20, choices=Section.Maturity.choices)
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)

    class Meta:
        verbose_name = _("growth snapshot")
        verbose_name_plural = _("growth snapshots")
        ordering = ["taken_at", "pk"]
        constraints = [
            # The receivers may run twice (a retried transition): one snapshot per moment.
            models.UniqueConstraint(fields=["partnership", "moment"], name="growth_snapshot_once_per_moment"),
        ]


class MaturityProposal(models.Model):
    """A formative section's officers say it has reached "developing"; its district
    coordinator confirms (the section's maturity changes) or declines."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the district coordinator")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="maturity_proposals",
        verbose_name=_("section"),
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.SET_NULL, null=True, blank=True, related_name="maturity_proposals",
        verbose_name=_("partnership"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    reason = models.TextField(_("why the section is developing now"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maturity proposal")
        verbose_name_plural = _("maturity proposals")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["section"], condition=Q(state="pending"), name="one_pending_maturity_proposal_per_section",
                violation_error_message=_("The section's proposal is already waiting for its coordinator."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section}: developing ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING
