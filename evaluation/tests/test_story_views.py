"""The public story pages: anonymous visitors read published stories and see their photos;
an unpublished or withdrawn story is not there for anyone; no person is named."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.models import Benefit, BenefitRating, Story
from evaluation.services.stories import story_withdraw

from .story_helpers import JPEG, complete, final_evaluation, more_stories, published_lesson, running

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world) -> Story:
    partnership = running(world)
    published_lesson(world, partnership)
    final_evaluation(world, partnership)
    complete(world, partnership)
    return Story.objects.get(partnership=partnership)


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_an_anonymous_visitor_finds_the_story_among_the_programmes_results(client, story):
    page = _text(client.get("/stories/"))

    assert "Two sections, one summer school" in page
    assert f'href="/stories/{story.pk}/"' in page
    # Both sections with their countries, the form of twinning, the period, the photo.
    for shown in ("Alpha Section", "Netherlands", "Beta Section", "Kenya", "Information / technical exchange",
                  "January 2026 – November 2026", f'src="/stories/{story.pk}/photo/"', "Forty students trained"):
        assert shown in page


def test_the_story_page_shows_what_was_achieved_and_the_benefits_each_side_realised(client, story):
    page = _text(client.get(f"/stories/{story.pk}/"))

    assert "Forty students trained across both sections." in page
    assert "Networking" in page and "New contacts in three companies." in page
    assert "Transfer of knowledge" in page and "Our labs run the partner&#x27;s course now." in page
    # Rated 1 of 5: not a benefit realised.
    assert "Solidarity" not in page
    assert "Netherlands" in page and "Kenya" in page
    assert "1 Jan 2026 – 20 Nov 2026" in page


def test_no_person_is_named_on_the_public_pages(client, world, story):
    pages = _text(client.get("/stories/")) + _text(client.get(f"/stories/{story.pk}/"))

    for person in (world.officer_a, world.officer_b, world.coordinator_a, world.coordinator_b):
        assert person.full_name not in pages
        assert person.email not in pages


def test_the_photo_is_served_as_the_image_it_is_and_never_sniffed(client, story):
    response = client.get(f"/stories/{story.pk}/photo/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_jpeg_photo_is_served_as_a_jpeg(client, world):
    (story,) = more_stories(1)

    response = client.get(f"/stories/{story.pk}/photo/")

    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("name", "content"), [("photo.png", JPEG), ("photo.svg", b"<svg onload=alert(1)>"),
                                               ("photo.html", b"<script>alert(1)</script>")])
def test_a_file_that_is_not_the_image_its_name_says_is_not_served(client, story, name, content):
    Story.objects.filter(pk=story.pk).update(photo=Story.photo.field.storage.save(
        f"stories/test/{name}", SimpleUploadedFile(name, content))
    )

    assert client.get(f"/stories/{story.pk}/photo/").status_code == 404


def test_a_story_without_a_photo_shows_none(client, story):
    Story.objects.filter(pk=story.pk).update(photo="")

    assert "/photo/" not in _text(client.get(f"/stories/{story.pk}/"))
    assert client.get(f"/stories/{story.pk}/photo/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "officer_a", "staff"])
def test_a_withdrawn_story_is_gone_for_everyone(client, world, story, role):
    story_withdraw(story=story, actor=world.staff)
    if role != "anonymous":
        client.force_login(getattr(world, role))

    assert "Two sections, one summer school" not in _text(client.get("/stories/"))
    assert client.get(f"/stories/{story.pk}/").status_code == 404
    assert client.get(f"/stories/{story.pk}/photo/").status_code == 404


def test_an_unpublished_story_answers_404(client, world):
    (story,) = more_stories(1, published=False)

    assert client.get(f"/stories/{story.pk}/").status_code == 404
    assert client.get(f"/stories/{story.pk}/photo/").status_code == 404
    assert client.get("/stories/999999/").status_code == 404


def test_the_stories_are_listed_newest_first_a_page_at_a_time(client, world):
    more_stories(14)

    first = _text(client.get("/stories/"))
    second = _text(client.get("/stories/", {"page": 2}))

    assert first.index("Other story 13") < first.index("Other story 12")
    assert "Other story 2" in first and "Other story 1<" not in first
    assert "Other story 1<" in second and re.search(r"Showing 13–\d+ of \d+", second)


def test_the_story_pages_only_read(client, story):
    assert client.post("/stories/").status_code == 405
    assert client.post(f"/stories/{story.pk}/").status_code == 405


def test_the_anonymous_home_page_links_to_the_stories(client, db):
    assert 'href="/stories/"' in _text(client.get("/"))


def test_the_stories_list_keeps_its_queries_however_many_stories_it_shows(client, world, django_assert_num_queries):
    more_stories(2)
    # The count, the page of stories, their sections, their forms.
    with django_assert_num_queries(4):
        _text(client.get("/stories/"))
    more_stories(12)
    with django_assert_num_queries(4):
        _text(client.get("/stories/"))


def test_the_story_page_keeps_its_queries_however_many_benefits_it_shows(client, world, django_assert_num_queries):
    few, many = more_stories(2)
    for side in many.evaluation.sides.all():
        for benefit in (Benefit.RELATIONSHIP, Benefit.NETWORKING, Benefit.SOCIETY):
            BenefitRating.objects.create(side=side, benefit=benefit, rating=5, explanation="Much.")
    # The story, its sections, forms, the evaluation's sides and their benefits.
    with django_assert_num_queries(5):
        _text(client.get(f"/stories/{few.pk}/"))
    with django_assert_num_queries(5):
        _text(client.get(f"/stories/{many.pk}/"))
