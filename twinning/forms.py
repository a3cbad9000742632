import uuid

from crispy_forms.layout import Fieldset
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.core.exceptions import ValidationError
from django.contrib.auth.forms import AuthenticationForm
from django.db import models
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

from .validators import fits_in_database, single_line, validate_single_line


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        # As long as a stored address can be; a longer one is refused here, before the failed
        # attempt is recorded (django-axes keeps at most 255 characters of it).
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class TextFieldset(Fieldset):
    """A crispy Fieldset whose legend is shown as written, for a legend that is stored text.

    crispy renders a Fieldset's legend as a template and prints the result unescaped, so a
    stored name with "<script>" or "{{ … }}" in it would run; here it is only escaped.
    """

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        context.update({"fieldset": self, "legend": conditional_escape(self.legend), "fields": fields})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


def add_validation_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class SingleLineField(forms.CharField):
    """A one-line text: line breaks and tabs inside become one space, any other control
    character is a field error (see twinning.validators.single_line)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        value = single_line(value)
        validate_single_line(value)
        return value


def _is_single_line(field: forms.Field) -> bool:
    # Exactly a CharField drawn as a text input: a textarea is meant to hold line breaks, and
    # the subclasses (email, URL, slug, …) and password inputs check their own content.
    return type(field) is forms.CharField and isinstance(field.widget, forms.TextInput)


class IdsModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several records where an integer id too large for the database is an
    invalid choice: Django asks for them all with `pk__in`, which SQLite cannot take."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        if isinstance(getattr(field, "target_field", field), models.IntegerField):
            for item in value:
                try:
                    number = int(str(item))
                except ValueError:
                    continue  # not a number: Django's own check answers
                if not fits_in_database(number):
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                    )
        return super()._check_values(value)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """A choice of records read as one ordinary query. Django's own reads it through
    QuerySet.iterator(), which on PostgreSQL opens a server-side cursor: three round trips
    (DECLARE, FETCH, CLOSE) for a list of a few dozen rows, per field of every form drawn. The
    rows stay on the field's queryset, so a list drawn twice is read once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class SiteFormMixin:
    """What the site's forms (SiteForm, SiteModelForm) accept, whatever the field was declared
    as, made from a model's field or added in __init__: every plain text input is a
    SingleLineField, so no title or name slips through with a line break; a choice of several
    records refuses ids too large for the database with a field error instead of a 500.
    A choice of records is read without a server-side cursor (ListedChoiceIterator)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                # The widget took its choices from the field when the queryset was set; a
                # queryset set later (in a subclass's __init__) takes them through this one.
                field.iterator = ListedChoiceIterator
                field.widget.choices = field.choices

    def full_clean(self):
        # At clean time rather than in __init__, so fields a subclass adds in its own __init__
        # count too. Each field is this form's own deep copy; the subclasses add only
        # cleaning, so the field keeps its arguments, widget and validators.
        for field in self.fields.values():
            if _is_single_line(field):
                field.__class__ = SingleLineField
            elif type(field) is forms.ModelMultipleChoiceField:
                field.__class__ = IdsModelMultipleChoiceField
        super().full_clean()


class SiteForm(SiteFormMixin, forms.Form):
    pass


class SiteModelForm(SiteFormMixin, forms.ModelForm):
    pass


ONCE_FIELD = "once"


class OnceField(forms.UUIDField):
    """The hidden one-time token of a create form: a fresh uuid4 each time the form is drawn
    empty, the sent one when it comes back with errors (so that form, sent again, is still
    one form), a fresh one should it have come without or damaged."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)

    def bound_data(self, data, initial):
        try:
            uuid.UUID(str(data))
        except ValueError:
            return initial
        return data


class OnceFormMixin:
    """A create form saved once however often it is sent (twinning.submissions): the view
    passes `form.once` to the service, which claims it in the transaction that saves.

    Crispy draws only what a helper's layout names: a form with a layout sets
    `helper.render_hidden_fields = True` for the token to be drawn."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[ONCE_FIELD] = OnceField()

    @property
    def once(self) -> uuid.UUID | None:
        return self.cleaned_data.get(ONCE_FIELD)

    def clean(self):
        data = super().clean()
        # A hidden field's error shows nowhere beside it: say it above the form.
        if ONCE_FIELD in self.errors:
            del self.errors[ONCE_FIELD]
            self.add_error(None, _("This form was damaged in sending. Check what it holds and send it again."))
        return data


def filterable(**attrs) -> dict:
    """A long <select>'s attributes that let a person narrow its options by typing
    (static/js/filter-select.js): the names it gives its box and its count, in the viewer's
    language. Without the script it stays a plain select."""
    return {
        "data-filterable": _("Type to narrow the list"),
        "data-filter-count": _("%(shown)s of %(total)s shown"),
        "data-filter-chosen": _("Chosen:"),
        "data-filter-none": _("None chosen"),
        **attrs,
    }


class FilterableSelectMultiple(forms.SelectMultiple):
    """A long multiple choice as one list box, filterable by typing; a click picks or drops one
    option without touching the others (static/js/filter-select.js)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs=filterable(size=10, **(attrs or {})), choices=choices)
