from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import mail
from .forms import SiteFormMixin
from .models import OutgoingMail, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the site's services and periodic jobs keep (they lock, mail and resolve them):
    shown in the admin, changed only through the site."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UserCreationForm(SiteFormMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(SiteFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "time_zone")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """What the mail path holds: queued, sent and failed messages, read-only. A failed one
    (its error shown) is sent again with the action."""

    list_display = ("status", "to", "subject", "attempts", "last_error", "created_at", "sent_at")
    list_filter = ("status", "template_name")
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    fields = (
        "status", "to", "subject", "template_name", "attempts", "next_attempt_at", "last_error",
        "created_at", "sent_at", "text", "html",
    )
    readonly_fields = fields
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (failed messages)"), permissions=["change"])
    def send_again(self, request, queryset):
        requeued = mail.requeue(mail_ids=queryset.values_list("pk", flat=True))
        messages.success(
            request,
            ngettext(
                "%(count)d failed message queued to be sent again.",
                "%(count)d failed messages queued to be sent again.",
                requeued,
            ) % {"count": requeued},
        )
