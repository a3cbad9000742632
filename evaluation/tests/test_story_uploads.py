"""The story photo goes through the same upload helpers as the signed agreement: kept in the
object store, replaced without a copy left behind, counted against the partnership's upload
limit, and a photo the storage lost answers the "missing" page, never a 500."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluation.models import Evaluation, Story
from evaluation.services.closing import evaluation_start
from partnerships.models import FileUpload, Partnership

from .monitoring import activate, d
from .story_helpers import complete, final_evaluation, published_lesson, running
from .test_closing_views import PNG, form_data, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(world) -> Partnership:
    return activate(world, d(1, 15))


def test_replacing_the_story_photo_deletes_the_old_file(
    client, world, active, s3_bucket, django_capture_on_commit_callbacks
):
    evaluation = evaluation_start(partnership=active, kind="final", actor=world.officer_a)
    uploads = FileUpload.objects.filter(partnership=active).count()  # the signed agreement's
    client.force_login(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(active), form_data(evaluation, world.a.pk, story_photo=SimpleUploadedFile(
            "first.png", PNG))).status_code == 302
    first = Evaluation.objects.get(pk=evaluation.pk).story_photo.name
    assert s3_bucket.keys() == [first]

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url(active), form_data(evaluation, world.a.pk, story_photo=SimpleUploadedFile(
            "second.png", PNG + b"\x01"))).status_code == 302

    second = Evaluation.objects.get(pk=evaluation.pk).story_photo.name
    assert second != first and s3_bucket.keys() == [second]
    assert FileUpload.objects.filter(partnership=active).count() == uploads + 2


def test_story_photos_count_against_the_partnerships_upload_limit(client, world, active, settings):
    # The signed agreement was uploaded when the partnership was made ready, months ago.
    settings.UPLOADS_PER_PARTNERSHIP_PER_HOUR = 1
    evaluation = evaluation_start(partnership=active, kind="final", actor=world.officer_a)
    client.force_login(world.officer_a)
    photo = {"story_photo": SimpleUploadedFile("first.png", PNG)}
    assert client.post(url(active), form_data(evaluation, world.a.pk, **photo)).status_code == 302
    kept = Evaluation.objects.get(pk=evaluation.pk).story_photo.name

    response = client.post(url(active), form_data(evaluation, world.a.pk, story_photo=SimpleUploadedFile("again.png", PNG)))

    assert response.status_code == 200
    assert "Too many uploads for this partnership in the last hour (at most 1)" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).story_photo.name == kept


def test_a_story_photo_lost_by_the_storage_gives_the_missing_page(client, world, s3_bucket):
    partnership = running(world)
    published_lesson(world, partnership)
    final_evaluation(world, partnership)
    complete(world, partnership)
    story = Story.objects.get(partnership=partnership)
    s3_bucket.delete(story.photo.name)

    response = client.get(f"/stories/{story.pk}/photo/")

    assert response.status_code == 404
    assert "The document is missing" in response.content.decode()


def test_the_story_photo_is_shown_in_its_page_and_sandboxed(client, world, s3_bucket):
    partnership = running(world)
    published_lesson(world, partnership)
    final_evaluation(world, partnership)
    complete(world, partnership)
    story = Story.objects.get(partnership=partnership)

    response = client.get(f"/stories/{story.pk}/photo/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"].split("; ")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
