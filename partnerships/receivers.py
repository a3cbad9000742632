"""How partnerships/ answers what sections/ tells the apps above it (sections.signals)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sections.models import Section
from twinning.panels import Panel, panel

from . import selectors


def section_partnerships_panel(sender, *, section: Section, request: HttpRequest, **kwargs) -> Panel:
    """The section profile's partnerships: those the viewer may see, newest first."""
    partnerships = selectors.partnerships_of_section(section=section, user=request.user)
    return panel(
        "partnerships/panels/section_partnerships.html", {"section": section, "partnerships": partnerships},
        request=request, anchor="partnerships", title=_("Partnerships"), order=10,
    )
