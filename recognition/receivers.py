"""How recognition/ answers what the apps below it tell (sections.signals,
partnerships.signals, evaluation.signals): points receivers award the points for the one
record they hear about (the nightly reconciliation fills in whatever they missed); panel
receivers call one selector of this app. None holds a rule of its own."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership
from partnerships.permissions import PartnershipAccess
from sections.models import Section
from twinning.panels import Panel, panel

from .models import Acknowledgement, DistrictRecognition, LedgerEntry
from .services import points

# --- Points ---


def award_activation(sender, *, partnership, **kwargs) -> None:
    # Sent inside the activation's transaction: award once it commits, so a rollback
    # leaves no points and the status change is there to read.
    transaction.on_commit(lambda: points.points_award_activation(partnership=partnership))


def award_completion(sender, *, partnership, action, **kwargs) -> None:
    if action == "complete":
        transaction.on_commit(lambda: points.points_award_completion(partnership=partnership))


def award_checkin(sender, *, checkin, **kwargs) -> None:
    points.points_award_checkin(checkin=checkin)


def award_evaluation(sender, *, evaluation, **kwargs) -> None:
    points.points_award_evaluation(evaluation=evaluation)


def award_lesson(sender, *, lesson, **kwargs) -> None:
    points.points_award_lesson(lesson=lesson)


def award_story(sender, *, story, **kwargs) -> None:
    points.points_award_story(story=story)


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


# --- District level: citations on the section's profile ---


def section_citations_panel(sender, *, section: Section, request: HttpRequest, **kwargs) -> Panel | None:
    """The section profile's district recognitions, newest year first; nothing when none."""
    citations = list(DistrictRecognition.objects.filter(section=section).select_related("district"))
    if not citations:
        return None
    return panel(
        "recognition/panels/section_citations.html", {"section": section, "citations": citations},
        request=request, anchor="district-recognition", title=_("Recognised by the district"), order=40,
    )
