from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sections.permissions import is_society_admin
from twinning.admin import LIST_PER_PAGE, InlineFormSet, InlineRows, ReadOnlyAdmin, RelatedSearch
from twinning.translations import translations_form

from . import services
from .models import (
    AnswerOption,
    Assessment,
    ChallengeCategory,
    CheckIn,
    DigestSent,
    Dimension,
    Evaluation,
    EvaluationSide,
    ExchangeReport,
    HealthChange,
    Lesson,
    MidtermOffer,
    MonitoringSettings,
    PartnershipHealth,
    Question,
    Questionnaire,
    Reminder,
    ReportingPeriod,
    Story,
)
from .services.stories import story_withdraw


class FrozenWhenAnswered:
    """A questionnaire that has been answered no longer changes: copy it to a new version."""

    def _questionnaire(self, obj):
        raise NotImplementedError

    def _is_frozen(self, obj) -> bool:
        # Asked once per questionnaire object, that is once per request: a change form asks
        # for its permissions about seven times (the form, its buttons, its inline), a query
        # each.
        questionnaire = self._questionnaire(obj)
        if not hasattr(questionnaire, "_admin_frozen"):
            questionnaire._admin_frozen = questionnaire.is_frozen
        return questionnaire._admin_frozen

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)


class DimensionInline(admin.StackedInline):
    model = Dimension
    form = translations_form(Dimension)
    formset = InlineFormSet
    extra = 0
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(FrozenWhenAnswered, admin.ModelAdmin):
    list_display = ("version", "title", "is_current", "ready_threshold", "nearly_threshold", "weak_threshold")
    inlines = [DimensionInline]
    actions = ["copy_as_new_version", "make_current"]
    readonly_fields = ("is_current",)

    def _questionnaire(self, obj):
        return obj

    @admin.action(description=_("Copy as a new version to edit"))
    def copy_as_new_version(self, request, queryset):
        for questionnaire in queryset:
            copy = services.questionnaire_copy(questionnaire=questionnaire)
            messages.success(request, _("Version %(version)s created; edit it, then make it current.") % {"version": copy.version})

    @admin.action(description=_("Make current (officers answer this version from now on)"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            messages.error(request, _("Choose exactly one questionnaire."))
            return
        try:
            services.questionnaire_publish(questionnaire=queryset.get())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return
        messages.success(request, _("The questionnaire is current."))


class QuestionInline(admin.StackedInline):
    model = Question
    form = translations_form(Question)
    formset = InlineFormSet
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(FrozenWhenAnswered, admin.ModelAdmin):
    form = translations_form(Dimension)
    list_display = ("name", "code", "questionnaire", "weight")
    list_filter = ("questionnaire",)
    inlines = [QuestionInline]

    def get_queryset(self, request):
        # The questionnaire that says whether the dimension is frozen, with it.
        return super().get_queryset(request).select_related("questionnaire")

    def _questionnaire(self, obj):
        return obj.questionnaire

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            # Adding a dimension to an answered questionnaire would change a frozen version.
            kwargs["queryset"] = Questionnaire.objects.filter(assessments__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnswerOptionInline(admin.TabularInline):
    model = AnswerOption
    form = translations_form(AnswerOption)
    formset = InlineFormSet
    extra = 0


@admin.register(Question)
class QuestionAdmin(FrozenWhenAnswered, admin.ModelAdmin):
    form = translations_form(Question)
    list_display = ("text", "dimension", "weight")
    list_filter = ("dimension__questionnaire", "dimension__code")
    search_fields = ("text",)
    inlines = [AnswerOptionInline]

    def get_queryset(self, request):
        # The questionnaire that says whether the question is frozen, with it.
        return super().get_queryset(request).select_related("dimension__questionnaire")

    def _questionnaire(self, obj):
        return obj.dimension.questionnaire

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            # Adding a question (or "save as new") to an answered questionnaire would change a frozen version.
            kwargs["queryset"] = Dimension.objects.filter(questionnaire__assessments__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Assessment)
class AssessmentAdmin(RelatedSearch, admin.ModelAdmin):
    list_display = ("section", "verdict", "score", "questionnaire", "author", "created_at")
    list_filter = ("verdict", "questionnaire", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("section", "questionnaire", "author")
    search_fields = ("section__name",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


# Monitoring: the settings are edited here; everything else is what the services and the
# periodic jobs recorded, shown read-only. A check-in is corrected by a recorded amendment
# on its page, never edited here.


@admin.register(MonitoringSettings)
class MonitoringSettingsAdmin(admin.ModelAdmin):
    list_display = (
        "__str__", "report_due_days", "reminder_offsets", "overdue_notice_days", "escalation_days",
        "escalation_repeat_days", "cooling_days", "dormant_days",
    )

    def has_add_permission(self, request):
        return not MonitoringSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(RelatedSearch, ReadOnlyAdmin):
    list_display = ("partnership", "number", "starts_on", "ends_on", "due_on")
    list_per_page = LIST_PER_PAGE
    list_filter = (("due_on", admin.DateFieldListFilter),)
    list_select_related = ("partnership",)
    search_fields = ("partnership__title",)
    show_full_result_count = False
    # Newest first along the primary key: the model's order (through other tables, or a
    # column without an index) sorted the whole table for each page.
    ordering = ("-pk",)


class ExchangeReportInline(InlineRows, admin.TabularInline):
    """What the check-in said of its period's exchanges: read only, like the check-in."""

    model = ExchangeReport
    row_related = ("exchange",)
    fields = ("exchange", "outcome", "outcomes", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CheckIn)
class CheckInAdmin(RelatedSearch, ReadOnlyAdmin):
    inlines = [ExchangeReportInline]
    list_display = ("section", "partnership", "period", "due_on", "state", "overall", "late", "submitted_at")
    list_per_page = LIST_PER_PAGE
    list_filter = ("state", "late", "overall", ("due_on", admin.DateFieldListFilter))
    list_select_related = ("section", "period__partnership")
    search_fields = ("section__name", "period__partnership__title")
    show_full_result_count = False
    # Newest first along the primary key: the model's order (through other tables, or a
    # column without an index) sorted the whole table for each page.
    ordering = ("-pk",)

    @admin.display(description=_("partnership"), ordering="period__partnership__title")
    def partnership(self, obj):
        return obj.period.partnership


@admin.register(Reminder)
class ReminderAdmin(RelatedSearch, ReadOnlyAdmin):
    """Each reminder with the status of its message; a message that failed is sent again
    from the outgoing mail admin."""

    list_display = ("checkin", "kind", "occurrence", "recipient", "created_at", "sent_at", "mail_status")
    list_per_page = LIST_PER_PAGE
    list_filter = (
        "kind", ("sent_at", admin.EmptyFieldListFilter), "mail__status", ("created_at", admin.DateFieldListFilter),
    )
    list_select_related = ("recipient", "checkin__section", "checkin__period", "mail")
    search_fields = ("recipient__email", "checkin__section__name")
    show_full_result_count = False
    # Newest first along the primary key: the model's order (through other tables, or a
    # column without an index) sorted the whole table for each page.
    ordering = ("-pk",)

    @admin.display(description=_("message"), ordering="mail__status")
    def mail_status(self, obj):
        return obj.mail.get_status_display() if obj.mail else "—"


@admin.register(PartnershipHealth)
class PartnershipHealthAdmin(RelatedSearch, ReadOnlyAdmin):
    list_display = ("partnership", "health", "since")
    list_per_page = LIST_PER_PAGE
    list_filter = ("health",)
    list_select_related = ("partnership",)
    search_fields = ("partnership__title",)
    show_full_result_count = False


@admin.register(HealthChange)
class HealthChangeAdmin(RelatedSearch, ReadOnlyAdmin):
    list_display = ("partnership", "from_health", "to_health", "on")
    list_filter = ("to_health", ("on", admin.DateFieldListFilter))
    list_select_related = ("partnership",)
    search_fields = ("partnership__title",)
    show_full_result_count = False


@admin.register(DigestSent)
class DigestSentAdmin(RelatedSearch, ReadOnlyAdmin):
    list_display = ("coordinator", "week_of", "sent_at")
    list_select_related = ("coordinator",)
    search_fields = ("coordinator__email",)
    list_filter = (("week_of", admin.DateFieldListFilter),)


@admin.register(MidtermOffer)
class MidtermOfferAdmin(RelatedSearch, ReadOnlyAdmin):
    list_display = ("partnership", "recipient", "created_at", "sent_at", "mail_status")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "mail__status", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("partnership", "recipient", "mail")
    search_fields = ("partnership__title", "recipient__email")

    @admin.display(description=_("message"), ordering="mail__status")
    def mail_status(self, obj):
        return obj.mail.get_status_display() if obj.mail else "—"


# The end of a partnership: an evaluation says what every side signed, so it is read here,
# never edited (an edit on its page clears the confirmations; one here would not). Lessons
# and stories are moderated: a lesson's visibility and state, a story's withdrawal.


class FinalFilter(admin.SimpleListFilter):
    title = _("final")
    parameter_name = "final"

    def lookups(self, request, model_admin):
        return [("yes", _("Final: every side confirmed")), ("no", _("Not final yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(final_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(final_at__isnull=True)
        return queryset


class EvaluationSideInline(admin.StackedInline):
    model = EvaluationSide
    formset = InlineFormSet
    extra = 0
    can_delete = False
    fields = ("section", "confirmed_at", "confirmed_by", "story_consent", "gave", "gained", "do_differently", "benefits_rated")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section", "confirmed_by").prefetch_related("benefits")

    @admin.display(description=_("benefits realised (0–5)"))
    def benefits_rated(self, obj):
        return ", ".join(f"{rating.get_benefit_display()}: {rating.rating}" for rating in obj.benefits.all()) or "—"


@admin.register(Evaluation)
class EvaluationAdmin(RelatedSearch, ReadOnlyAdmin):
    list_display = ("partnership", "kind", "is_final", "final_at", "updated_at")
    list_filter = ("kind", FinalFilter, ("created_at", admin.DateFieldListFilter))
    list_select_related = ("partnership",)
    search_fields = ("partnership__title", "story_title")
    inlines = [EvaluationSideInline]
    fields = (
        "partnership", "kind", "final_at", "summary", "continuation", "continuation_how", "challenges",
        "challenges_note", "story_title", "story_photo_name", "coordinator_comment", "coordinator_comment_at",
        "created_by", "created_at", "updated_by", "updated_at",
    )

    @admin.display(description=_("story photo"))
    def story_photo_name(self, obj):
        # The name only: uploaded files are not served from MEDIA (the story page serves its photo).
        return obj.story_photo.name or "—"

    @admin.display(description=_("final"), boolean=True, ordering="final_at")
    def is_final(self, obj):
        return obj.is_final


@admin.register(ChallengeCategory)
class ChallengeCategoryAdmin(admin.ModelAdmin):
    form = translations_form(ChallengeCategory)
    list_display = ("name", "code", "position")
    list_editable = ("position",)
    search_fields = ("name", "code")

    def get_readonly_fields(self, request, obj=None):
        # Lessons and evaluations are tagged by code (and the lessons library filters by it);
        # only the wording and the order may change.
        return ("code",) if obj else ()


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    """A lesson's words are its section's: they are written, and the search index kept with
    them, on the lesson's own page, and only its section publishes it. Here a society admin
    decides who reads it, or takes it down (back to a draft its section sees)."""

    list_display = ("title", "section", "partnership", "state", "visibility", "helpful_count", "published_at")
    list_filter = ("state", "visibility", "forms", "challenges", ("created_at", admin.DateFieldListFilter))
    list_select_related = ("section", "partnership")
    search_fields = ("title",)
    fields = (
        "title", "partnership", "section", "author", "evaluation", "state", "visibility", "published_at",
        "context", "what_happened", "learned", "recommendation", "forms", "challenges", "region_tags",
        "maturity_tags", "helpful_count", "search_text", "created_at", "updated_at",
    )
    readonly_fields = (
        "title", "partnership", "section", "author", "evaluation", "state", "published_at",
        "context", "what_happened", "learned",
        "recommendation", "forms", "challenges", "region_tags", "maturity_tags", "helpful_count", "search_text",
        "created_at", "updated_at",
    )
    actions = ["take_down"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Take down (back to a draft only its section sees)"))
    def take_down(self, request, queryset):
        taken = queryset.filter(state=Lesson.State.PUBLISHED).update(state=Lesson.State.DRAFT, published_at=None)
        self.message_user(request, _("%(count)s lesson(s) taken down.") % {"count": taken})


@admin.register(Story)
class StoryAdmin(RelatedSearch, admin.ModelAdmin):
    """Published when a partnership completes with every side's consent (see
    evaluation.services.stories); a society admin may withdraw one from the public pages."""

    list_display = ("title", "partnership", "is_published", "published_at", "public_page")
    list_filter = (("published_at", admin.EmptyFieldListFilter),)
    list_select_related = ("partnership",)
    search_fields = ("title", "partnership__title")
    fields = ("title", "partnership", "evaluation", "achieved", "photo_link", "published_at")
    readonly_fields = fields
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Withdrawn, a story stays on record; deleted, nothing would say it was ever public.
        return False

    @admin.display(description=_("published"), boolean=True, ordering="published_at")
    def is_published(self, obj):
        return obj.published_at is not None

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        # Uploaded files are not served from MEDIA: a published story's photo is on its page.
        if not obj.photo:
            return "—"
        if obj.published_at is None:
            return obj.photo.name
        return format_html('<a href="{}">{}</a>', reverse("stories:photo", args=[obj.pk]), obj.photo.name)

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        if obj.published_at is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("stories:detail", args=[obj.pk]), _("view"))

    def has_withdraw_permission(self, request) -> bool:
        # Withdrawing is a society admin's decision (story_withdraw), not the model's change right.
        return self.has_change_permission(request) and is_society_admin(request.user)

    @admin.action(description=_("Withdraw from the public stories"), permissions=["withdraw"])
    def withdraw(self, request, queryset):
        published = [story for story in queryset if story.published_at is not None]
        for story in published:
            story_withdraw(story=story, actor=request.user)
        messages.success(
            request,
            ngettext(
                "%(count)d story withdrawn; it no longer shows on the public pages.",
                "%(count)d stories withdrawn; they no longer show on the public pages.",
                len(published),
            ) % {"count": len(published)},
        )
