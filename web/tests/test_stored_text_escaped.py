"""Text an admin writes — the readiness questionnaire's title and introduction, its dimensions
and their guidance, its questions, help texts and answers — shows as written on every page that
shows it: markup and template syntax in it are text, never run."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils.html import escape

from evaluation.models import AnswerOption, Dimension, Question, Questionnaire
from evaluation.services.checkins import schedule_extend
from evaluation.tests.checkin_helpers import activate, at, checkin_of
from evaluation.tests.factories import assess, build_questionnaire
from sections.models import Section
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMG = "<img src=x onerror=alert(1)>"
# crispy-forms renders a fieldset's legend as a template: this would print the page's token.
TEMPLATE = "{{ csrf_token }}{% now 'Y' %}"

HOSTILE = {
    "title": f"Readiness {SCRIPT}",
    "introduction": f"Answer honestly {IMG}",
    "dimension": f"Vision {SCRIPT} {TEMPLATE}",
    "guidance": f"Agree why you twin {IMG} {SCRIPT}",
    "question": f"Do members know why {IMG}",
    "help": f"Think of {SCRIPT} and {IMG} {TEMPLATE}",
    "option": f"Not yet {IMG}",
}


@pytest.fixture
def questionnaire():
    """The current questionnaire, its words rewritten by an admin with markup in every field."""
    questionnaire = build_questionnaire({"vision": (1, [1])}, values=(0, 100))
    Questionnaire.objects.filter(pk=questionnaire.pk).update(title=HOSTILE["title"], introduction=HOSTILE["introduction"])
    Dimension.objects.filter(questionnaire=questionnaire).update(name=HOSTILE["dimension"], guidance=HOSTILE["guidance"])
    Question.objects.filter(dimension__questionnaire=questionnaire).update(text=HOSTILE["question"], help_text=HOSTILE["help"])
    AnswerOption.objects.filter(question__dimension__questionnaire=questionnaire, value=0).update(label=HOSTILE["option"])
    questionnaire.refresh_from_db()
    return questionnaire


@pytest.fixture
def section():
    return SectionFactory(name="Alpha Section", slug="alpha")


@pytest.fixture
def officer(section):
    return OfficerFactory(section=section).user


def assert_shown_as_text(page: str, *texts: str) -> None:
    """Each text is on the page whole, escaped (so its template syntax was not rendered either),
    and none of the markup is."""
    for text in texts:
        assert escape(text) in page, text
    assert "<script>alert" not in page
    assert "<img src=x" not in page


def get(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_readiness_form_shows_the_admins_words_as_text(client, questionnaire, section, officer):
    page = get(client, officer, "/sections/alpha/readiness/")

    assert_shown_as_text(
        page, HOSTILE["introduction"], HOSTILE["dimension"], HOSTILE["question"], HOSTILE["help"], HOSTILE["option"]
    )
    assert f"<legend>{escape(HOSTILE['dimension'])}</legend>" in page


def test_a_weak_result_shows_the_dimension_and_its_guidance_as_text(client, questionnaire, section, officer):
    assess(section, officer, {"vision": 0}, questionnaire)

    page = get(client, officer, "/sections/alpha/readiness/")

    assert_shown_as_text(page, HOSTILE["dimension"], HOSTILE["guidance"])
    assert f'aria-label="{escape(HOSTILE["dimension"])}"' in page


def test_the_readiness_form_with_errors_shows_the_admins_words_as_text(client, questionnaire, section, officer):
    client.force_login(officer)

    response = client.post("/sections/alpha/readiness/", {"save": "See our readiness"})

    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    assert_shown_as_text(response.content.decode(), HOSTILE["dimension"], HOSTILE["help"], HOSTILE["option"])


@pytest.mark.parametrize(
    "url, shown",
    [
        ("/admin/evaluation/questionnaire/", ["title"]),
        ("/admin/evaluation/dimension/", ["dimension"]),
        ("/admin/evaluation/question/", ["question", "dimension"]),
    ],
)
def test_the_admin_lists_show_the_words_as_text(client, questionnaire, url, shown):
    admin = UserFactory(is_staff=True, is_superuser=True)

    page = get(client, admin, url)

    assert_shown_as_text(page, *(HOSTILE[key] for key in shown))


def test_the_admin_edit_pages_show_the_words_as_text(client, questionnaire):
    admin = UserFactory(is_staff=True, is_superuser=True)
    dimension = questionnaire.dimensions.get()
    question = dimension.questions.get()

    questionnaire_page = get(client, admin, f"/admin/evaluation/questionnaire/{questionnaire.pk}/change/")
    question_page = get(client, admin, f"/admin/evaluation/question/{question.pk}/change/")

    assert_shown_as_text(questionnaire_page, HOSTILE["title"], HOSTILE["introduction"], HOSTILE["dimension"], HOSTILE["guidance"])
    assert_shown_as_text(question_page, HOSTILE["question"], HOSTILE["help"], HOSTILE["option"])


def test_help_text_marked_safe_in_code_still_shows_as_markup(client):
    # Django's password rules are a list built in code, not stored text.
    page = get(client, UserFactory(), "/accounts/password_change/")

    assert '<div id="id_new_password1_helptext" class="form-text"><ul><li>' in page


def test_a_checkin_shows_the_section_named_in_an_activity_help_text_as_text(client, world):
    partnership = activate(world)
    Section.objects.filter(pk=world.a.pk).update(name=f"Alpha {IMG}")
    reporting_day = datetime.date(2026, 4, 20)
    with time_machine.travel(at(reporting_day), tick=False):
        schedule_extend(partnership=partnership, today=reporting_day)
        checkin = checkin_of(partnership, world.a)
        page = get(client, world.officer_a, f"/partnerships/{partnership.pk}/check-ins/{checkin.pk}/")

    assert escape(f"Carried out by Alpha {IMG}.") in page
    assert "<img src=x" not in page
