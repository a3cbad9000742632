from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from sections.permissions import is_society_admin
from twinning.admin import InlineRows, RelatedSearch

from .leaderboard import EARLIEST_YEAR, LATEST_YEAR
from .models import LedgerEntry, Nomination, NominationStep, PointRule, ReconciliationRun
from .services.nominations import NominationRefused, nomination_decide
from .services.points import ledger_adjust

# What earned entries were computed with: once a rule has entries, changing them would make
# the ledger disagree with its own rule. A change is a new version from a later date.
FROZEN_RULE_FIELDS = ("event", "form", "points", "points_per_month", "points_per_activity", "earner", "effective_from")


class PointRuleForm(forms.ModelForm):
    class Meta:
        model = PointRule
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        rule = self.instance
        if rule.pk and rule.entries.exists():
            changed = [name for name in FROZEN_RULE_FIELDS if name in self.changed_data]
            if changed:
                raise ValidationError(
                    _("This rule has earned points: it can only be ended (effective until). Add a new version for the change.")
                )
            until = cleaned.get("effective_until")
            last = rule.entries.filter(kind=LedgerEntry.Kind.EARNED).aggregate(last=Max("occurred_on"))["last"]
            if until and last and until < last:
                self.add_error(
                    "effective_until",
                    _("Points were earned under this rule up to %(day)s; it cannot end before that.") % {"day": last},
                )
        return cleaned


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    form = PointRuleForm
    list_display = ("event", "form", "points", "points_per_month", "points_per_activity", "earner",
                    "effective_from", "effective_until")
    list_filter = ("event", "earner")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.entries.exists():
            return FROZEN_RULE_FIELDS
        return ()

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.entries.exists():
            return False
        return super().has_delete_permission(request, obj)


class AdjustmentForm(forms.ModelForm):
    """An admin's adjustment: the one way to add an entry by hand (see `ledger_adjust`)."""

    class Meta:
        model = LedgerEntry
        fields = ("section", "points", "award_year", "reason")
        help_texts = {"points": _("Negative to take points away."), "reason": _("Required: why the points change.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = LedgerEntry.Kind.ADJUSTMENT

    def clean_reason(self):
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise ValidationError(_("Say why the points are adjusted."))
        return reason

    def clean_points(self):
        points = self.cleaned_data.get("points")
        if points == 0:
            raise ValidationError(_("An adjustment of zero points changes nothing."))
        return points

    def clean_award_year(self):
        # The pages show only these years (leaderboard.year_from); a year outside them would
        # never be seen and would stretch every page's year picker to reach it.
        year = self.cleaned_data.get("award_year")
        if year is not None and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise ValidationError(
                _("Give an award year from %(first)s to %(last)s.") % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
            )
        return year


@admin.register(LedgerEntry)
class LedgerEntryAdmin(RelatedSearch, admin.ModelAdmin):
    list_display = ("occurred_on", "section", "points", "kind", "rule", "award_year", "partnership", "reason",
                    "created_by")
    list_filter = ("award_year", "kind", "rule__event", "rule", ("occurred_on", admin.DateFieldListFilter))
    list_select_related = ("section", "rule__form", "partnership", "created_by")
    search_fields = ("section__name", "reason")
    show_full_result_count = False
    autocomplete_fields = ("section",)  # the adjustment form's
    readonly_fields = [field.name for field in LedgerEntry._meta.fields]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = AdjustmentForm
            kwargs["fields"] = AdjustmentForm.Meta.fields
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return AdjustmentForm.Meta.fields
        return super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        # Entries are never changed (the change page is read-only): this is always an adjustment.
        entry = ledger_adjust(
            section=obj.section, points=obj.points, reason=obj.reason, actor=request.user, award_year=obj.award_year
        )
        obj.pk = entry.pk
        obj.kind = entry.kind

    def has_add_permission(self, request):
        # An adjustment is a society admin's act (ledger_adjust): the model permission alone
        # does not make one.
        return super().has_add_permission(request) and is_society_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReconciliationRun)
class ReconciliationRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "finished_at", "filled", "reversed")
    readonly_fields = ("started_at", "finished_at", "filled", "reversed", "details")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Award nominations: society admins decide here. Every field is the section's or the
# district's; the admin's part is the decision, taken through the service (its step, its mail).
class NominationStepInline(InlineRows, admin.TabularInline):
    model = NominationStep
    row_related = ("actor",)
    extra = 0
    can_delete = False
    fields = ["at", "from_state", "to_state", "actor", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(RelatedSearch, admin.ModelAdmin):
    list_display = ["section", "award_year", "state", "updated_at"]
    list_filter = ["state", "award_year", "section__district"]
    search_fields = ["section__name"]
    list_select_related = ["section"]
    fields = ["section", "award_year", "state", "narrative", "statement", "created_by", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [NominationStepInline]
    actions = ["award", "do_not_award"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, *, awarded: bool) -> None:
        done = 0
        for nomination in queryset.select_related("section"):
            try:
                nomination_decide(nomination=nomination, actor=request.user, awarded=awarded)
            except NominationRefused as exc:
                messages.error(request, f"{nomination}: {exc}")
            else:
                done += 1
        if done:
            messages.success(request, _("%(count)s nomination(s) decided; their sections' officers are told.") % {"count": done})

    def has_decide_permission(self, request) -> bool:
        """Deciding an award is a society admin's act (nomination_decide), whatever the
        user's model permissions."""
        return is_society_admin(request.user)

    @admin.action(description=_("Award the section (forwarded nominations)"), permissions=["decide"])
    def award(self, request, queryset):
        self._decide(request, queryset, awarded=True)

    @admin.action(description=_("Do not award (forwarded nominations)"), permissions=["decide"])
    def do_not_award(self, request, queryset):
        self._decide(request, queryset, awarded=False)
