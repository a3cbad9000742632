"""Growing a formative section: milestones, each side's part of them, snapshots of the
formative section, and its proposal to count as "developing".

Each side writes its own part of a milestone: the formative section's officers the date it
was done and the evidence, the mentoring section's officers their help (anyone else of the
partnership 403). The formative section's district coordinator decides its maturity.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sections.models import Section, TwinningForm
from sections.selectors import coordinators_of_districts
from twinning import submissions

from .. import notifications
from ..models import GrowthMilestone, GrowthSnapshot, MaturityProposal, MilestoneKind, Participant, Partnership
from ..permissions import access_for
from .plan import _lock_editable
from .uploads import upload_store


def is_growing(partnership: Partnership) -> bool:
    """Whether the partnership grows a formative section (reads its prefetched forms if any)."""
    return any(form.code == TwinningForm.Code.GROWING_SECTION for form in partnership.forms.all())


def formative_section(partnership: Partnership, participants: list[Participant] | None = None) -> Section | None:
    """The section the partnership grows: the one recorded at activation; before that, one
    confirmed "developing" through this partnership; else the first formative participant."""
    if participants is None:
        participants = list(partnership.participants.select_related("section"))
    by_id = {participant.section_id: participant.section for participant in participants}
    snapshot = next(
        (s for s in partnership.growth_snapshots.all() if s.moment == GrowthSnapshot.Moment.ACTIVATION), None
    )
    if snapshot is not None and snapshot.section_id in by_id:
        return by_id[snapshot.section_id]
    for proposal in partnership.maturity_proposals.all():
        if proposal.state == MaturityProposal.State.CONFIRMED and proposal.section_id in by_id:
            return by_id[proposal.section_id]
    return next((section for section in by_id.values() if section.maturity == Section.Maturity.FORMATIVE), None)


def _formative_or_refuse(partnership: Partnership) -> Section:
    section = formative_section(partnership)
    if section is None:
        raise ValidationError(_("No participating section is formative: there is no section to grow."))
    return section


@transaction.atomic
def growth_milestone_add(
    *, partnership: Partnership, actor, kind: MilestoneKind, target_date: datetime.date, once: uuid.UUID | None = None
) -> GrowthMilestone:
    """A milestone for the formative section, planned by either side's officers."""
    partnership, _access = _lock_editable(actor, partnership)
    submissions.claim(once, user=actor)
    if not is_growing(partnership):
        raise ValidationError(_("This partnership does not grow a formative section."))
    if not kind.active:
        raise ValidationError({"kind": [_("This milestone is no longer offered; choose another.")]})
    milestone = GrowthMilestone(partnership=partnership, kind=kind, target_date=target_date)
    milestone._history_user = actor
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def growth_milestone_progress(
    *,
    milestone: GrowthMilestone,
    actor,
    done_on: datetime.date | None,
    evidence: str,
    evidence_file=None,
    target_date: datetime.date | None = None,
) -> GrowthMilestone:
    """The formative side's part: when it was done, and what shows it; a new document
    replaces the one before (deleted once this commits)."""
    partnership, access = _lock_editable(actor, milestone.partnership)
    formative = _formative_or_refuse(partnership)
    if not access.may_change_side(formative.pk):
        raise PermissionDenied(_("Only officers of %(section)s record its progress.") % {"section": formative})
    milestone = GrowthMilestone.objects.select_for_update().get(pk=milestone.pk, partnership=partnership)
    if done_on and done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("The date it was done cannot be in the future.")]})
    if evidence.strip() and not done_on:
        raise ValidationError({"done_on": [_("Give the date it was done: evidence belongs to a milestone that is done.")]})
    milestone.done_on = done_on
    milestone.evidence = evidence
    if target_date:
        milestone.target_date = target_date
    if evidence_file:
        upload_store(
            partnership=partnership, actor=actor, instance=milestone, field="evidence_file",
            upload=evidence_file, error_field="evidence_file",
        )
    milestone._history_user = actor
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def growth_milestone_help(*, milestone: GrowthMilestone, actor, help_text: str) -> GrowthMilestone:
    """The mentoring side's part: what it did to help the formative section get there."""
    partnership, access = _lock_editable(actor, milestone.partnership)
    formative = _formative_or_refuse(partnership)
    mentoring = set(partnership.participants.values_list("section_id", flat=True)) - {formative.pk}
    if not any(access.may_change_side(section_id) for section_id in mentoring):
        raise PermissionDenied(_("Only officers of the mentoring section record its help."))
    milestone = GrowthMilestone.objects.select_for_update().get(pk=milestone.pk, partnership=partnership)
    milestone.help = help_text
    milestone._history_user = actor
    milestone.full_clean()
    milestone.save(update_fields=["help"])
    return milestone


def growth_snapshot_take(*, partnership: Partnership, moment: str) -> GrowthSnapshot | None:
    """Record the formative section's members and maturity at `moment`, once: taken again (a
    retried transition) it keeps the first. Nothing for a partnership not growing a section."""
    if not is_growing(partnership):
        return None
    section = formative_section(partnership)
    if section is None:
        return None
    section = Section.objects.only("member_count", "maturity").get(pk=section.pk)
    try:
        with transaction.atomic():
            snapshot, _created = GrowthSnapshot.objects.get_or_create(
                partnership=partnership, moment=moment,
                defaults={"section": section, "member_count": section.member_count, "maturity": section.maturity},
            )
    except IntegrityError:
        # Another transaction took it between our read and our insert: theirs stands.
        snapshot = GrowthSnapshot.objects.get(partnership=partnership, moment=moment)
    return snapshot


@transaction.atomic
def maturity_propose(*, partnership: Partnership, actor, reason: str = "") -> MaturityProposal:
    """The formative section's officers propose that it has reached "developing"."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    access = access_for(actor, partnership)
    formative = _formative_or_refuse(partnership)
    if not access.acts_for(formative.pk):
        raise PermissionDenied(_("Only officers of %(section)s propose its maturity.") % {"section": formative})
    section = Section.objects.select_for_update().get(pk=formative.pk)
    if section.maturity != Section.Maturity.FORMATIVE:
        raise ValidationError(_("%(section)s is %(maturity)s already.") % {
            "section": section, "maturity": section.get_maturity_display().lower()})
    if MaturityProposal.objects.filter(section=section, state=MaturityProposal.State.PENDING).exists():
        raise ValidationError(_("The section's proposal is already waiting for its coordinator."))
    proposal = MaturityProposal(section=section, partnership=partnership, proposed_by=actor, reason=reason)
    proposal._history_user = actor
    proposal.full_clean()
    proposal.save()
    notifications.maturity_event(proposal)
    return proposal


def may_decide_maturity(user, section: Section) -> bool:
    """The section's district coordinator in office (society admins where it has none)."""
    return user.is_authenticated and user in coordinators_of_districts([section.district_id])[section.district_id]


@transaction.atomic
def maturity_decide(*, proposal: MaturityProposal, actor, confirm: bool) -> MaturityProposal:
    """The coordinator confirms (the section becomes "developing") or declines the proposal."""
    proposal = MaturityProposal.objects.select_for_update().select_related("section").get(pk=proposal.pk)
    if not may_decide_maturity(actor, proposal.section):
        raise PermissionDenied(_("Only the section's district coordinator decides its maturity."))
    if not proposal.is_pending:
        raise ValidationError(_("This proposal was %(state)s already.") % {"state": proposal.get_state_display().lower()})
    proposal.state = MaturityProposal.State.CONFIRMED if confirm else MaturityProposal.State.DECLINED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal._history_user = actor
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    if confirm:
        section = Section.objects.select_for_update().get(pk=proposal.section_id)
        section.maturity = Section.Maturity.DEVELOPING
        section.save(update_fields=["maturity", "updated_at"])
    notifications.maturity_event(proposal)
    return proposal
