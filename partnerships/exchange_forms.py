"""Forms of the exchange pages (partnerships/views/exchanges.py)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from sections.models import Section
from twinning.forms import OnceFormMixin, SiteForm, SiteModelForm

from .models import Exchange, ExchangeParticipant, Partnership
from .services.exchanges import HOST_FIELDS, SENDING_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


def _check_dates(form: forms.Form, data: dict, start: str, end: str) -> None:
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, _("An exchange cannot end before it starts."))


class ExchangeForm(OnceFormMixin, SiteModelForm):
    """Plan an exchange; "two-way" plans its return leg too, host and sender swapped."""

    two_way = forms.BooleanField(
        required=False, label=_("Two-way: the host sends people back"),
        help_text=_("Plans a second exchange, the other way round, on the dates below."),
    )
    return_start_date = forms.DateField(required=False, widget=DATE, label=_("Return visit starts"))
    return_end_date = forms.DateField(required=False, widget=DATE, label=_("Return visit ends"))

    class Meta:
        model = Exchange
        fields = ["title", "kind", "sending_section", "host_section", "start_date", "end_date", "programme"]
        widgets = {"start_date": DATE, "end_date": DATE, "programme": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        sections = Section.objects.filter(participations__partnership=partnership).order_by("name")
        self.fields["sending_section"].queryset = sections
        self.fields["host_section"].queryset = sections
        self.helper = _helper(_("Plan the exchange"))

    def clean(self):
        data = super().clean()
        _check_dates(self, data, "start_date", "end_date")
        if data.get("host_section") and data.get("host_section") == data.get("sending_section"):
            self.add_error("host_section", _("The host and the sending section must differ."))
        if data.get("two_way"):
            for name in ("return_start_date", "return_end_date"):
                if not data.get(name):
                    self.add_error(name, _("A two-way exchange needs the dates of the return visit."))
            _check_dates(self, data, "return_start_date", "return_end_date")
        return data

    @property
    def return_dates(self):
        data = self.cleaned_data
        return (data["return_start_date"], data["return_end_date"]) if data.get("two_way") else None


class ExchangeEditForm(SiteModelForm):
    """Each side's own part: the sending side's title, kind and dates, the host's programme."""

    class Meta:
        model = Exchange
        fields = ["title", "kind", "start_date", "end_date", "programme"]
        widgets = {"start_date": DATE, "end_date": DATE, "programme": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, sides: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        allowed = (SENDING_FIELDS if sides["sending"] else ()) + (HOST_FIELDS if sides["host"] else ())
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]
        if "start_date" in self.fields:
            self.fields["start_date"].help_text = _("New dates wait for the host to confirm them.")
        self.helper = _helper(_("Save"))

    def clean(self):
        data = super().clean()
        _check_dates(self, data, "start_date", "end_date")
        return data


class ExchangeParticipantForm(OnceFormMixin, SiteModelForm):
    class Meta:
        model = ExchangeParticipant
        fields = ["name", "role", "kind", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add"))


class OutcomesForm(SiteForm):
    outcomes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label=_("Outcomes"),
        help_text=_("What the people who went learnt or passed on, and what both sections gained."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Mark as done"))
