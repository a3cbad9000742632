"""Two people acting on a nomination at the same moment, each on their own database
connection: the lock taken before the check lets exactly one step through."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared
from recognition.models import Nomination, NominationStep
from recognition.services.nominations import (
    NominationRefused,
    nomination_review,
    nomination_save,
    nomination_start,
    nomination_submit,
)
from sections.tests.factories import CoordinatorFactory, OfficerFactory
from twinning.models import OutgoingMail
from twinning.tests.concurrency import at_the_same_moment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises writers itself"),
]

YEAR = timezone.localdate().year


def test_two_officers_starting_at_once_make_one_nomination(world):
    second = OfficerFactory(section=world.a, role="treasurer").user

    results = at_the_same_moment(
        lambda: nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a),
        lambda: nomination_start(section=world.a, award_year=YEAR, actor=second),
    )

    assert sorted(type(result).__name__ for result in results) == ["Nomination", "NominationRefused"], results
    assert Nomination.objects.count() == 1


def test_two_coordinators_reviewing_at_once_take_one_step(world):
    other = CoordinatorFactory(district=world.a.district).user
    nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
    nomination_save(nomination=nomination, actor=world.officer_a, narrative="Our year.")
    nomination_submit(nomination=nomination, actor=world.officer_a)
    OutgoingMail.objects.all().delete()

    results = at_the_same_moment(
        lambda: nomination_review(nomination=nomination, actor=world.coordinator_a, forward=True),
        lambda: nomination_review(nomination=nomination, actor=other, forward=False, comment="Not yet."),
    )

    refused = [result for result in results if isinstance(result, NominationRefused)]
    assert len(refused) == 1, results
    assert NominationStep.objects.filter(from_state="submitted").count() == 1
    # Only the winner's mail: to the society admins, or to the section's officers.
    assert OutgoingMail.objects.count() == 1
