"""The directory's text search finds what people type: every part of a profile, whatever the
accents and case, a mistyped name or city (PostgreSQL, where the suite runs), the best
matches first; the stored search text follows every change of what it is made of."""

from __future__ import annotations

import pytest
from django.db import connection

from sections.models import Section, TechnicalInterest, TwinningForm
from sections.search import section_search_text_refresh
from sections.tests.factories import SectionFactory, TechnicalInterestFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    client.force_login(UserFactory())


def found(client, q: str, **params) -> list[str]:
    response = client.get("/sections/", {"q": q, **params})
    assert response.status_code == 200
    return [section.name for section in response.context["sections"]]


@pytest.fixture
def directory():
    robotics = TechnicalInterestFactory(name="Robotics", slug="robotics")
    water = TechnicalInterestFactory(name="Wastewater reuse", slug="wastewater-reuse")
    bogota = SectionFactory(name="Universidad de Bogotá Student Section", city="Bogotá", country="CO")
    bogota.needs_topics.add(water)
    SectionFactory(name="Javeriana Section", city="Bogotá", country="CO")
    SectionFactory(name="Delft Students", city="Delft", country="NL", interests=[robotics])
    lodz = SectionFactory(name="Łódź Section", city="Łódź", country="PL", offers_notes="A clean-room laboratory.")
    lodz.offers_forms.add(TwinningForm.objects.get(code="financial-support"))
    SectionFactory(name="Houston Section", city="Houston", country="US")


class TestWhatIsSearched:
    def test_an_unaccented_word_finds_the_accented_city_and_name(self, client, member, directory):
        assert found(client, "Bogota") == ["Universidad de Bogotá Student Section", "Javeriana Section"]
        assert found(client, "lodz") == ["Łódź Section"]

    def test_case_does_not_matter_either_way(self, client, member, directory):
        assert found(client, "BOGOTÁ") == found(client, "bogota")
        assert found(client, "hOUSTON") == ["Houston Section"]

    def test_the_country_is_found_by_its_name_not_only_its_code(self, client, member, directory):
        assert found(client, "Colombia") == ["Javeriana Section", "Universidad de Bogotá Student Section"]
        assert found(client, "netherlands") == ["Delft Students"]

    def test_interests_offers_and_needs_are_searched(self, client, member, directory):
        assert found(client, "robotics") == ["Delft Students"]
        assert found(client, "wastewater") == ["Universidad de Bogotá Student Section"]
        assert found(client, "financial") == ["Łódź Section"]
        assert found(client, "laboratory") == ["Łódź Section"]

    def test_every_word_must_be_found_somewhere(self, client, member, directory):
        assert found(client, "bogota javeriana") == ["Javeriana Section"]
        assert found(client, "bogota robotics") == []

    def test_characters_that_mean_something_to_like_are_plain_text(self, client, member, directory):
        assert found(client, "%") == []
        assert found(client, "_") == []
        assert found(client, "\\") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="near matches are PostgreSQL's (pg_trgm)")
class TestTypos:
    def test_a_mistyped_city_or_name_still_finds_it(self, client, member, directory):
        assert set(found(client, "Bogta")) == {"Universidad de Bogotá Student Section", "Javeriana Section"}
        assert found(client, "Houstn") == ["Houston Section"]

    def test_a_word_found_as_typed_is_not_also_taken_for_a_typo(self, client, member, directory):
        SectionFactory(name="Essex Section", city="Chelmsford", country="GB")
        SectionFactory(name="Ruhr Section", city="Essen", country="DE")
        assert found(client, "essen") == ["Ruhr Section"]

    def test_short_words_are_not_matched_approximately(self, client, member, directory):
        assert found(client, "Dlf") == []


class TestOrder:
    def test_names_that_start_with_the_words_come_first_then_names_holding_them(self, client, member):
        SectionFactory(name="Aachen Section", city="Houston")
        SectionFactory(name="South Houston Section", city="Pasadena")
        SectionFactory(name="Houston Section", city="Houston")

        assert found(client, "houston") == ["Houston Section", "South Houston Section", "Aachen Section"]

    def test_a_chosen_sort_wins_over_relevance(self, client, member):
        SectionFactory(name="Aachen Section", city="Houston")
        SectionFactory(name="Houston Section", city="Houston")

        assert found(client, "houston", sort="name") == ["Aachen Section", "Houston Section"]

    def test_without_words_the_directory_keeps_its_order(self, client, member):
        SectionFactory(name="Beta")
        SectionFactory(name="Alpha")

        assert found(client, "   ") == ["Alpha", "Beta"]


class TestTheStoredText:
    def test_a_profile_change_is_searchable_at_once(self, client, member):
        section = SectionFactory(name="Houston Section", city="Houston")
        interest = TechnicalInterestFactory(name="Alarm floods", slug="alarm-floods")

        section.city = "Galveston"
        section.save()
        section.interests.add(interest)
        assert found(client, "galveston alarm") == ["Houston Section"]

        section.interests.remove(interest)
        assert found(client, "alarm") == []

    def test_renaming_an_interest_renames_it_in_every_section_that_lists_it(self, client, member):
        interest = TechnicalInterestFactory(name="Alarm floods", slug="alarm-floods")
        SectionFactory(name="Houston Section", interests=[interest])

        interest.name = "Alarm rationalisation"
        interest.save()

        assert found(client, "rationalisation") == ["Houston Section"]

    def test_removing_an_interest_from_its_side_or_deleting_it_forgets_it(self, client, member):
        first = TechnicalInterestFactory(name="Alarm floods", slug="alarm-floods")
        second = TechnicalInterestFactory(name="Batch records", slug="batch-records")
        SectionFactory(name="Houston Section", interests=[first, second])

        first.sections.clear()
        TechnicalInterest.objects.filter(pk=second.pk).get().delete()

        assert found(client, "alarm") == []
        assert found(client, "batch") == []

    def test_a_save_of_other_fields_leaves_the_text_alone(self, django_assert_num_queries):
        section = SectionFactory(name="Houston Section")
        with django_assert_num_queries(1):
            section.save(update_fields=["member_count"])

    def test_the_refresh_rebuilds_what_bulk_writes_left_empty(self):
        section = SectionFactory(name="Houston Section", city="Houston", country="US")
        Section.objects.filter(pk=section.pk).update(search_text="")

        assert section_search_text_refresh(sections=Section.objects.all()) == 1

        section.refresh_from_db()
        assert section.search_text.split("\n")[:3] == ["houston section", "houston", "united states of america"]
