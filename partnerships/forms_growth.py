"""Forms for growing a formative section (partnerships/views/growth.py)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.forms import OnceFormMixin, SiteForm
from twinning.validators import validate_signed_document

from .models import MilestoneKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class MilestoneForm(OnceFormMixin, SiteForm):
    kind = forms.ModelChoiceField(
        queryset=MilestoneKind.objects.filter(active=True), label=_("Milestone"),
        help_text=_("The list is kept by the society's admins."),
    )
    target_date = forms.DateField(widget=DATE, label=_("Target date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the milestone"))


class MilestoneProgressForm(SiteForm):
    """The formative side's part of a milestone."""

    target_date = forms.DateField(widget=DATE, label=_("Target date"))
    done_on = forms.DateField(widget=DATE, required=False, label=_("Done on"))
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000, label=_("Evidence"),
        help_text=_("What shows it is done: minutes, a link, numbers."),
    )
    evidence_file = forms.FileField(
        required=False, label=_("Evidence document"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB; it replaces the document uploaded before."),
        validators=[validate_signed_document],
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the progress"))


class MilestoneHelpForm(SiteForm):
    """The mentoring side's part of a milestone."""

    help = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000,
        label=_("Help from the mentoring section"),
        help_text=_("What your section did to help: talks, templates, a visit, money, advice."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the help"))


class MaturityProposalForm(SiteForm):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000,
        label=_("Why the section is developing now"),
    )
