"""How partnerships/ answers what sections/ tells the apps above it (sections.signals)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sections.models import Section, TwinningForm
from twinning.panels import Panel, panel

from . import selectors
from .finance import partnership_finances
from .models.partnership import COMMITTED_STATUSES
from .services import handover
from .services.load import open_partnerships_recount


def section_partnerships_panel(sender, *, section: Section, request: HttpRequest, **kwargs) -> Panel:
    """The section profile's partnerships: those the viewer may see, newest first."""
    partnerships = selectors.partnerships_of_section(section=section, user=request.user)
    return panel(
        "partnerships/panels/section_partnerships.html", {"section": section, "partnerships": partnerships},
        request=request, anchor="partnerships", title=_("Partnerships"), order=10,
    )


def hand_over_leads(sender, *, officer, **kwargs) -> None:
    """An office's end date was set or changed: once it is over, its holder's leads are
    handed over (the nightly task catches the offices whose end date is still to come)."""
    handover.lead_vacancies_open(officer=officer)


def finance_panel(sender, *, partnership, request: HttpRequest, **kwargs) -> Panel | None:
    """Financial support and spending, for a partnership whose forms include financial
    support or whose plan has funding lines (both prefetched by the page: no query otherwise)."""
    financial = any(form.code == TwinningForm.Code.FINANCIAL_SUPPORT for form in partnership.forms.all())
    if not financial and not partnership.funding_lines.all():
        return None
    return panel(
        "partnerships/finance/panel.html",
        {"partnership": partnership, "financial": financial,
         "finances": partnership_finances(partnership, timezone.localdate()),
         "intents": [i for i in partnership.form_intents.all() if i.form.code == TwinningForm.Code.FINANCIAL_SUPPORT]},
        request=request, anchor="finances", title=_("Finances"), order=40,
    )


def recount_added_participant(sender, *, instance, created: bool, **kwargs) -> None:
    """A section joined a partnership under way outside the lifecycle (the admin's inline,
    seed data): its stored count of partnerships under way changes. The lifecycle itself adds
    participants to drafts only, which take no room."""
    if created and instance.partnership.status in COMMITTED_STATUSES:
        open_partnerships_recount(section_ids=[instance.section_id])


def recount_removed_participant(sender, *, instance, **kwargs) -> None:
    """A section left a partnership, or the partnership was deleted: count its room again."""
    open_partnerships_recount(section_ids=[instance.section_id])
