from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from django_countries.fields import CountryField

from sections.models import District, Officer, Section, TwinningForm
from twinning.forms import OnceFormMixin, SiteForm, SiteModelForm
from twinning.validators import validate_signed_document

from .finder import Criteria
from .models import (
    Activity,
    CommunicationEntry,
    Conflict,
    FundingLine,
    Goal,
    Indicator,
    Objective,
    Participant,
    Partnership,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", submit_label))
    return helper


class ProposalForm(OnceFormMixin, SiteForm):
    partner = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        label=_("Partner section"),
        help_text=_("The section you want to twin with."),
    )
    more_partners = forms.ModelMultipleChoiceField(
        queryset=Section.objects.none(),
        required=False,
        label=_("Further partner sections"),
        help_text=_("Unusual: twinning is normally between two sections. Leave empty unless three or more take part."),
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    title = forms.CharField(max_length=200, label=_("Title"))
    purpose = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Purpose"),
        help_text=_("What the partnership sets out to achieve, for both sides and the society."),
    )
    twinning_forms = forms.ModelMultipleChoiceField(
        queryset=TwinningForm.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Forms of twinning"),
    )
    exploratory = forms.BooleanField(
        required=False,
        label=_("Start with an exploratory ('friendship') stage"),
        help_text=_("Try one joint project first, then decide whether to commit to more."),
    )
    start_date = forms.DateField(widget=DATE, label=_("Start date"))
    planned_end_date = forms.DateField(widget=DATE, label=_("Planned end date"))
    our_gives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("What your section gives")
    )
    our_gains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), label=_("What your section expects to gain")
    )
    partner_gives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("What the partner gives"),
        help_text=_("Your proposal; the partner can change it when answering."),
    )
    partner_gains = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("What the partner gains"),
        help_text=_("Twinning must benefit both sides."),
    )
    facilitator_kind = forms.ChoiceField(
        choices=Partnership.FacilitatorKind.choices, required=False, label=_("Brought together by")
    )
    facilitator_district = forms.ModelChoiceField(
        queryset=District.objects.all(), required=False, label=_("Facilitating district")
    )
    facilitator_section = forms.ModelChoiceField(
        queryset=Section.objects.all(), required=False, label=_("Facilitating section")
    )
    facilitator_name = forms.CharField(
        max_length=200, required=False, label=_("Facilitator's name (person or organisation)")
    )

    def __init__(self, *args, proposing_section: Section, **kwargs):
        super().__init__(*args, **kwargs)
        others = Section.objects.exclude(pk=proposing_section.pk).select_related("district").order_by("name")
        self.fields["partner"].queryset = others
        self.fields["more_partners"].queryset = others
        self.fields["facilitator_section"].queryset = others
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Who"), "partner", "more_partners"),
            Fieldset(_("What"), "title", "purpose", "twinning_forms", "exploratory", "start_date", "planned_end_date"),
            Fieldset(_("Give and take"), "our_gives", "our_gains", "partner_gives", "partner_gains"),
            Fieldset(
                _("Facilitator (optional)"),
                "facilitator_kind",
                "facilitator_district",
                "facilitator_section",
                "facilitator_name",
            ),
        )
        self.helper.render_hidden_fields = True  # the form's token (OnceFormMixin)
        self.helper.add_input(Submit("submit", _("Send the proposal")))
        self.helper.add_input(Submit("draft", _("Save as draft"), css_class="btn-secondary"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("planned_end_date")
        if start and end and end <= start:
            self.add_error("planned_end_date", _("The planned end must come after the start."))
        partner = data.get("partner")
        if partner and partner in data.get("more_partners", []):
            self.add_error("more_partners", _("The partner section is already named above."))
        kind = data.get("facilitator_kind")
        needed = {"district": "facilitator_district", "section": "facilitator_section", "external": "facilitator_name"}
        if kind in needed and not data.get(needed[kind]):
            self.add_error(needed[kind], _("Name the facilitator."))
        return data


class ResponseForm(SiteModelForm):
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Comment"))

    class Meta:
        model = Participant
        fields = ["gives", "gains"]
        widgets = {
            "gives": forms.Textarea(attrs={"rows": 2}),
            "gains": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"gives": _("What your section gives"), "gains": _("What your section expects to gain")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class GiveTakeForm(SiteModelForm):
    class Meta:
        model = Participant
        fields = ["gives", "gains"]
        widgets = {
            "gives": forms.Textarea(attrs={"rows": 2}),
            "gains": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save"))


class ReasonForm(SiteForm):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Reason"))

    def __init__(self, *args, required: bool = True, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if label:
            self.fields["reason"].label = label


class LeadForm(SiteForm):
    officer = forms.ModelChoiceField(queryset=None, label=_("Lead"), help_text=_("A current officer of a participating section."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = candidates
        self.fields["officer"].widget.attrs["class"] = "form-select"
        self.fields["officer"].label_from_instance = lambda office: (
            f"{office.user.full_name} — {office.get_role_display()}, {office.section.name}"
        )
        self.helper = _helper(_("Add lead"))


class AgreementForm(SiteForm):
    kind = forms.ChoiceField(
        choices=[c for c in Partnership.AgreementKind.choices if c[0]], label=_("Agreement"),
        widget=forms.RadioSelect,
    )
    signed_on = forms.DateField(widget=DATE, required=False, label=_("Agreed or signed on"))
    planned_end_date = forms.DateField(
        widget=DATE, label=_("Planned end date"),
        help_text=_("When the partners plan to have done what they set out to do; move it here if you agree a new one."),
    )
    document = forms.FileField(
        required=False,
        label=_("Signed document"),
        help_text=_("PDF, PNG or JPEG, at most 10 MB. Needed for a written agreement."),
        validators=[validate_signed_document],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, participants, agreement: bool = True, **kwargs):
        """`participants`: the sides whose signatory the user records (their own); without
        `agreement` (a draft), the form records only those."""
        super().__init__(*args, **kwargs)
        self.participants = list(participants)
        if not agreement:
            for name in ("kind", "signed_on", "planned_end_date", "document"):
                del self.fields[name]
        for participant in self.participants:
            self.fields[f"signed_by_{participant.section_id}"] = forms.CharField(
                max_length=200,
                required=False,
                initial=participant.signed_by,
                label=_("Agreed or signed for %(section)s by") % {"section": participant.section.name},
            )
        self.helper = _helper(_("Save the agreement"))

    def clean_signed_on(self):
        signed_on = self.cleaned_data.get("signed_on")
        if signed_on and signed_on > timezone.localdate():
            raise forms.ValidationError(_("The signing date cannot be in the future."))
        return signed_on

    def signed_by(self) -> dict[int, str]:
        return {p.section_id: self.cleaned_data.get(f"signed_by_{p.section_id}", "") for p in self.participants}


class _PlanForm(OnceFormMixin, SiteModelForm):
    submit_label = _("Save")

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.helper = _helper(self.submit_label)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField):
                field.widget = DATE


class GoalForm(_PlanForm):
    class Meta:
        model = Goal
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ObjectiveForm(_PlanForm):
    class Meta:
        model = Objective
        fields = ["goal", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = self.partnership.goals.all()


class ActivityForm(_PlanForm):
    class Meta:
        model = Activity
        fields = [
            "objective", "title", "form", "owning_section", "responsible",
            "start_date", "end_date", "budget", "currency", "status", "percent_complete",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(partnership=self.partnership)
        self.fields["form"].queryset = self.partnership.forms.all()
        section_ids = self.partnership.participants.values_list("section_id", flat=True)
        self.fields["owning_section"].queryset = Section.objects.filter(pk__in=section_ids)
        officer_ids = Officer.objects.open_now().filter(section_id__in=section_ids).values_list("user_id", flat=True)
        self.fields["responsible"].queryset = get_user_model().objects.filter(pk__in=officer_ids)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("An activity cannot end before it starts."))
        return data


class IndicatorForm(_PlanForm):
    class Meta:
        model = Indicator
        fields = ["objective", "name", "unit", "baseline", "target", "target_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = Objective.objects.filter(partnership=self.partnership)


class FundingLineForm(_PlanForm):
    # No default: whether the money is confirmed is a fact to state, not to assume.
    status = forms.ChoiceField(
        choices=[("", "---------"), *FundingLine.Status.choices], label=_("Status"),
        help_text=_("Confirmed: the money is promised. Pending: a decision is awaited — say when."),
    )

    class Meta:
        model = FundingLine
        fields = ["source", "amount", "currency", "status", "expected_by", "note"]

    def clean(self):
        data = super().clean()
        if data.get("status") == FundingLine.Status.PENDING and not data.get("expected_by"):
            self.add_error("expected_by", _("Pending funding needs the date a decision is expected."))
        return data


class CommunicationForm(OnceFormMixin, SiteModelForm):
    class Meta:
        model = CommunicationEntry
        fields = ["date", "channel", "participants", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add to the log"))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Log what has happened: the date cannot be in the future."))
        return date


class ConflictForm(OnceFormMixin, SiteModelForm):
    class Meta:
        model = Conflict
        fields = ["raised_for", "description", "mediator"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partnership: Partnership, section_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_for"].queryset = Section.objects.filter(pk__in=section_ids)
        self.helper = _helper(_("Record the conflict"))


class ConflictUpdateForm(SiteModelForm):
    class Meta:
        model = Conflict
        fields = ["status", "mediator", "resolution"]
        widgets = {"resolution": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        kwargs.pop("partnership", None)
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Update"))

    def clean(self):
        data = super().clean()
        if data.get("status") == Conflict.Status.RESOLVED and not data.get("resolution", "").strip():
            self.add_error("resolution", _("Say how the conflict was resolved."))
        return data


class CadenceForm(SiteForm):
    cadence = forms.TypedChoiceField(
        label=_("How often each side reports"),
        choices=Partnership.Cadence.choices,
        coerce=int,
        empty_value=None,
        help_text=_("Each participating section files a check-in for every period, due some days after it ends."),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # On the activation page the cadence may be left as it is (quarterly by default).
        self.fields["cadence"].required = required
        self.fields["cadence"].widget.attrs["class"] = "form-select"


class FinderFilterForm(SiteForm):
    """The finder's filters, read from the query string; an unknown value is dropped with a message."""

    form = forms.ModelChoiceField(
        queryset=TwinningForm.objects.all(), to_field_name="code", required=False,
        label=_("Form of twinning wanted"), empty_label=_("Any form"),
    )
    kind = forms.ChoiceField(choices=[("", _("Any kind")), *Section.Kind.choices], required=False, label=_("Kind"))
    district = forms.ModelChoiceField(
        queryset=District.objects.all(), to_field_name="code", required=False,
        label=_("District"), empty_label=_("Any district"),
    )
    country = CountryField(blank=True).formfield(required=False, label=_("Country"))
    min_score = forms.IntegerField(min_value=0, max_value=100, required=False, label=_("Lowest score"))
    same_country = forms.BooleanField(required=False, label=_("Include sections in our own country"))

    def criteria(self) -> Criteria:
        data = self.cleaned_data if self.is_bound else {}
        district = data.get("district")
        return Criteria(
            form=data.get("form"),
            kind=data.get("kind") or "",
            district_id=district.pk if district else None,
            country=data.get("country") or "",
            min_score=data.get("min_score") or 0,
            same_country=bool(data.get("same_country")),
        )

    def clean(self):
        # Drop what was not understood and keep the rest, so a stale link still works.
        data = super().clean()
        for name in list(self.errors):
            self.dropped.append(self.fields[name].label)
            del self._errors[name]
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dropped: list[str] = []
        self.fields["country"].choices = [("", _("Any country")), *list(self.fields["country"].choices)[1:]]
