"""The partnership list's search box (title, the sections' names, purpose) on the directory's
engine, and the numbered pagination every list shares (templates/_pagination.html)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from partnerships.models import Partnership, Status
from partnerships.tests.conftest import propose
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from web.partnership_list import LIST_PAGE_SIZE

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def running(world, title: str, purpose: str = "Work together.") -> Partnership:
    partnership = PartnershipFactory(title=title, purpose=purpose, status=Status.ACTIVE, proposing_section=world.a)
    ParticipantFactory(partnership=partnership, section=world.a)
    ParticipantFactory(partnership=partnership, section=world.b)
    return partnership


def titles(client: Client, **params) -> list[str]:
    response = client.get("/partnerships/", params)
    assert response.status_code == 200
    return [partnership.title for partnership in response.context["partnerships"]]


class TestSearch:
    def test_finds_by_title_purpose_and_section_names_whatever_the_accents_and_case(self, world):
        world.b.name = "Universidad de Bogotá"
        world.b.save()
        running(world, "Crédit pour l'équipement", purpose="Buy a spectrometer.")
        running(world, "Student exchange")
        client = client_for(world.staff)

        assert titles(client, q="credit") == ["Crédit pour l'équipement"]
        assert titles(client, q="SPECTROMETER") == ["Crédit pour l'équipement"]
        assert set(titles(client, q="bogota")) == {"Crédit pour l'équipement", "Student exchange"}
        assert titles(client, q="bogota student") == ["Student exchange"]

    def test_a_section_renamed_later_is_found_by_its_new_name(self, world):
        running(world, "Student exchange")
        world.a.name = "Delft Section"
        world.a.save(update_fields=["name"])

        assert titles(client_for(world.staff), q="delft") == ["Student exchange"]

    def test_a_proposal_is_found_by_its_sections_as_soon_as_it_is_made(self, world):
        propose(world, title="Know-how")

        assert titles(client_for(world.officer_a), q="beta") == ["Know-how"]

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="near matches are PostgreSQL's (pg_trgm)")
    def test_a_mistyped_title_word_still_finds_it(self, world):
        running(world, "Spectrometer fund")
        running(world, "Student exchange")

        assert titles(client_for(world.staff), q="spectromter") == ["Spectrometer fund"]

    def test_matches_keep_the_list_order_and_the_chosen_sort(self, world):
        running(world, "Spectrometer fund")
        running(world, "Lab equipment", purpose="Buy a spectrometer.")
        client = client_for(world.staff)

        assert titles(client, q="spectrometer") == ["Lab equipment", "Spectrometer fund"]
        assert titles(client, q="spectrometer", sort="title") == ["Lab equipment", "Spectrometer fund"]
        assert titles(client, q="spectrometer", sort="-updated") == ["Lab equipment", "Spectrometer fund"]

    def test_nothing_found_says_so_and_offers_the_whole_list(self, world):
        running(world, "Spectrometer fund")

        page = client_for(world.staff).get("/partnerships/", {"q": "telescope"}).content.decode()

        assert "No partnership matches these filters." in page and 'href="/partnerships/"' in page

    def test_the_search_keeps_to_what_the_user_may_see(self, world):
        running(world, "Spectrometer fund")

        assert titles(client_for(world.outsider), q="spectrometer") == []
        assert titles(client_for(world.officer_b), q="spectrometer") == ["Spectrometer fund"]

    def test_search_combines_with_the_other_filters(self, world):
        running(world, "Spectrometer fund")
        Partnership.objects.filter(pk=running(world, "Spectrometer loan").pk).update(status=Status.COMPLETED)
        client = client_for(world.staff)

        assert titles(client, q="spectrometer", status="active") == ["Spectrometer fund"]
        assert titles(client, q="spectrometer", district="da") == titles(client, q="spectrometer")

    def test_a_search_is_a_constant_number_of_queries(self, world, django_assert_num_queries):
        for number in range(3):
            running(world, f"Spectrometer {number}")
        client = client_for(world.officer_a)
        # Session and user, offices and coordinations, the words found (one query for all),
        # the count, the filter form's choices, the page with its health, forms and participants.
        with django_assert_num_queries(12):
            client.get("/partnerships/", {"q": "spectrometer specrtometer"})
        running(world, "Spectrometer 3")
        with django_assert_num_queries(12):
            client.get("/partnerships/", {"q": "spectrometer specrtometer"})


class TestPagination:
    @pytest.fixture
    def many(self, world):
        for number in range(LIST_PAGE_SIZE * 5 + 3):
            running(world, f"Exchange {number:03}")
        return client_for(world.staff)

    def test_shows_where_the_page_sits_with_numbers_first_and_last(self, many):
        page = many.get("/partnerships/", {"page": 3, "status": "active"}).content.decode()

        assert "Showing 51–75 of 128" in page
        for number in (1, 2, 4, 5):
            assert f'href="?page={number}&amp;status=active"' in page or f'href="?status=active&amp;page={number}"' in page
        assert '<span class="visually-hidden">Page </span>3</span>' in page
        assert ">First<" in page and "Last (6)" in page
        assert 'rel="prev"' in page and 'rel="next"' in page

    def test_the_first_and_last_pages_offer_no_way_further(self, many):
        first = many.get("/partnerships/").content.decode()
        last = many.get("/partnerships/", {"page": 6}).content.decode()

        assert ">First<" not in first and 'rel="prev"' not in first and "Showing 1–25 of 128" in first
        assert "Last (6)" not in last and 'rel="next"' not in last and "Showing 126–128 of 128" in last

    @pytest.mark.parametrize("number, shown", [("999", 6), ("0", 6), ("-1", 6), ("x", 1), ("", 1), ("2.5", 1)])
    def test_a_page_number_out_of_range_or_not_a_number_shows_the_last_or_first_page(self, many, number, shown):
        response = many.get("/partnerships/", {"page": number})

        assert response.status_code == 200
        assert response.context["page"].number == shown

    def test_far_pages_are_elided(self, world):
        for number in range(LIST_PAGE_SIZE * 12):
            PartnershipFactory(title=f"Exchange {number:03}", status=Status.ACTIVE, proposing_section=world.a)
        page = client_for(world.staff).get("/partnerships/", {"page": 6}).content.decode()

        assert "…" in page
        assert '?page=4"' in page and '?page=8"' in page
        assert '?page=3"' not in page and '?page=9"' not in page
        assert "Showing 126–150 of 300" in page
