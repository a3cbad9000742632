import copy
from importlib import import_module

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.models import CrontabSchedule

from . import mail
from .form_renderer import fixed_options
from .forms import SiteFormMixin, SiteModelForm
from .models import OutgoingMail, User

# The page size of the changelists over the tables that grow with the society (sections,
# partnerships and their logs): rendering a row costs about half a millisecond (its cells,
# dates and links), so Django's 100 rows were most of a page's time. Search and the filters
# reach any row.
LIST_PER_PAGE = 50


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the site's services and periodic jobs keep (they lock, mail and resolve them):
    shown in the admin, changed only through the site."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RowAutocompleteSelect(AutocompleteSelect):
    """An autocomplete in an inline row that shows the object the row was loaded with.

    Django's fetches the chosen object again for every widget: one query per row. `known`
    (set by KnownRowsFormSet) maps the row's own choice to its label; any other value, as
    when a form comes back with errors, is fetched as before. With nothing chosen (the empty
    row "Add another" copies) there is nothing to fetch: Django still builds a query for no
    ids, about 1 ms for each such widget of the page."""

    known: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if selected and (self.known is None or not selected <= self.known.keys()):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for choice in selected:
            options.append(self.create_option(name, choice, self.known[choice], True, len(options)))
        return [(None, options, 0)]


class InlineFormSet(BaseInlineFormSet):
    """An inline formset that builds its empty form once.

    The empty form is the row the admin's "Add another" copies. Django builds a new one each
    time it is read: for an inline on a change form that is six times (its media, the multipart
    check, the column headings, the rows), a form with a deep copy of every field each time,
    about 1 ms per inline. Nothing changes it once built."""

    @cached_property
    def empty_form(self):
        return super().empty_form

    def get_queryset(self):
        """The rows, each knowing the parent it belongs to: Django sets only the parent's id on
        them, so a row whose name or read-only fields mention the parent would fetch it again
        (or join it to every row)."""
        if not hasattr(self, "_queryset"):
            for row in super().get_queryset():
                self.fk.set_cached_value(row, self.instance)
        return super().get_queryset()


def tell_known_choices(form) -> None:
    """Tell each RowAutocompleteSelect of `form` the object its instance already holds."""
    for name, field in form.fields.items():
        widget = getattr(field.widget, "widget", field.widget)  # inside the admin's add/change links
        if not isinstance(widget, RowAutocompleteSelect):
            continue
        model_field = form.instance._meta.get_field(name)
        if model_field.is_cached(form.instance):
            chosen = getattr(form.instance, name)
            widget.known = {} if chosen is None else {str(chosen.pk): field.label_from_instance(chosen)}


class KnownRowsFormSet(InlineFormSet):
    """Tells each row's RowAutocompleteSelect the object its row already holds."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        tell_known_choices(form)
        return form


class KnownChoicesForm(SiteModelForm):
    """An admin's form whose autocompletes (RowAutocompletes) show the objects its record was
    loaded with (the admin's get_queryset selects them), instead of fetching each again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tell_known_choices(self)


class RowAutocompletes:
    """An admin (or inline) whose autocompletes are RowAutocompleteSelect: an empty one builds
    no query, one of an inline row shows the object the row was loaded with."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class KnownChoicesAdmin(RowAutocompletes):
    """A ModelAdmin whose change form's autocompletes show the records its object was loaded
    with, instead of a query each: get_object selects them, KnownChoicesForm hands them to the
    widgets. Not in get_queryset: the changelist would join them to every row."""

    form = KnownChoicesForm

    def get_object(self, request, object_id, from_field=None):
        # As Django's own, over the queryset with the autocompletes' records selected.
        queryset = self.get_queryset(request).select_related(*self.get_autocomplete_fields(request))
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None


class InlineRows(RowAutocompletes):
    """An inline whose rows cost no query each: what the rows show (their __str__, read-only
    foreign keys, autocompletes) comes with the rows through `row_related`, and autocompletes
    show it instead of fetching it per row. The parent is not among them: the formset
    (InlineFormSet) gives each row the parent object the page already holds."""

    row_related: tuple[str, ...] = ()
    formset = KnownRowsFormSet

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # select_related() with no names would follow every foreign key.
        return queryset.select_related(*self.row_related) if self.row_related else queryset


class FixedOptions:
    """The choice fields named in `fixed_options_fields` (time zones, countries: long lists,
    the same on every form) drawn by twinning.form_renderer.FixedOptionsSelect."""

    fixed_options_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name not in self.fixed_options_fields or kwargs:
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        # Made once: the model field lists its ~600 choices anew each time it makes a form
        # field; a copy of the made one costs nothing (its choices are a function).
        made = self.__dict__.setdefault("_fixed_fields", {})
        if db_field.name not in made:
            field = super().formfield_for_dbfield(db_field, request)
            made[db_field.name] = fixed_options(field, f"{db_field.model._meta.label}.{db_field.name}")
        return copy.deepcopy(made[db_field.name])


class PlainRowCheckbox:
    """Each row's action checkbox written out as HTML: Django renders a form widget through the
    template engine for every row, a third of the time of a 100-row changelist."""

    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME, obj.pk, label,
        )


class RelatedSearch:
    """A search whose fields through a foreign key ("partnership__title") ask the related table
    in a subquery, one per table and word, instead of joining it to every row: PostgreSQL
    hashes the few matching ids once and reads the big table alone (a search over 94,000
    check-ins joined to their sections and partnerships took 0.6 s). Every search field must
    be the model's own or start with a foreign key: no row can come twice."""

    def get_search_results(self, request, queryset, search_term):
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            matches = Q()
            for path in self.get_search_fields(request):
                head, _sep, rest = path.partition("__")
                if not rest:
                    matches |= Q(**{f"{path}__icontains": word})
                    continue
                through = self.model._meta.get_field(head)
                if not (through.many_to_one or through.one_to_one) or path[0] in "^=@":
                    raise ImproperlyConfigured(f"{type(self).__name__}: search field {path!r} is not through a foreign key.")
                related = through.related_model
                matches |= Q(**{f"{head}__in": related._default_manager.filter(**{f"{rest}__icontains": word}).values("pk")})
            queryset = queryset.filter(matches)
        return queryset, False


class PageRowsChangeList(ChangeList):
    def apply_select_related(self, qs):
        return qs.prefetch_related(*self.model_admin.list_prefetch_related)


class PageRelated:
    """A changelist that reads the records its rows name (`list_prefetch_related`) for the
    page's rows only, one query per relation, instead of joining them to every row: where the
    list's order has no index, PostgreSQL joins the whole table to its partnerships and
    sections before it sorts and cuts the page (the conflicts: 22 ms, 1,142 rows joined to
    20,000 partnerships and 5,000 sections, against ~1 ms for three small queries)."""

    list_prefetch_related: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        return PageRowsChangeList


class UserCreationForm(SiteFormMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")


class UserEditForm(SiteFormMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(PlainRowCheckbox, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login")
    list_per_page = LIST_PER_PAGE
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
class OutgoingMailAdmin(PlainRowCheckbox, admin.ModelAdmin):
    """What the mail path holds: queued, sent and failed messages, read-only. A failed one
    (its error shown) is sent again with the action."""

    list_display = ("status", "to", "subject", "attempts", "last_error", "created_at", "sent_at")
    list_per_page = LIST_PER_PAGE
    list_filter = ("status", "template_name", ("created_at", admin.DateFieldListFilter))
    search_fields = ("to", "subject")
    show_full_result_count = False
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


# django_celery_beat's crontab form, with its ~600 time zones as fixed options. Its admin
# module is imported here so that it registers first, then this replaces it.
beat_admin = import_module("django_celery_beat.admin")
admin.site.unregister(CrontabSchedule)


@admin.register(CrontabSchedule)
class CrontabScheduleAdmin(FixedOptions, beat_admin.CrontabScheduleAdmin):
    fixed_options_fields = ("timezone",)
