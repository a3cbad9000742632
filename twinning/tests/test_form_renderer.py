"""The form renderer writes a select as Django's own templates do, character for character."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from twinning.form_renderer import FormRenderer, fixed_options

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


class Inputs(forms.Form):
    name = forms.CharField(label="Name & <title>", max_length=20, widget=forms.TextInput(attrs={"data-q": 'say "hi"'}))
    count = forms.IntegerField(label="Count?", required=False)
    secret = forms.CharField(widget=forms.HiddenInput, required=False)
    when = forms.DateField(required=False)
    agreed = forms.BooleanField(required=False)
    address = forms.EmailField(required=False)
    site = forms.URLField(required=False, assume_scheme="https")
    upload = forms.FileField(required=False)
    word = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "required": False}), required=False)
    plain = forms.CharField(label="No id", required=False, widget=forms.TextInput(attrs={"autofocus": True}))


def test_inputs_labels_and_errors_are_written_as_djangos_templates_write_them():
    bound = {
        "name": 'a "quoted" <b>name</b> that is far too long', "count": "x", "secret": "s&t", "when": "2026-12-03",
        "agreed": "on", "address": "not an address", "site": "example.org", "word": "pw<", "notes": "line\n<two>",
    }
    for data in (None, {}, bound):
        for auto_id in ("id_%s", False):
            ours = Inputs(data, renderer=FormRenderer(), auto_id=auto_id)
            theirs = Inputs(data, renderer=DjangoTemplates(), auto_id=auto_id)
            assert ours.render() == theirs.render()
            for field in Inputs.base_fields:
                assert str(ours[field]) == str(theirs[field])
                assert ours[field].label_tag() == theirs[field].label_tag()
                assert str(ours[field].errors) == str(theirs[field].errors)
    html = str(Inputs(bound, renderer=FormRenderer())["notes"])
    assert html == '<textarea name="notes" cols="40" rows="3" id="id_notes">\nline\n&lt;two&gt;</textarea>'


def test_inputs_labels_and_empty_errors_need_no_template(monkeypatch):
    asked = []
    monkeypatch.setattr(FormRenderer, "get_template", lambda self, name: asked.append(name) or DjangoTemplates().get_template(name))
    form = Inputs(renderer=FormRenderer())
    for field in Inputs.base_fields:
        str(form[field]), form[field].label_tag(), str(form[field].errors)
    assert asked == ["django/forms/widgets/clearable_file_input.html"]  # a template of its own


def _fixed_form():
    field = forms.ChoiceField(choices=CHOICES, required=False)
    return type("Fixed", (forms.Form,), {"pick": fixed_options(field, "tests.fixed")})


def test_fixed_options_are_written_as_a_select_writes_them_and_still_validate():
    plain = type("Plain", (forms.Form,), {"pick": forms.ChoiceField(choices=CHOICES, required=False)})
    fixed = _fixed_form()
    for data in (None, {"pick": ""}, {"pick": "CI"}, {"pick": 'x"<'}, {"pick": "7"}, {"pick": "nowhere"}):
        ours, theirs = fixed(data, renderer=FormRenderer()), plain(data, renderer=DjangoTemplates())
        assert str(ours["pick"]) == str(theirs["pick"])
        assert ours.is_valid() == theirs.is_valid()
    assert str(fixed({"pick": "FR"})["pick"]).count(" selected") == 1
    # Each form's copy of the field copies the function that lists the choices, not the list.
    assert fixed().fields["pick"]._choices.func is fixed.base_fields["pick"]._choices.func
    assert list(fixed().fields["pick"].choices) == list(plain().fields["pick"].choices)


def test_the_admins_date_and_time_inputs_are_written_as_its_templates_write_them():
    from django.contrib.admin.widgets import AdminDateWidget, AdminTimeWidget

    class Dates(forms.Form):
        day = forms.DateField(widget=AdminDateWidget)
        hour = forms.TimeField(widget=AdminTimeWidget, required=False)

    for data in (None, {"day": "2026-12-03", "hour": '12:00"<'}):
        for field in ("day", "hour"):
            ours = str(Dates(data, renderer=FormRenderer())[field])
            assert ours == str(Dates(data, renderer=DjangoTemplates())[field])
            assert ours.startswith('<p class="')


def test_a_management_form_is_written_as_djangos_template_writes_it():
    Hidden = type("Hidden", (forms.Form,), {"token": forms.CharField(widget=forms.HiddenInput)})
    Ours = forms.formset_factory(Hidden, extra=2, renderer=FormRenderer())
    Theirs = forms.formset_factory(Hidden, extra=2, renderer=DjangoTemplates())
    for data in (None, {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"}):
        ours, theirs = Ours(data), Theirs(data)
        assert str(ours.management_form) == str(theirs.management_form)
        assert str(ours.management_form).startswith('<input type="hidden" name="form-TOTAL_FORMS"')
    # A hidden field's error is shown above the form: that goes through the template.
    assert str(Hidden({}, renderer=FormRenderer())) == str(Hidden({}, renderer=DjangoTemplates()))


def test_the_admins_related_links_are_written_as_its_template_writes_them():
    from itertools import product

    from twinning.form_renderer import RELATED

    base = {
        "rendered_widget": mark_safe('<select name="x">\n</select>'), "name": "form-0-x", "url_params": "_to_field=id&_popup=1",
        "model": 'section "<b>"', "model_name": "section", "add_related_url": "/admin/s/add/",
        "delete_related_template_url": "/admin/s/__fk__/delete/", "change_related_template_url": "/admin/s/__fk__/change/",
        "view_related_url_params": "_to_field=id",
    }
    for flags in product((False, True), repeat=6):
        hidden, change, add, delete, view, limited = flags
        context = {
            **base, "is_hidden": hidden, "can_change_related": change, "can_add_related": add,
            "can_delete_related": delete, "can_view_related": view, "model_has_limit_choices_to": {"a": 1} if limited else None,
        }
        assert FormRenderer().render(RELATED, context) == DjangoTemplates().render(RELATED, dict(context)), flags
