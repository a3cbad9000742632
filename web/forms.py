"""The signed-in user's forms on their profile: who they are, their email address, and how
they hear of each kind of notice."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from twinning.form_renderer import fixed_options
from twinning.forms import SiteForm
from twinning.models import Delivery, NoticeKind
from twinning.translations import local_name
from twinning.notices import CHOOSABLE
from twinning.validators import available_time_zones


def _zones() -> list[tuple[str, str]]:
    return [("", _("The site's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE})] + [
        (zone, zone) for zone in sorted(available_time_zones())
    ]


class LanguageSelect(forms.Select):
    """Each language's option marked as written in that language, as the footer's switcher
    marks its buttons, so that a screen reader says "Español" as Spanish."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


class ProfileForm(SiteForm):
    prefix = "profile"

    full_name = forms.CharField(label=_("Name"), max_length=150)
    language = forms.ChoiceField(label=_("Preferred language"), required=False, widget=LanguageSelect)
    time_zone = fixed_options(forms.ChoiceField(
        label=_("Time zone"), required=False, choices=_zones,
        help_text=_("Dates and the hour of your daily summary follow it."),
    ), "profile.time_zone")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language named in itself, as the footer's switcher names it.
        self.fields["language"].choices = [("", _("The browser's language"))] + [
            (code, local_name(code)) for code, _name in settings.LANGUAGES
        ]


class EmailChangeForm(SiteForm):
    prefix = "email"

    email = forms.EmailField(
        label=_("New email address"), max_length=254,
        help_text=_("We send a link to the new address; your address changes when you follow it."),
    )


REMINDER_HELP = _(
    "Reminders about your own overdue check-ins cannot be switched off: with “only in the inbox” "
    "they still come in the daily summary."
)


class NoticePreferencesForm(SiteForm):
    """One choice per kind of notice: an email at once, the daily summary, or the inbox."""

    prefix = "notices"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in CHOOSABLE:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, widget=forms.RadioSelect,
                help_text=REMINDER_HELP if kind == NoticeKind.REMINDERS else "",
            )
