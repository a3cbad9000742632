from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.defaultfilters import filesizeformat
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ImportForm

from twinning.admin import LIST_PER_PAGE, FixedOptions, InlineRows, KnownRowsFormSet, PlainRowCheckbox, RelatedSearch
from twinning.translations import translations_form

from .models import (
    SECTION_PROFILE_M2M_FIELDS,
    District,
    DistrictCoordinator,
    FinderDecision,
    FinderWeight,
    Invitation,
    Language,
    Officer,
    Section,
    Society,
    TechnicalInterest,
    TwinningForm,
)
from .forms import ProfileListsMixin
from .resources import DistrictResource, OfficerInvitationResource, SectionResource
from .services import invitation_create, invitation_resend, invitation_revoke, officer_end


CSV_IMPORT_MAX_BYTES = 5 * 1024 * 1024


class SizeLimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > CSV_IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; files up to %(limit)s can be imported.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(CSV_IMPORT_MAX_BYTES)}
            )
        return upload


class AllOrNothingImportAdmin(ImportExportModelAdmin):
    """Refuses oversized files, and says so when the confirm step was rolled back
    instead of reporting rows as imported."""

    import_form_class = SizeLimitedImportForm

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                _(
                    "Nothing was imported: the file no longer passes validation. "
                    "Upload it again to see which rows fail."
                ),
            )
            app_label, model_name = self.get_model_info()
            return HttpResponseRedirect(reverse(f"admin:{app_label}_{model_name}_import"))
        return super().process_result(result, request)


@admin.register(Society)
class SocietyAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_email")

    def has_add_permission(self, request) -> bool:
        return not Society.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CoordinatorInline(InlineRows, admin.TabularInline):
    model = DistrictCoordinator
    extra = 0
    autocomplete_fields = ("user",)
    row_related = ("user",)


@admin.register(District)
class DistrictAdmin(AllOrNothingImportAdmin):
    resource_classes = [DistrictResource]
    list_display = ("code", "name", "region", "section_count")
    list_filter = ("region",)
    search_fields = ("code", "name", "region")
    inlines = [CoordinatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_section_count=Count("sections"))

    @admin.display(description=_("sections"), ordering="_section_count")
    def section_count(self, obj: District) -> int:
        return obj._section_count


@admin.register(TechnicalInterest)
class TechnicalInterestAdmin(admin.ModelAdmin):
    form = translations_form(TechnicalInterest)
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(TwinningForm)
class TwinningFormAdmin(admin.ModelAdmin):
    form = translations_form(TwinningForm)
    list_display = ("name", "code", "position")
    list_editable = ("position",)
    search_fields = ("name",)

    def get_readonly_fields(self, request, obj=None):
        # Rules refer to the four codes; only their wording may change.
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


class OfficerInlineFormSet(KnownRowsFormSet):
    """Refuses two rows giving one person the same office for overlapping periods.

    Officer.clean() compares a row with the terms already saved, not with the other
    rows of the same submission, so two new overlapping rows would both pass it.
    """

    def clean(self) -> None:
        super().clean()
        terms = []
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or self._should_delete_form(form):
                continue
            data = form.cleaned_data
            if data.get("user") and data.get("role") and data.get("start_date"):
                terms.append((data["user"], data["role"], data["start_date"], data.get("end_date")))
        for index, (user, role, start, end) in enumerate(terms):
            for other_user, other_role, other_start, other_end in terms[index + 1 :]:
                if (user, role) != (other_user, other_role):
                    continue
                if (other_end is None or start <= other_end) and (end is None or other_start <= end):
                    raise ValidationError(
                        _("%(person)s is entered twice as %(role)s for overlapping periods.")
                        % {"person": user, "role": Officer.Role(role).label}
                    )


class OfficerInline(InlineRows, admin.TabularInline):
    model = Officer
    formset = OfficerInlineFormSet
    extra = 0
    autocomplete_fields = ("user",)
    row_related = ("user",)
    fields = ("user", "role", "start_date", "end_date")


def _end_if_changed(request, form, officer: Officer) -> None:
    """An end date entered or changed in the admin ends the office through its service, so
    the partnerships this person led are handed over."""
    if "end_date" in form.changed_data and officer.end_date is not None:
        officer_end(officer=officer, end_date=officer.end_date, actor=request.user)


class SectionAdminForm(ProfileListsMixin, forms.ModelForm):
    """The admin makes its form of this one, with the fields of its fieldsets."""


@admin.register(Section)
class SectionAdmin(FixedOptions, PlainRowCheckbox, AllOrNothingImportAdmin):
    form = SectionAdminForm
    resource_classes = [SectionResource]
    list_display = ("name", "kind", "district", "country_name", "city", "maturity", "seeking_partner")
    list_per_page = LIST_PER_PAGE
    # The countries sections are in (a DISTINCT over the country index), not all 250.
    list_filter = ("kind", "maturity", "seeking_partner", "district", ("country", CountryFilter))
    list_select_related = ("district",)
    search_fields = ("name", "slug", "city")
    show_full_result_count = False
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("district",)
    # ~600 time zones and ~250 countries.
    fixed_options_fields = ("time_zone", "country")
    filter_horizontal = SECTION_PROFILE_M2M_FIELDS
    inlines = [OfficerInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description=_("country"), ordering="country")
    def country_name(self, obj: Section) -> str:
        # The admin would look the name up in the field's 250 choices, normalised again for
        # every row (a quarter of a second a page); the country object knows its name.
        return obj.country.name

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Officer:
            for officer_form in formset.forms:
                if officer_form.instance.pk and not formset._should_delete_form(officer_form):
                    _end_if_changed(request, officer_form, officer_form.instance)

    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "district")}),
        (_("Where"), {"fields": ("country", "city", "time_zone", "working_languages")}),
        (_("About"), {"fields": ("description", "founded_year", "member_count", "maturity")}),
        (_("Interests"), {"fields": ("interests",)}),
        (_("Offers"), {"fields": ("offers_forms", "offers_topics", "offers_notes")}),
        (_("Needs"), {"fields": ("needs_forms", "needs_topics", "needs_notes")}),
        (
            _("Partnering and contact"),
            {"fields": ("seeking_partner", "max_concurrent_partnerships", "website", "contact_email")},
        ),
    )


@admin.register(Officer)
class OfficerAdmin(RelatedSearch, PlainRowCheckbox, admin.ModelAdmin):
    list_display = ("user", "section", "role", "start_date", "end_date")
    list_per_page = LIST_PER_PAGE
    list_select_related = ("user", "section")
    search_fields = ("user__email", "user__full_name", "section__name")
    autocomplete_fields = ("user", "section")
    list_filter = ("role", "section__district", ("start_date", admin.DateFieldListFilter))
    show_full_result_count = False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        _end_if_changed(request, form, obj)


@admin.register(DistrictCoordinator)
class DistrictCoordinatorAdmin(RelatedSearch, PlainRowCheckbox, admin.ModelAdmin):
    list_display = ("user", "district", "start_date", "end_date")
    list_filter = ("district",)
    list_select_related = ("user", "district")
    search_fields = ("user__email", "user__full_name", "district__name", "district__code")
    autocomplete_fields = ("user", "district")


@admin.register(FinderWeight)
class FinderWeightAdmin(admin.ModelAdmin):
    list_display = ("factor", "weight")
    list_editable = ("weight",)

    def has_add_permission(self, request) -> bool:
        return FinderWeight.objects.count() < len(FinderWeight.Factor)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FinderDecision)
class FinderDecisionAdmin(RelatedSearch, PlainRowCheckbox, admin.ModelAdmin):
    list_display = ("section", "candidate", "kind", "decided_by", "decided_at")
    list_filter = ("kind",)
    list_select_related = ("section", "candidate", "decided_by")
    search_fields = ("section__name", "candidate__name")
    autocomplete_fields = ("section", "candidate", "decided_by")


@admin.register(Invitation)
class InvitationAdmin(RelatedSearch, PlainRowCheckbox, AllOrNothingImportAdmin):
    """Society admins invite coordinators (add one, naming a district) and officers, one by one
    or imported from CSV (email, section, role, start_date); re-send and revoke are actions.
    An invitation itself is never edited: re-sending mails a new link, revoking withdraws it."""

    resource_classes = [OfficerInvitationResource]
    list_display = ("email", "office_label", "start_date", "state_display", "invited_by", "sent_at", "expires_at")
    list_filter = ("role", "district", "section__district")
    list_select_related = ("section", "district", "invited_by")
    search_fields = ("email", "section__name", "district__name")
    autocomplete_fields = ("section", "district")
    fields = ("email", "district", "section", "role", "start_date")
    actions = ["resend_selected", "revoke_selected"]

    def has_export_permission(self, request) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.fields, "invited_by", "sent_at", "expires_at", "accepted_at", "accepted_by", "revoked_at")

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj) if obj else self.fields

    @admin.display(description=_("office"))
    def office_label(self, obj: Invitation) -> str:
        return obj.office_label

    @admin.display(description=_("state"))
    def state_display(self, obj: Invitation) -> str:
        return {"pending": _("pending"), "expired": _("expired"), "accepted": _("accepted"), "revoked": _("revoked")}[
            obj.state
        ]

    def save_model(self, request, obj, form, change):
        if change:
            return
        created = invitation_create(
            actor=request.user, email=obj.email, section=obj.section, role=obj.role, district=obj.district,
            start_date=obj.start_date,
        )
        obj.pk = created.pk

    def _each(self, request, queryset, service, done: str) -> None:
        count, refused = 0, []
        for invitation in queryset.select_related("section", "district"):
            try:
                service(invitation=invitation, actor=request.user)
            except (ValidationError, PermissionDenied):
                refused.append(invitation.email)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                _("Left as they were (accepted, revoked, or not yours to change): %(emails)s")
                % {"emails": ", ".join(refused)},
                messages.WARNING,
            )

    @admin.action(description=_("Re-send the selected invitations (new links)"), permissions=["change"])
    def resend_selected(self, request, queryset):
        self._each(request, queryset, invitation_resend, _("%(count)s invitation(s) re-sent."))

    @admin.action(description=_("Revoke the selected invitations"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        self._each(request, queryset, invitation_revoke, _("%(count)s invitation(s) revoked."))
