"""The admin of a partnership's close: evaluations read as the sides signed them, lessons
moderated, challenge categories edited, stories withdrawn through the service, mid-term
offers listed read-only."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from evaluation.models import ChallengeCategory, Evaluation, Lesson, MidtermOffer, Story
from twinning.tests.factories import UserFactory

from .story_helpers import complete, final_evaluation, published_lesson, running

pytestmark = pytest.mark.django_db

MODELS = ["evaluation", "evaluationside", "lesson", "challengecategory", "story", "midtermoffer"]


@pytest.fixture
def closed(world):
    partnership = running(world)
    lesson = published_lesson(world, partnership)
    evaluation = final_evaluation(world, partnership)
    complete(world, partnership)
    MidtermOffer.objects.create(partnership=partnership, recipient=world.officer_a)
    return evaluation, lesson, Story.objects.get()


@pytest.fixture
def staff_client(client, world):
    client.force_login(world.staff)
    return client


@pytest.mark.parametrize("model", [m for m in MODELS if m != "evaluationside"])
def test_each_closing_model_is_listed_for_a_society_admin(staff_client, closed, model):
    assert staff_client.get(reverse(f"admin:evaluation_{model}_changelist")).status_code == 200


def test_sides_are_read_on_their_evaluation_not_on_their_own(staff_client, closed):
    evaluation, _lesson, _story = closed

    page = staff_client.get(reverse("admin:evaluation_evaluation_change", args=[evaluation.pk]))

    assert page.status_code == 200
    assert "Alpha Section" in page.content.decode() and "Networking: 4" in page.content.decode()
    with pytest.raises(NoReverseMatch):  # no admin of its own
        reverse("admin:evaluation_evaluationside_changelist")


def test_evaluations_filter_by_kind_and_finality(staff_client, closed):
    url = reverse("admin:evaluation_evaluation_changelist")

    assert staff_client.get(url, {"kind__exact": "final", "final": "yes"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"final": "no"}).context["cl"].result_count == 0
    assert staff_client.get(url, {"kind__exact": "midterm"}).context["cl"].result_count == 0


def test_an_evaluation_cannot_be_changed_or_added_in_the_admin(staff_client, closed):
    evaluation, _lesson, _story = closed

    staff_client.post(reverse("admin:evaluation_evaluation_change", args=[evaluation.pk]), {"summary": "Rewritten"})

    assert Evaluation.objects.get().summary == "Forty students trained across both sections."
    assert staff_client.get(reverse("admin:evaluation_evaluation_add")).status_code == 403


def test_lessons_are_found_by_title_and_filtered_by_state_and_visibility(staff_client, closed):
    url = reverse("admin:evaluation_lesson_changelist")

    assert staff_client.get(url, {"q": "labs early"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"state__exact": "draft"}).context["cl"].result_count == 0
    assert staff_client.get(url, {"visibility__exact": "society"}).context["cl"].result_count == 1


def test_an_admin_changes_who_reads_a_lesson_but_not_its_words_or_search_index(staff_client, closed):
    _evaluation, lesson, _story = closed
    change = reverse("admin:evaluation_lesson_change", args=[lesson.pk])
    assert staff_client.get(change).status_code == 200

    response = staff_client.post(change, {
        "state": "published", "visibility": "partners", "published_at_0": "2026-11-20", "published_at_1": "09:00:00",
        "title": "Rewritten", "search_text": "tampered",
    })

    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.visibility, lesson.title, lesson.search_text) == ("partners", "Book the labs early", "")


def test_an_admin_takes_a_lesson_down_but_cannot_publish_a_draft(staff_client, client, closed):
    _evaluation, lesson, _story = closed
    published_at = lesson.published_at

    staff_client.post(
        reverse("admin:evaluation_lesson_change", args=[lesson.pk]),
        {"state": "draft", "visibility": "society", "published_at_0": "", "published_at_1": ""},
    )
    assert Lesson.objects.get().published_at == published_at  # the form leaves state and date alone

    response = staff_client.post(
        reverse("admin:evaluation_lesson_changelist"),
        {"action": "take_down", "_selected_action": [lesson.pk]},
        follow=True,
    )

    assert "1 lesson(s) taken down." in response.content.decode()
    lesson = Lesson.objects.get()
    assert (lesson.state, lesson.published_at) == (Lesson.State.DRAFT, None)
    client.force_login(UserFactory())
    assert client.get(f"/lessons/{lesson.pk}/").status_code == 404


def test_a_withdrawn_story_leaves_the_public_pages_through_the_admin_action(staff_client, client, closed):
    _evaluation, _lesson, story = closed

    response = staff_client.post(
        reverse("admin:evaluation_story_changelist"),
        {"action": "withdraw", "_selected_action": [story.pk]},
        follow=True,
    )

    assert "1 story withdrawn" in response.content.decode()
    assert Story.objects.get().published_at is None
    assert staff_client.get(reverse("admin:evaluation_story_delete", args=[story.pk])).status_code == 403
    client.logout()
    assert client.get(f"/stories/{story.pk}/").status_code == 404


def test_a_challenge_categorys_code_stays_as_it_is(staff_client, db):
    category = ChallengeCategory.objects.get(code="funding")

    staff_client.post(
        reverse("admin:evaluation_challengecategory_change", args=[category.pk]),
        {"code": "money", "name": "Money", "position": 6},
    )

    category.refresh_from_db()
    assert (category.code, category.name) == ("funding", "Money")


def test_photos_link_to_the_story_page_never_to_media(staff_client, closed):
    evaluation, _lesson, story = closed

    story_page = staff_client.get(reverse("admin:evaluation_story_change", args=[story.pk])).content.decode()
    evaluation_page = staff_client.get(reverse("admin:evaluation_evaluation_change", args=[evaluation.pk])).content.decode()

    assert f'href="/stories/{story.pk}/photo/"' in story_page
    assert "/media/" not in story_page and "/media/" not in evaluation_page
    assert evaluation.story_photo.name in evaluation_page
