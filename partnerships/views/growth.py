"""Growing a formative section: milestones and each side's part of them, the evidence
download, and the formative section's proposal to count as "developing" with its
coordinator's decision.

Every view fetches the partnership scoped to the user (404 otherwise) and the milestone
scoped to the partnership; the wrong side gets 403 (the services check it again under lock).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sections.models import TwinningForm
from sections.permissions import roles_of
from twinning.forms import add_validation_errors
from twinning.uploads import attachment

from .. import permissions, selectors, services
from ..forms_growth import MaturityProposalForm, MilestoneForm, MilestoneHelpForm, MilestoneProgressForm
from ..models import GrowthMilestone, MaturityProposal, Partnership
from ..permissions import PartnershipAccess
from ..services.growth import formative_section, is_growing, may_decide_maturity
from .plan import _editable_partnership, _form_page, _saved

ANCHOR = "growth"


def _growing_partnership(request: HttpRequest, pk: int) -> tuple[Partnership, PartnershipAccess]:
    partnership, access = permissions.get_partnership_for_user(request.user, pk)
    if not is_growing(partnership):
        raise Http404("This partnership does not grow a formative section.")
    return partnership, access


def _back(partnership: Partnership) -> str:
    return f"{partnership.get_absolute_url()}#{ANCHOR}"


def _milestone_for_side(request: HttpRequest, pk: int, milestone_id: int, *, formative: bool):
    """The milestone, for an officer of the side that writes this part of it: 404 for who
    does not see it, 403 for the other side and those who do not run the partnership."""
    partnership, access = _growing_partnership(request, pk)
    milestone = get_object_or_404(GrowthMilestone.objects.select_related("kind"), pk=milestone_id, partnership=partnership)
    if not access.may_manage:
        raise PermissionDenied(_("Only officers of a participating section can change this."))
    section = formative_section(partnership)
    if section is None:
        raise PermissionDenied(_("No participating section is formative."))
    own = access.acts_for(section.pk) if formative else bool(access.acting - {section.pk})
    if not own:
        raise PermissionDenied(_("Each side records its own part of a milestone."))
    return partnership, access, milestone, section


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = _editable_partnership(request, pk)
    if not is_growing(partnership):
        raise Http404("This partnership does not grow a formative section.")
    if not access.may_edit:
        return redirect(partnership)
    form = MilestoneForm(request.POST or None)
    intent = selectors.intent_for(selectors.form_intents(partnership=partnership), TwinningForm.Code.GROWING_SECTION)
    if intent is not None and intent.first_milestones:
        form.fields["kind"].help_text = _("The proposal had in mind: %(milestones)s") % {
            "milestones": intent.first_milestones
        }
    if request.method == "POST" and form.is_valid():
        done = _saved(
            request, form, lambda: services.growth_milestone_add(
                partnership=partnership, actor=request.user, kind=form.cleaned_data["kind"],
                target_date=form.cleaned_data["target_date"], once=form.once,
            ),
            done=_back(partnership), message=_("The milestone was added."),
        )
        if done:
            return done
    return _form_page(request, partnership, form, _("Add a growth milestone"), ANCHOR)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_progress(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    partnership, access, milestone, section = _milestone_for_side(request, pk, milestone_id, formative=True)
    if not access.may_edit:
        messages.error(request, _("This partnership is closed; its record can no longer change."))
        return redirect(partnership)
    # The stored document is not an initial value: the file input would link its storage
    # address, which skips the permission check; the panel links it through the download view.
    initial = {"target_date": milestone.target_date, "done_on": milestone.done_on, "evidence": milestone.evidence}
    form = MilestoneProgressForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["evidence_file"]
        try:
            services.growth_milestone_progress(
                milestone=milestone, actor=request.user, done_on=form.cleaned_data["done_on"],
                evidence=form.cleaned_data["evidence"], target_date=form.cleaned_data["target_date"],
                evidence_file=upload or None,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("The progress on “%(milestone)s” was saved.") % {"milestone": milestone.kind})
            return redirect(_back(partnership))
    title = _("%(milestone)s: progress of %(section)s") % {"milestone": milestone.kind, "section": section}
    return _form_page(request, partnership, form, title, ANCHOR)


@login_required
@require_http_methods(["GET", "POST"])
def milestone_help(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    partnership, access, milestone, _section = _milestone_for_side(request, pk, milestone_id, formative=False)
    if not access.may_edit:
        messages.error(request, _("This partnership is closed; its record can no longer change."))
        return redirect(partnership)
    form = MilestoneHelpForm(request.POST or None, initial={"help": milestone.help})
    if request.method == "POST" and form.is_valid():
        try:
            services.growth_milestone_help(milestone=milestone, actor=request.user, help_text=form.cleaned_data["help"])
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Your help with “%(milestone)s” was saved.") % {"milestone": milestone.kind})
            return redirect(_back(partnership))
    title = _("%(milestone)s: the mentoring section's help") % {"milestone": milestone.kind}
    return _form_page(request, partnership, form, title, ANCHOR)


@login_required
def milestone_evidence(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    partnership, _access = _growing_partnership(request, pk)
    milestone = get_object_or_404(GrowthMilestone, pk=milestone_id, partnership=partnership)
    if not milestone.evidence_file:
        raise Http404("No evidence document uploaded.")
    return attachment(request, milestone.evidence_file, back_url=_back(partnership))


@login_required
@require_POST
def maturity_propose(request: HttpRequest, pk: int) -> HttpResponse:
    partnership, access = _growing_partnership(request, pk)
    section = formative_section(partnership)
    if section is None or not access.acts_for(section.pk):
        raise PermissionDenied(_("Only officers of the formative section propose its maturity."))
    form = MaturityProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect(_back(partnership))
    try:
        services.maturity_propose(partnership=partnership, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Proposed: %(section)s is developing. Its district coordinator confirms or declines.")
            % {"section": section},
        )
    return redirect(_back(partnership))


@login_required
@require_POST
def maturity_decide(request: HttpRequest, proposal_id: int, decision: str) -> HttpResponse:
    """The coordinator's answer; the section's own officers see the proposal (403), anyone
    else is not told it exists (404)."""
    if decision not in ("confirm", "decline"):
        raise Http404("No such decision.")
    proposal = get_object_or_404(MaturityProposal.objects.select_related("section"), pk=proposal_id)
    if not may_decide_maturity(request.user, proposal.section):
        if proposal.section_id in roles_of(request.user).section_ids:
            raise PermissionDenied(_("Only the section's district coordinator decides its maturity."))
        raise Http404("No such proposal.")
    try:
        services.maturity_decide(proposal=proposal, actor=request.user, confirm=decision == "confirm")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if decision == "confirm":
            messages.success(request, _("%(section)s is now developing.") % {"section": proposal.section})
        else:
            messages.success(request, _("You declined: %(section)s stays formative.") % {"section": proposal.section})
    back = request.POST.get("next", "")
    if proposal.partnership_id and back == "partnership":
        return redirect(f"{reverse('partnerships:detail', args=[proposal.partnership_id])}#{ANCHOR}")
    return redirect(proposal.section.get_absolute_url())
