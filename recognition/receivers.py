"""How recognition/ answers what the lower apps tell it (sections.signals, partnerships.signals).
Each receiver calls one selector or service of this app and holds no rule of its own."""

from __future__ import annotations

from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership
from partnerships.permissions import PartnershipAccess
from sections.models import Section
from twinning.panels import Panel, panel

from .models import Acknowledgement, LedgerEntry

# --- Section level: the section's recognition page and acknowledgements ---


def section_recognition_panel(sender, *, section: Section, request: HttpRequest, **kwargs) -> Panel:
    """The section profile's link to its recognition page, with this year's points."""
    year = timezone.localdate().year
    total = LedgerEntry.objects.filter(section=section, award_year=year).aggregate(total=Sum("points"))["total"] or 0
    return panel(
        "recognition/panels/section_recognition.html", {"section": section, "year": year, "total": total},
        request=request, anchor="recognition", title=_("Recognition"), order=40,
    )


def partnership_acknowledgements_panel(
    sender, *, partnership: Partnership, access: PartnershipAccess, request: HttpRequest, **kwargs
) -> Panel | None:
    """The partnership page's acknowledged people, and for its officers the way to thank one."""
    acknowledgements = list(
        Acknowledgement.objects.filter(partnership=partnership).select_related("section").order_by("-created_at")
    )
    may_acknowledge = bool(access.acting)
    if not acknowledgements and not may_acknowledge:
        return None
    return panel(
        "recognition/panels/partnership_acknowledge.html",
        {"partnership": partnership, "acknowledgements": acknowledgements, "may_acknowledge": may_acknowledge},
        request=request, anchor="acknowledgements", title=_("Acknowledgements"), order=60,
    )

# --- end of section level ---
