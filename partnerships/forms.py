from __future__ import annotations

import functools

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy as _

from django_countries.fields import CountryField

from sections.forms import SectionChoiceField, SectionMultipleChoiceField
from sections.models import District, Officer, Section, TwinningForm
from twinning.forms import OnceFormMixin, SiteForm, SiteModelForm, TextFieldset
from twinning.validators import validate_signed_document

from .finder import Criteria
from .models import (
    Activity,
    CommunicationEntry,
    Conflict,
    FormIntent,
    FundingLine,
    Goal,
    Indicator,
    Objective,
    Participant,
    Partnership,
)
from .models.intents import COLUMNS, EXCHANGE_CODES, question_name

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(submit_label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", submit_label))
    return helper


OURS, PARTNER, BOTH = "ours", "partner", "both"


def _sides(ours: Section, *, both: str | None = None) -> list[tuple[str, str]]:
    choices = [(OURS, _("Our section (%(name)s)") % {"name": ours.name}), (PARTNER, _("The partner section"))]
    return [*choices, (BOTH, both)] if both else choices


def _text(label, help_text="") -> forms.CharField:
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000, label=label, help_text=help_text
    )


def _question_fields(code: str, proposing_section: Section) -> dict[str, forms.Field]:
    """The questions a form of twinning asks in a proposal, by the proposal form's field name;
    each is optional here, and required only when its form is chosen (ProposalForm.clean)."""
    if code in EXCHANGE_CODES:
        fields = {
            "host_section": forms.ChoiceField(
                choices=_sides(proposing_section, both=_("Both ways: each side hosts the other")),
                widget=forms.RadioSelect, required=False, label=_("Who would host first"),
            ),
            "length": forms.ChoiceField(
                choices=FormIntent.Length.choices, widget=forms.RadioSelect, required=False,
                label=_("How long would a visit last"),
            ),
            "learning": _text(_("What the participants would learn or see")),
        }
    elif code == TwinningForm.Code.FINANCIAL_SUPPORT:
        amount = FormIntent._meta.get_field("amount").formfield(required=False, label=_("Approximate amount"))
        currency = FormIntent._meta.get_field("currency").formfield(
            required=False, label=_("Currency"), help_text=_("Three letters (ISO 4217), such as USD, EUR or KES."),
        )
        fields = {
            "giver": forms.ChoiceField(
                choices=_sides(proposing_section), widget=forms.RadioSelect, required=False,
                label=_("Which side would give"),
            ),
            "amount": amount,
            "currency": currency,
            "giver_gains": _text(
                _("What the giving side gains in return"),
                _("Support stays win-win: the giver gains through one of the other forms of twinning."),
            ),
        }
    elif code == TwinningForm.Code.GROWING_SECTION:
        fields = {
            "formative_section": forms.ChoiceField(
                choices=_sides(proposing_section), widget=forms.RadioSelect, required=False,
                label=_("Which side is the formative section"),
                initial=OURS if proposing_section.maturity == Section.Maturity.FORMATIVE else PARTNER,
            ),
            "first_milestones": _text(
                _("The first milestones you have in mind"),
                _("For example: elect a board, hold a first technical meeting, recruit twenty members."),
            ),
        }
    else:
        fields = {}
    return {question_name(code, column): field for column, field in fields.items()}


# What each form's questions must answer when the form is chosen (FormIntent.clean): support
# stays win-win, and growing needs the section it grows. An exchange's host and length may
# still be open at the proposal; its questions are checked when answered.
REQUIRED = {
    TwinningForm.Code.FINANCIAL_SUPPORT: ("giver", "giver_gains"),
    TwinningForm.Code.GROWING_SECTION: ("formative_section",),
}


class ProposalForm(OnceFormMixin, SiteForm):
    partner = SectionChoiceField(
        label=_("Partner section"),
        help_text=_("The section you want to twin with: type its name and pick it from the suggestions."),
    )
    more_partners = SectionMultipleChoiceField(
        required=False,
        label=_("Further partner sections"),
        help_text=_(
            "Unusual: twinning is normally between two sections. Leave empty unless three or more take part; "
            "one section per field."
        ),
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
    facilitator_section = SectionChoiceField(required=False, label=_("Facilitating section"))
    facilitator_name = forms.CharField(
        max_length=200, required=False, label=_("Facilitator's name (person or organisation)")
    )

    def __init__(self, *args, proposing_section: Section, **kwargs):
        super().__init__(*args, **kwargs)
        others = Section.objects.exclude(pk=proposing_section.pk)
        self.fields["partner"].queryset = others
        self.fields["more_partners"].queryset = others
        self.fields["facilitator_section"].queryset = others
        self.proposing_section = proposing_section
        # Every form's questions are on the page; a script shows those of the ticked forms.
        self.twinning_form_list = list(TwinningForm.objects.all())
        questions = []
        for twinning_form in self.twinning_form_list:
            fields = _question_fields(twinning_form.code, proposing_section)
            if not fields:
                continue
            self.fields.update(fields)
            questions.append(
                TextFieldset(
                    _("Only if you chose “%(form)s”") % {"form": twinning_form.translated.name}, *fields,
                    css_class="border rounded p-3 mb-3", data_questions_for=twinning_form.code,
                )
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Who"), "partner", "more_partners"),
            Fieldset(
                _("What"), "title", "purpose", Field("twinning_forms", template="partnerships/_form_choices.html"),
                "exploratory", "start_date", "planned_end_date",
            ),
            *questions,
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
        self._clean_questions(data)
        return data

    def _clean_questions(self, data) -> None:
        """The questions of the chosen forms are answered; those of the others are ignored,
        whatever was sent for them (a script hides them, but a page without it sends them)."""
        chosen = {form.code for form in data.get("twinning_forms") or ()}
        for twinning_form in self.twinning_form_list:
            code = twinning_form.code
            names = [question_name(code, column) for column in COLUMNS.get(code, ()) if column != "both_ways"]
            if code not in chosen:
                for name in names:
                    self._errors.pop(name, None)
                    data.pop(name, None)
                continue
            for column in REQUIRED.get(code, ()):
                name = question_name(code, column)
                value = data.get(name)
                if name not in self._errors and (value is None or not str(value).strip()):
                    self.add_error(name, _("Answer this for “%(form)s”.") % {"form": twinning_form.translated.name})
            amount, currency = question_name(code, "amount"), question_name(code, "currency")
            if amount in self.fields:
                if data.get(amount) is not None and not data.get(currency) and currency not in self._errors:
                    self.add_error(currency, _("Give the amount's currency."))
                elif data.get(amount) is None and amount not in self._errors:
                    data[currency] = ""  # a currency of no amount says nothing

    def intents(self) -> list[FormIntent]:
        """Unsaved: what the proposal says about each chosen form, sides as sections."""
        data = self.cleaned_data
        sides = {OURS: self.proposing_section, PARTNER: data["partner"]}
        intents = []
        for twinning_form in data["twinning_forms"]:
            code = twinning_form.code
            if code not in COLUMNS:
                continue
            answer = {column: data.get(question_name(code, column)) for column in COLUMNS[code] if column != "both_ways"}
            intent = FormIntent(form=twinning_form)
            for column, value in answer.items():
                if column in ("host_section", "giver", "formative_section"):
                    intent.both_ways = intent.both_ways or value == BOTH
                    setattr(intent, column, sides.get(value))
                elif value is not None:
                    setattr(intent, column, value)
            intents.append(intent)
        return intents


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


@functools.cache
def _countries_by_name(language: str | None) -> tuple[tuple[str, str], ...]:
    """Every country, by its name in `language`: django-countries translates and sorts them
    anew each time it is asked, and the finder's filters ask on every page."""
    return tuple(list(CountryField(blank=True).formfield().choices)[1:])


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
        self.fields["country"].choices = [("", _("Any country")), *_countries_by_name(get_language())]
