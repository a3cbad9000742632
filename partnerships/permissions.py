"""Who may see and change what in partnerships/. Every view asks here.

- officers see the partnerships of the sections where they hold an open office
  (as participant or facilitator) and act for those sections;
- coordinators see the partnerships touching their districts and endorse for them;
- a society admin sees everything and endorses for a district without a coordinator;
- everybody else gets 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from sections.selectors import coordinators_of_districts
from sections.permissions import coordinated_district_ids, officer_section_ids

from .models import Participant, Partnership


def visible_partnerships(user) -> QuerySet[Partnership]:
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_staff:
        return Partnership.objects.all()
    section_ids = officer_section_ids(user)
    district_ids = coordinated_district_ids(user)
    taking_part = Participant.objects.filter(
        Q(section_id__in=section_ids) | Q(section__district_id__in=district_ids)
    ).values("partnership_id")
    return Partnership.objects.filter(
        Q(pk__in=taking_part)
        | Q(facilitator_section_id__in=section_ids)
        | Q(facilitator_district_id__in=district_ids)
    )


def get_partnership_for_user(user, pk: int) -> Partnership:
    """The partnership if `user` may see it; 404 otherwise."""
    try:
        return visible_partnerships(user).select_related("proposing_section").get(pk=pk)
    except Partnership.DoesNotExist:
        raise Http404("No partnership found.") from None


def acting_section_ids(user, partnership: Partnership) -> set[int]:
    """The participating sections `user` may act for: those where they hold an open office."""
    participating = set(partnership.participants.values_list("section_id", flat=True))
    return participating & officer_section_ids(user)


def can_manage(user, partnership: Partnership) -> bool:
    """Officers of a participating section run the partnership: plan, leads, logs, transitions."""
    return bool(acting_section_ids(user, partnership))


def endorsable_district_ids(user, partnership: Partnership) -> set[int]:
    """Districts whose endorsement `user` may give: as their coordinator, or as a society
    admin where the district has no coordinator."""
    required = set(partnership.participants.values_list("section__district_id", flat=True))
    endorsed = set(partnership.endorsements.values_list("district_id", flat=True))
    pending = required - endorsed
    if not pending or not user.is_authenticated:
        return set()
    return {district_id for district_id, users in coordinators_of_districts(pending).items() if user in users}


# Transitions only the proposing section's officers start; the others need any participating officer.
PROPOSER_ACTIONS = frozenset({"submit", "withdraw"})


def may_attempt(user, partnership: Partnership, action: str, *, acting: set[int] | None = None) -> bool:
    """Whether `user`'s role lets them start `action` at all (the state is checked by the service).

    `acting`, when the caller has it already, is acting_section_ids(user, partnership)."""
    if action == "endorse":
        return bool(endorsable_district_ids(user, partnership))
    if acting is None:
        acting = acting_section_ids(user, partnership)
    if action in PROPOSER_ACTIONS:
        return partnership.proposing_section_id in acting
    return bool(acting)
