"""Stories are published when a partnership completes with a final evaluation every side
agreed to publish, never for one that ended early, once however often the service runs,
and a society admin can withdraw them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from evaluation.models import Evaluation, Story
from evaluation.services.stories import story_publish_for, story_withdraw
from partnerships.models import Partnership, Status
from partnerships.signals import partnership_closed
from twinning.tests.factories import UserFactory

from .story_helpers import complete, final_evaluation, mark_closed, published_lesson, running

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(world) -> Partnership:
    partnership = running(world)
    published_lesson(world, partnership)
    return partnership


def test_completing_a_partnership_every_side_agreed_to_share_publishes_its_story(world, partnership):
    evaluation = final_evaluation(world, partnership)

    complete(world, partnership)

    story = Story.objects.get(partnership=partnership)
    assert (story.evaluation, story.title, story.achieved) == (
        evaluation, "Two sections, one summer school", "Forty students trained across both sections."
    )
    # The evaluation's own file: nothing copied.
    assert story.photo.name == evaluation.story_photo.name
    assert story.published_at is not None


def test_completing_without_every_sides_consent_publishes_nothing(world, partnership):
    final_evaluation(world, partnership, consent=(True, False))

    complete(world, partnership)

    assert partnership.status == Status.COMPLETED
    assert not Story.objects.exists()


def test_a_partnership_that_ended_early_never_becomes_a_story(world, partnership):
    final_evaluation(world, partnership)
    mark_closed(partnership, Status.ENDED)

    partnership_closed.send(sender=Partnership, partnership=partnership, action="end", actor=world.officer_a)

    assert story_publish_for(partnership=partnership) is None
    assert not Story.objects.exists()


def test_a_running_partnership_has_no_story_yet(world, partnership):
    final_evaluation(world, partnership)

    assert story_publish_for(partnership=partnership) is None


@pytest.mark.parametrize(
    ("case", "evaluation_kwargs"),
    [
        ("not final: a side has not confirmed", {"final": False}),
        ("no title to publish under", {"title": ""}),
        ("a side said no", {"consent": (False, True)}),
        ("no side said yes", {"consent": (False, False)}),
        ("the evaluation on ending early", {"kind": Evaluation.Kind.EARLY_END}),
        ("only a mid-term review", {"kind": Evaluation.Kind.MIDTERM}),
    ],
)
def test_no_story_unless_final_titled_and_agreed_by_every_side(world, partnership, case, evaluation_kwargs):
    final_evaluation(world, partnership, **evaluation_kwargs)
    mark_closed(partnership)

    assert story_publish_for(partnership=partnership) is None, case
    assert not Story.objects.exists()


def test_a_section_without_a_side_in_the_evaluation_has_not_agreed(world, partnership):
    evaluation = final_evaluation(world, partnership)
    evaluation.sides.get(section=world.b).delete()
    mark_closed(partnership)

    assert story_publish_for(partnership=partnership) is None


def test_a_story_without_a_photo_is_published_without_one(world, partnership):
    final_evaluation(world, partnership, photo=None)
    mark_closed(partnership)

    story = story_publish_for(partnership=partnership)

    assert story.published_at is not None
    assert not story.photo


def test_publishing_twice_keeps_one_story(world, partnership):
    final_evaluation(world, partnership)
    complete(world, partnership)
    first = Story.objects.get()

    again = story_publish_for(partnership=partnership)

    assert again == first
    assert again.published_at == first.published_at
    assert Story.objects.count() == 1


def test_a_withdrawn_story_stays_withdrawn_when_publishing_runs_again(world, partnership):
    final_evaluation(world, partnership)
    complete(world, partnership)
    story_withdraw(story=Story.objects.get(), actor=world.staff)

    story_publish_for(partnership=partnership)

    assert Story.objects.get().published_at is None


def test_a_society_admin_withdraws_a_story_and_withdrawing_again_changes_nothing(world, partnership):
    final_evaluation(world, partnership)
    complete(world, partnership)
    story = Story.objects.get()

    story_withdraw(story=story, actor=world.staff)
    story_withdraw(story=story, actor=world.staff)

    assert Story.objects.get().published_at is None


@pytest.mark.parametrize("who", ["officer_a", "coordinator_a", "outsider", "staff_without_rights"])
def test_only_a_society_admin_may_withdraw_a_story(world, partnership, who):
    final_evaluation(world, partnership)
    complete(world, partnership)
    actor = UserFactory(is_staff=True) if who == "staff_without_rights" else getattr(world, who)

    with pytest.raises(PermissionDenied):
        story_withdraw(story=Story.objects.get(), actor=actor)

    assert Story.objects.get().published_at is not None
