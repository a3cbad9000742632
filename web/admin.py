"""Calendar feeds in the admin: a society admin can see who has one and revoke a feed whose
address leaked (by deleting it); the address itself is not stored, so it cannot be shown."""

from django.contrib import admin

from twinning.admin import RelatedSearch

from .models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(RelatedSearch, admin.ModelAdmin):
    list_display = ("user", "created_at")
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user",)
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request) -> bool:
        # A feed's token is shown only to its owner, on their profile page.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
