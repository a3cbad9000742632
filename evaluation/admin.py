from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AnswerOption, Assessment, Dimension, Question, Questionnaire


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
        services.questionnaire_publish(questionnaire=queryset.get())
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
