from django import forms
from django.core.exceptions import ValidationError
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .validators import single_line, validate_single_line


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


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


class SingleLineFieldsMixin:
    """Every plain text input of the form is a SingleLineField, whether declared, made from a
    model's CharField or added in __init__: the site's forms take this mixin (through
    SingleLineForm and SingleLineModelForm) so no title or name slips through with a line break."""

    def full_clean(self):
        # At clean time rather than in __init__, so fields a subclass adds in its own __init__
        # count too. The field is this form's own deep copy; SingleLineField adds only
        # to_python, so the field keeps its arguments, widget and validators.
        for field in self.fields.values():
            if _is_single_line(field):
                field.__class__ = SingleLineField
        super().full_clean()


class SingleLineForm(SingleLineFieldsMixin, forms.Form):
    pass


class SingleLineModelForm(SingleLineFieldsMixin, forms.ModelForm):
    pass
