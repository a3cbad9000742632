"""Who may see which partnership is one rule, asked two ways: as a list of everything a user may
see (the partnership list) and row by row (one partnership by id, a section's few); both answer
the same for every role and every kind of partnership."""

import pytest

from partnerships import services
from partnerships.models import Partnership
from partnerships.permissions import visible_partnerships
from sections.tests.factories import OfficerFactory, SectionFactory

from .conftest import propose

pytestmark = pytest.mark.django_db


def partner(**kwargs):
    """A section with an officer in office, who could answer a proposal."""
    return OfficerFactory(section=SectionFactory(**kwargs)).section


def test_the_list_and_the_row_by_row_check_agree_for_every_role(world):
    sent = propose(world)
    draft = propose(world, submit=False, partner_sections=[SectionFactory(district=world.b.district)], title="Draft")
    withdrawn = propose(world, partner_sections=[partner(district=world.b.district)], title="Withdrawn")
    services.partnership_withdraw(partnership=withdrawn, actor=world.officer_a, reason="Not now")
    facilitated = propose(world, partner_sections=[partner()], title="Facilitated")
    Partnership.objects.filter(pk=facilitated.pk).update(facilitator_district_id=world.b.district_id)
    users = [world.officer_a, world.officer_b, world.coordinator_a, world.coordinator_b, world.outsider, world.staff]
    for user in users:
        listed = set(visible_partnerships(user).values_list("pk", flat=True))
        one_by_one = {p.pk for p in Partnership.objects.all() if visible_partnerships(
            user, Partnership.objects.filter(pk=p.pk), few=True).exists()}
        assert listed == one_by_one, user
    # The rule's own answers, so agreement is not two empty sets.
    assert set(visible_partnerships(world.officer_a).values_list("pk", flat=True)) == {
        sent.pk, draft.pk, withdrawn.pk, facilitated.pk}
    assert draft.pk not in set(visible_partnerships(world.coordinator_b).values_list("pk", flat=True))
    assert facilitated.pk in set(visible_partnerships(world.coordinator_b).values_list("pk", flat=True))
    assert not visible_partnerships(world.outsider).exists()
