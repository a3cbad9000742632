"""The form renderer writes a select as Django's own templates do, character for character."""

from django import forms
from django.forms.renderers import DjangoTemplates

from twinning.form_renderer import FormRenderer

CHOICES = [
    ("", "Any country"),
    ("BO", "Bolivia"),
    ("CI", "Côte d'Ivoire"),
    ("Europe", [("FR", "France"), ("x\"<", "<b>Quoted & bold</b>")]),
    (7, "Seven"),
]


class Sample(forms.Form):
    country = forms.ChoiceField(choices=CHOICES, required=False)
    countries = forms.MultipleChoiceField(choices=CHOICES, required=False,
                                          widget=forms.SelectMultiple(attrs={"data-x": "a\"b", "hidden": True,
                                                                             "disabled": False}))
    answer = forms.NullBooleanField(required=False)


def both(data):
    """(Django's templates, ours) for every field of the form bound to data."""
    for field in Sample.base_fields:
        yield (
            str(Sample(data, renderer=DjangoTemplates())[field]),
            str(Sample(data, renderer=FormRenderer())[field]),
        )


def test_a_select_is_written_as_djangos_templates_write_it():
    for data in (None, {"country": "CI", "countries": ["FR", "x\"<", "7"], "answer": "true"}):
        for theirs, ours in both(data):
            assert ours == theirs
    # The values reach the page, escaped once.
    html = str(Sample({"countries": ["x\"<"]}, renderer=FormRenderer())["countries"])
    assert '<option value="x&quot;&lt;" selected>&lt;b&gt;Quoted &amp; bold&lt;/b&gt;</option>' in html
    assert '<optgroup label="Europe">' in html and "disabled" not in html and " hidden " in html


class OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


def test_a_widget_with_options_of_its_own_goes_through_the_templates():
    field = forms.ChoiceField(choices=CHOICES[:2], widget=OwnOption)
    form = type("F", (forms.Form,), {"pick": field})
    assert str(form(renderer=FormRenderer())["pick"]) == str(form(renderer=DjangoTemplates())["pick"])
    assert "<input" in str(form(renderer=FormRenderer())["pick"])
