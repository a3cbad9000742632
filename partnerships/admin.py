from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from sections.models import District, TwinningForm
from twinning.admin import (
    LIST_PER_PAGE, InlineFormSet, InlineRows, KnownChoicesAdmin, PageRelated, PlainRowCheckbox, ReadOnlyAdmin,
    RelatedSearch,
)
from twinning.forms import SiteModelForm
from twinning.search import search
from twinning.validators import database_id

from .models import (
    Activity,
    AgreementChange,
    CommunicationEntry,
    Conflict,
    Endorsement,
    Exchange,
    FileUpload,
    FormIntent,
    FundingLine,
    Goal,
    GrowthMilestone,
    HandoverNote,
    LeadVacancy,
    GrowthSnapshot,
    Indicator,
    Instalment,
    Lead,
    MaturityProposal,
    MilestoneKind,
    Objective,
    Participant,
    Partnership,
    Spending,
    SupportAgreement,
    Transition,
)


class ParticipantInline(InlineRows, admin.TabularInline):
    model = Participant
    form = SiteModelForm
    extra = 0
    autocomplete_fields = ("section",)
    row_related = ("section",)
    fields = ("section", "gives", "gains", "response", "responded_at", "signed_by")
    readonly_fields = ("responded_at",)


class LeadInline(InlineRows, admin.TabularInline):
    model = Lead
    extra = 0
    autocomplete_fields = ("section", "user")
    row_related = ("section", "user")


class EndorsementInline(InlineRows, admin.TabularInline):
    model = Endorsement
    extra = 0
    fields = ("district", "endorsed_by", "endorsed_at", "comment")
    readonly_fields = ("endorsed_at",)
    autocomplete_fields = ("district", "endorsed_by")
    row_related = ("district", "endorsed_by")


class GoalInline(admin.StackedInline):
    model = Goal
    form = SiteModelForm
    formset = InlineFormSet
    extra = 0
    show_change_link = True


class FundingLineInline(admin.TabularInline):
    model = FundingLine
    formset = InlineFormSet
    extra = 0


class FormIntentInline(InlineRows, admin.StackedInline):
    """What the proposal said about each chosen form: read only, the proposal's own words
    (partnerships/services/intents.py writes them with the proposal)."""

    model = FormIntent
    extra = 0
    can_delete = False
    fields = (
        "form", "host_section", "both_ways", "length", "learning", "giver", "amount", "currency", "giver_gains",
        "formative_section", "first_milestones",
    )
    readonly_fields = fields
    row_related = ("form", "host_section", "giver", "formative_section")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class TransitionInline(InlineRows, admin.TabularInline):
    """The status history: read only, since every change must go through a service."""

    model = Transition
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    row_related = ("actor",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AgreementChangeInline(InlineRows, admin.TabularInline):
    """Changes to the agreement that one side proposed: read only, answered by the other side
    on the site (partnerships/services/agreement.py)."""

    model = AgreementChange
    extra = 0
    can_delete = False
    fields = (
        "proposed_at", "proposed_by_section", "proposed_by", "kind_before", "kind", "signed_on_before", "signed_on",
        "planned_end_date_before", "planned_end_date", "document", "state", "decided_by", "decided_at", "comment",
    )
    readonly_fields = fields
    row_related = ("proposed_by_section", "proposed_by", "decided_by")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ExistsFilter(admin.SimpleListFilter):
    """A filter over partnerships by a related row, as one EXISTS: Django's own filter over a
    many-valued relation joins it and then needs DISTINCT on every query of the page."""

    def choices_queryset(self):
        raise NotImplementedError

    def related(self, value: int):
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return [(str(choice.pk), str(choice)) for choice in self.choices_queryset()]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        pk = database_id(value)
        if pk is None:
            return queryset.none()
        return queryset.filter(Exists(self.related(pk).filter(partnership=OuterRef("pk"))))


class FormFilter(ExistsFilter):
    title = _("form of twinning")
    parameter_name = "form"

    def choices_queryset(self):
        return TwinningForm.objects.all()

    def related(self, value: int):
        return Partnership.forms.through.objects.filter(twinningform=value)


class ParticipantDistrictFilter(ExistsFilter):
    title = _("district of a participant")
    parameter_name = "district"

    def choices_queryset(self):
        return District.objects.order_by("code")

    def related(self, value: int):
        return Participant.objects.filter(section__district=value)


@admin.register(Partnership)
class PartnershipAdmin(KnownChoicesAdmin, PlainRowCheckbox, admin.ModelAdmin):
    list_display = ("title", "status", "proposing_section", "start_date", "planned_end_date", "updated_at")
    list_per_page = LIST_PER_PAGE
    # The start date as a filter that needs no query, instead of a date hierarchy (a min/max
    # and a DISTINCT over every partnership on each page).
    list_filter = ("status", FormFilter, ParticipantDistrictFilter, "exploratory", ("start_date", admin.DateFieldListFilter))
    list_select_related = ("proposing_section",)
    # What the search covers; get_search_results reads them from the stored search text.
    search_fields = ("title", "purpose", "participants__section__name")
    show_full_result_count = False
    autocomplete_fields = ("proposing_section", "proposed_by", "facilitator_district", "facilitator_section")
    # The signed document is uploaded on the site (Record the agreement), where it is checked,
    # counted against the upload limit and replaces the old file; here it is a download link.
    readonly_fields = ("status", "agreement_document_link", "created_at", "updated_at")
    filter_horizontal = ("forms",)
    inlines = [
        ParticipantInline, EndorsementInline, FormIntentInline, LeadInline, GoalInline, FundingLineInline,
        TransitionInline, AgreementChangeInline,
    ]
    fieldsets = (
        (None, {"fields": ("title", "purpose", "forms", "status", "exploratory", "start_date", "planned_end_date")}),
        (_("Proposal"), {"fields": ("proposing_section", "proposed_by")}),
        (_("Facilitator"), {"fields": ("facilitator_kind", "facilitator_district", "facilitator_section", "facilitator_name")}),
        (_("Agreement"), {"fields": ("agreement_kind", "agreement_signed_on", "agreement_document_link")}),
        (_("Ending"), {"fields": ("end_reason",)}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )

    def get_search_results(self, request, queryset, search_term):
        """Every word in the title, the purpose or a participating section's name, whatever its
        accents and case: the stored search text the partnership list searches
        (partnerships.search), one trigram-indexed condition per word. Over the fields
        themselves it was a scan of every partnership and its purpose (80 ms SQL at 20,000
        partnerships); Django's own search also joins the participants and makes the page
        DISTINCT. Each partnership comes once."""
        return search(queryset, search_term, ranked=False), False

    @admin.display(description=_("signed agreement"))
    def agreement_document_link(self, obj):
        if not obj.agreement_document:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("partnerships:agreement_document", args=[obj.pk]), obj.agreement_document.name
        )


@admin.register(Goal, Objective, Indicator, FundingLine)
class PlanItemAdmin(RelatedSearch, PlainRowCheckbox, SimpleHistoryAdmin):
    list_display = ("__str__", "partnership")
    list_select_related = ("partnership",)
    search_fields = ("partnership__title",)
    list_filter = ("partnership__status",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Each item's parent (partnership, goal, objective) by id: a <select> would list every
        # partnership's.
        kwargs.setdefault("widget", ForeignKeyRawIdWidget(db_field.remote_field, self.admin_site, using=kwargs.get("using")))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Activity)
class ActivityAdmin(RelatedSearch, PlainRowCheckbox, SimpleHistoryAdmin):
    list_display = ("title", "partnership", "owning_section", "start_date", "end_date", "budget", "currency", "status", "percent_complete")
    list_filter = ("status", "form")
    list_select_related = ("partnership", "owning_section")
    search_fields = ("title", "partnership__title")
    autocomplete_fields = ("owning_section", "responsible")
    raw_id_fields = ("objective",)


@admin.register(Exchange)
class ExchangeAdmin(RelatedSearch, PlainRowCheckbox, SimpleHistoryAdmin):
    """Exchanges without the people who go: their names and addresses stay with the
    partnership's officers and coordinators (partnerships/services/exchanges.py)."""

    list_display = ("title", "partnership", "kind", "sending_section", "host_section", "start_date", "end_date", "status")
    list_filter = ("status", "kind")
    list_select_related = ("partnership", "sending_section", "host_section")
    search_fields = ("title", "partnership__title")
    autocomplete_fields = ("sending_section", "host_section")


@admin.register(CommunicationEntry)
class CommunicationEntryAdmin(RelatedSearch, PlainRowCheckbox, admin.ModelAdmin):
    list_display = ("date", "channel", "partnership", "recorded_by")
    list_per_page = LIST_PER_PAGE
    list_filter = ("channel", ("date", admin.DateFieldListFilter))
    list_select_related = ("partnership", "recorded_by")
    search_fields = ("summary", "participants", "partnership__title")
    show_full_result_count = False
    raw_id_fields = ("partnership",)
    autocomplete_fields = ("recorded_by",)
    # Newest first along the primary key: the model's order (through other tables, or a
    # column without an index) sorted the whole table for each page.
    ordering = ("-pk",)


@admin.register(Conflict)
class ConflictAdmin(RelatedSearch, PageRelated, PlainRowCheckbox, SimpleHistoryAdmin):
    list_display = ("partnership", "raised_for", "status", "mediator", "raised_at")
    list_per_page = LIST_PER_PAGE
    list_filter = ("status", "mediator")
    list_prefetch_related = ("partnership", "raised_for")
    search_fields = ("description", "resolution", "partnership__title")
    raw_id_fields = ("partnership",)
    autocomplete_fields = ("raised_for", "raised_by")


@admin.register(Transition)
class TransitionAdmin(RelatedSearch, admin.ModelAdmin):
    list_display = ("partnership", "from_status", "to_status", "actor", "at")
    list_per_page = LIST_PER_PAGE
    list_filter = ("to_status",)
    list_select_related = ("partnership", "actor")
    search_fields = ("partnership__title", "reason")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FileUpload)
class FileUploadAdmin(RelatedSearch, admin.ModelAdmin):
    """The upload log the per-partnership limit counts: read only."""

    list_display = ("partnership", "user", "at")
    list_select_related = ("partnership", "user")
    search_fields = ("partnership__title", "user__email")
    list_filter = (("at", admin.DateFieldListFilter),)
    readonly_fields = ("partnership", "user", "at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(MilestoneKind)
class MilestoneKindAdmin(admin.ModelAdmin):
    """The milestones a formative section may aim for, offered when partners add one."""

    form = SiteModelForm
    list_display = ("name", "position", "active")
    list_editable = ("position", "active")
    search_fields = ("name",)


@admin.register(GrowthMilestone)
class GrowthMilestoneAdmin(SimpleHistoryAdmin):
    form = SiteModelForm
    list_display = ("kind", "partnership", "target_date", "done_on")
    list_filter = ("kind",)
    raw_id_fields = ("partnership",)


@admin.register(MaturityProposal)
class MaturityProposalAdmin(SimpleHistoryAdmin):
    list_display = ("section", "state", "proposed_by", "proposed_at", "decided_by")
    list_filter = ("state",)
    raw_id_fields = ("section", "partnership", "proposed_by", "decided_by")
    readonly_fields = ("proposed_at",)


@admin.register(GrowthSnapshot)
class GrowthSnapshotAdmin(admin.ModelAdmin):
    list_display = ("partnership", "section", "moment", "member_count", "maturity", "taken_at")
    raw_id_fields = ("partnership", "section")


class InstalmentInline(InlineRows, admin.TabularInline):
    model = Instalment
    form = SiteModelForm
    extra = 0
    fields = ("amount", "planned_on", "sent_on", "received_on", "received_amount", "note")


@admin.register(SupportAgreement)
class SupportAgreementAdmin(RelatedSearch, SimpleHistoryAdmin):
    form = SiteModelForm
    list_display = ("partnership", "giver", "receiver", "amount", "currency", "return_form")
    list_select_related = ("partnership", "giver", "receiver", "return_form")
    search_fields = ("partnership__title", "giver__name", "receiver__name")
    autocomplete_fields = ("giver", "receiver")
    raw_id_fields = ("partnership",)
    inlines = [InstalmentInline]

    def save_formset(self, request, form, formset, change):
        # An instalment points at its partnership too (not on the form): the agreement's.
        for inline_form in formset.forms:
            inline_form.instance.partnership_id = form.instance.partnership_id
        super().save_formset(request, form, formset, change)


@admin.register(Spending)
class SpendingAdmin(RelatedSearch, SimpleHistoryAdmin):
    form = SiteModelForm
    list_display = ("what_for", "amount", "funding_line", "spent_on", "partnership")
    list_select_related = ("partnership", "funding_line")
    search_fields = ("partnership__title", "what_for")
    raw_id_fields = ("funding_line",)

    def save_model(self, request, obj, form, change):
        # The partnership is not on the form: a spending belongs to its funding line's.
        obj.partnership_id = obj.funding_line.partnership_id
        super().save_model(request, obj, form, change)


@admin.register(LeadVacancy)
class LeadVacancyAdmin(RelatedSearch, ReadOnlyAdmin):
    """Sides that lost their lead when an office ended; naming a lead on the partnership's page
    resolves one."""

    list_display = ("partnership", "section", "outgoing", "created_at", "mailed_at", "resolved_at", "resolved_by")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter),)
    list_select_related = ("partnership", "section", "outgoing", "resolved_by")
    search_fields = ("partnership__title", "section__name", "outgoing__email")


@admin.register(HandoverNote)
class HandoverNoteAdmin(RelatedSearch, ReadOnlyAdmin):
    list_display = ("partnership", "section", "written_by", "updated_at")
    list_select_related = ("partnership", "section", "written_by")
    search_fields = ("partnership__title", "section__name")
