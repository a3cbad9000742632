"""Proposing, answering and every other change of a partnership's status.

Each view: a permission-scoped fetch, a form, one service call, a redirect with a
message. A role that may not make the change gets 403 (the service says so); a
change the partnership's state does not allow comes back as a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from sections.models import ReadinessVerdict, Section, TwinningForm
from sections.permissions import get_section_for_edit

from twinning.forms import add_validation_errors
from twinning.panels import collect
from twinning.submissions import AlreadySent, already_saved

from .. import permissions, selectors, services
from ..forms import CadenceForm, ProposalForm, ReasonForm, ResponseForm
from ..models import Status
from ..services import TransitionRefused
from ..services.lifecycle import ENDORSED_ALREADY
from ..signals import proposal_panels
from ..transitions import TRANSITIONS

# The service that makes each change the transition page offers (accepting and declining
# have the answer page).
SERVICES = {
    "submit": services.partnership_submit,
    "withdraw": services.partnership_withdraw,
    "endorse": services.partnership_endorse,
    "activate": services.partnership_activate,
    "suspend": services.partnership_suspend,
    "resume": services.partnership_resume,
    "complete": services.partnership_complete,
    "end": services.partnership_end,
}


@login_required
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_section_for_edit(request.user, slug)
    initial = {}
    partner_slug = request.GET.get("partner")
    if partner_slug:
        initial["partner"] = Section.objects.filter(slug=partner_slug).exclude(pk=section.pk).first()
    form_code = request.GET.get("form")
    if form_code:
        initial["twinning_forms"] = list(TwinningForm.objects.filter(code=form_code))
    form = ProposalForm(request.POST or None, initial=initial, proposing_section=section)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partners = [data["partner"], *data["more_partners"]]
        try:
            partnership = services.partnership_propose(
                actor=request.user,
                proposing_section=section,
                partner_sections=partners,
                title=data["title"],
                purpose=data["purpose"],
                forms=data["twinning_forms"],
                start_date=data["start_date"],
                planned_end_date=data["planned_end_date"],
                exploratory=data["exploratory"],
                gives={section.pk: data["our_gives"], data["partner"].pk: data["partner_gives"]},
                gains={section.pk: data["our_gains"], data["partner"].pk: data["partner_gains"]},
                facilitator_kind=data["facilitator_kind"],
                facilitator_district=data["facilitator_district"],
                facilitator_section=data["facilitator_section"],
                facilitator_name=data["facilitator_name"],
                submit="draft" not in request.POST,
                once=form.once,
                intents=form.intents(),
            )
        except AlreadySent as sent:
            return already_saved(request, sent.target or section)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if partnership.status == Status.DRAFT:
                messages.success(request, _("The draft was saved. Send it when you are ready."))
            else:
                messages.success(request, _("The proposal was sent. The partner section's officers were told."))
            return redirect(partnership)
    # The forms ticked on the page sent back, else those the link asked for.
    chosen = getattr(form, "cleaned_data", {}).get("twinning_forms") if form.is_bound else None
    panels = collect(
        proposal_panels, sender=Section, request=request, section=section,
        forms=list(chosen if chosen is not None else initial.get("twinning_forms", [])),
    )
    return render(
        request,
        "partnerships/propose.html",
        {
            "section": section,
            "form": form,
            "not_ready": section.readiness_verdict == ReadinessVerdict.NOT_YET,
            "panels": panels,
        },
    )


def _answered(partnership, participant) -> str:
    if participant.response != participant.Response.PENDING:
        return _("%(section)s has already answered this proposal: %(answer)s.") % {
            "section": participant.section, "answer": participant.get_response_display().lower(),
        }
    return _("This partnership is %(status)s, so the proposal can no longer be answered.") % {
        "status": partnership.get_status_display().lower(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited section accepts or declines, and may restate its own give and take."""
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    participant = (
        partnership.participants.select_related("section")
        .filter(section_id__in=access.answerable_section_ids)
        .first()
    )
    if participant is None:
        if access.is_proposer and partnership.status == Status.PROPOSED and (access.acting - {partnership.proposing_section_id}):
            # Holding an office on the invited side too does not let the proposer accept.
            raise PermissionDenied(_("You proposed this partnership, so another officer of the invited section answers it."))
        answered = (
            partnership.participants.select_related("section")
            .filter(section_id__in=access.acting).exclude(section_id=partnership.proposing_section_id)
            .first()
        )
        if answered is None:
            raise Http404("Nothing to answer.")
        # An invited section's officer, answering again (a double click, another tab, a
        # colleague who was quicker): what stands, and the partnership as it is.
        messages.info(request, _answered(partnership, answered))
        return redirect(partnership)
    form = ResponseForm(request.POST or None, instance=participant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if "decline" in request.POST:
                services.partnership_decline(
                    partnership=partnership, section=participant.section, actor=request.user,
                    comment=data["comment"],
                )
                messages.info(request, _("You declined the proposal. The proposing section was told."))
            else:
                services.partnership_accept(
                    partnership=partnership, section=participant.section, actor=request.user,
                    comment=data["comment"], gives=data["gives"], gains=data["gains"],
                )
                messages.success(request, _("You accepted the proposal."))
        except TransitionRefused as exc:
            messages.error(request, str(exc))
        return redirect(partnership)
    context = {
        "partnership": partnership,
        "participant": participant,
        "form": form,
        # Before accepting, the partner sees what the proposal means by each form.
        "intents": selectors.form_intents(partnership=partnership),
    }
    return render(request, "partnerships/answer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in SERVICES:
        raise Http404("No such action.")
    spec = TRANSITIONS[action]
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    if not access.may_attempt(action):
        if spec.endorsement and access.endorsed_district_ids:
            # Endorsing again: the endorsement stands, nothing to refuse.
            messages.info(request, ENDORSED_ALREADY)
            return redirect(partnership)
        raise PermissionDenied(spec.refusal)
    if action == "activate":
        # Left unchosen, the partnership keeps its cadence (quarterly unless changed).
        data = request.POST if request.method == "POST" else None
        form = CadenceForm(data, required=False, initial={"cadence": partnership.cadence})
    elif spec.note == "comment":
        form = ReasonForm(request.POST or None, required=False, label=gettext_lazy("Comment (optional)"))
    elif spec.note:
        required = spec.note_required is not None
        label = gettext_lazy("Reason") if required else gettext_lazy("Reason (optional)")
        form = ReasonForm(request.POST or None, required=required, label=label)
    else:
        form = None
    if request.method == "POST" and (form is None or form.is_valid()):
        if action == "activate":
            kwargs = {"cadence": form.cleaned_data["cadence"]}
        else:
            kwargs = {spec.note: form.cleaned_data["reason"]} if spec.note else {}
        try:
            SERVICES[action](partnership=partnership, actor=request.user, **kwargs)
        except TransitionRefused as exc:
            if form is None:
                messages.error(request, str(exc))
            else:
                # Shown where the user is, beside the reason they typed: what still stands
                # in the way (a higher app's gate may name several things) and where to go.
                form.add_error(None, str(exc))
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, spec.done)
            return redirect(partnership)
        if form is None or not form.errors:
            return redirect(partnership)
    context = {
        "partnership": partnership,
        "action": action,
        "title": spec.title,
        "button": spec.button,
        "form": form,
        "gaps": services.activation_gaps(partnership) if action == "activate" else [],
    }
    return render(request, "partnerships/transition.html", context)
