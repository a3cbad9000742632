"""Who may see and do what with a partnership: one access object per user and partnership,
asked by views, services and templates alike.

- officers see the partnerships of the sections where they hold an open office
  (as participant or facilitator) and act for those sections;
- coordinators see the partnerships touching their districts and endorse for them;
- a society admin (sections.permissions.is_society_admin; staff status alone is no role)
  sees everything and endorses for a district without a coordinator
  in office (sections.selectors.coordinators_of_districts says who answers for one);
- everybody else gets 404.

A draft is the proposing section's sketch: until it is sent, only that section's officers
(and society admins) see it; invited sections and coordinators see it from the moment it is
sent. Each side owns its own part of the record: its signatory, leads, give and take and
the conflicts it raised are changed by its own officers only (`may_change_side`); the
shared agreement changes when one side proposes and every other side confirms
(`change_sections_to_answer`). Whoever proposed a partnership does not accept it, even
when they also hold an office in the invited section (`is_proposer`).

The user's offices are read once per request (sections.permissions.roles_of); an access
object reads the partnership's participants once, and its endorsements only when asked.
"""

from __future__ import annotations

from functools import cached_property, reduce
from operator import or_

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from sections.permissions import is_society_admin, roles_of
from sections.selectors import coordinators_of_districts
from twinning.db import AnyOf

from .models import Participant, Partnership, Status, Transition
from .transitions import TRANSITIONS, TransitionSpec


def visible_partnerships(
    user, within: QuerySet[Partnership] | None = None, *, few: bool = False
) -> QuerySet[Partnership]:
    """The partnerships `user` may see, narrowed from `within` (all by default): a page that
    loads its partnership with everything it shows checks and loads it in one query.

    `few` says `within` holds a few partnerships (one by id, a section's): each is then tested
    by itself through the indexes, instead of first listing every partnership the user may
    see (20 ms for a coordinator of a large district, on every partnership page)."""
    base = Partnership.objects.all() if within is None else within
    if not user.is_authenticated:
        return base.none()
    if is_society_admin(user):
        return base
    roles = roles_of(user)
    sections, districts = roles.section_ids, roles.district_ids
    # A draft withdrawn before it was sent stays its proposing section's sketch.
    sent = Exists(Transition.objects.filter(partnership_id=OuterRef("pk"), to_status=Status.PROPOSED))
    unsent = Q(status=Status.DRAFT) | (Q(status=Status.WITHDRAWN) & ~sent)
    proposed_by_mine = Q(proposing_section_id__in=sections)
    # The partnerships the user is concerned with (taking part or facilitating, by section or
    # district) and their own unsent sketches: each a query and the column holding the
    # partnership's id. Only the parts of the roles the user holds: an officer's page has no
    # district part to build (each costs ~0.5 ms of query building, and finds nothing).
    concerned = []
    if sections:
        concerned += [
            (Participant.objects.filter(section_id__in=sections), "partnership_id"),
            (Partnership.objects.filter(facilitator_section_id__in=sections), "pk"),
            (Partnership.objects.filter(proposed_by_mine & unsent), "pk"),
        ]
    if districts:
        concerned += [
            (Participant.objects.filter(section__district_id__in=districts), "partnership_id"),
            (Partnership.objects.filter(facilitator_district_id__in=districts), "pk"),
        ]
    if not concerned:
        return base.none()
    if few:
        # Each partnership tested by itself against each part, through the indexes.
        among = reduce(or_, (Exists(query.filter(**{column: OuterRef("pk")})) for query, column in concerned))
    else:
        # One UNION of id lists, each read through its own index. Written as one OR of these
        # conditions, the rule made PostgreSQL read every partnership and weigh each against
        # every subquery (0.7 s at 20,000 partnerships).
        first, *rest = (query.order_by().values(column) for query, column in concerned)
        ids = first.union(*rest)
        # `id = ANY(ARRAY(…))` on PostgreSQL: the list is made once and each partnership looked
        # up in it by hash. As `id IN (…)`, the planner joined it to the list's order (recently
        # changed) by comparing every pair: 0.1 s for a coordinator of 2,000 partnerships.
        among = AnyOf(F("pk"), ArraySubquery(ids)) if connection.vendor == "postgresql" else Q(pk__in=ids)
    # Among those, a sent partnership is seen by everyone concerned; an unsent one only by
    # its proposing section (which the sketches' part holds).
    return base.filter(among).filter(~unsent | proposed_by_mine)


class PartnershipAccess:
    """What `user` may do with `partnership`, judged on the partnership as passed in: a
    service passes the copy it has locked, so the check and the change see the same state."""

    def __init__(self, user, partnership: Partnership) -> None:
        self.user = user
        self.partnership = partnership
        self.roles = roles_of(user)

    @cached_property
    def _participants(self) -> list[tuple[int, int, str]]:
        """(section id, district id, response) of every participating section: from the
        partnership's prefetched participants when a page loaded them with their sections."""
        prefetched = getattr(self.partnership, "_prefetched_objects_cache", {}).get("participants")
        if prefetched is not None and all(Participant.section.is_cached(p) for p in prefetched):
            return [(p.section_id, p.section.district_id, p.response) for p in prefetched]
        return list(
            self.partnership.participants.values_list("section_id", "section__district_id", "response")
        )

    @cached_property
    def acting(self) -> frozenset[int]:
        """The participating sections the user acts for: those where they hold an open office."""
        return frozenset(section_id for section_id, _d, _r in self._participants) & self.roles.section_ids

    @property
    def may_manage(self) -> bool:
        """Officers of a participating section run the partnership: plan, leads, logs, transitions."""
        return bool(self.acting)

    @property
    def may_edit(self) -> bool:
        """The record changes while the partnership is open, by those who run it."""
        return self.may_manage and self.partnership.is_open

    def acts_for(self, section_id: int) -> bool:
        return section_id in self.acting

    @property
    def proposes(self) -> bool:
        return self.partnership.proposing_section_id in self.acting

    @property
    def is_proposer(self) -> bool:
        """Whether the user sent this proposal: they do not also accept it for a partner."""
        return self.user.is_authenticated and self.partnership.proposed_by_id == self.user.pk

    @property
    def editable_section_ids(self) -> frozenset[int]:
        """The sides whose own record (signatory, leads, give and take, conflicts) the user
        may change now: those they act for, while the partnership is open."""
        return self.acting if self.partnership.is_open else frozenset()

    def may_change_side(self, section_id: int) -> bool:
        return section_id in self.editable_section_ids

    @property
    def may_propose_agreement(self) -> bool:
        """A side proposes a change to the agreement once the partners have the proposal:
        a draft has nobody yet to confirm it."""
        return self.may_edit and self.partnership.status != Status.DRAFT

    def change_sections_to_answer(self, change) -> frozenset[int]:
        """The sides for which the user may still confirm or decline `change`: sides they act
        for that did not propose it and have not confirmed it, unless they proposed it
        themselves (holding offices on both sides does not let one person agree with
        themselves)."""
        if not change.is_pending or not self.partnership.is_open or change.proposed_by_id == self.user.pk:
            return frozenset()
        confirmed = {confirmation.section_id for confirmation in change.confirmations.all()}
        return frozenset(self.acting - {change.proposed_by_section_id} - confirmed)

    def may_withdraw_change(self, change) -> bool:
        """The proposing side's officers take back a change still waiting for an answer."""
        return change.is_pending and self.partnership.is_open and self.acts_for(change.proposed_by_section_id)

    @cached_property
    def answerable_section_ids(self) -> frozenset[int]:
        """The invited sections the user may still accept or decline for."""
        if self.partnership.status != Status.PROPOSED:
            return frozenset()
        if self.is_proposer:
            return frozenset()
        return frozenset(
            section_id for section_id, _d, response in self._participants
            if response == Participant.Response.PENDING and section_id in self.roles.section_ids
        )

    @cached_property
    def endorsable_district_ids(self) -> frozenset[int]:
        """Districts whose endorsement the user may give: as their coordinator in office, or
        as a society admin where the district has no active coordinator in office."""
        required = {district_id for _s, district_id, _r in self._participants}
        endorsed = set(self.partnership.endorsements.values_list("district_id", flat=True))
        pending = required - endorsed
        if not pending or not self.user.is_authenticated:
            return frozenset()
        return frozenset(
            district_id for district_id, users in coordinators_of_districts(pending).items() if self.user in users
        )

    @cached_property
    def endorsed_district_ids(self) -> frozenset[int]:
        """Participating districts the user answers for (as endorsable_district_ids) whose
        endorsement is given already: endorsing again gets a message, not a refusal."""
        required = {district_id for _s, district_id, _r in self._participants}
        endorsed = required & set(self.partnership.endorsements.values_list("district_id", flat=True))
        if not endorsed or not self.user.is_authenticated:
            return frozenset()
        return frozenset(
            district_id for district_id, users in coordinators_of_districts(endorsed).items() if self.user in users
        )

    def may_attempt(self, action: str) -> bool:
        """Whether the user's role lets them start `action` (the state is the service's check)."""
        spec = TRANSITIONS[action]
        if spec.endorsement:
            return bool(self.endorsable_district_ids)
        if spec.answer:
            return bool(self.answerable_section_ids)
        if spec.proposer_only:
            return self.proposes
        return self.may_manage

    @cached_property
    def actions(self) -> list[TransitionSpec]:
        """The transitions the page offers as buttons: allowed from the state, and by the role.
        Accepting and declining have a page of their own."""
        return [
            spec for spec in TRANSITIONS.values()
            if self.partnership.status in spec.sources and not spec.answer and self.may_attempt(spec.action)
        ]


def access_for(user, partnership: Partnership) -> PartnershipAccess:
    return PartnershipAccess(user, partnership)


def get_partnership_for_user(
    user, pk: int, within: QuerySet[Partnership] | None = None
) -> tuple[Partnership, PartnershipAccess]:
    """The partnership if `user` may see it, and what they may do with it; 404 otherwise.
    `within` loads it as a page needs it (selectors.partnership_detail_queryset)."""
    try:
        partnership = (
            visible_partnerships(user, within, few=True).select_related("proposing_section").get(pk=pk)
        )
    except Partnership.DoesNotExist:
        raise Http404("No partnership found.") from None
    return partnership, access_for(user, partnership)
