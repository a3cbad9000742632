"""`quick_crispy` writes the lists' filter forms as crispy does (whitespace aside), faster."""

import re

import pytest
from django import forms
from django.test import RequestFactory

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from evaluation.filters import LessonFilter
from partnerships.forms import FinderFilterForm
from recognition.leaderboard import LeaderboardFilter
from sections.filters import SectionFilter
from twinning.templatetags.quick_forms import quick_crispy
from twinning.tests.factories import UserFactory
from web.filters import PartnershipListFilter
from web.forms import EmailChangeForm, NoticePreferencesForm, ProfileForm

pytestmark = pytest.mark.django_db


def same_markup(html: str) -> str:
    """The markup with whitespace between and inside tags' text as a browser shows it: collapsed."""
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


def filter_forms(data, user):
    request = RequestFactory().get("/", data)
    request.user = user
    yield PartnershipListFilter(data or None, request=request).form
    yield SectionFilter(data or None).form
    yield LessonFilter(data or None, request=request).form
    yield LeaderboardFilter(data or None).form
    yield FinderFilterForm(data or None)


@pytest.mark.parametrize("data", [
    {},
    # Errors (a choice that is none, a malformed quarter, a year out of range), a ticked box, text to escape.
    {"status": "zzz", "quarter": "Q9", "year": "1", "waiting": "on", "q": '"<b>&', "kind": "nope", "min_score": "x",
     "sort": "nope", "same_country": "on"},
])
def test_the_filter_forms_are_written_as_crispy_writes_them(data):
    user = UserFactory()
    # Each on a form of its own: the widgets keep the classes a rendering gave them.
    for theirs, mine in zip(filter_forms(data, user), filter_forms(data, user), strict=True):
        assert same_markup(quick_crispy(mine)) == same_markup(as_crispy_form(theirs)), type(theirs).__name__


class Awkward(forms.Form):
    name = forms.CharField(help_text="Your <em>full</em> name")
    pick = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


class Plain(forms.Form):
    name = forms.CharField(help_text="Your <em>full</em> name")
    story = forms.CharField(widget=forms.Textarea, required=False)
    on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    email = forms.EmailField(required=False)
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    agree = forms.BooleanField()
    secret = forms.CharField(widget=forms.HiddenInput, initial="s")


def test_a_required_field_help_and_hidden_input_as_crispy_writes_them():
    for data in (None, {"name": "", "email": "not one", "on": "2026-02-31", "several": ["c"], "story": "<p>"}):
        crispy = same_markup(as_crispy_form(Plain(data)))
        assert same_markup(quick_crispy(Plain(data))) == crispy
    assert 'class="asteriskField"' in quick_crispy(Plain())


def test_a_form_with_radio_buttons_or_form_errors_goes_to_crispy_whole():
    assert same_markup(quick_crispy(Awkward())) == same_markup(as_crispy_form(Awkward()))
    form = Plain({"name": "x", "agree": "on", "secret": "s"})
    form.is_valid()
    form.add_error(None, "Something about the whole form.")
    assert "Something about the whole form." in quick_crispy(form)


def test_the_profile_forms_are_written_as_crispy_writes_them():
    user = UserFactory()
    for make in (lambda data: ProfileForm(data), lambda data: EmailChangeForm(data),
                 lambda data: NoticePreferencesForm(data)):
        for data in (None, {"full_name": "", "time_zone": "Mars/Base", "email": "x"}):
            assert same_markup(quick_crispy(make(data))) == same_markup(as_crispy_form(make(data)))
    assert user.pk
