"""The evaluation pages, the report and its PDF, as the sides, the coordinators and outsiders
use them: hostile input gives field errors, never a 500; outsiders get 404."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation.models import Evaluation, EvaluationSide
from evaluation.services.closing import evaluation_start
from partnerships.models import Indicator, Partnership, Status

from .closing_helpers import confirmed, filled, publish_lesson
from .monitoring import activate, d, submit

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
URL = "/partnerships/{pk}/evaluation/{kind}/"


@pytest.fixture
def running(world) -> Partnership:
    return activate(world, d(1, 15))


def url(partnership, kind="final", tail="") -> str:
    return URL.format(pk=partnership.pk, kind=kind) + tail


def form_data(evaluation: Evaluation, section_id: int, **overrides) -> dict:
    """What the evaluation form posts for a side, all valid."""
    data = {"summary": "Two exchanges ran.", "challenges_note": "", "continuation": "yes", "continuation_how": "Calls",
            "story_title": "Two sections grew"}
    for result in evaluation.objective_results.all():
        data[f"objective_{result.objective_id}"] = "partly"
        data[f"objective_{result.objective_id}_evidence"] = "One of two"
    for result in evaluation.indicator_results.all():
        data[f"indicator_{result.indicator_id}"] = "12.5"
    data.update({f"side_{section_id}_gave": "Speakers", f"side_{section_id}_gained": "Students",
                 f"side_{section_id}_knowledge": "4"})
    data.update(overrides)
    return data


def test_get_shows_the_start_button_and_writes_nothing(client, world, running):
    client.force_login(world.officer_a)

    page = client.get(url(running)).content.decode()

    assert "Start the final evaluation" in page
    assert not Evaluation.objects.exists()


def test_post_starts_the_evaluation_and_the_page_shows_the_promised_give_and_take(client, world, running):
    client.force_login(world.officer_b)

    response = client.post(url(running))

    assert response.status_code == 302
    page = client.get(url(running)).content.decode()
    assert "Student hosts" in page and "Technical talks" in page  # Beta's promised give & take
    assert f'name="side_{world.b.pk}_gave"' in page
    assert f'name="side_{world.a.pk}_gave"' not in page  # Alpha's part is Alpha's


def test_a_side_saves_its_part_through_the_page(client, world, running):
    evaluation = evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    client.force_login(world.officer_a)

    response = client.post(url(running), form_data(evaluation, world.a.pk))

    assert response.status_code == 302
    side = EvaluationSide.objects.get(evaluation=evaluation, section=world.a)
    assert (side.gave, side.gained) == ("Speakers", "Students")
    assert list(side.benefits.values_list("benefit", "rating")) == [("knowledge", 4)]
    assert Evaluation.objects.get(pk=evaluation.pk).summary == "Two exchanges ran."


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("continuation", "forever"),
        ("story_title", "x" * 500),
        ("summary", "x" * 20000),
        ("objective", "brilliant"),
        ("indicator", "lots"),
        ("indicator", "1" * 40),
        ("benefit", "9"),
        ("challenges", "999999"),
    ],
)
def test_hostile_input_gives_field_errors_not_500(client, world, running, field, value):
    Indicator.objects.create(
        partnership=running, objective=running.objectives.get(), name="Members", unit="members",
        target=Decimal("40"), target_date=d(12, 31),
    )
    evaluation = evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    data = form_data(evaluation, world.a.pk)
    names = {
        "objective": f"objective_{running.objectives.get().pk}",
        "indicator": f"indicator_{running.indicators.get().pk}",
        "benefit": f"side_{world.a.pk}_knowledge",
    }
    data[names.get(field, field)] = value
    client.force_login(world.officer_a)

    response = client.post(url(running), data)

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert Evaluation.objects.get(pk=evaluation.pk).summary == ""


@pytest.mark.parametrize(
    ("name", "content"),
    [("photo.png", b"%PDF-1.4 not a photo"), ("photo.pdf", b"%PDF-1.4"), ("photo.gif", b"GIF89a"), ("photo", PNG)],
)
def test_a_bad_photo_is_refused(client, world, running, name, content):
    evaluation = evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    data = form_data(evaluation, world.a.pk, story_photo=SimpleUploadedFile(name, content))
    client.force_login(world.officer_a)

    response = client.post(url(running), data)

    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Evaluation.objects.get(pk=evaluation.pk).story_photo


def test_a_png_photo_is_kept(client, world, running, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    evaluation = evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    data = form_data(evaluation, world.a.pk, story_photo=SimpleUploadedFile("team.png", PNG))
    client.force_login(world.officer_a)

    assert client.post(url(running), data).status_code == 302
    assert Evaluation.objects.get(pk=evaluation.pk).story_photo.name.endswith(".png")


def test_another_sides_fields_posted_by_hand_change_nothing(client, world, running):
    evaluation = evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    data = form_data(evaluation, world.a.pk, **{f"side_{world.b.pk}_gave": "Forged"})
    client.force_login(world.officer_a)

    client.post(url(running), data)

    assert EvaluationSide.objects.get(evaluation=evaluation, section=world.b).gave == ""


@pytest.mark.parametrize("who", ["outsider", "coordinator_b"])
def test_outsiders_get_404_and_coordinators_may_not_edit(client, world, running, who):
    evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    client.force_login(getattr(world, who))

    expected = 404 if who == "outsider" else 403
    assert client.post(url(running), {"summary": "Mine"}).status_code == expected
    assert client.get(url(running)).status_code == (404 if who == "outsider" else 200)
    assert client.get(f"/partnerships/{running.pk}/report/").status_code == (404 if who == "outsider" else 200)


def test_an_unknown_kind_is_404(client, world, running):
    client.force_login(world.officer_a)

    assert client.get(url(running, "nonsense")).status_code == 404


def test_the_lead_confirms_from_the_page_and_the_lesson_is_asked_first(client, world, running):
    filled(world, running)
    client.force_login(world.officer_a)

    page = client.get(url(running)).content.decode()
    assert "publish at least one lesson" in page
    assert "Confirm for Alpha Section" not in page

    publish_lesson(running, world.a, world.officer_a)
    assert "Confirm for Alpha Section" in client.get(url(running)).content.decode()
    response = client.post(url(running, tail="confirm/"), {"section": world.a.pk}, follow=True)

    assert "Confirmed for Alpha Section" in response.content.decode()
    assert EvaluationSide.objects.get(evaluation__partnership=running, section=world.a).confirmed_by == world.officer_a


def test_an_edit_after_a_confirmation_says_whose_confirmation_it_cleared(client, world, running):
    evaluation = confirmed(world, running, sides=("b",))
    client.force_login(world.officer_a)

    response = client.post(url(running), form_data(evaluation, world.a.pk, summary="Three exchanges ran."), follow=True)

    assert "The change cleared the confirmation of Beta Section" in response.content.decode()
    assert not EvaluationSide.objects.filter(evaluation=evaluation, confirmed_at__isnull=False).exists()


def test_an_edit_before_any_confirmation_is_simply_saved(client, world, running):
    evaluation = filled(world, running)
    client.force_login(world.officer_a)

    response = client.post(url(running), form_data(evaluation, world.a.pk, summary="Three exchanges ran."), follow=True)

    assert "The evaluation was saved." in response.content.decode()
    assert "cleared the confirmation" not in response.content.decode()


@pytest.mark.parametrize("section", ["beta", "nonsense", ""])
def test_confirming_for_another_section_is_refused(client, world, running, section):
    confirmed(world, running, sides=())
    client.force_login(world.officer_a)
    value = {"beta": str(world.b.pk), "nonsense": "x1"}.get(section, section)

    assert client.post(url(running, tail="confirm/"), {"section": value}).status_code == 403
    assert not EvaluationSide.objects.filter(confirmed_at__isnull=False).exists()


def test_the_coordinator_comments_from_the_page_and_confirmations_stay(client, world, running):
    confirmed(world, running, sides=("a",))
    client.force_login(world.coordinator_b)
    assert 'name="comment"' in client.get(url(running)).content.decode()

    client.post(url(running, tail="comment/"), {"comment": "Well done."})

    evaluation = Evaluation.objects.get(partnership=running)
    assert evaluation.coordinator_comment == "Well done."
    assert evaluation.sides.filter(confirmed_at__isnull=False).count() == 1


def test_a_too_long_comment_is_refused_with_a_message(client, world, running):
    evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    client.force_login(world.coordinator_a)

    response = client.post(url(running, tail="comment/"), {"comment": "x" * 6000}, follow=True)

    assert response.status_code == 200
    assert Evaluation.objects.get(partnership=running).coordinator_comment == ""


def test_an_officer_cannot_comment_as_coordinator(client, world, running):
    evaluation_start(partnership=running, kind="final", actor=world.officer_a)
    client.force_login(world.officer_a)

    assert client.post(url(running, tail="comment/"), {"comment": "Mine"}).status_code == 403


def test_the_complete_page_shows_the_gates_refusal_as_a_form_error(client, world, running):
    client.force_login(world.officer_a)

    response = client.post(f"/partnerships/{running.pk}/do/complete/", {"reason": "Done"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Complete the final evaluation first: both sides must confirm it." in page
    assert f"/partnerships/{running.pk}/evaluation/final/" in page
    assert Partnership.objects.get(pk=running.pk).status == Status.ACTIVE


def test_the_partnership_page_offers_the_evaluations(client, world, running):
    client.force_login(world.officer_a)

    page = client.get(running.get_absolute_url()).content.decode()

    assert 'id="evaluation"' in page
    assert url(running, "midterm") in page and url(running, "early-end") in page
    assert f"/partnerships/{running.pk}/report.pdf" in page


# Query counts -----------------------------------------------------------------------------------


def _grow(world, partnership: Partnership, n: int) -> None:
    objective = partnership.objectives.get()
    for index in range(n):
        Indicator.objects.create(
            partnership=partnership, objective=objective, name=f"Indicator {index}", unit="u",
            target=Decimal("10"), target_date=d(12, 31),
        )


@pytest.mark.parametrize("indicators", [1, 6])
def test_the_evaluation_page_takes_a_fixed_number_of_queries(client, world, running, django_assert_num_queries, indicators):
    _grow(world, running, indicators)
    evaluation = confirmed(world, running, sides=("a",))
    client.force_login(world.officer_b)
    client.get(url(running))  # the session and the user's roles, as on any page

    # 25: with the evidence of the forms of twinning (forms_of_twinning.closing_evidence):
    # the done exchanges, the partnership's forms, and its finances in four.
    with django_assert_num_queries(24):
        response = client.get(url(running))

    assert response.status_code == 200
    assert evaluation.indicator_results.count() == indicators


@pytest.mark.parametrize("periods", [1, 3])
def test_the_report_takes_a_fixed_number_of_queries(client, world, running, django_assert_num_queries, periods):
    _grow(world, running, 2)
    confirmed(world, running)
    for number, day in enumerate([d(4, 20), d(7, 20), d(10, 20)][:periods]):
        submit(running, world.a, world.officer_a, day, "on-track", number=number)
    client.force_login(world.officer_b)
    client.get(f"/partnerships/{running.pk}/report/")

    # 28: the partnership with its agreement and plan, loaded with the permission check
    # (partnerships.selectors.partnership_plan_queryset), the closing evaluations in one go,
    # and the evidence of the forms of twinning: the done exchanges and the finances in four.
    with django_assert_num_queries(27):
        response = client.get(f"/partnerships/{running.pk}/report/")

    assert response.status_code == 200


def test_the_pdf_is_a_pdf_drawn_without_fetching_anything(client, world, running, caplog):
    _grow(world, running, 1)
    submit(running, world.a, world.officer_a, d(4, 20), "on-track")
    confirmed(world, running)
    client.force_login(world.coordinator_a)

    with caplog.at_level("WARNING", logger="weasyprint"):
        response = client.get(f"/partnerships/{running.pk}/report.pdf")

    assert [record.getMessage() for record in caplog.records if record.name.startswith("weasyprint")] == []

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response) if response.streaming else response.content
    assert body.startswith(b"%PDF")
    assert len(io.BytesIO(body).getvalue()) > 1000


def test_the_report_shows_the_plan_and_the_final_evaluation(client, world, running):
    confirmed(world, running)
    client.force_login(world.officer_a)

    page = client.get(f"/partnerships/{running.pk}/report/").content.decode()

    assert "Summer exchange" in page and "Two exchanges ran; both sections grew." in page


def test_the_partnership_pages_evaluation_panel_does_not_grow_with_evaluations(client, world, running):
    client.force_login(world.officer_a)
    filled(world, running, "midterm")
    client.get(running.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(running.get_absolute_url())

    filled(world, running, "final")
    filled(world, running, "early-end")
    with CaptureQueriesContext(connection) as three:
        page = client.get(running.get_absolute_url()).content.decode()

    assert len(three) == len(one)
    assert page.count("draft, confirmed by 0 of 2 sides") == 3
