"""Growing a formative section, as the partnership's own events and pages call for it: the
snapshots taken when the partnership starts and closes, the panel on the partnership page and
the formative section's maturity proposal on its profile."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sections.models import Section, TwinningForm
from twinning.panels import Panel, panel

from . import services
from .models import GrowthMilestone, GrowthSnapshot, MaturityProposal, Partnership
from .permissions import PartnershipAccess
from .services.growth import formative_section, is_growing, may_decide_maturity


def snapshot_at_activation(sender, *, partnership: Partnership, **kwargs) -> None:
    services.growth_snapshot_take(partnership=partnership, moment=GrowthSnapshot.Moment.ACTIVATION)


def snapshot_at_end(sender, *, partnership: Partnership, **kwargs) -> None:
    services.growth_snapshot_take(partnership=partnership, moment=GrowthSnapshot.Moment.END)


def growth_panel(sender, *, partnership: Partnership, access: PartnershipAccess, request: HttpRequest, **kwargs) -> Panel | None:
    """The milestones, each side's part of them, and how the formative section has grown."""
    if not is_growing(partnership):
        return None
    participants = list(partnership.participants.all())
    # Read twice below (by formative_section and for the snapshots): one query.
    prefetch_related_objects([partnership], "growth_snapshots")
    formative = formative_section(partnership, participants)
    milestones = list(GrowthMilestone.objects.filter(partnership=partnership).select_related("kind"))
    snapshots = {snapshot.moment: snapshot for snapshot in partnership.growth_snapshots.all()}
    proposal = None
    if formative is not None:
        proposal = MaturityProposal.objects.filter(section=formative).select_related("proposed_by", "decided_by").first()
    mentoring = [p.section for p in participants if formative is None or p.section_id != formative.pk]
    acts_formative = formative is not None and access.acts_for(formative.pk)
    context = {
        "partnership": partnership,
        "intents": [i for i in partnership.form_intents.all() if i.form.code == TwinningForm.Code.GROWING_SECTION],
        "formative": formative,
        "mentoring": mentoring,
        "milestones": milestones,
        "done": sum(1 for milestone in milestones if milestone.is_done),
        "start": snapshots.get(GrowthSnapshot.Moment.ACTIVATION),
        "end": snapshots.get(GrowthSnapshot.Moment.END),
        "proposal": proposal,
        "may_add": access.may_edit,
        "may_progress": acts_formative and access.may_edit,
        "may_help": formative is not None and bool(access.acting - {formative.pk}) and access.may_edit,
        "may_propose": (
            acts_formative and formative.maturity == Section.Maturity.FORMATIVE
            and not (proposal and proposal.is_pending)
        ),
        "may_decide": bool(proposal and proposal.is_pending and may_decide_maturity(request.user, formative)),
    }
    return panel(
        "partnerships/growth/panel.html", context, request=request, anchor="growth",
        title=_("Growing the section"), order=40,
    )


def section_maturity_panel(sender, *, section: Section, request: HttpRequest, **kwargs) -> Panel | None:
    """A formative section's proposal to count as developing, with the coordinator's buttons.
    Other sections' pages ask nothing."""
    if section.maturity != Section.Maturity.FORMATIVE:
        return None
    proposal = (
        MaturityProposal.objects.filter(section=section, state=MaturityProposal.State.PENDING)
        .select_related("proposed_by").first()
    )
    if proposal is None:
        return None
    return panel(
        "partnerships/growth/section_panel.html",
        {"section": section, "proposal": proposal, "may_decide": may_decide_maturity(request.user, section)},
        request=request, anchor="maturity", title=_("Maturity"), order=5,
    )
