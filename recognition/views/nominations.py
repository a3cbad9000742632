"""Pages of recognition/ (nominations): the section performance award nominations.

Each view: a permission-scoped fetch (a nomination the user may not see is a 404), a form,
one service call, a redirect with a message. A step the user's role does not allow is a
403 (the service says so); a step the nomination's state does not allow comes back as a
message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sections.models import Section
from sections.permissions import coordinated_district_ids, is_society_admin, officer_section_ids

from twinning.forms import add_validation_errors

from ..forms_nominations import DecideForm, NarrativeForm, ReviewForm, StartForm
from ..models import Nomination, award_year_of
from ..selectors.nominations import points_statement
from ..services import nominations as services
from ..services.nominations import NominationRefused

State = Nomination.State


def _current_year() -> int:
    return award_year_of(timezone.localdate())


def _get_nomination(user, pk: int) -> Nomination:
    nomination = get_object_or_404(Nomination.objects.select_related("section__district"), pk=pk)
    if not services.may_see(user, nomination):
        raise Http404("No nomination found.")
    return nomination


def _list_context(user, start_form: StartForm | None = None) -> dict:
    own = officer_section_ids(user)
    districts = coordinated_district_ids(user)
    year = _current_year()
    ours = list(Nomination.objects.filter(section_id__in=own).select_related("section")) if own else []
    nominated = {n.section_id for n in ours if n.award_year == year}
    startable = Section.objects.filter(pk__in=own - nominated).order_by("name")
    to_review = (
        list(Nomination.objects.filter(
            section__district_id__in=districts, state__in=[State.SUBMITTED, State.FORWARDED]
        ).select_related("section__district"))
        if districts else []
    )
    may_decide = is_society_admin(user)
    to_decide = (
        list(Nomination.objects.filter(state=State.FORWARDED).select_related("section__district"))
        if may_decide else []
    )
    return {
        "year": year,
        "ours": ours,
        # One start button per section not yet nominated this year; the form comes back only
        # with its errors.
        "startable": list(startable) if own - nominated else [],
        "start_form": start_form,
        "to_review": to_review,
        "to_decide": to_decide,
        "is_officer": bool(own),
        "is_coordinator": bool(districts),
        "may_decide": may_decide,
    }


@login_required
@require_GET
def nominations(request: HttpRequest) -> HttpResponse:
    return render(request, "recognition/nominations.html", _list_context(request.user))


@login_required
@require_POST
def nomination_start(request: HttpRequest) -> HttpResponse:
    own = officer_section_ids(request.user)
    form = StartForm(request.POST, sections=Section.objects.filter(pk__in=own).order_by("name"))
    if form.is_valid():
        try:
            nomination = services.nomination_start(
                section=form.cleaned_data["section"], award_year=_current_year(), actor=request.user
            )
        except NominationRefused as exc:
            messages.error(request, str(exc))
            return redirect("recognition:nominations")
        messages.success(request, _("Nomination started: write the narrative, then submit it to your district."))
        return redirect("recognition:nomination", pk=nomination.pk)
    return render(request, "recognition/nominations.html", _list_context(request.user, start_form=form))


def _detail(request: HttpRequest, nomination: Nomination, **forms) -> HttpResponse:
    user = request.user
    section = nomination.section
    may_edit = services.is_officer_of(user, section) and nomination.state in services.EDITABLE
    may_review = services.is_coordinator_of(user, section) and nomination.state == State.SUBMITTED
    may_decide = is_society_admin(user) and nomination.state == State.FORWARDED
    context = {
        "nomination": nomination,
        "section": section,
        "steps": nomination.steps.select_related("actor"),
        # Until it is submitted, the statement is the ledger's as of today (a read, nothing
        # saved); submitting copies it into the nomination.
        "statement": points_statement(section, nomination.award_year) if nomination.state in services.EDITABLE else nomination.statement,
        "preview": nomination.state in services.EDITABLE,
        "narrative_form": forms.get("narrative_form") or (NarrativeForm(initial={"narrative": nomination.narrative}) if may_edit else None),
        "review_form": forms.get("review_form") or (ReviewForm() if may_review else None),
        "decide_form": forms.get("decide_form") or (DecideForm() if may_decide else None),
        "may_edit": may_edit,
    }
    return render(request, "recognition/nomination.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def nomination(request: HttpRequest, pk: int) -> HttpResponse:
    """The nomination; a POST is the officers' narrative."""
    nomination = _get_nomination(request.user, pk)
    if request.method == "GET":
        return _detail(request, nomination)
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_save(nomination=nomination, actor=request.user, narrative=form.cleaned_data["narrative"])
        except NominationRefused as exc:
            messages.error(request, str(exc))
            return redirect("recognition:nomination", pk=nomination.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Narrative saved."))
            return redirect("recognition:nomination", pk=nomination.pk)
    elif not services.is_officer_of(request.user, nomination.section):
        raise PermissionDenied
    return _detail(request, nomination, narrative_form=form)


@login_required
@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _get_nomination(request.user, pk)
    try:
        services.nomination_submit(nomination=nomination, actor=request.user)
    except NominationRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Nomination submitted to your district coordinators."))
    return redirect("recognition:nomination", pk=nomination.pk)


def _decision(request: HttpRequest, nomination: Nomination, *, form, form_name: str, record, said) -> HttpResponse:
    """A reviewer's or an admin's decision posted on the nomination page: the form, then the
    service (`record(decision, comment)`); a refused step or a field error is shown on the page."""
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            record(decision, form.cleaned_data["comment"])
        except NominationRefused as exc:
            messages.error(request, str(exc))
            return redirect("recognition:nomination", pk=nomination.pk)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, said(decision))
            return redirect("recognition:nomination", pk=nomination.pk)
    return _detail(request, nomination, **{form_name: form})


@login_required
@require_POST
def nomination_review(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _get_nomination(request.user, pk)
    if not services.is_coordinator_of(request.user, nomination.section):
        raise PermissionDenied
    return _decision(
        request, nomination, form=ReviewForm(request.POST), form_name="review_form",
        record=lambda decision, comment: services.nomination_review(
            nomination=nomination, actor=request.user, forward=decision == "forward", comment=comment,
        ),
        said=lambda decision: (
            _("Nomination forwarded to the society.") if decision == "forward"
            else _("Nomination returned to the section.")
        ),
    )


@login_required
@require_POST
def nomination_decide(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = _get_nomination(request.user, pk)
    if not is_society_admin(request.user):
        raise PermissionDenied
    return _decision(
        request, nomination, form=DecideForm(request.POST), form_name="decide_form",
        record=lambda decision, comment: services.nomination_decide(
            nomination=nomination, actor=request.user, awarded=decision == "awarded", comment=comment,
        ),
        said=lambda decision: _("Decision recorded; the section's officers are told."),
    )


urlpatterns = [
    path("nominations/", nominations, name="nominations"),
    path("nominations/start/", nomination_start, name="nomination_start"),
    path("nominations/<int:pk>/", nomination, name="nomination"),
    path("nominations/<int:pk>/submit/", nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/review/", nomination_review, name="nomination_review"),
    path("nominations/<int:pk>/decide/", nomination_decide, name="nomination_decide"),
]
