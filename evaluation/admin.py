from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    AnswerOption,
    Assessment,
    CheckIn,
    DigestSent,
    Dimension,
    HealthChange,
    MonitoringSettings,
    PartnershipHealth,
    Question,
    Questionnaire,
    Reminder,
    ReportingPeriod,
)


class FrozenWhenAnswered:
    """A questionnaire that has been answered no longer changes: copy it to a new version."""

    def _questionnaire(self, obj):
        raise NotImplementedError

    def has_change_permission(self, request, obj=None):
        if obj is not None and self._questionnaire(obj).is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._questionnaire(obj).is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class DimensionInline(admin.StackedInline):
    model = Dimension
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
    extra = 0
    show_change_link = True


@admin.register(Dimension)
class DimensionAdmin(FrozenWhenAnswered, admin.ModelAdmin):
    list_display = ("name", "code", "questionnaire", "weight")
    list_filter = ("questionnaire",)
    inlines = [QuestionInline]

    def _questionnaire(self, obj):
        return obj.questionnaire

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "questionnaire":
            # Adding a dimension to an answered questionnaire would change a frozen version.
            kwargs["queryset"] = Questionnaire.objects.filter(assessments__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AnswerOptionInline(admin.TabularInline):
    model = AnswerOption
    extra = 0


@admin.register(Question)
class QuestionAdmin(FrozenWhenAnswered, admin.ModelAdmin):
    list_display = ("text", "dimension", "weight")
    list_filter = ("dimension__questionnaire", "dimension__code")
    search_fields = ("text",)
    inlines = [AnswerOptionInline]

    def _questionnaire(self, obj):
        return obj.dimension.questionnaire

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "dimension":
            # Adding a question (or "save as new") to an answered questionnaire would change a frozen version.
            kwargs["queryset"] = Dimension.objects.filter(questionnaire__assessments__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("section", "verdict", "score", "questionnaire", "author", "created_at")
    list_filter = ("verdict", "questionnaire")
    list_select_related = ("section", "questionnaire", "author")
    search_fields = ("section__name",)
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


# Monitoring: the settings are edited here; everything else is what the services and the
# periodic jobs recorded, shown read-only. A check-in is corrected by a recorded amendment
# on its page, never edited here.


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class ReportingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("partnership", "number", "starts_on", "ends_on", "due_on")
    list_select_related = ("partnership",)
    search_fields = ("partnership__title",)
    date_hierarchy = "due_on"


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ("section", "partnership", "period", "due_on", "state", "overall", "late", "submitted_at")
    list_filter = ("state", "late", "overall")
    list_select_related = ("section", "period__partnership")
    search_fields = ("section__name", "period__partnership__title")
    date_hierarchy = "due_on"

    @admin.display(description=_("partnership"), ordering="period__partnership__title")
    def partnership(self, obj):
        return obj.period.partnership


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    """Each reminder with the status of its message; a message that failed is sent again
    from the outgoing mail admin."""

    list_display = ("checkin", "kind", "occurrence", "recipient", "created_at", "sent_at", "mail_status")
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter), "mail__status")
    list_select_related = ("recipient", "checkin__section", "checkin__period", "mail")
    search_fields = ("recipient__email", "checkin__section__name")
    date_hierarchy = "created_at"


    @admin.display(description=_("message"), ordering="mail__status")
    def mail_status(self, obj):
        return obj.mail.get_status_display() if obj.mail else "—"


@admin.register(PartnershipHealth)
class PartnershipHealthAdmin(ReadOnlyAdmin):
    list_display = ("partnership", "health", "since")
    list_filter = ("health",)
    list_select_related = ("partnership",)
    search_fields = ("partnership__title",)


@admin.register(HealthChange)
class HealthChangeAdmin(ReadOnlyAdmin):
    list_display = ("partnership", "from_health", "to_health", "on")
    list_filter = ("to_health",)
    list_select_related = ("partnership",)
    search_fields = ("partnership__title",)
    date_hierarchy = "on"


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdmin):
    list_display = ("coordinator", "week_of", "sent_at")
    list_select_related = ("coordinator",)
    search_fields = ("coordinator__email",)
    date_hierarchy = "week_of"
