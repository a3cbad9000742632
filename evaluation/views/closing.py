"""Pages of the evaluations, under a partnership's address: the evaluation of one kind
(mid-term review, final evaluation, evaluation on ending early), its confirmation by each
side's lead, the district coordinator's comment, and the printable report of the whole
partnership with its PDF.

Each starts from the partnership scoped to the user (404 otherwise). Whoever may see the
partnership reads its evaluations and its report; the services refuse the rest:
PermissionDenied (403) or ValidationError, shown on the form with nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from partnerships.models import Lead, Partnership
from partnerships.permissions import get_partnership_for_user
from partnerships.selectors import partnership_plan_queryset
from sections.models import Section
from twinning.forms import add_validation_errors

from .. import report, selectors
from ..selectors import forms_of_twinning
from ..forms_closing import CommentForm, EvaluationForm
from ..models import Evaluation
from ..services.closing import (
    OPEN_FOR,
    coordinator_district_ids,
    evaluation_comment,
    evaluation_confirm,
    evaluation_gaps,
    evaluation_save,
    evaluation_start,
    evaluation_url,
    lesson_form_url,
    lesson_needed,
    parts_of,
)


def _kind(kind: str) -> Evaluation.Kind:
    if kind not in Evaluation.Kind.values:
        raise Http404("No such evaluation.")
    return Evaluation.Kind(kind)


def _evaluation_or_404(partnership: Partnership, kind: str) -> Evaluation:
    evaluation = Evaluation.objects.filter(partnership=partnership, kind=kind).first()
    if evaluation is None:
        raise Http404("Not started.")
    evaluation.partnership = partnership
    return evaluation


@login_required
@require_http_methods(["GET", "POST"])
def evaluation(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    kind = _kind(kind)
    partnership, access = get_partnership_for_user(request.user, pk)
    if request.method == "POST" and not access.may_manage:
        raise PermissionDenied(_("Only officers of the participating sections can edit the evaluation."))
    url = evaluation_url(partnership, kind)
    current = selectors.evaluation_detail(partnership, kind)
    if request.method == "POST" and current is None:
        try:
            evaluation_start(partnership=partnership, kind=kind, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(partnership)
        messages.success(request, _("The %(kind)s is started: either side can fill it in.") % {"kind": kind.label.lower()})
        return redirect(url)

    editable = current is not None and access.may_manage and partnership.status in OPEN_FOR[kind]
    form = None
    if editable:
        current.partnership = partnership
        form = EvaluationForm(
            request.POST or None, request.FILES or None, evaluation=current, acting=set(access.acting)
        )
        if request.method == "POST":
            # Who had confirmed before this change (the sides are prefetched): an editor must
            # learn that the change cleared those confirmations, not only read it in a badge.
            confirmed = [side.section.name for side in current.sides.all() if side.confirmed_at]
            if form.is_valid():
                try:
                    saved = evaluation_save(evaluation=current, actor=request.user, **form.service_kwargs())
                except ValidationError as exc:
                    add_validation_errors(form, exc)
                else:
                    if confirmed and not saved.sides.filter(confirmed_at__isnull=False).exists():
                        messages.success(request, _(
                            "The evaluation was saved. The change cleared the confirmation of %(sections)s: each "
                            "side's lead confirms it again."
                        ) % {"sections": ", ".join(confirmed)})
                    else:
                        messages.success(request, _("The evaluation was saved."))
                    return redirect(url)
            messages.error(request, _("The evaluation was not saved: see the marked fields."))
    elif request.method == "POST":
        messages.error(request, _("This evaluation can no longer be changed."))
        return redirect(url)

    participants = list(partnership.participants.select_related("section"))
    context = {
        "partnership": partnership,
        "access": access,
        "kind": kind,
        "parts": parts_of(kind),
        "evaluation": current,
        "form": form,
        "may_start": current is None and access.may_manage and partnership.status in OPEN_FOR[kind],
        "promised": {participant.section_id: participant for participant in participants},
    }
    if current is not None:
        sides = list(current.sides.all())
        led = set(
            Lead.objects.filter(partnership=partnership, user=request.user, section_id__in=access.acting)
            .values_list("section_id", flat=True)
        )
        context.update({
            "sides": [
                {
                    "side": side,
                    "promised": context["promised"].get(side.section_id),
                    "own": form.side_fields(side) if form and side in form.own_sides else None,
                    "benefits": {rating.benefit: rating for rating in side.benefits.all()},
                    "may_confirm": editable and side.section_id in led and side.confirmed_at is None,
                }
                for side in sides
            ],
            "gaps": evaluation_gaps(current, section_ids=led) if editable and led else [],
            "lesson_needed": current.closing and editable and lesson_needed(partnership),
            "lesson_url": lesson_form_url(partnership, kind),
            "evidence": forms_of_twinning.closing_evidence(partnership, timezone.localdate()),
            "comment_form": (
                CommentForm(initial={"comment": current.coordinator_comment})
                if coordinator_district_ids(request.user, partnership) else None
            ),
        })
    return render(request, "evaluation/evaluation.html", context)


@login_required
@require_POST
def evaluation_confirm_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    kind = _kind(kind)
    partnership, access = get_partnership_for_user(request.user, pk)
    current = _evaluation_or_404(partnership, kind)
    section_id = request.POST.get("section", "")
    # isdigit() alone lets "²" or "١" through, which int() then refuses or reads as another id.
    if not (section_id.isascii() and section_id.isdigit()) or not access.acts_for(int(section_id)):
        raise PermissionDenied(_("Only a lead of the section confirms for it."))
    section = Section.objects.get(pk=int(section_id))
    try:
        evaluation_confirm(evaluation=current, section=section, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        current.refresh_from_db(fields=["final_at"])
        if current.is_final:
            messages.success(request, _("Confirmed. Every side has confirmed: the evaluation is final."))
        else:
            messages.success(request, _("Confirmed for %(section)s. The other side was told.") % {"section": section})
    return redirect(evaluation_url(partnership, kind))


@login_required
@require_POST
def evaluation_comment_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    kind = _kind(kind)
    partnership, _access = get_partnership_for_user(request.user, pk)
    current = _evaluation_or_404(partnership, kind)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(evaluation_url(partnership, kind))
    try:
        evaluation_comment(evaluation=current, actor=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your comment was saved."))
    return redirect(evaluation_url(partnership, kind))


@login_required
def partnership_report(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, _access = get_partnership_for_user(request.user, pk, within=partnership_plan_queryset())
    return render(request, "evaluation/report.html", report.report_context(partnership))


@login_required
def partnership_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, _access = get_partnership_for_user(request.user, pk, within=partnership_plan_queryset())
    response = HttpResponse(report.report_pdf(partnership, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="partnership-{partnership.pk}-report.pdf"'
    return response
