"""Pages of evaluation/: a section's readiness self-assessment, and a section's check-in on
one period of a partnership.

Check-in pages start from the partnership scoped to the user (404 otherwise). The
section's own officers fill and amend its check-in; whoever may see the partnership reads
what was submitted. The services refuse the rest: PermissionDenied (403) or
ValidationError, shown on the form with nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partnerships import permissions
from partnerships.selectors import plan_warnings
from twinning.forms import add_validation_errors
from twinning.submissions import AlreadySent, already_saved

from .. import selectors, services
from ..selectors import forms_of_twinning
from ..forms import AmendmentForm, AssessmentForm, CheckInForm
from ..models import CheckIn
from ..permissions import get_section_for_readiness
from ..services.checkins import ALREADY_SUBMITTED, Progress, checkin_amend, checkin_save, checkin_submit


@login_required
@require_http_methods(["GET", "POST"])
def readiness(request: HttpRequest, slug: str) -> HttpResponse:
    section, may_fill = get_section_for_readiness(request.user, slug)
    questionnaire = selectors.current_questionnaire()
    form = None
    if may_fill and questionnaire:
        form = AssessmentForm(request.POST or None, questionnaire=questionnaire)
        if request.method == "POST":
            if form.is_valid():
                try:
                    assessment = services.assessment_submit(
                        section=section, actor=request.user, questionnaire=questionnaire, answers=form.chosen(),
                        once=form.once,
                    )
                except AlreadySent:
                    return already_saved(request, reverse("sections:readiness", kwargs={"slug": section.slug}))
                except ValidationError as exc:
                    add_validation_errors(form, exc)
                else:
                    messages.success(
                        request,
                        _("Assessment saved: %(verdict)s (%(score)s of 100).")
                        % {"verdict": assessment.get_verdict_display(), "score": assessment.score},
                    )
                    return redirect("sections:readiness", slug=section.slug)
            missing = sum(
                1 for name, errors in form.errors.as_data().items()
                if name.startswith("q") and any(error.code == "required" for error in errors)
            )
            if missing:
                messages.error(
                    request,
                    _("%(count)s question(s) still need an answer; they are marked below.") % {"count": missing},
                )
    elif request.method == "POST":
        return redirect("sections:readiness", slug=section.slug)
    assessments = selectors.assessments_of(section)
    return render(
        request,
        "evaluation/readiness.html",
        {
            "section": section,
            "form": form,
            "questionnaire": questionnaire,
            "latest": assessments[0] if assessments else None,
            "assessments": assessments,
            "chart": selectors.score_chart(assessments),
            "chart_size": selectors.READINESS_CHART,
        },
    )


def _report_form(form_class, data, checkin: CheckIn, partnership, progress, actuals, exchanges=None):
    """The check-in form or the amendment form, with the plan's rows and what was reported;
    the check-in form also asks about the period's exchanges under way (`exchanges`: the
    period's rows, forms_of_twinning.checkin_exchanges)."""
    activities, indicators = selectors.plan_for_checkin(partnership)
    extra = {}
    if exchanges is not None:
        extra = {
            "exchanges": [row.exchange for row in exchanges if row.asks],
            "exchange_reports": {row.exchange.pk: row.report for row in exchanges if row.report},
        }
    return form_class(
        data,
        checkin=checkin,
        activities=activities,
        indicators=indicators,
        progress={p.activity_id: Progress(status=p.status, note=p.note, percent=p.percent) for p in progress},
        actuals={a.indicator_id: a.value for a in actuals},
        **extra,
    )


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, pk: int, checkin_id: int) -> HttpResponse:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    checkin = get_object_or_404(
        CheckIn.objects.select_related("period", "section", "submitted_by"),
        pk=checkin_id, period__partnership=partnership,
    )
    checkin.period.partnership = partnership
    may_report = access.acts_for(checkin.section_id)
    if request.method == "POST" and not may_report:
        raise PermissionDenied(_("Only the section's officers report for it."))
    url = reverse("partnerships:checkin", kwargs={"pk": partnership.pk, "checkin_id": checkin.pk})

    progress, actuals = selectors.checkin_reported(checkin)
    today = selectors.local_today(checkin)
    exchanges = forms_of_twinning.checkin_exchanges(checkin, today)
    form = amend_form = None
    if request.method == "POST" and "amend" in request.POST:
        amend_form = _report_form(AmendmentForm, request.POST, checkin, partnership, progress, actuals)
        if amend_form.is_valid():
            try:
                checkin_amend(
                    checkin=checkin, actor=request.user, data=amend_form.checkin_data(),
                    reason=amend_form.cleaned_data["reason"], progress=amend_form.progress(),
                    actuals=amend_form.actuals(),
                )
            except ValidationError as exc:
                add_validation_errors(amend_form, exc)
            else:
                messages.success(request, _("The amendment was recorded."))
                return redirect(url)
    elif request.method == "POST" and checkin.state == CheckIn.State.SUBMITTED:
        # A second submission (another tab, a double click): say why nothing changed and
        # show the record as it stands.
        messages.error(request, ALREADY_SUBMITTED)
        return redirect(url)
    elif request.method == "POST":
        form = _report_form(CheckInForm, request.POST, checkin, partnership, progress, actuals, exchanges)
        if form.is_valid():
            fields = {
                "checkin": checkin, "actor": request.user, "data": form.checkin_data(),
                "progress": form.progress(), "actuals": form.actuals(), "exchanges": form.exchange_answers(),
            }
            try:
                if "submit" in request.POST:
                    saved = checkin_submit(**fields, log_conflict=form.cleaned_data["log_conflict"])
                else:
                    saved = checkin_save(**fields)
            except ValidationError as exc:
                add_validation_errors(form, exc)
            else:
                if saved.state == CheckIn.State.SUBMITTED:
                    message = _("The check-in was submitted.")
                    if saved.late:
                        message += " " + _("It came after the due date, so it is marked late.")
                    messages.success(request, message)
                    return redirect(f"{partnership.get_absolute_url()}#checkins")
                messages.success(request, _("The draft was saved; submit it when it is complete."))
                return redirect(url)

    not_open = checkin.period.ends_on > today
    if may_report and checkin.state == CheckIn.State.DRAFT and form is None and not not_open:
        form = _report_form(CheckInForm, None, checkin, partnership, progress, actuals, exchanges)
    if may_report and checkin.state == CheckIn.State.SUBMITTED and amend_form is None:
        amend_form = _report_form(AmendmentForm, None, checkin, partnership, progress, actuals)
    context = {
        "partnership": partnership,
        "checkin": checkin,
        "period": checkin.period,
        "state": selectors.side_state(checkin, today),
        "may_report": may_report,
        "not_open": not_open,
        "form": form,
        "amend_form": amend_form,
        "progress": progress,
        "actuals": actuals,
        "amendments": selectors.amendments_of(checkin),
        # Shown to whoever reads the report: what in the plan does not fit its dates.
        "plan_warnings": plan_warnings(partnership, today),
        # The forms of twinning in the period, read only beside the form.
        "exchanges": exchanges,
        "finances": forms_of_twinning.period_finances(checkin, partnership, today),
        "milestones": forms_of_twinning.period_milestones(checkin, partnership),
    }
    return render(request, "evaluation/checkin.html", context)
