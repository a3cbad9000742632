"""The lessons library's services and reads: who writes and edits, publishing, the tags a
lesson keeps, "this helped us" once per user, who reads what, and the search."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from evaluation.models import Lesson, LessonHelpful
from evaluation.search import unaccented
from evaluation.selectors.lessons import (
    Sort,
    lessons_for_challenges,
    lessons_most_helpful,
    lessons_search,
    lessons_similar_to,
    lessons_visible_to,
)
from evaluation.services.lessons import (
    lesson_mark_helpful,
    lesson_publish,
    lesson_save,
    lesson_unmark_helpful,
)
from partnerships.tests.conftest import endorsed, propose
from sections.models import Officer, Section, TwinningForm
from sections.tests.factories import CoordinatorFactory, OfficerFactory
from twinning.tests.factories import UserFactory

from .factories import lesson_data, write_lesson
from .monitoring import other_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(world):
    world.a.district.region = "Europe"
    world.a.district.save()
    world.b.district.region = "Africa"
    world.b.district.save()
    Section.objects.filter(pk=world.a.pk).update(maturity=Section.Maturity.ESTABLISHED)
    Section.objects.filter(pk=world.b.pk).update(maturity=Section.Maturity.FORMATIVE)
    return endorsed(world)


def titles(qs) -> list[str]:
    return [lesson.title for lesson in qs]


class TestWriting:
    def test_an_officer_writes_a_draft_tagged_with_both_sections_regions_and_maturity(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, publish=False, challenges=["funding"])

        lesson.refresh_from_db()
        assert lesson.state == Lesson.State.DRAFT and lesson.published_at is None
        assert lesson.author == world.officer_a
        assert lesson.region_tags == "|Africa|Europe|"
        assert lesson.maturity_tags == "|established|formative|"
        assert [c.code for c in lesson.challenges.all()] == ["funding"]
        assert [f.code for f in lesson.forms.all()] == ["technical-exchange"]

    def test_the_tags_keep_the_regions_as_they_were_when_saved(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a)
        world.b.district.region = "Americas"
        world.b.district.save()

        lesson.refresh_from_db()
        assert lesson.regions == ["Africa", "Europe"]

    def test_the_search_text_is_written_without_accents(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, title="Visita a Bogotá", learned="Crème brûlée")

        lesson.refresh_from_db()
        assert "visita a bogota" in lesson.search_text
        assert "creme brulee" in lesson.search_text

    def test_only_officers_of_a_participating_section_write(self, world, partnership):
        with pytest.raises(PermissionDenied):
            lesson_save(actor=world.outsider, partnership=partnership, section=world.a, data=lesson_data())
        with pytest.raises(PermissionDenied):
            lesson_save(actor=world.officer_b, partnership=partnership, section=world.a, data=lesson_data())
        other = OfficerFactory()
        with pytest.raises(PermissionDenied):
            lesson_save(actor=other.user, partnership=partnership, section=other.section, data=lesson_data())
        assert not Lesson.objects.exists()

    def test_the_writing_sections_current_officers_edit_and_the_partner_does_not(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a)
        with pytest.raises(PermissionDenied):
            lesson_save(actor=world.officer_b, partnership=partnership, section=world.b, lesson=lesson,
                        data=lesson_data(title="Taken over"))
        successor = OfficerFactory(section=world.a, role=Officer.Role.SECRETARY).user

        lesson_save(actor=successor, partnership=partnership, section=world.a, lesson=lesson,
                    data=lesson_data(title="Start very small"))

        lesson.refresh_from_db()
        assert lesson.title == "Start very small"
        assert lesson.section == world.a and lesson.author == world.officer_a

    def test_a_former_officer_no_longer_edits(self, world, partnership):
        former = OfficerFactory(
            section=world.a, role=Officer.Role.SECRETARY,
            start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1),
        ).user
        lesson = write_lesson(partnership, world.a, world.officer_a)

        with pytest.raises(PermissionDenied):
            lesson_save(actor=former, partnership=partnership, section=world.a, lesson=lesson, data=lesson_data())

    def test_a_form_the_partnership_does_not_use_is_refused(self, world, partnership):
        other_form = TwinningForm.objects.get(code="financial-support")

        with pytest.raises(ValidationError) as refused:
            write_lesson(partnership, world.a, world.officer_a, forms=[other_form])

        assert "forms" in refused.value.error_dict
        assert not Lesson.objects.exists()

    def test_no_lesson_before_the_partner_accepted(self, world):
        proposed = propose(world)

        with pytest.raises(ValidationError):
            write_lesson(proposed, world.a, world.officer_a)

    def test_an_empty_title_is_a_field_error(self, world, partnership):
        with pytest.raises(ValidationError) as refused:
            write_lesson(partnership, world.a, world.officer_a, title="")

        assert "title" in refused.value.error_dict


class TestPublishing:
    def test_publishing_dates_the_lesson_once(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, publish=False)

        published = lesson_publish(lesson=lesson, actor=world.officer_a)
        again = lesson_publish(lesson=lesson, actor=world.officer_a)

        assert published.state == Lesson.State.PUBLISHED
        assert again.published_at == published.published_at

    def test_the_partner_does_not_publish_the_other_sides_draft(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, publish=False)

        with pytest.raises(PermissionDenied):
            lesson_publish(lesson=lesson, actor=world.officer_b)
        lesson.refresh_from_db()
        assert lesson.state == Lesson.State.DRAFT

    def test_editing_a_published_lesson_keeps_its_date(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a)
        first = Lesson.objects.get(pk=lesson.pk).published_at

        lesson_save(actor=world.officer_a, partnership=partnership, section=world.a, lesson=lesson,
                    data=lesson_data(title="Changed"))

        assert Lesson.objects.get(pk=lesson.pk).published_at == first


class TestHelpful:
    def test_each_reader_counts_once(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a)
        reader = UserFactory()

        assert lesson_mark_helpful(lesson=lesson, actor=reader) is True
        assert lesson_mark_helpful(lesson=lesson, actor=reader) is False
        assert lesson_mark_helpful(lesson=lesson, actor=world.officer_b) is True

        lesson.refresh_from_db()
        assert lesson.helpful_count == 2
        assert LessonHelpful.objects.filter(lesson=lesson).count() == 2

    def test_a_reader_takes_the_mark_back(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a)
        reader = UserFactory()
        lesson_mark_helpful(lesson=lesson, actor=reader)

        assert lesson_unmark_helpful(lesson=lesson, actor=reader) is True
        assert lesson_unmark_helpful(lesson=lesson, actor=reader) is False
        lesson.refresh_from_db()
        assert lesson.helpful_count == 0

    def test_a_section_does_not_mark_its_own_lesson(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a)

        with pytest.raises(PermissionDenied):
            lesson_mark_helpful(lesson=lesson, actor=world.officer_a)

    def test_a_draft_cannot_be_marked(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, publish=False)

        with pytest.raises(ValidationError):
            lesson_mark_helpful(lesson=lesson, actor=world.officer_a)
        with pytest.raises(PermissionDenied):
            lesson_mark_helpful(lesson=lesson, actor=UserFactory())
        assert not LessonHelpful.objects.exists()


class TestVisibility:
    def test_a_society_wide_lesson_is_read_by_anyone_signed_in(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a)

        for user in (world.outsider, world.officer_b, world.coordinator_a, world.staff, OfficerFactory().user):
            assert lesson in lessons_visible_to(user)

    def test_a_partners_only_lesson_is_read_by_the_partners_their_coordinators_and_staff(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, visibility=Lesson.Visibility.PARTNERS)

        readers = [world.officer_a, world.officer_b, world.coordinator_a, world.coordinator_b, world.staff]
        others = [world.outsider, OfficerFactory().user, CoordinatorFactory().user]
        assert [lesson in lessons_visible_to(user) for user in readers] == [True] * len(readers)
        assert [lesson in lessons_visible_to(user) for user in others] == [False] * len(others)

    def test_a_draft_is_read_only_by_the_writing_sections_officers(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, publish=False)

        assert lesson in lessons_visible_to(world.officer_a)
        for user in (world.officer_b, world.coordinator_a, world.staff, world.outsider):
            assert lesson not in lessons_visible_to(user)

    def test_nobody_signed_out_reads_a_lesson(self, world, partnership):
        write_lesson(partnership, world.a, world.officer_a)

        assert not lessons_visible_to(AnonymousUser()).exists()


class TestSearch:
    def test_an_unaccented_word_finds_the_accented_one(self, world, partnership):
        write_lesson(partnership, world.a, world.officer_a, title="Our exchange in Bogotá")
        write_lesson(partnership, world.a, world.officer_a, title="Budgets in Nairobi")

        assert titles(lessons_search(Lesson.objects.all(), "bogota", None)) == ["Our exchange in Bogotá"]
        assert titles(lessons_search(Lesson.objects.all(), "BOGOTÁ", None)) == ["Our exchange in Bogotá"]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="the search vector is PostgreSQL's")
    def test_the_search_vector_is_written_and_weighs_the_title_most(self, world, partnership):
        write_lesson(partnership, world.a, world.officer_a, title="Meetings", context="We met in Medellín.")
        write_lesson(partnership, world.a, world.officer_a, title="Medellín students")

        assert Lesson.objects.filter(search_vector__isnull=True).count() == 0
        assert titles(lessons_search(Lesson.objects.all(), "medellin", Sort.RELEVANCE)) == [
            "Medellín students", "Meetings",
        ]

    def test_every_word_must_match(self, world, partnership):
        write_lesson(partnership, world.a, world.officer_a, title="Funding the exchange")
        write_lesson(partnership, world.a, world.officer_a, title="Funding the visit")

        assert titles(lessons_search(Lesson.objects.all(), "funding visit", None)) == ["Funding the visit"]

    @pytest.mark.parametrize("query", ['"unclosed', "-", "or or", "!!! &&& |||", "a:*", "'; drop table x; --", "ü" * 150])
    def test_odd_queries_find_nothing_or_something_but_never_fail(self, world, partnership, query):
        write_lesson(partnership, world.a, world.officer_a)

        list(lessons_search(Lesson.objects.all(), query, None))

    def test_most_helpful_sorts_by_marks(self, world, partnership):
        first = write_lesson(partnership, world.a, world.officer_a, title="Older and helpful")
        write_lesson(partnership, world.a, world.officer_a, title="Newer")
        lesson_mark_helpful(lesson=first, actor=UserFactory())

        assert titles(lessons_search(Lesson.objects.all(), "", Sort.HELPFUL)) == ["Older and helpful", "Newer"]
        assert titles(lessons_search(Lesson.objects.all(), "", None)) == ["Newer", "Older and helpful"]

    def test_unaccented_folds_case_and_marks(self):
        assert unaccented("São Paulo, Zürich, ÅLESUND, Łódź, Tromsø") == "sao paulo, zurich, alesund, lodz, tromso"

    def test_a_letter_with_a_stroke_is_found_without_it(self, world, partnership):
        write_lesson(partnership, world.a, world.officer_a, title="Workshop in Łódź")

        assert titles(lessons_search(Lesson.objects.all(), "lodz", None)) == ["Workshop in Łódź"]
        assert titles(lessons_search(Lesson.objects.all(), "Łódź", None)) == ["Workshop in Łódź"]

    def test_a_reader_who_may_not_see_a_lesson_cannot_mark_it(self, world, partnership):
        lesson = write_lesson(partnership, world.a, world.officer_a, visibility=Lesson.Visibility.PARTNERS)

        with pytest.raises(PermissionDenied):
            lesson_mark_helpful(lesson=lesson, actor=world.outsider)


class TestInContext:
    def test_most_helpful_for_the_chosen_forms(self, world, partnership):
        other = other_world()
        financial = endorsed(other, forms=("financial-support",))
        about_exchange = write_lesson(partnership, world.a, world.officer_a, title="Exchange lesson")
        write_lesson(financial, other.a, other.officer_a, title="Money lesson")
        lesson_mark_helpful(lesson=about_exchange, actor=UserFactory())

        technical = TwinningForm.objects.filter(code="technical-exchange")
        assert titles(lessons_most_helpful(user=world.outsider, forms=technical)) == ["Exchange lesson"]
        assert titles(lessons_most_helpful(user=world.outsider)) == ["Exchange lesson", "Money lesson"]

    def test_lessons_for_challenges_leave_out_drafts_and_what_the_reader_may_not_see(self, world, partnership):
        write_lesson(partnership, world.a, world.officer_a, title="Funding, public", challenges=["funding"])
        write_lesson(partnership, world.a, world.officer_a, title="Funding, draft", challenges=["funding"],
                     publish=False)
        write_lesson(partnership, world.a, world.officer_a, title="Funding, partners", challenges=["funding"],
                     visibility=Lesson.Visibility.PARTNERS)
        write_lesson(partnership, world.a, world.officer_a, title="Conflict", challenges=["conflict"])

        assert titles(lessons_for_challenges(user=world.outsider, codes=["funding"], limit=5)) == ["Funding, public"]

    def test_similar_partnerships_lessons_exclude_its_own(self, world, partnership):
        other = other_world()
        same_form = endorsed(other)
        write_lesson(partnership, world.a, world.officer_a, title="Our own")
        write_lesson(same_form, other.a, other.officer_a, title="Theirs")

        assert titles(lessons_similar_to(partnership, user=world.officer_a)) == ["Theirs"]

    def test_a_shared_region_makes_a_partnership_similar(self, world, partnership):
        other = other_world()
        other.a.district.region = "Africa"
        other.a.district.save()
        different_form = endorsed(other, forms=("financial-support",))
        write_lesson(different_form, other.a, other.officer_a, title="Same region")

        assert titles(lessons_similar_to(partnership, user=world.officer_a)) == ["Same region"]
