from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Nomination, NominationStep
from .services.nominations import NominationRefused, nomination_decide


# Award nominations: society admins decide here. Every field is the section's or the
# district's; the admin's part is the decision, taken through the service (its step, its mail).
class NominationStepInline(admin.TabularInline):
    model = NominationStep
    extra = 0
    can_delete = False
    fields = ["at", "from_state", "to_state", "actor", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
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

    @admin.action(description=_("Award the section (forwarded nominations)"))
    def award(self, request, queryset):
        self._decide(request, queryset, awarded=True)

    @admin.action(description=_("Do not award (forwarded nominations)"))
    def do_not_award(self, request, queryset):
        self._decide(request, queryset, awarded=False)
