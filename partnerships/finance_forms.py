"""Forms of financial support: support agreements, instalments, spending."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sections.models import Section, TwinningForm
from twinning.forms import OnceFormMixin, SiteForm, SiteModelForm
from twinning.validators import validate_signed_document

from .forms import DATE, _helper
from .models import Instalment, Partnership, Spending, SupportAgreement

class SupportAgreementForm(OnceFormMixin, SiteModelForm):
    class Meta:
        model = SupportAgreement
        fields = ["giver", "receiver", "purpose", "amount", "currency", "return_form", "return_description"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "return_description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        sections = Section.objects.filter(pk__in=partnership.participants.values("section_id"))
        self.fields["giver"].queryset = sections
        self.fields["receiver"].queryset = sections
        # Support is returned through one of the other forms.
        self.fields["return_form"].queryset = TwinningForm.objects.exclude(code=TwinningForm.Code.FINANCIAL_SUPPORT)
        self.helper = _helper(_("Save the support agreement"))

    def clean(self):
        data = super().clean()
        if data.get("giver") and data.get("giver") == data.get("receiver"):
            self.add_error("receiver", _("The giving and the receiving section must differ."))
        return data


class InstalmentForm(OnceFormMixin, SiteModelForm):
    class Meta:
        model = Instalment
        fields = ["amount", "planned_on", "note"]
        widgets = {"planned_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add the instalment"))


class InstalmentSentForm(SiteForm):
    sent_on = forms.DateField(widget=DATE, label=_("Sent on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()


class InstalmentReceivedForm(SiteForm):
    received_on = forms.DateField(widget=DATE, label=_("Received on"))
    amount = forms.DecimalField(
        label=_("Amount received"), max_digits=12, decimal_places=2, min_value=Decimal("0"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class SpendingForm(OnceFormMixin, SiteModelForm):
    receipt = forms.FileField(
        required=False,
        label=_("Receipt"),
        help_text=_("Optional: PDF, PNG or JPEG, at most 10 MB."),
        validators=[validate_signed_document],
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    class Meta:
        model = Spending
        fields = ["spent_on", "amount", "what_for"]
        widgets = {"spent_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the spending"))

    def clean_spent_on(self):
        spent_on = self.cleaned_data.get("spent_on")
        if spent_on and spent_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return spent_on
