"""The partnership list, its page, and the signed agreement behind a permission check."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import selectors as evaluation_selectors
from evaluation.services.checkins import schedule_extend
from sections.permissions import coordinated_district_ids

from .. import permissions, selectors
from ..filters import PartnershipFilter
from ..forms import CadenceForm, LeadForm
from ..models import Participant, Status
from ..services import activation_gaps, allowed_actions

LIST_PAGE_SIZE = 25


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    partnership_filter = PartnershipFilter(request.GET or None, queryset=selectors.partnership_list(user=request.user))
    if partnership_filter.is_bound and not partnership_filter.is_valid():
        messages.warning(request, _("Some filters were not understood and were left out."))
    page = Paginator(partnership_filter.qs, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/list.html",
        {"filter": partnership_filter, "page": page, "partnerships": page.object_list},
    )


def _user_actions(user, partnership, acting: set[int]) -> set[str]:
    """The transitions this user can start from the page, given the state and their role."""
    # Accepting and declining have their own form.
    actions = allowed_actions(partnership.status) - {"accept", "decline"}
    return {action for action in actions if permissions.may_attempt(user, partnership, action, acting=acting)}


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = permissions.get_partnership_for_user(request.user, pk)
    # The schedule grows as time passes; make the periods up to today before showing it.
    schedule_extend(visible, timezone.localdate())
    partnership = selectors.partnership_detail(partnership=visible)
    acting = permissions.acting_section_ids(request.user, partnership)
    participants = list(partnership.participants.all())
    awaiting_answer = [
        p for p in participants
        if p.section_id in acting and p.response == Participant.Response.PENDING and partnership.status == Status.PROPOSED
    ]
    editable = bool(acting) and partnership.is_open
    section_ids = [p.section_id for p in participants]
    context = {
        "partnership": partnership,
        "participants": participants,
        "acting": acting,
        "editable": editable,
        "awaiting_answer": awaiting_answer,
        "actions": _user_actions(request.user, partnership, acting),
        "gaps": activation_gaps(partnership) if partnership.status == Status.ENDORSED else [],
        "history": selectors.partnership_history(partnership=partnership),
        "coordinates": bool(
            coordinated_district_ids(request.user) & {p.section.district_id for p in participants}
        ),
        "lead_form": LeadForm(candidates=selectors.lead_candidates(partnership=partnership)) if editable else None,
        "has_objectives": any(goal.objectives.all() for goal in partnership.goals.all()),
        "schedule": evaluation_selectors.schedule_of(partnership, section_ids=section_ids, acting=acting),
        "indicator_charts": evaluation_selectors.indicator_charts(partnership, section_ids=section_ids),
        "chart_size": evaluation_selectors.INDICATOR_CHART,
        "cadence_form": CadenceForm(initial={"cadence": partnership.cadence}) if editable else None,
    }
    return render(request, "partnerships/detail.html", context)


@login_required
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    partnership = permissions.get_partnership_for_user(request.user, pk)
    if not partnership.agreement_document:
        raise Http404("No signed agreement uploaded.")
    document = partnership.agreement_document
    return FileResponse(document.open("rb"), as_attachment=False, filename=document.name.rsplit("/", 1)[-1])
