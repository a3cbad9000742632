"""The society's structure: districts, sections, and who holds office where."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from timezone_field import TimeZoneField

from twinning.translations import Translatable

EARLIEST_FOUNDED_YEAR = 1850


class Society(models.Model):
    """The one society running the programme; the singleton flag keeps it one."""

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    name = models.CharField(_("name"), max_length=200)
    about = models.TextField(_("about the programme"), blank=True)
    contact_email = models.EmailField(_("programme contact email"), blank=True)

    class Meta:
        verbose_name = _("society")
        verbose_name_plural = _("society")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="society_is_singleton"),
        ]

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TechnicalInterest(Translatable):
    """A topic of the society's technical taxonomy; admins edit the list."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    TRANSLATED_FIELDS = ("name", "description")

    class Meta:
        verbose_name = _("technical interest")
        verbose_name_plural = _("technical interests")
        ordering = ["name"]


class TwinningForm(Translatable):
    """A form of twinning. The four codes are fixed (rules refer to them); names are editable."""

    class Code(models.TextChoices):
        STUDENT_EXCHANGE = "student-exchange", _("Student training exchange")
        TECHNICAL_EXCHANGE = "technical-exchange", _("Information / technical exchange")
        FINANCIAL_SUPPORT = "financial-support", _("Financial support")
        GROWING_SECTION = "growing-section", _("Growing a formative section")

    code = models.SlugField(_("code"), max_length=40, unique=True, choices=Code.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    TRANSLATED_FIELDS = ("name", "description")

    class Meta:
        verbose_name = _("form of twinning")
        verbose_name_plural = _("forms of twinning")
        ordering = ["position", "name"]


class Language(models.Model):
    """A working language, by its ISO 639-1 code."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        """The language's name in the reader's language where Django knows it (its own
        catalogs name ~100 languages), else as stored."""
        try:
            return str(get_language_info(self.code)["name_translated"])
        except KeyError:
            return self.name


class ReadinessVerdict(models.TextChoices):
    """A readiness self-assessment's verdict (evaluation/ judges it; the section keeps its latest)."""

    READY = "ready", _("Ready")
    NEARLY = "nearly", _("Nearly ready")
    NOT_YET = "not-yet", _("Not yet")


def validate_founded_year(value: int) -> None:
    if value > timezone.now().year:
        raise ValidationError(_("The founding year cannot be in the future."), code="future")


def new_profile_version() -> int:
    return secrets.randbits(62)


# The section's columns whose change draws a new profile_version (see Section).
PROFILE_VERSION_COLUMNS = (
    "name", "slug", "kind", "district_id", "country", "city", "maturity", "time_zone", "readiness_score",
    "max_concurrent_partnerships", "seeking_partner",
)


class Section(models.Model):
    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional section")
        STUDENT = "student", _("Student section")

    class Maturity(models.TextChoices):
        FORMATIVE = "formative", _("Formative")
        DEVELOPING = "developing", _("Developing")
        ESTABLISHED = "established", _("Established")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="sections", verbose_name=_("district")
    )
    country = CountryField(_("country"), db_index=True)
    city = models.CharField(_("city"), max_length=100)
    time_zone = TimeZoneField(_("time zone"), default="UTC", use_pytz=False)
    working_languages = models.ManyToManyField(
        Language, blank=True, related_name="sections", verbose_name=_("working languages")
    )
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_FOUNDED_YEAR), validate_founded_year],
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)
    maturity = models.CharField(_("maturity"), max_length=20, choices=Maturity.choices)
    description = models.TextField(_("about the section"), blank=True)
    interests = models.ManyToManyField(
        TechnicalInterest,
        blank=True,
        related_name="sections",
        verbose_name=_("technical interests"),
    )
    offers_forms = models.ManyToManyField(
        TwinningForm, blank=True, related_name="offered_by", verbose_name=_("forms it can offer")
    )
    offers_topics = models.ManyToManyField(
        TechnicalInterest,
        blank=True,
        related_name="offered_by",
        verbose_name=_("topics it can offer"),
    )
    offers_notes = models.TextField(_("what else it can offer"), blank=True)
    needs_forms = models.ManyToManyField(
        TwinningForm, blank=True, related_name="needed_by", verbose_name=_("forms it needs")
    )
    needs_topics = models.ManyToManyField(
        TechnicalInterest,
        blank=True,
        related_name="needed_by",
        verbose_name=_("topics it needs"),
    )
    needs_notes = models.TextField(_("what else it needs"), blank=True)
    seeking_partner = models.BooleanField(_("seeking a partner"), default=False, db_index=True)
    max_concurrent_partnerships = models.PositiveSmallIntegerField(
        _("most partnerships at once"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    # The latest readiness verdict, kept by evaluation.services.assessment_submit so the
    # directory can show and filter it without a subquery per row.
    readiness_verdict = models.CharField(
        _("readiness"), max_length=10, blank=True, editable=False, db_index=True, choices=ReadinessVerdict.choices
    )
    readiness_score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True, editable=False)
    readiness_assessed_at = models.DateTimeField(null=True, blank=True, editable=False)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    # Partnerships from "proposed" onwards and not closed (a draft takes no room): what the
    # partner finder weighs against max_concurrent_partnerships. Kept by the partnership
    # services (partnerships.services.load); `manage.py recount_open_partnerships` checks it.
    open_partnerships = models.PositiveIntegerField(_("partnerships under way"), default=0, editable=False)
    # A random number drawn anew by the database (triggers of migration 0009) whenever one of
    # PROFILE_VERSION_COLUMNS or a profile relation (SECTION_PROFILE_M2M_FIELDS) changes, in any
    # process and by any path (a form, the admin, a queryset update): the partner finder keeps
    # profiles cached under it. Random rather than counted, so a rolled-back change or a reused
    # id never brings back a number a cache already holds.
    profile_version = models.BigIntegerField(default=new_profile_version, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # What the directory search reads: name, city, country, interests, offers and needs,
    # folded; kept by sections.search, behind a trigram index on PostgreSQL.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["name"]
        # The directory's and the autocomplete's order: by name, then id.
        indexes = [models.Index(fields=["name", "id"], name="section_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True) | Q(founded_year__gte=EARLIEST_FOUNDED_YEAR),
                name="section_founded_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(max_concurrent_partnerships__gte=1),
                name="section_max_partnerships_positive",
            ),
        ]

    # Kept by their own writers (the partnership services, the database's triggers, the search
    # text's refresh), never by a form: a section loaded a while ago and saved must not write
    # back what it read then.
    KEPT_ELSEWHERE = ("open_partnerships", "profile_version", "search_text")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if kwargs.get("update_fields") is None and not self._state.adding and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.KEPT_ELSEWHERE
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("sections:detail", kwargs={"slug": self.slug})


# The section's many-to-many profile fields: what the profile page shows and officers edit.
SECTION_PROFILE_M2M_FIELDS = (
    "working_languages",
    "interests",
    "offers_forms",
    "offers_topics",
    "needs_forms",
    "needs_topics",
)


class AssignmentQuerySet(models.QuerySet):
    def open_on(self, day: datetime.date) -> AssignmentQuerySet:
        """Assignments that give rights on `day`: started, and not yet ended."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))

    def open_now(self) -> AssignmentQuerySet:
        return self.open_on(timezone.localdate())


class Assignment(models.Model):
    """A person's term in a place (an office in a section, a district to coordinate).

    The end date is the last day of the term; an open-ended term has none.
    """

    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    # The fields that, with the person, say which terms may not overlap.
    overlap_fields: tuple[str, ...] = ()
    overlap_message = _("This person already holds this for part of that period.")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="%(class)s_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        attnames = [self._meta.get_field(name).attname for name in ("user", *self.overlap_fields)]
        scope = {attname: getattr(self, attname) for attname in attnames}
        if not all(scope.values()) or not self.start_date:
            return
        # The database allows one open-ended term; overlapping dated terms are caught here.
        overlapping = type(self).objects.filter(**scope).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
        if self.end_date is not None:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        if overlapping.exists():
            raise ValidationError(self.overlap_message)


class Officer(Assignment):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        TWINNING_LEAD = "twinning-lead", _("Twinning lead")
        SECRETARY = "secretary", _("Secretary")
        TREASURER = "treasurer", _("Treasurer")
        FACULTY_ADVISOR = "faculty-advisor", _("Faculty advisor")
        STUDENT_LEAD = "student-lead", _("Student lead")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="offices",
        verbose_name=_("user"),
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="officers", verbose_name=_("section")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    overlap_fields = ("section", "role")
    overlap_message = _("This person already holds this office in this section for part of that period.")

    class Meta(Assignment.Meta):
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["section", "role", "start_date"]
        constraints = [
            *Assignment.Meta.constraints,
            models.UniqueConstraint(
                fields=["user", "section", "role"],
                condition=Q(end_date__isnull=True),
                name="officer_one_open_office_per_role",
                violation_error_message=_("This person already holds this office in this section."),
            ),
        ]
        indexes = [models.Index(fields=["user", "end_date"], name="officer_user_end_idx")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.section}"


class DistrictCoordinator(Assignment):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinations",
        verbose_name=_("user"),
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("district")
    )

    overlap_fields = ("district",)
    overlap_message = _("This person already coordinates this district for part of that period.")

    class Meta(Assignment.Meta):
        verbose_name = _("district coordinator")
        verbose_name_plural = _("district coordinators")
        ordering = ["district", "start_date"]
        constraints = [
            *Assignment.Meta.constraints,
            models.UniqueConstraint(
                fields=["user", "district"],
                condition=Q(end_date__isnull=True),
                name="coordinator_one_open_assignment",
                violation_error_message=_("This person already coordinates this district."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.district}"


class FinderWeight(models.Model):
    """How much one factor counts in the partner finder's score (see partnerships/finder.py)."""

    class Factor(models.TextChoices):
        INTERESTS = "interests", _("Shared technical interests")
        COMPLEMENTARITY = "complementarity", _("Offers and needs complement each other")
        MATURITY = "maturity", _("Maturity fit")
        LANGUAGE = "language", _("Common working language")
        TIME_ZONE = "time_zone", _("Time-zone distance")
        COUNTRY = "country", _("Different country")
        READINESS = "readiness", _("Both sides' readiness")
        LOAD = "load", _("Room for another partnership")

    factor = models.CharField(_("factor"), max_length=20, choices=Factor.choices, unique=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MaxValueValidator(10)])

    class Meta:
        verbose_name = _("finder weight")
        verbose_name_plural = _("finder weights")
        ordering = ["factor"]

    def __str__(self) -> str:
        return f"{self.get_factor_display()}: {self.weight}"


class FinderDecision(models.Model):
    """A section's officer dismissed a suggested partner (hidden until restored) or shortlisted it."""

    class Kind(models.TextChoices):
        DISMISSED = "dismissed", _("Dismissed")
        SHORTLISTED = "shortlisted", _("Shortlisted")

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="finder_decisions",
        verbose_name=_("section"),
    )
    candidate = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="+", verbose_name=_("candidate"))
    kind = models.CharField(max_length=12, choices=Kind.choices, verbose_name=_("kind"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("finder decision")
        verbose_name_plural = _("finder decisions")
        constraints = [
            models.UniqueConstraint(fields=["section", "candidate"], name="finder_one_decision_per_candidate"),
            models.CheckConstraint(condition=~Q(section=models.F("candidate")), name="finder_not_self"),
        ]
