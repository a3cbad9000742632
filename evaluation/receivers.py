"""How evaluation/ answers what partnerships/ tells the apps above it (partnerships.signals).
Each receiver calls one service or selector of this app and holds no rule of its own."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from partnerships.forms import CadenceForm
from partnerships.models import Partnership
from partnerships.permissions import PartnershipAccess
from sections.models import Section, TwinningForm
from twinning.panels import Panel, panel

from . import selectors
from .selectors.health import badge_of
from .selectors.lessons import lessons_most_helpful, lessons_of_partnership, lessons_similar_to
from .services.checkins import schedule_extend, schedule_resume
from .services.closing import closing_gaps
from .services.stories import story_publish_for
from .services.lessons import LESSON_STATUSES


def start_schedule(sender, *, partnership: Partnership, on: datetime.date, **kwargs) -> None:
    schedule_extend(partnership=partnership, today=on)


def resume_schedule(
    sender, *, partnership: Partnership, suspended_on: datetime.date, resumed_on: datetime.date, **kwargs
) -> None:
    schedule_resume(partnership=partnership, suspended_on=suspended_on, resumed_on=resumed_on)
    schedule_extend(partnership=partnership, today=resumed_on)


def health_badge(sender, *, partnership: Partnership, request: HttpRequest, **kwargs) -> Panel | None:
    """The partnership's health and why, beside its status (active partnerships only)."""
    health = badge_of(partnership)
    if health is None:
        return None
    return panel("evaluation/_health_badge.html", {"badge": health, "show_reason": True},
                 request=request, anchor="health", title=_("Health"))


def checkins_panel(
    sender, *, partnership: Partnership, access: PartnershipAccess, request: HttpRequest, **kwargs
) -> Panel:
    """The partnership page's check-ins: cadence, the schedule with each side's report, and
    the indicators' actual values against their targets."""
    section_ids = [participant.section_id for participant in partnership.participants.all()]
    context = {
        "partnership": partnership,
        "participants": partnership.participants.all(),
        "schedule": selectors.schedule_of(partnership, section_ids=section_ids, acting=access.acting),
        "indicator_charts": selectors.indicator_charts(partnership, section_ids=section_ids),
        "chart_size": selectors.INDICATOR_CHART,
        "cadence_form": CadenceForm(initial={"cadence": partnership.cadence}) if access.may_edit else None,
    }
    return panel(
        "evaluation/panels/partnership_checkins.html", context,
        request=request, anchor="checkins", title=_("Check-ins"), order=10,
    )


def publish_story(sender, *, partnership: Partnership, action: str, **kwargs) -> None:
    """A partnership closed: the service decides whether it becomes a public story."""
    story_publish_for(partnership=partnership)


def closing_gate(sender, *, partnership: Partnership, action: str, actor, **kwargs) -> list[str]:
    """Completion and early end wait for their evaluation (services.closing.closing_gaps)."""
    return closing_gaps(partnership=partnership, action=action, actor=actor)


def evaluation_panel(
    sender, *, partnership: Partnership, access: PartnershipAccess, request: HttpRequest, **kwargs
) -> Panel | None:
    """The partnership page's evaluations: each one's state, and the way to start or continue
    the mid-term review, the final evaluation or the evaluation on ending early."""
    context = selectors.evaluation_panel_context(partnership, access=access, user=request.user)
    if context is None:
        return None
    return panel(
        "evaluation/panels/partnership_evaluation.html", {"partnership": partnership, **context},
        request=request, anchor="evaluation", title=_("Evaluation"), order=20,
    )


def helpful_lessons_panel(
    sender, *, section: Section, forms: list[TwinningForm], request: HttpRequest, **kwargs
) -> Panel | None:
    """The partner finder's and the proposal page's three most helpful lessons about the
    forms of twinning chosen there (any form when none is)."""
    lessons = lessons_most_helpful(user=request.user, forms=forms, limit=3)
    if not lessons:
        return None
    query = {"sort": "helpful", **({"form": forms[0].code} if len(forms) == 1 else {})}
    return panel(
        "evaluation/panels/helpful_lessons.html",
        {"lessons": lessons, "forms": forms, "more_url": f"{reverse('lessons:list')}?{urlencode(query)}"},
        request=request, anchor="lessons", title=_("Lessons"), order=50,
    )


def partnership_lessons_panel(
    sender, *, partnership: Partnership, access: PartnershipAccess, request: HttpRequest, **kwargs
) -> Panel | None:
    """The partnership page's lessons: its own (drafts for their writers), a link to write
    one for its sections' officers, and lessons of similar partnerships."""
    context = {
        "partnership": partnership,
        "own": lessons_of_partnership(partnership, user=request.user),
        "similar": lessons_similar_to(partnership, user=request.user, limit=3),
        "may_write": bool(access.acting) and partnership.status in LESSON_STATUSES,
    }
    if not (context["own"] or context["similar"] or context["may_write"]):
        return None
    return panel(
        "evaluation/panels/partnership_lessons.html", context,
        request=request, anchor="lessons", title=_("Lessons"), order=80,
    )
