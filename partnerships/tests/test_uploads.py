"""The signed agreement kept in an object store: uploaded, replaced and downloaded through the
site against a real S3-compatible server on loopback (moto's, conftest.py: s3_bucket); a file
the store lost, the upload limit, and what a download tells the browser."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from partnerships import services
from partnerships.models import AgreementChange, FileUpload, Partnership, Status
from partnerships.services import TransitionRefused
from partnerships.tests.conftest import PDF, endorsed, make_ready, propose, record_agreement
from sections.tests.factories import OfficerFactory
from twinning.tests.concurrency import at_the_same_moment

pytestmark = pytest.mark.django_db

MISSING = "The document is missing"


def record(client, partnership: Partnership, name: str, content: bytes = PDF, follow: bool = False):
    """The logged-in officer proposes the written agreement with `name` as its signed document."""
    return client.post(
        f"/partnerships/{partnership.pk}/agreement/",
        {"kind": "written", "signed_on": "2025-12-01", "planned_end_date": partnership.planned_end_date.isoformat(),
         "document": SimpleUploadedFile(name, content)},
        follow=follow,
    )


def answer(client, world, partnership: Partnership, decision: str = "confirm"):
    """Beta's officer answers the change waiting on the partnership; Alpha's logs in again."""
    change = partnership.agreement_changes.get(state=AgreementChange.State.PENDING)
    client.force_login(world.officer_b)
    response = client.post(f"/partnerships/{partnership.pk}/agreement/changes/{change.pk}/{decision}/")
    client.force_login(world.officer_a)
    return response


def agree(client, world, partnership: Partnership, name: str, content: bytes = PDF):
    """Alpha proposes the signed document `name`, Beta confirms it: the agreement now names it."""
    assert record(client, partnership, name, content).status_code == 302
    assert answer(client, world, partnership).status_code == 302


def download(client, partnership: Partnership):
    return client.get(f"/partnerships/{partnership.pk}/agreement/document/")


def test_the_signed_agreement_is_stored_in_the_bucket_and_downloaded_from_it(
    client, world, s3_bucket, django_capture_on_commit_callbacks
):
    partnership = endorsed(world)
    client.force_login(world.officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = record(client, partnership, "signed.pdf", follow=True)
    assert "it applies once they confirm it" in response.content.decode()
    [proposed] = s3_bucket.keys()
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, world, partnership)

    partnership.refresh_from_db()
    assert s3_bucket.keys() == [partnership.agreement_document.name] == [proposed]
    assert partnership.agreement_document.name.startswith("agreements/")
    client.force_login(world.officer_b)
    assert b"".join(download(client, partnership).streaming_content) == PDF


def test_a_new_signed_agreement_replaces_the_old_one_which_stays_as_its_version(
    client, world, s3_bucket, django_capture_on_commit_callbacks
):
    partnership = endorsed(world)
    client.force_login(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        agree(client, world, partnership, "first.pdf")
    first = Partnership.objects.get(pk=partnership.pk).agreement_document.name

    second_pdf = PDF + b"% the second signing\n"
    with django_capture_on_commit_callbacks(execute=True):
        agree(client, world, partnership, "second.pdf", second_pdf)

    second = Partnership.objects.get(pk=partnership.pk).agreement_document.name
    assert second != first
    # Each confirmed change keeps the document it brought: the agreement's versions, nothing more.
    assert sorted(s3_bucket.keys()) == sorted([first, second])
    assert sorted(partnership.agreement_changes.values_list("document", flat=True)) == sorted([first, second])
    assert b"".join(download(client, partnership).streaming_content) == second_pdf


@pytest.mark.parametrize("decision", ["decline", "withdraw"])
def test_a_proposed_document_nobody_adopted_is_deleted(client, world, s3_bucket, django_capture_on_commit_callbacks, decision):
    partnership = endorsed(world)
    client.force_login(world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        agree(client, world, partnership, "kept.pdf")
    kept = Partnership.objects.get(pk=partnership.pk).agreement_document.name
    with django_capture_on_commit_callbacks(execute=True):
        record(client, partnership, "unwanted.pdf")
    assert len(s3_bucket.keys()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        if decision == "decline":
            answer(client, world, partnership, "decline")
        else:
            change = partnership.agreement_changes.get(state=AgreementChange.State.PENDING)
            client.post(f"/partnerships/{partnership.pk}/agreement/changes/{change.pk}/withdraw/")

    assert s3_bucket.keys() == [kept]
    assert Partnership.objects.get(pk=partnership.pk).agreement_document.name == kept


def test_a_document_from_before_agreement_changes_is_deleted_once_replaced(
    client, world, s3_bucket, django_capture_on_commit_callbacks
):
    partnership = endorsed(world)
    # Recorded before each change was kept: the partnership names a file no change names.
    partnership.agreement_document.save("legacy.pdf", SimpleUploadedFile("legacy.pdf", PDF))
    legacy = partnership.agreement_document.name
    client.force_login(world.officer_a)

    with django_capture_on_commit_callbacks(execute=True):
        agree(client, world, partnership, "new.pdf")

    new = Partnership.objects.get(pk=partnership.pk).agreement_document.name
    assert new != legacy
    assert s3_bucket.keys() == [new]


def test_a_replacement_rolled_back_keeps_the_old_file(world, s3_bucket, django_capture_on_commit_callbacks):
    partnership = endorsed(world)
    with django_capture_on_commit_callbacks(execute=True):
        record_agreement(
            world, partnership, kind=Partnership.AgreementKind.WRITTEN,
            signed_on=datetime.date(2025, 12, 1), document=SimpleUploadedFile("first.pdf", PDF),
        )
    first = Partnership.objects.get(pk=partnership.pk).agreement_document.name

    # The request fails after the recording (here: by hand), so its transaction rolls back: the
    # old document is the one still named, and it is kept.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        record_agreement(
            world, partnership, kind=Partnership.AgreementKind.WRITTEN,
            signed_on=datetime.date(2025, 12, 1), document=SimpleUploadedFile("second.pdf", PDF),
        )
        raise RuntimeError("the request failed after the recording")

    assert Partnership.objects.get(pk=partnership.pk).agreement_document.name == first
    assert first in s3_bucket.keys()
    assert FileUpload.objects.filter(partnership=partnership).count() == 1


def test_the_download_is_an_attachment_the_browser_neither_sniffs_nor_runs(client, world, s3_bucket):
    partnership = make_ready(world, endorsed(world))
    client.force_login(world.coordinator_b)

    response = download(client, partnership)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="agreement' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"].split("; ")
    assert b"".join(response.streaming_content) == PDF


def test_a_signed_agreement_lost_by_the_store_gives_the_missing_page(client, world, s3_bucket):
    partnership = make_ready(world, endorsed(world))
    s3_bucket.delete(partnership.agreement_document.name)
    client.force_login(world.officer_b)

    response = download(client, partnership)

    assert response.status_code == 404
    page = response.content.decode()
    assert MISSING in page and "Upload it again" in page
    assert f'href="/partnerships/{partnership.pk}/#agreement"' in page


def test_a_signed_agreement_lost_from_the_disk_gives_the_missing_page(client, world):
    partnership = make_ready(world, endorsed(world))
    partnership.agreement_document.storage.delete(partnership.agreement_document.name)
    client.force_login(world.officer_a)

    response = download(client, partnership)

    assert response.status_code == 404
    assert MISSING in response.content.decode()


def test_activation_is_refused_while_the_signed_agreement_is_missing(client, world, s3_bucket, django_capture_on_commit_callbacks):
    partnership = make_ready(world, endorsed(world))
    s3_bucket.delete(partnership.agreement_document.name)

    with pytest.raises(TransitionRefused, match="document is missing"):
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED

    client.force_login(world.officer_a)
    assert "document is missing from the site&#x27;s storage: upload it again" in client.get(
        partnership.get_absolute_url()
    ).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        agree(client, world, partnership, "again.pdf")
    services.partnership_activate(partnership=partnership, actor=world.officer_a)
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACTIVE


def test_uploads_beyond_the_hourly_limit_are_refused_on_the_form(client, world, settings, django_capture_on_commit_callbacks):
    settings.UPLOADS_PER_PARTNERSHIP_PER_HOUR = 2
    partnership = endorsed(world)
    client.force_login(world.officer_a)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for name in ("one.pdf", "two.pdf"):
            with django_capture_on_commit_callbacks(execute=True):
                agree(client, world, partnership, name)
    kept = Partnership.objects.get(pk=partnership.pk).agreement_document.name

    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        response = record(client, partnership, "three.pdf")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Too many uploads for this partnership in the last hour (at most 2)" in page and "Try again in 40 minutes." in page
    assert Partnership.objects.get(pk=partnership.pk).agreement_document.name == kept
    assert FileUpload.objects.filter(partnership=partnership).count() == 2

    # Another partnership has its own count; and an hour after the first, the first place is free.
    other = propose(world, partner_sections=[OfficerFactory(section__name="Gamma Section", section__slug="gamma").section])
    with time_machine.travel(start + datetime.timedelta(minutes=20), tick=False):
        assert record(client, other, "other.pdf").status_code == 302
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        agree(client, world, partnership, "three.pdf")
    assert FileUpload.objects.filter(partnership=partnership, user=world.officer_a).count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: row locks (select_for_update)")
def test_two_uploads_at_the_same_moment_cannot_both_take_the_last_place(world, settings):
    settings.UPLOADS_PER_PARTNERSHIP_PER_HOUR = 1
    partnership = endorsed(world)

    def upload(actor, name):
        @transaction.atomic
        def store():
            stored = Partnership.objects.get(pk=partnership.pk)
            services.upload_store(
                partnership=stored, actor=actor, instance=stored, field="agreement_document",
                upload=SimpleUploadedFile(name, PDF), error_field="document",
            )
            stored.save(update_fields=["agreement_document"])
            return stored
        return store

    results = at_the_same_moment(upload(world.officer_a, "a.pdf"), upload(world.officer_b, "b.pdf"))

    assert sorted(type(result).__name__ for result in results) == ["Partnership", "ValidationError"]
    [refused] = [result for result in results if not isinstance(result, Partnership)]
    assert "document" in refused.message_dict
    assert FileUpload.objects.filter(partnership=partnership).count() == 1


def test_the_download_takes_the_same_queries_however_often_the_document_was_replaced(
    client, world, django_assert_num_queries, django_capture_on_commit_callbacks
):
    partnership = make_ready(world, endorsed(world))
    client.force_login(world.officer_b)
    download(client, partnership)
    for name in ("again.pdf", "once-more.pdf"):
        with django_capture_on_commit_callbacks(execute=True):
            record_agreement(
                world, partnership, kind=Partnership.AgreementKind.WRITTEN,
                signed_on=datetime.date(2025, 12, 1), document=SimpleUploadedFile(name, PDF),
            )

    # The session, the user, the partnership and what the user may do with it.
    with django_assert_num_queries(4):
        response = download(client, partnership)

    assert response.status_code == 200
