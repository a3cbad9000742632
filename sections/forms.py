from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.db.models import TextField, Value
from django.db.models.functions import Cast
from django.forms.models import ModelChoiceIteratorValue
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from django.contrib.auth import password_validation
from django.utils import timezone

from twinning.forms import FilterableSelectMultiple, SiteForm, SiteModelForm, filterable

from .models import Officer, Section
from .selectors import NAMED_IN_ERROR, section_label, sections_named, set_prefetched
from .services import PROFILE_FIELDS, PROFILE_M2M_FIELDS


# Sections are typed, not picked: a society has thousands, and a <select> of them all costs
# seconds to draw and megabytes to send. static/js/section-autocomplete.js turns each input
# into a combobox that suggests sections as one types; without it the typed text is resolved
# here, by address name, label or name.
class SectionInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({
            "autocomplete": "off", "spellcheck": "false", "data-section-autocomplete": "",
            "data-suggestions-label": _("Suggestions"), **(attrs or {}),
        })

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-section-autocomplete"] = reverse("sections:autocomplete")
        return context


class SectionsInput(SectionInput):
    """One typed section per input, the same name repeated: those filled in, and two empty."""

    EMPTY = 2

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def render(self, name, value, attrs=None, renderer=None):
        if value is None or isinstance(value, str):
            value = [value]
        values = [item for item in value if item not in (None, "")]
        attrs = dict(attrs or {})
        label = self.attrs.get("data-label", "")
        html = []
        for index, item in enumerate([*values, *[""] * self.EMPTY]):
            sub_attrs = dict(attrs)
            if index:  # the <label> names the first input; each further one says which it is
                if attrs.get("id"):
                    sub_attrs["id"] = f"{attrs['id']}_{index}"
                sub_attrs["aria-label"] = f"{label} ({index + 1})".strip()
            html.append(format_html('<div class="mb-1">{}</div>', super().render(name, item, sub_attrs, renderer)))
        return format_html_join("", "{}", ((part,) for part in html))


def _resolve(field: forms.Field, text: str) -> Section:
    sections = sections_named(text=text, queryset=field.queryset)
    if not sections:
        raise forms.ValidationError(
            _("No section matches “%(text)s”. Type its name, or its address name as in /sections/houston/."),
            code="invalid_choice", params={"text": text},
        )
    if len(sections) > 1:
        names = "; ".join(section_label(section) for section in sections[:NAMED_IN_ERROR])
        more = "; …" if len(sections) > NAMED_IN_ERROR else ""
        raise forms.ValidationError(
            _("Several sections match “%(text)s”: %(names)s. Type one of these as written."),
            code="ambiguous", params={"text": text, "names": names + more},
        )
    return sections[0]


class SectionChoiceField(forms.Field):
    """A section typed by name ("Lyon"), label ("Lyon (Lyon, France)") or address name
    ("lyon"); cleaned to the one section of `queryset` it names, or a form error that says
    whether none or several match."""

    widget = SectionInput

    def __init__(self, *, queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.queryset = Section.objects.all() if queryset is None else queryset

    def prepare_value(self, value):
        return section_label(value) if isinstance(value, Section) else value

    def to_python(self, value) -> Section | None:
        text = " ".join(str(value or "").split())
        if not text:
            return None
        return _resolve(self, text)


class SectionMultipleChoiceField(SectionChoiceField):
    """Several typed sections, one per input; each cleaned as SectionChoiceField."""

    widget = SectionsInput

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "data-label": self.label or ""}

    def prepare_value(self, value):
        if value is None or isinstance(value, (str, Section)):
            return value
        return [super(SectionMultipleChoiceField, self).prepare_value(item) for item in value]

    def to_python(self, value) -> list[Section]:
        texts = [" ".join(str(item or "").split()) for item in (value if isinstance(value, (list, tuple)) else [value])]
        sections, errors = [], []
        for text in filter(None, texts):
            try:
                section = _resolve(self, text)
            except forms.ValidationError as error:
                errors.append(error)
            else:
                if section not in sections:
                    sections.append(section)
        if errors:
            raise forms.ValidationError(errors)
        return sections

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


def _prefetch_profile_choices(section: Section, listed: dict) -> None:
    """Fill `section`'s prefetch cache of its profile's many-to-many fields from one UNION ALL
    of their link tables, with the objects of `listed` (every row of each related table)."""
    parts = []
    for index, name in enumerate(PROFILE_M2M_FIELDS):
        through = Section._meta.get_field(name).remote_field.through
        target = Section._meta.get_field(name).m2m_reverse_name()
        parts.append(
            # As text: a language's key is its code, the other tables' an integer.
            through.objects.filter(section_id=section.pk).order_by()
            .annotate(part=Value(index), key=Cast(target, TextField())).values_list("part", "key")
        )
    first, *rest = parts
    chosen: dict[int, list[str]] = {index: [] for index in range(len(PROFILE_M2M_FIELDS))}
    for index, pk in first.union(*rest, all=True):
        chosen[index].append(pk)
    for index, name in enumerate(PROFILE_M2M_FIELDS):
        keys = set(chosen[index])
        # In the table's own order, as a prefetch would have read them.
        set_prefetched(section, name, [
            obj for obj in listed[Section._meta.get_field(name).related_model] if str(obj.pk) in keys
        ])


class ProfileListsMixin:
    """A form of a section with its profile's lists (PROFILE_M2M_FIELDS), the site's and the
    admin's: the six lists choose among three small tables, each read once, not once per
    list (twice through a server-side cursor); an unbound form of a saved section reads what
    it chose in one query instead of six. Twelve queries become four."""

    def __init__(self, *args, **kwargs):
        if not all(name in self.base_fields for name in PROFILE_M2M_FIELDS):
            # A form showing some lists read-only (a viewer in the admin): as Django reads them.
            super().__init__(*args, **kwargs)
            return
        instance = kwargs.get("instance")
        unbound = (args[0] if args else kwargs.get("data")) is None
        listed = {}
        for name in PROFILE_M2M_FIELDS:
            queryset = self.base_fields[name].queryset
            if queryset.model not in listed:
                # A copy (all()): the class's queryset would keep the rows it read for the
                # process's life, and an interest added later would never be offered.
                listed[queryset.model] = list(queryset.all())
        if unbound and instance is not None and instance.pk is not None:
            # The form reads the choices from the section's prefetched relations. A bound form
            # reads them itself: saving changes them.
            _prefetch_profile_choices(instance, listed)
        super().__init__(*args, **kwargs)
        for name in PROFILE_M2M_FIELDS:
            field = self.fields[name]
            field.choices = [
                (ModelChoiceIteratorValue(field.prepare_value(obj), obj), field.label_from_instance(obj))
                for obj in listed[field.queryset.model]
            ]


class SectionProfileForm(ProfileListsMixin, SiteModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Section
        fields = PROFILE_FIELDS + PROFILE_M2M_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "offers_notes": forms.Textarea(attrs={"rows": 3}),
            "needs_notes": forms.Textarea(attrs={"rows": 3}),
            "interests": forms.CheckboxSelectMultiple,
            "offers_forms": forms.CheckboxSelectMultiple,
            "offers_topics": forms.CheckboxSelectMultiple,
            "needs_forms": forms.CheckboxSelectMultiple,
            "needs_topics": forms.CheckboxSelectMultiple,
            # About 130 languages: one list box filtered by typing, not a wall of checkboxes.
            "working_languages": FilterableSelectMultiple,
            "country": forms.Select(attrs=filterable()),
            "time_zone": forms.Select(attrs=filterable()),
        }
        help_texts = {
            "maturity": _(
                "Formative: newly formed or rebuilding. Developing: running regular "
                "activities. Established: long-standing with a steady programme."
            ),
            "seeking_partner": _(
                "Shows the section as seeking a partner in the section directory and the partner finder."
            ),
            "max_concurrent_partnerships": _(
                "Partner suggestions stop once the section runs this many partnerships."
            ),
            "working_languages": _(
                "Type above the list to find a language; a click adds or removes one. With the "
                "keyboard, hold Ctrl (⌘ on a Mac) to move with the arrows and press Space to add or remove."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                _("Where you are"),
                "country",
                "city",
                "time_zone",
                "working_languages",
            ),
            Fieldset(
                _("About the section"), "description", "founded_year", "member_count", "maturity"
            ),
            Fieldset(_("Technical interests"), Field("interests", wrapper_class="checkbox-columns")),
            Fieldset(
                _("What you can offer a partner"),
                "offers_forms",
                Field("offers_topics", wrapper_class="checkbox-columns"),
                "offers_notes",
            ),
            Fieldset(
                _("What you hope to gain"),
                "needs_forms",
                Field("needs_topics", wrapper_class="checkbox-columns"),
                "needs_notes",
            ),
            Fieldset(
                _("Partnering and contact"),
                "seeking_partner",
                "max_concurrent_partnerships",
                "website",
                "contact_email",
            ),
            Submit("save", _("Save profile")),
        )



class InvitationForm(SiteForm):
    email = forms.EmailField(label=_("Email address"), max_length=254)
    role = forms.ChoiceField(label=_("Office"), choices=Officer.Role.choices)
    start_date = forms.DateField(
        label=_("Start date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The first day in office; an invitation accepted later starts the office on the day it is accepted."),
    )


class InvitationAcceptForm(SiteForm):
    """A new account's name and password; the address is the invitation's."""

    full_name = forms.CharField(label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return data
