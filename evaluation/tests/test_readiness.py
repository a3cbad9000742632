"""The readiness self-assessment: weighted scores, verdicts by the questionnaire's thresholds,
guidance for weak dimensions, versions kept, and who may fill it."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import services
from evaluation.models import Assessment, Question, Questionnaire
from sections.models import ReadinessVerdict
from sections.models import Section
from sections.tests.factories import CoordinatorFactory, OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

from .factories import answers_with, assess, build_questionnaire, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory(name="Alpha Section", slug="alpha")


@pytest.fixture
def officer(section):
    return OfficerFactory(section=section, user__full_name="Ann Alpha").user


def _page(client, user, section) -> str:
    client.force_login(user)
    response = client.get(f"/sections/{section.slug}/readiness/")
    assert response.status_code == 200
    return response.content.decode()


# Scoring ---------------------------------------------------------------------------------------


def test_dimension_is_weighted_mean_of_answers_and_overall_weighted_mean_of_dimensions(section, officer):
    # Vision counts three times as much as funding; within vision the second question counts three times.
    questionnaire = build_questionnaire({"vision": (3, [1, 3]), "funding": (1, [1])}, values=(0, 40, 100))
    answers = answers_with(questionnaire, {"vision": [100, 40], "funding": 0})

    overall, by_dimension = services.score_answers(questionnaire, answers)

    vision, funding = questionnaire.dimensions.all()
    # Unweighted, vision would be 70 and the overall 35.
    assert by_dimension == {vision.pk: Decimal("55.0"), funding.pk: Decimal("0.0")}
    assert overall == Decimal("41.3")  # (55 × 3 + 0 × 1) / 4 = 41.25, rounded half up

    assessment = services.assessment_submit(
        section=section, actor=officer, questionnaire=questionnaire, answers=answers
    )
    assert assessment.score == Decimal("41.3")
    assert dict(assessment.dimension_scores.values_list("dimension__code", "score")) == {
        "vision": Decimal("55.0"),
        "funding": Decimal("0.0"),
    }
    assert assessment.answers.count() == 3
    assert assessment.author == officer


def test_equal_weights_give_the_plain_mean(section, officer):
    questionnaire = build_questionnaire({"time": (1, [1, 1]), "capacity": (1, [1])}, values=(0, 40, 100))

    assessment = assess(section, officer, {"time": [100, 40], "capacity": 0}, questionnaire)

    assert assessment.score == Decimal("35.0")


# Verdicts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "verdict"),
    [
        (0, ReadinessVerdict.NOT_YET),
        (49, ReadinessVerdict.NOT_YET),
        (50, ReadinessVerdict.NEARLY),
        (51, ReadinessVerdict.NEARLY),
        (74, ReadinessVerdict.NEARLY),
        (75, ReadinessVerdict.READY),
        (76, ReadinessVerdict.READY),
        (100, ReadinessVerdict.READY),
    ],
)
def test_verdict_at_and_around_the_thresholds(section, officer, value, verdict):
    questionnaire = build_questionnaire({"vision": (1, [1])}, values=(0, 49, 50, 51, 74, 75, 76, 100))

    assessment = assess(section, officer, value, questionnaire)

    assert assessment.verdict == verdict


@pytest.mark.parametrize(
    ("score", "verdict"),
    [
        ("29.9", ReadinessVerdict.NOT_YET),
        ("30.0", ReadinessVerdict.NEARLY),
        ("89.9", ReadinessVerdict.NEARLY),
        ("90.0", ReadinessVerdict.READY),
    ],
)
def test_verdict_follows_the_thresholds_the_admin_set(score, verdict):
    questionnaire = build_questionnaire({"vision": (1, [1])}, ready=90, nearly=30, publish=False)

    assert questionnaire.verdict_for(Decimal(score)) == verdict


def test_thresholds_must_be_ordered():
    questionnaire = build_questionnaire({"vision": (1, [1])}, publish=False)
    questionnaire.ready_threshold, questionnaire.nearly_threshold = 40, 60

    with pytest.raises(ValidationError):
        questionnaire.full_clean()


# Weak dimensions and their guidance ------------------------------------------------------------


def test_weak_dimensions_are_flagged_and_only_their_guidance_shows(client, section, officer):
    questionnaire = build_questionnaire(
        {"vision": (1, [1]), "funding": (1, [1]), "time": (1, [1])}, values=(0, 59, 60, 100), weak=60
    )

    assessment = assess(section, officer, {"vision": 59, "funding": 60, "time": 100}, questionnaire)

    assert dict(assessment.dimension_scores.values_list("dimension__code", "weak")) == {
        "vision": True,
        "funding": False,
        "time": False,
    }
    page = _page(client, officer, section)
    assert "Guidance on vision." in page
    assert "Guidance on funding." not in page
    assert "Guidance on time." not in page


def test_the_default_questionnaire_guides_a_section_that_lacks_funding(client, section, officer):
    assess(section, officer, {"vision": 100, "commitment": 100, "time": 67, "capacity": 67, "funding": 0})

    page = _page(client, officer, section)

    assert "Identify your own funds or an external source" in page
    assert "Find two or three people" not in page  # time at 67 is not weak


# Versions --------------------------------------------------------------------------------------


def test_an_assessment_keeps_the_version_it_was_answered_against(client, section, officer):
    v1 = Questionnaire.objects.get(is_current=True)
    old = assess(section, officer, 100)
    old_question = v1.dimensions.first().questions.first()
    old_text = old_question.text

    v2 = services.questionnaire_copy(questionnaire=v1)
    new_question = v2.dimensions.first().questions.first()
    new_question.text = "We have written our twinning purpose down."
    new_question.save(update_fields=["text"])
    services.questionnaire_publish(questionnaire=v2)

    old.refresh_from_db()
    assert old.questionnaire_id == v1.pk
    assert old.answers.get(question__dimension__position=0, question__position=0).question.text == old_text
    assert Question.objects.get(pk=old_question.pk).text == old_text
    assert not Questionnaire.objects.get(pk=v1.pk).is_current

    client.force_login(officer)
    page = client.get("/sections/alpha/readiness/").content.decode()
    assert "We have written our twinning purpose down." in page  # the form asks v2 now
    assert re.search(r"<td>v1</td>", page)

    response = client.post("/sections/alpha/readiness/", form_data(answers_with(v2, 67)))
    assert response.status_code == 302
    new = Assessment.objects.exclude(pk=old.pk).get()
    assert new.questionnaire_id == v2.pk
    assert set(new.answers.values_list("question__dimension__questionnaire", flat=True)) == {v2.pk}
    rows = re.findall(r"<td>(v\d+)</td>", client.get("/sections/alpha/readiness/").content.decode())
    assert rows == ["v2", "v1"]  # newest first


def test_a_copy_is_a_new_version_with_the_same_questions_and_not_current():
    v1 = Questionnaire.objects.get(is_current=True)

    v2 = services.questionnaire_copy(questionnaire=v1)

    assert (v2.version, v2.is_current) == (v1.version + 1, False)
    assert _contents(v2) == _contents(v1)
    assert Questionnaire.objects.filter(is_current=True).get() == v1


def _contents(questionnaire: Questionnaire) -> list:
    questions = Question.objects.filter(dimension__questionnaire=questionnaire)
    return [(q.dimension.code, q.text, q.weight, list(q.options.values_list("label", "value"))) for q in questions]


class TestAdminFreezesAnsweredQuestionnaires:
    @pytest.fixture
    def staff(self, client):
        user = UserFactory(is_staff=True, is_superuser=True)
        client.force_login(user)
        return user

    @pytest.fixture
    def answered(self, section, officer) -> Questionnaire:
        assess(section, officer, 67)
        return Questionnaire.objects.get(is_current=True)

    def test_answered_question_shows_read_only(self, client, staff, answered):
        question = answered.dimensions.first().questions.first()

        response = client.get(f"/admin/evaluation/question/{question.pk}/change/")

        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="_save"' not in page
        assert 'name="text"' not in page

    @pytest.mark.parametrize("page", ["questionnaire", "dimension", "question"])
    def test_a_change_form_asks_once_whether_its_questionnaire_is_answered(self, client, staff, answered, page):
        dimension = answered.dimensions.first()
        obj = {"questionnaire": answered, "dimension": dimension, "question": dimension.questions.first()}[page]
        url = f"/admin/evaluation/{page}/{obj.pk}/change/"
        client.get(url)  # the content types are cached per process

        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)

        assert 'name="_save"' not in response.content.decode()
        assert sum('FROM "evaluation_assessment"' in query["sql"] for query in captured) == 1

    def test_post_to_an_answered_question_is_refused_and_changes_nothing(self, client, staff, answered):
        question = answered.dimensions.first().questions.first()
        before = question.text

        response = client.post(
            f"/admin/evaluation/question/{question.pk}/change/",
            _question_admin_data(question, text="Quietly rewritten"),
        )

        assert response.status_code == 403
        assert Question.objects.get(pk=question.pk).text == before

    def test_post_to_an_answered_questionnaire_or_dimension_is_refused(self, client, staff, answered):
        dimension = answered.dimensions.first()

        question = dimension.questions.first()
        admin = "/admin/evaluation"

        assert client.post(f"{admin}/questionnaire/{answered.pk}/change/", {"title": "X"}).status_code == 403
        assert client.post(f"{admin}/dimension/{dimension.pk}/change/", {"name": "X"}).status_code == 403
        assert client.post(f"{admin}/question/{question.pk}/delete/", {"post": "yes"}).status_code == 403
        assert Questionnaire.objects.get(pk=answered.pk).title != "X"
        assert Question.objects.filter(pk=question.pk).exists()

    def test_a_question_cannot_be_added_to_an_answered_questionnaire(self, client, staff, answered):
        dimension = answered.dimensions.first()
        questions = Question.objects.count()

        client.post("/admin/evaluation/question/add/", _question_admin_data(None, dimension=dimension, text="New"))

        assert Question.objects.count() == questions
        assert not dimension.questions.filter(text="New").exists()

    def test_a_dimension_cannot_be_added_to_an_answered_questionnaire(self, client, staff, section, officer):
        questionnaire = build_questionnaire({"vision": (1, [1])})
        assess(section, officer, 100, questionnaire)

        client.post(
            "/admin/evaluation/dimension/add/",
            {
                "questionnaire": questionnaire.pk, "code": "funding", "name": "Funding", "weight": 1,
                "guidance": "Find money.", "position": 1,
                "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
                "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
            },
        )

        assert list(questionnaire.dimensions.values_list("code", flat=True)) == ["vision"]

    def test_save_as_new_does_not_slip_a_question_into_an_answered_questionnaire(self, client, staff, answered):
        question = answered.dimensions.first().questions.first()
        questions = Question.objects.count()

        client.post(
            f"/admin/evaluation/question/{question.pk}/change/",
            {**_question_admin_data(question, text="Sneaked in"), "_saveasnew": "1"},
        )

        assert Question.objects.count() == questions

    def test_an_unanswered_copy_can_be_edited(self, client, staff, answered):
        copy = services.questionnaire_copy(questionnaire=answered)
        question = copy.dimensions.first().questions.first()

        response = client.post(
            f"/admin/evaluation/question/{question.pk}/change/",
            _question_admin_data(question, text="Reworded for version 2"),
        )

        assert response.status_code == 302
        assert Question.objects.get(pk=question.pk).text == "Reworded for version 2"
        assert answered.dimensions.first().questions.first().text != "Reworded for version 2"


def _question_admin_data(question: Question | None, *, dimension=None, text: str) -> dict:
    """The admin's change form for a question with its answer options inline, as a browser posts it."""
    options = list(question.options.all()) if question else []
    data = {
        "dimension": (dimension or question.dimension).pk,
        "text": text,
        "help_text": "",
        "weight": 1,
        "position": 0,
        "options-TOTAL_FORMS": str(len(options) or 1),
        "options-INITIAL_FORMS": str(len(options)),
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for index, option in enumerate(options):
        data.update({
            f"options-{index}-id": option.pk,
            f"options-{index}-question": question.pk,
            f"options-{index}-label": option.label,
            f"options-{index}-value": option.value,
            f"options-{index}-position": option.position,
        })
    if not options:
        data.update({"options-0-label": "Yes", "options-0-value": 100, "options-0-position": 0})
    return data


# The section's latest verdict ------------------------------------------------------------------


def test_the_sections_verdict_and_score_follow_its_latest_assessment(section, officer):
    first = assess(section, officer, 100)
    section.refresh_from_db()
    assert (section.readiness_verdict, section.readiness_score) == ("ready", Decimal("100.0"))
    assert section.readiness_assessed_at == first.created_at

    latest = assess(section, officer, 0)

    section.refresh_from_db()
    assert (section.readiness_verdict, section.readiness_score) == ("not-yet", Decimal("0.0"))
    assert section.readiness_assessed_at == latest.created_at


# The form: missing and forged answers ----------------------------------------------------------


def test_a_missing_answer_is_marked_and_nothing_is_saved(client, section, officer):
    questionnaire = Questionnaire.objects.get(is_current=True)
    data = form_data(answers_with(questionnaire, 67))
    skipped = questionnaire.dimensions.get(code="time").questions.last()
    del data[f"q{skipped.pk}"]
    client.force_login(officer)

    response = client.post("/sections/alpha/readiness/", data)

    assert response.status_code == 200
    assert Assessment.objects.count() == 0
    assert Section.objects.get(pk=section.pk).readiness_verdict == ""
    page = response.content.decode()
    assert "1 question(s) still need an answer; they are marked below." in page
    assert page.count("Please answer this question.") == 1
    # The error sits in the skipped question's own block, under its text.
    block = page[page.index(f'id="div_id_q{skipped.pk}"'):]
    block = block[:block.index('id="div_id_q', 1)]
    assert skipped.text in block
    assert "Please answer this question." in block
    assert response.context["form"].errors == {f"q{skipped.pk}": ["Please answer this question."]}


def test_every_missing_answer_is_counted(client, section, officer):
    questionnaire = Questionnaire.objects.get(is_current=True)
    data = form_data(answers_with(questionnaire, 67))
    for question in questionnaire.dimensions.get(code="funding").questions.all():
        del data[f"q{question.pk}"]
    client.force_login(officer)

    page = client.post("/sections/alpha/readiness/", data).content.decode()

    assert "2 question(s) still need an answer" in page
    assert page.count("Please answer this question.") == 2
    assert Assessment.objects.count() == 0


def test_an_option_of_another_question_is_a_field_error(client, section, officer):
    questionnaire = Questionnaire.objects.get(is_current=True)
    answers = answers_with(questionnaire, 67)
    first, second = list(answers)[:2]
    data = {**form_data(answers), f"q{first}": str(answers[second].pk)}
    client.force_login(officer)

    response = client.post("/sections/alpha/readiness/", data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [f"q{first}"]
    assert Assessment.objects.count() == 0


def test_the_service_refuses_an_option_of_another_question(section, officer):
    questionnaire = Questionnaire.objects.get(is_current=True)
    answers = answers_with(questionnaire, 67)
    first, second = list(answers)[:2]

    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(
            section=section, actor=officer, questionnaire=questionnaire, answers={**answers, first: answers[second]}
        )

    assert list(refused.value.error_dict) == [f"q{first}"]
    assert Assessment.objects.count() == 0


def test_the_service_refuses_missing_answers_by_question(section, officer):
    questionnaire = Questionnaire.objects.get(is_current=True)
    answers = answers_with(questionnaire, 67)
    skipped = list(answers)[-1]
    del answers[skipped]

    with pytest.raises(ValidationError) as refused:
        services.assessment_submit(section=section, actor=officer, questionnaire=questionnaire, answers=answers)

    assert refused.value.message_dict == {f"q{skipped}": ["Please answer this question."]}


# Who fills it ----------------------------------------------------------------------------------


def test_an_officer_submits_and_sees_the_result(client, section, officer):
    questionnaire = Questionnaire.objects.get(is_current=True)
    client.force_login(officer)

    response = client.post("/sections/alpha/readiness/", form_data(answers_with(questionnaire, 100)), follow=True)

    assessment = Assessment.objects.get()
    assert (assessment.section, assessment.author, assessment.verdict) == (section, officer, "ready")
    page = response.content.decode()
    assert "Assessment saved: Ready (100.0 of 100)." in page
    assert "Ann Alpha" in page
    assert "Assess again" in page


def test_a_coordinator_reads_but_cannot_submit(client, section, officer):
    assess(section, officer, 33)
    coordinator = CoordinatorFactory(district=section.district).user
    questionnaire = Questionnaire.objects.get(is_current=True)
    client.force_login(coordinator)

    response = client.post("/sections/alpha/readiness/", form_data(answers_with(questionnaire, 100)))

    assert response.status_code == 302
    assert Assessment.objects.count() == 1
    assert Section.objects.get(pk=section.pk).readiness_verdict == "not-yet"
    page = _page(client, coordinator, section)
    assert "Latest result" in page
    assert "Not yet" in page
    assert "See our readiness" not in page
    assert 'name="q' not in page


def test_an_officer_of_another_section_cannot_submit_through_the_service(section):
    stranger = OfficerFactory(section=SectionFactory()).user

    with pytest.raises(PermissionDenied):
        assess(section, stranger, 100)

    assert Assessment.objects.count() == 0


def test_a_former_officer_cannot_submit(client, section):
    former = OfficerFactory(
        section=section, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
    ).user
    questionnaire = Questionnaire.objects.get(is_current=True)
    client.force_login(former)

    response = client.post("/sections/alpha/readiness/", form_data(answers_with(questionnaire, 100)))

    assert response.status_code == 404
    assert Assessment.objects.count() == 0


# History chart ---------------------------------------------------------------------------------


def test_one_assessment_draws_no_chart(client, section, officer):
    assess(section, officer, 33)

    page = _page(client, officer, section)

    assert "Progress over time" not in page
    assert "<svg" not in page


def test_the_chart_has_one_point_per_assessment_oldest_first(client, section, officer):
    for value in (0, 33, 67, 100):
        assess(section, officer, value)

    page = _page(client, officer, section)

    svg = page[page.index('<svg viewBox="0 0 600 180"'):page.index("</svg>")]
    assert svg.count("<circle") == 4
    points = re.search(r'<polyline[^>]*points="([^"]+)"', svg).group(1).split()
    assert len(points) == 4
    xs = [float(point.split(",")[0]) for point in points]
    ys = [float(point.split(",")[1]) for point in points]
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # scores rise over time, so the line climbs (SVG y grows downwards)
    assert "https://" not in svg and "http://" not in svg.replace("http://www.w3.org", "")


def test_readiness_page_queries_do_not_grow_with_assessments(client, section, officer):
    client.force_login(officer)
    url = f"/sections/{section.slug}/readiness/"
    assess(section, officer, 33)
    assess(section, officer, 67)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    for value in (0, 100, 33, 67, 100):
        assess(section, OfficerFactory(section=section, role="secretary").user if value == 100 else officer, value)

    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
