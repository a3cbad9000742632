"""Monitoring a running partnership: the reporting schedule, each side's check-ins,
the reminders sent about them (each exactly once), its health over time, and the
settings admins tune.

A partnership reports on a cadence from its activation. Each period's report is due
some days after the period ends; each participating section files its own check-in.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_comma_separated_integer_list
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.models import Activity, Exchange, Indicator, Partnership
from sections.models import Section


MAX_REMINDER_OFFSET = 365


def validate_reminder_offsets(value: str) -> None:
    """Each comma-separated value is a whole number of days from 0 to 365: the reminder
    sweep turns them into dates, so anything else would break every sweep."""
    bad = []
    for part in str(value).split(","):
        text = part.strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or int(text) > MAX_REMINDER_OFFSET:
            bad.append(text)
    if bad:
        raise ValidationError(
            _("Each value must be a whole number of days from 0 to %(max)s; not: %(bad)s."),
            code="invalid_reminder_offsets",
            params={"max": MAX_REMINDER_OFFSET, "bad": ", ".join(bad)},
        )


class MonitoringSettings(models.Model):
    """The offsets and thresholds of reminders and health; one row, edited in the admin."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    report_due_days = models.PositiveSmallIntegerField(
        _("report due (days after the period ends)"), default=30, validators=[MaxValueValidator(120)]
    )
    reminder_offsets = models.CharField(
        _("reminders (days before the due date)"), max_length=50, default="14,3,0",
        validators=[validate_comma_separated_integer_list, validate_reminder_offsets],
        help_text=_("Comma-separated, e.g. 14,3,0 (0 = on the due date)."),
    )
    overdue_notice_days = models.PositiveSmallIntegerField(_("overdue notice (days after due)"), default=3)
    escalation_days = models.PositiveSmallIntegerField(
        _("escalate to the coordinators (days after due)"), default=14
    )
    escalation_repeat_days = models.PositiveSmallIntegerField(
        _("repeat the escalation every (days)"), default=7, validators=[MinValueValidator(1)]
    )
    cooling_days = models.PositiveSmallIntegerField(_("cooling after (quiet days)"), default=60)
    dormant_days = models.PositiveSmallIntegerField(_("dormant after (quiet days)"), default=120)

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="monitoring_settings_singleton"),
            models.CheckConstraint(
                condition=Q(dormant_days__gt=models.F("cooling_days")), name="monitoring_dormant_after_cooling"
            ),
            models.CheckConstraint(
                condition=Q(escalation_days__gt=models.F("overdue_notice_days")),
                name="monitoring_escalation_after_notice",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Monitoring settings"))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Other offsets or escalation days move every open check-in's next reminder: the
        # next sweep works each one out again.
        CheckIn.objects.filter(state=CheckIn.State.DRAFT).exclude(next_reminder_at=None).update(next_reminder_at=None)

    @classmethod
    def current(cls) -> MonitoringSettings:
        try:
            return cls.objects.get(singleton=True)
        except cls.DoesNotExist:
            pass
        try:
            with transaction.atomic():  # a savepoint: losing the race leaves the caller's transaction usable
                return cls.objects.create(singleton=True)
        except IntegrityError:
            # Another caller created the one row between our read and our insert.
            return cls.objects.get(singleton=True)

    @property
    def offsets(self) -> list[int]:
        return sorted({int(value) for value in self.reminder_offsets.split(",") if value.strip()}, reverse=True)


class ReportingPeriod(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="periods",
        verbose_name=_("partnership"),
    )
    number = models.PositiveSmallIntegerField(_("period"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    due_on = models.DateField(_("report due"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["partnership", "number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="period_number_once"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("ends_on")), name="period_due_after_end"),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%d %b %Y} – {self.ends_on:%d %b %Y}"


class CheckIn(models.Model):
    """One section's report on one period: a draft until submitted, then read-only."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted")

    class Overall(models.TextChoices):
        ON_TRACK = "on-track", _("On track")
        AT_RISK = "at-risk", _("At risk")
        OFF_TRACK = "off-track", _("Off track")

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="checkins",
        verbose_name=_("period"),
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("section"))
    # Copied from the period so the reminder sweep's polling query reads one table.
    due_on = models.DateField(_("due"))
    # When the section's own day on which its next reminder falls due begins
    # (reminders.next_reminder_on); empty until a sweep has looked at it. The hourly sweep
    # reads only the check-ins whose moment has come, so a sweep with nothing new to send
    # costs next to nothing.
    next_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    overall = models.CharField(_("overall status"), max_length=10, choices=Overall.choices, blank=True)
    done = models.TextField(_("what was done"), blank=True)
    received_rating = models.PositiveSmallIntegerField(
        _("what we received from the partner (1–5)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    communication_rating = models.PositiveSmallIntegerField(
        _("communication (1–5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    issues = models.TextField(_("issues"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, verbose_name=_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )
    late = models.BooleanField(_("submitted late"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["period__number", "section__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "section"], name="checkin_once_per_side"),
            models.CheckConstraint(
                condition=Q(received_rating__isnull=True) | Q(received_rating__gte=1, received_rating__lte=5),
                name="checkin_received_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(communication_rating__isnull=True)
                | Q(communication_rating__gte=1, communication_rating__lte=5),
                name="checkin_communication_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | (Q(submitted_at__isnull=False) & ~Q(overall="")),
                name="checkin_submitted_is_complete",
            ),
        ]
        indexes = [
            # The reminder sweep (evaluation.services.reminders.send_due_reminders) polls
            # the check-ins still open, by due date.
            models.Index(fields=["due_on"], condition=Q(state="draft"), name="checkin_open_due_idx"),
            models.Index(
                fields=["next_reminder_at"], condition=Q(state="draft"), name="checkin_open_next_reminder_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.section} — {self.period}"


class ActivityProgress(models.Model):
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="progress", verbose_name=_("check-in"))
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="progress_reports",
        verbose_name=_("activity"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Activity.Status.choices)
    percent = models.PositiveSmallIntegerField(
        _("% complete"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["checkin", "activity"], name="progress_once_per_checkin")]


class IndicatorActual(models.Model):
    """An indicator's actual value as one check-in reported it: together, the indicator's history."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="actuals", verbose_name=_("check-in"))
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="actuals",
        verbose_name=_("indicator"),
    )
    value = models.DecimalField(_("actual value"), max_digits=12, decimal_places=2)
    measured_on = models.DateField(_("measured on"))

    class Meta:
        ordering = ["measured_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["checkin", "indicator"], name="actual_once_per_checkin")]


class ExchangeReport(models.Model):
    """What a check-in says of one exchange of its period that the section hosts or sends:
    whether it took place, and what came of it. Kept with a draft so nothing is lost; on
    submission it moves the exchange (partnerships.services.exchanges): done with these
    outcomes, under way, or cancelled with the reason."""

    class Outcome(models.TextChoices):
        DONE = "done", _("It took place: done")
        RUNNING = "running", _("Still running")
        CANCELLED = "cancelled", _("Cancelled")

    checkin = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, related_name="exchange_reports",
        verbose_name=_("check-in"),
    )
    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="+", verbose_name=_("exchange"))
    outcome = models.CharField(_("did it take place?"), max_length=10, choices=Outcome.choices)
    outcomes = models.TextField(_("outcomes"), blank=True)
    reason = models.CharField(_("why it was cancelled"), max_length=100, blank=True)

    class Meta:
        ordering = ["exchange__start_date", "exchange_id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin", "exchange"], name="exchange_report_once_per_checkin"),
            models.CheckConstraint(
                condition=~Q(outcome="done") | ~Q(outcomes=""), name="exchange_report_done_has_outcomes",
                violation_error_message=_("Say what came of the exchange."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="cancelled") | ~Q(reason=""), name="exchange_report_cancelled_has_reason",
                violation_error_message=_("Say why the exchange was cancelled."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exchange} — {self.get_outcome_display()}"


class CheckInAmendment(models.Model):
    """A correction to a submitted check-in: what changed, who, when and why."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("check-in"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("amended by"),
    )
    amended_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["amended_at"]


class Reminder(models.Model):
    """One message about one check-in to one person. The unique constraint makes a second
    reminder of the same kind impossible, whichever worker or retry tries it; the sweep
    turns each into exactly one stored message (`mail`), which the mail path delivers."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Reminder before the due date")
        OVERDUE = "overdue", _("Overdue notice")
        ESCALATION = "escalation", _("Escalation to the coordinator")

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("check-in"))
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("kind"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("recipient"),
    )
    # For a reminder: days before the due date; for an escalation: which week; else 0.
    occurrence = models.PositiveSmallIntegerField(default=0, verbose_name=_("occurrence"))
    created_at = models.DateTimeField(auto_now_add=True)
    # When its message was queued to the mail path; whether it has gone is the message's status.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    mail = models.OneToOneField(
        "twinning.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("mail"),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["checkin", "kind", "recipient", "occurrence"], name="reminder_exactly_once"
            ),
        ]
        indexes = [
            # The sweep (evaluation.services.reminders.queue_pending) polls the unsent rows.
            models.Index(fields=["checkin"], condition=Q(sent_at__isnull=True), name="reminder_unsent_idx"),
        ]


class MidtermOffer(models.Model):
    """The offer of a mid-term review, made once to each lead when a partnership passes the
    midpoint of its plan; queued to the mail path by the reminder sweep, like a Reminder."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="midterm_offers",
        verbose_name=_("partnership"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("recipient"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    mail = models.OneToOneField(
        "twinning.OutgoingMail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("mail"),
    )

    class Meta:
        verbose_name = _("mid-term review offer")
        verbose_name_plural = _("mid-term review offers")
        constraints = [
            models.UniqueConstraint(fields=["partnership", "recipient"], name="midterm_offer_once"),
        ]


class Health(models.TextChoices):
    ON_TRACK = "on-track", _("On track")
    AT_RISK = "at-risk", _("At risk")
    OFF_TRACK = "off-track", _("Off track")
    COOLING = "cooling", _("Cooling")
    DORMANT = "dormant", _("Dormant")


class PartnershipHealth(models.Model):
    """The health last recorded for a partnership; the nightly job changes it with a
    conditional update, so a change is recorded and announced once."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="health",
        verbose_name=_("partnership"),
    )
    health = models.CharField(
        max_length=10, choices=Health.choices, default=Health.ON_TRACK, db_index=True,
        verbose_name=_("health"),
    )
    since = models.DateField(verbose_name=_("since"))
    # Why, in words, as of the last nightly run: shown beside the badge on every page.
    reason = models.TextField(blank=True, verbose_name=_("reason"))
    checked_on = models.DateField(null=True, blank=True, verbose_name=_("checked on"))

    class Meta:
        verbose_name = _("partnership health")
        verbose_name_plural = _("partnership health")


class HealthChange(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="health_changes",
        verbose_name=_("partnership"),
    )
    from_health = models.CharField(max_length=10, choices=Health.choices, verbose_name=_("from health"))
    to_health = models.CharField(max_length=10, choices=Health.choices, verbose_name=_("to health"))
    on = models.DateField(verbose_name=_("date"))

    class Meta:
        ordering = ["-on", "-pk"]


class DigestSent(models.Model):
    """One coordinator's weekly digest: the row is claimed before sending, so a week's
    digest goes out once however many workers run the job."""

    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("coordinator"),
    )
    week_of = models.DateField(verbose_name=_("week of"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["coordinator", "week_of"], name="digest_once_a_week")]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months, kept to the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
