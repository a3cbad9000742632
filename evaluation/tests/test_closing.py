"""Evaluations through their services: started pre-filled, drafted by either side, each side's
own part its own, co-signed by the leads (an edit after a confirmation clears them all and
tells who had confirmed), commented by the coordinators; and the gate on completing and
ending early."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from evaluation.models import CheckIn, Evaluation, EvaluationSide, IndicatorActual, IndicatorResult, ObjectiveResult
from evaluation.services.closing import (
    evaluation_comment,
    evaluation_confirm,
    evaluation_save,
    evaluation_start,
)
from partnerships import services
from partnerships.models import Indicator, Objective, Partnership, Status
from partnerships.services import TransitionRefused
from sections.tests.factories import OfficerFactory

from .closing_helpers import confirmed, filled, publish_lesson
from .monitoring import activate, at, d, submit

pytestmark = pytest.mark.django_db
FINAL, EARLY_END, MIDTERM = Evaluation.Kind.FINAL, Evaluation.Kind.EARLY_END, Evaluation.Kind.MIDTERM


@pytest.fixture
def running(world) -> Partnership:
    return activate(world, d(1, 15))


def sides(evaluation: Evaluation) -> dict[str, tuple]:
    return {
        side.section.slug: (side.confirmed_by_id, side.confirmed_at is not None)
        for side in EvaluationSide.objects.filter(evaluation=evaluation).select_related("section")
    }


def sent_to() -> list[tuple[str, str]]:
    return [(message.to[0], message.subject) for message in mail.outbox]


# Starting ---------------------------------------------------------------------------------------


def test_an_evaluation_starts_with_a_side_per_section_and_the_plan_prefilled(world, running):
    objective = running.objectives.get()
    indicator = Indicator.objects.create(
        partnership=running, objective=objective, name="Members", unit="members",
        baseline=Decimal("10"), target=Decimal("40"), target_date=d(12, 31),
    )
    second = Indicator.objects.create(
        partnership=running, objective=objective, name="Events", unit="events",
        baseline=Decimal("0"), target=Decimal("4"), target_date=d(12, 31),
    )
    submit(running, world.a, world.officer_a, d(4, 20), "on-track")
    IndicatorActual.objects.create(
        checkin=CheckIn.objects.get(period__partnership=running, period__number=0, section=world.a), indicator=indicator,
        value=Decimal("25"), measured_on=d(4, 14),
    )

    evaluation = evaluation_start(partnership=running, kind=FINAL, actor=world.officer_b)

    assert sorted(evaluation.sides.values_list("section__slug", flat=True)) == ["alpha", "beta"]
    assert list(ObjectiveResult.objects.filter(evaluation=evaluation).values_list("objective_id", "outcome")) == [
        (objective.pk, ObjectiveResult.Outcome.NOT)  # its only activity is still planned
    ]
    values = dict(IndicatorResult.objects.filter(evaluation=evaluation).values_list("indicator_id", "value"))
    assert values == {indicator.pk: Decimal("25"), second.pk: Decimal("0")}


def test_starting_twice_returns_the_evaluation_already_started(world, running):
    first = evaluation_start(partnership=running, kind=MIDTERM, actor=world.officer_a)

    assert evaluation_start(partnership=running, kind=MIDTERM, actor=world.officer_b) == first
    assert Evaluation.objects.count() == 1


def test_the_early_end_evaluation_has_no_indicator_part(world, running):
    Indicator.objects.create(
        partnership=running, objective=running.objectives.get(), name="Members", unit="members",
        target=Decimal("40"), target_date=d(12, 31),
    )
    evaluation = evaluation_start(partnership=running, kind=EARLY_END, actor=world.officer_a)

    assert not evaluation.indicator_results.exists()
    with pytest.raises(ValidationError):
        evaluation_save(evaluation=evaluation, actor=world.officer_a, data={"story_title": "Not asked"})


@pytest.mark.parametrize("who", ["coordinator_a", "outsider", "staff"])
def test_only_officers_of_the_sections_start_an_evaluation(world, running, who):
    with pytest.raises(PermissionDenied):
        evaluation_start(partnership=running, kind=FINAL, actor=getattr(world, who))
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("kind", "status", "allowed"),
    [
        (MIDTERM, Status.SUSPENDED, True), (MIDTERM, Status.ENDORSED, False),
        (FINAL, Status.SUSPENDED, False), (FINAL, Status.COMPLETED, False),
        (EARLY_END, Status.SUSPENDED, True), (EARLY_END, Status.ENDED, False),
    ],
)
def test_each_kind_starts_only_in_its_states(world, running, kind, status, allowed):
    Partnership.objects.filter(pk=running.pk).update(status=status, end_reason="Set by the test")
    if allowed:
        evaluation_start(partnership=running, kind=kind, actor=world.officer_a)
    else:
        with pytest.raises(ValidationError, match="cannot be started or changed now"):
            evaluation_start(partnership=running, kind=kind, actor=world.officer_a)
    assert Evaluation.objects.exists() == allowed


# Each side's own part ---------------------------------------------------------------------------


def test_a_side_only_field_is_refused_for_the_other_side(world, running):
    evaluation = evaluation_start(partnership=running, kind=FINAL, actor=world.officer_a)

    with pytest.raises(PermissionDenied):
        evaluation_save(evaluation=evaluation, actor=world.officer_a, sides={world.b.pk: {"gave": "Nothing at all"}})
    with pytest.raises(PermissionDenied):
        evaluation_save(evaluation=evaluation, actor=world.officer_a, benefits={world.b.pk: {"solidarity": (0, "")}})

    assert EvaluationSide.objects.get(evaluation=evaluation, section=world.b).gave == ""
    assert not EvaluationSide.objects.get(evaluation=evaluation, section=world.b).benefits.exists()


def test_either_side_drafts_the_shared_parts_and_rates_its_own_benefits(world, running):
    evaluation = evaluation_start(partnership=running, kind=FINAL, actor=world.officer_a)

    evaluation_save(
        evaluation=evaluation, actor=world.officer_b, data={"summary": "Two exchanges ran."},
        benefits={world.b.pk: {"knowledge": (5, "Talks every month"), "networking": (3, "")}},
    )

    stored = Evaluation.objects.get(pk=evaluation.pk)
    assert stored.summary == "Two exchanges ran."
    assert sorted(EvaluationSide.objects.get(evaluation=evaluation, section=world.b).benefits.values_list(
        "benefit", "rating"
    )) == [("knowledge", 5), ("networking", 3)]


@pytest.mark.parametrize("rating", [-1, 6, 99])
def test_a_benefit_rating_outside_0_to_5_is_refused(world, running, rating):
    evaluation = evaluation_start(partnership=running, kind=FINAL, actor=world.officer_a)

    with pytest.raises(ValidationError):
        evaluation_save(evaluation=evaluation, actor=world.officer_a, benefits={world.a.pk: {"solidarity": (rating, "")}})


# Co-signing -------------------------------------------------------------------------------------


def test_an_edit_after_one_confirmation_clears_it_and_mails_the_side_that_had_confirmed(world, running):
    publish_lesson(running, world.a, world.officer_a)
    evaluation = filled(world, running)
    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)
    assert sides(evaluation)["alpha"] == (world.officer_a.pk, True)
    mail.outbox = []

    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_save(evaluation=evaluation, actor=world.officer_b, data={"summary": "Changed by Beta."})

    assert sides(evaluation) == {"alpha": (None, False), "beta": (None, False)}
    assert [to for to, _subject in sent_to()] == [world.officer_a.email]
    assert "Changed after your confirmation" in mail.outbox[0].subject


def test_a_save_that_changes_nothing_keeps_the_confirmations(world, running):
    publish_lesson(running, world.a, world.officer_a)
    evaluation = filled(world, running)
    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)

    evaluation_save(evaluation=evaluation, actor=world.officer_b, data={"summary": "Two exchanges ran; both sections grew."})

    assert sides(evaluation)["alpha"] == (world.officer_a.pk, True)


def test_the_evaluation_is_final_only_when_every_side_has_confirmed(world, running):
    publish_lesson(running, world.a, world.officer_a)
    evaluation = filled(world, running)

    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)
    assert Evaluation.objects.get(pk=evaluation.pk).final_at is None

    mail.outbox = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        evaluation_confirm(evaluation=evaluation, section=world.b, actor=world.officer_b)

    assert Evaluation.objects.get(pk=evaluation.pk).final_at is not None
    assert sorted(to for to, _subject in sent_to()) == sorted([world.officer_a.email, world.officer_b.email])
    assert all("Confirmed by every side" in subject for _to, subject in sent_to())


def test_an_edit_after_the_evaluation_is_final_clears_final_at(world, running):
    evaluation = confirmed(world, running)
    assert evaluation.final_at is not None

    evaluation_save(evaluation=evaluation, actor=world.officer_a, objectives={
        running.objectives.get().pk: (ObjectiveResult.Outcome.ACHIEVED, "Both exchanges ran")
    })

    assert Evaluation.objects.get(pk=evaluation.pk).final_at is None
    assert sides(evaluation) == {"alpha": (None, False), "beta": (None, False)}


def test_only_a_lead_of_the_section_confirms_for_it(world, running):
    publish_lesson(running, world.a, world.officer_a)
    evaluation = filled(world, running)
    not_a_lead = OfficerFactory(section=world.a, role="secretary").user

    for actor, section in [(not_a_lead, world.a), (world.officer_a, world.b), (world.coordinator_a, world.a)]:
        with pytest.raises(PermissionDenied):
            evaluation_confirm(evaluation=evaluation, section=section, actor=actor)

    assert sides(evaluation) == {"alpha": (None, False), "beta": (None, False)}


def test_a_closing_evaluation_cannot_be_confirmed_before_a_lesson_is_published(world, running):
    evaluation = filled(world, running)

    with pytest.raises(ValidationError, match="publish at least one lesson"):
        evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)

    assert sides(evaluation)["alpha"] == (None, False)


def test_a_midterm_review_is_confirmed_without_a_lesson(world, running):
    evaluation = filled(world, running, MIDTERM)

    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)

    assert sides(evaluation)["alpha"] == (world.officer_a.pk, True)


def test_an_incomplete_evaluation_cannot_be_confirmed(world, running):
    publish_lesson(running, world.a, world.officer_a)
    evaluation = evaluation_start(partnership=running, kind=FINAL, actor=world.officer_a)

    with pytest.raises(ValidationError, match="what was achieved"):
        evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)


# The coordinators' comment ----------------------------------------------------------------------


def test_a_coordinator_comment_keeps_the_confirmations(world, running):
    publish_lesson(running, world.a, world.officer_a)
    evaluation = filled(world, running)
    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)

    evaluation_comment(evaluation=evaluation, actor=world.coordinator_b, comment="A model for the district.")

    stored = Evaluation.objects.get(pk=evaluation.pk)
    assert (stored.coordinator_comment, stored.coordinator_comment_by) == ("A model for the district.", world.coordinator_b)
    assert sides(evaluation)["alpha"] == (world.officer_a.pk, True)


@pytest.mark.parametrize("who", ["officer_a", "outsider"])
def test_only_the_districts_coordinators_comment(world, running, who):
    evaluation = evaluation_start(partnership=running, kind=FINAL, actor=world.officer_a)

    with pytest.raises(PermissionDenied):
        evaluation_comment(evaluation=evaluation, actor=getattr(world, who), comment="Mine")

    assert Evaluation.objects.get(pk=evaluation.pk).coordinator_comment == ""


# The gate ---------------------------------------------------------------------------------------


def test_completion_without_a_final_evaluation_is_refused_with_a_clear_message(world, running):
    with pytest.raises(TransitionRefused, match="Complete the final evaluation first: both sides must confirm it."):
        services.partnership_complete(partnership=running, actor=world.officer_a)

    assert Partnership.objects.get(pk=running.pk).status == Status.ACTIVE


def test_completion_with_one_side_confirmed_is_refused(world, running):
    confirmed(world, running, sides=("a",))

    with pytest.raises(TransitionRefused, match="both sides must confirm it"):
        services.partnership_complete(partnership=running, actor=world.officer_a)


def test_completion_with_the_final_evaluation_confirmed_by_both_sides_passes(world, running):
    confirmed(world, running)

    services.partnership_complete(partnership=running, actor=world.officer_b, reason="All done")

    assert Partnership.objects.get(pk=running.pk).status == Status.COMPLETED


def test_early_end_with_the_ending_sides_confirmation_passes(world, running):
    # Beta has gone silent: Alpha's confirmation is enough for Alpha to end the partnership.
    confirmed(world, running, EARLY_END, sides=("a",))

    services.partnership_end(partnership=running, actor=world.officer_a, reason="Beta stopped answering")

    assert Partnership.objects.get(pk=running.pk).status == Status.ENDED


def test_early_end_by_the_side_that_has_not_confirmed_is_refused(world, running):
    confirmed(world, running, EARLY_END, sides=("a",))

    with pytest.raises(TransitionRefused, match="evaluation on ending early first"):
        services.partnership_end(partnership=running, actor=world.officer_b, reason="We stop")

    assert Partnership.objects.get(pk=running.pk).status == Status.ACTIVE


def test_early_end_without_any_evaluation_is_refused(world, running):
    with pytest.raises(TransitionRefused, match="evaluation on ending early first"):
        services.partnership_end(partnership=running, actor=world.officer_a, reason="We stop")


def test_once_completed_the_evaluation_can_no_longer_change(world, running):
    evaluation = confirmed(world, running)
    services.partnership_complete(partnership=running, actor=world.officer_a)

    with pytest.raises(ValidationError, match="cannot be started or changed now"):
        evaluation_save(evaluation=evaluation, actor=world.officer_a, data={"summary": "Rewritten"})


def test_a_side_confirmed_on_a_day_keeps_that_day(world, running):
    publish_lesson(running, world.a, world.officer_a)
    evaluation = filled(world, running)
    with time_machine.travel(at(d(5, 2)), tick=False):
        evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)

    assert EvaluationSide.objects.get(evaluation=evaluation, section=world.a).confirmed_at == at(d(5, 2))


def test_the_service_refuses_a_photo_that_is_not_one(world, running):
    evaluation = evaluation_start(partnership=running, kind=FINAL, actor=world.officer_a)

    with pytest.raises(ValidationError) as refused:
        evaluation_save(
            evaluation=evaluation, actor=world.officer_a,
            story_photo=SimpleUploadedFile("team.jpg", b"<html>not a photo</html>"),
        )

    assert "story_photo" in refused.value.error_dict
    assert not Evaluation.objects.get(pk=evaluation.pk).story_photo


def test_an_objective_added_to_the_plan_joins_the_evaluation_on_the_next_save(world, running):
    evaluation = filled(world, running, MIDTERM)
    evaluation_confirm(evaluation=evaluation, section=world.a, actor=world.officer_a)
    added = services.plan_item_save(
        partnership=running, actor=world.officer_a, item=Objective(goal=running.goals.get(), title="Second exchange")
    )

    evaluation_save(evaluation=evaluation, actor=world.officer_b, data={})

    assert ObjectiveResult.objects.filter(evaluation=evaluation, objective=added).exists()
    assert sides(evaluation)["alpha"] == (None, False)
