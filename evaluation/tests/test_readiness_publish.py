"""Publishing a questionnaire version: refused while it cannot be answered (an empty
dimension, a question with fewer than two options), also from the admin action; and
copying a version takes the next number even when another copy got there first."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.urls import reverse

from evaluation import services
from evaluation.models import AnswerOption, Questionnaire
from twinning.tests.factories import UserFactory

from .factories import build_questionnaire

pytestmark = pytest.mark.django_db


def _current() -> Questionnaire:
    return Questionnaire.objects.get(is_current=True)


def _empty_dimension() -> Questionnaire:
    questionnaire = build_questionnaire({"vision": (1, [1])}, publish=False)
    questionnaire.dimensions.create(code="funding", name="Funding", weight=1, position=1)
    return questionnaire


def _one_option_question() -> Questionnaire:
    questionnaire = build_questionnaire({"vision": (1, [1, 1])}, publish=False)
    question = questionnaire.dimensions.get().questions.get(position=1)
    question.text = "Only one answer here"
    question.save(update_fields=["text"])
    AnswerOption.objects.filter(question=question).exclude(value=100).delete()
    return questionnaire


class TestPublish:
    def test_a_dimension_without_questions_is_refused_by_name(self):
        before = _current()
        questionnaire = _empty_dimension()

        with pytest.raises(ValidationError) as error:
            services.questionnaire_publish(questionnaire=questionnaire)

        text = " ".join(error.value.messages)
        assert "cannot be made current" in text
        assert "“Funding” has no questions" in text
        assert _current() == before

    def test_a_question_with_fewer_than_two_options_is_refused_by_name(self):
        before = _current()
        questionnaire = _one_option_question()

        with pytest.raises(ValidationError) as error:
            services.questionnaire_publish(questionnaire=questionnaire)

        text = " ".join(error.value.messages)
        assert "“Only one answer here”" in text
        assert "at least two" in text
        assert _current() == before

    def test_a_question_without_options_is_refused(self):
        questionnaire = build_questionnaire({"vision": (1, [1])}, publish=False)
        AnswerOption.objects.filter(question__dimension__questionnaire=questionnaire).delete()

        with pytest.raises(ValidationError, match="has 0 answer option"):
            services.questionnaire_publish(questionnaire=questionnaire)

    def test_a_questionnaire_without_dimensions_is_refused(self):
        questionnaire = build_questionnaire({}, publish=False)

        with pytest.raises(ValidationError, match="no dimensions"):
            services.questionnaire_publish(questionnaire=questionnaire)

    def test_a_complete_questionnaire_is_published(self):
        questionnaire = build_questionnaire({"vision": (1, [1, 1]), "funding": (2, [1])}, values=(0, 100),
                                            publish=False)

        services.questionnaire_publish(questionnaire=questionnaire)

        assert _current() == questionnaire


class TestMakeCurrentAction:
    @pytest.fixture
    def admin_client(self, client):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        return client

    def _make_current(self, admin_client, questionnaire):
        return admin_client.post(
            reverse("admin:evaluation_questionnaire_changelist"),
            {"action": "make_current", "_selected_action": [questionnaire.pk]},
            follow=True,
        )

    @pytest.mark.parametrize("build", [_empty_dimension, _one_option_question], ids=["empty", "one-option"])
    def test_an_incomplete_version_shows_the_reason_as_an_error_and_publishes_nothing(self, admin_client, build):
        before = _current()
        questionnaire = build()

        response = self._make_current(admin_client, questionnaire)

        messages = list(get_messages(response.wsgi_request)) or list(response.context["messages"])
        assert [m.level_tag for m in messages] == ["error"]
        assert "cannot be made current" in messages[0].message
        assert ("“Funding” has no questions" in messages[0].message
                or "“Only one answer here”" in messages[0].message)
        assert _current() == before

    def test_a_complete_version_becomes_current(self, admin_client):
        questionnaire = build_questionnaire({"vision": (1, [1])}, publish=False)

        response = self._make_current(admin_client, questionnaire)

        assert [m.level_tag for m in response.context["messages"]] == ["success"]
        assert _current() == questionnaire


class TestCopyVersion:
    def test_the_copy_takes_the_next_version(self):
        source = _current()
        latest = Questionnaire.objects.aggregate(latest=Max("version"))["latest"]

        copy = services.questionnaire_copy(questionnaire=source)

        assert copy.version == latest + 1
        assert not copy.is_current
        assert copy.dimensions.count() == source.dimensions.count()

    def test_a_copy_that_loses_the_race_for_a_number_takes_the_next_one(self, monkeypatch):
        source = _current()
        latest = Questionnaire.objects.aggregate(latest=Max("version"))["latest"]
        manager = Questionnaire.objects
        real_select_for_update, real_create = manager.select_for_update, manager.create
        reads, versions = [], []

        def read_missing_a_rival(*args, **kwargs):
            reads.append(True)
            if len(reads) == 1:
                # Another admin's copy takes the next number while our read cannot see it yet.
                rival = real_create(version=latest + 1, title="Rival copy", is_current=False)
                return real_select_for_update(*args, **kwargs).exclude(pk=rival.pk)
            return real_select_for_update(*args, **kwargs)

        def create(**values):
            versions.append(values["version"])
            return real_create(**values)

        monkeypatch.setattr(manager, "select_for_update", read_missing_a_rival)
        monkeypatch.setattr(manager, "create", create)

        copy = services.questionnaire_copy(questionnaire=source)

        assert versions == [latest + 1, latest + 2]
        assert copy.version == latest + 2
        assert copy.title == source.title
        assert Questionnaire.objects.get(version=latest + 1).title == "Rival copy"
        assert copy.dimensions.count() == source.dimensions.count()
