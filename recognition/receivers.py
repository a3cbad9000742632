"""How recognition/ answers what the lower apps tell it (their signals). Each receiver calls
a query or service of this app and holds no rule of its own."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sections.models import Section
from twinning.panels import Panel, panel

from .models import DistrictRecognition


# --- District level (districts) ---------------------------------------------------------

def section_citations_panel(sender, *, section: Section, request: HttpRequest, **kwargs) -> Panel | None:
    """The section profile's district recognitions, newest year first; nothing when none."""
    citations = list(DistrictRecognition.objects.filter(section=section).select_related("district"))
    if not citations:
        return None
    return panel(
        "recognition/panels/section_citations.html", {"section": section, "citations": citations},
        request=request, anchor="district-recognition", title=_("Recognised by the district"), order=40,
    )
