from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from twinning.forms import add_validation_errors

from . import selectors, services
from .forms import AssessmentForm
from .permissions import get_section_for_readiness
from .selectors import CHART_HEIGHT, CHART_PAD, CHART_WIDTH


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
                        section=section, actor=request.user, questionnaire=questionnaire, answers=form.chosen()
                    )
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
            "chart_size": {
                "width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": CHART_PAD,
                "bottom": CHART_HEIGHT - CHART_PAD, "right": CHART_WIDTH - CHART_PAD,
            },
        },
    )
