"""The nomination pages: what each role sees and may do, refusals, hostile input, queries."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from partnerships.models import Partnership
from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import LedgerEntry, Nomination, PointRule
from recognition.services.nominations import (
    nomination_review,
    nomination_save,
    nomination_start,
    nomination_submit,
)
from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.models import OutgoingMail

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _submitted(world) -> Nomination:
    nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
    nomination_save(nomination=nomination, actor=world.officer_a, narrative="A strong twinning year.")
    return nomination_submit(nomination=nomination, actor=world.officer_a)


def _url(nomination, action="") -> str:
    return f"/recognition/nominations/{nomination.pk}/{action + '/' if action else ''}"


class TestList:
    def test_an_officer_starts_a_nomination_for_the_current_year(self, client, world):
        client.force_login(world.officer_a)
        response = client.get("/recognition/nominations/")
        assert response.context["startable"] == [world.a]
        assert f"Start Alpha Section's nomination for {YEAR}" in response.content.decode()
        response = client.post("/recognition/nominations/start/", {"section": world.a.pk}, follow=True)
        nomination = Nomination.objects.get()
        assert (nomination.section, nomination.award_year) == (world.a, YEAR)
        assert response.redirect_chain[-1][0] == _url(nomination)
        assert "Nomination started" in response.content.decode()
        # Nominated this year: no second start offered.
        assert "Start Alpha Section" not in client.get("/recognition/nominations/").content.decode()

    @pytest.mark.parametrize("value", ["", "abc", "999999", "' OR 1=1 --"])
    def test_a_hostile_or_foreign_section_is_a_field_error(self, client, world, value):
        client.force_login(world.officer_a)
        post = {"section": world.b.pk if value == "999999" else value}
        response = client.post("/recognition/nominations/start/", post)
        assert response.status_code == 200
        assert response.context["start_form"].errors["section"]
        assert 'role="alert"' in response.content.decode()
        assert not Nomination.objects.exists()

    def test_the_coordinator_sees_submitted_nominations_of_their_district_only(self, client, world):
        _submitted(world)
        client.force_login(world.coordinator_a)
        assert "Alpha Section" in client.get("/recognition/nominations/").content.decode()
        client.force_login(world.coordinator_b)
        assert "Alpha Section" not in client.get("/recognition/nominations/").content.decode()

    def test_staff_see_only_forwarded_nominations(self, client, world):
        nomination = _submitted(world)
        client.force_login(world.staff)
        assert "Alpha Section" not in client.get("/recognition/nominations/").content.decode()
        nomination_review(nomination=nomination, actor=world.coordinator_a, forward=True)
        assert "Alpha Section" in client.get("/recognition/nominations/").content.decode()

    def test_the_list_takes_the_same_queries_for_one_or_many_nominations(self, client, world, django_assert_num_queries):
        _submitted(world)
        client.force_login(world.coordinator_a)
        # Session and user, offices and coordinations, the district's nominations.
        with django_assert_num_queries(4):
            client.get("/recognition/nominations/")
        for _ in range(4):
            section = SectionFactory(district=world.a.district)
            officer = OfficerFactory(section=section).user
            nomination = nomination_start(section=section, award_year=YEAR, actor=officer)
            nomination_save(nomination=nomination, actor=officer, narrative="Ours")
            nomination_submit(nomination=nomination, actor=officer)
        with django_assert_num_queries(4):
            response = client.get("/recognition/nominations/")
        assert len(response.context["to_review"]) == 5

    def test_an_officers_list_takes_a_fixed_number_of_queries(self, client, world, django_assert_num_queries):
        nomination_start(section=world.a, award_year=YEAR - 1, actor=world.officer_a)
        client.force_login(world.officer_a)
        # Session and user, offices and coordinations, their nominations, the sections to start for.
        with django_assert_num_queries(5):
            client.get("/recognition/nominations/")


class TestPage:
    def test_outsiders_and_other_districts_get_404(self, client, world):
        nomination = _submitted(world)
        for user in (world.outsider, world.officer_b, world.coordinator_b):
            client.force_login(user)
            assert client.get(_url(nomination)).status_code == 404
            assert client.post(_url(nomination, "review"), {"decision": "forward"}).status_code == 404
        client.logout()
        assert client.get(_url(nomination)).status_code == 302

    def test_officers_write_and_submit_on_the_page(self, client, world):
        nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
        client.force_login(world.officer_a)
        response = client.post(_url(nomination), {"narrative": "We hosted four students."}, follow=True)
        assert "Narrative saved." in response.content.decode()
        response = client.post(_url(nomination, "submit"), follow=True)
        page = response.content.decode()
        assert "Nomination submitted to your district coordinators." in page
        assert "Submitted to the district" in page and "Twinning points statement" in page
        nomination.refresh_from_db()
        assert nomination.state == "submitted"

    def test_a_draft_shows_the_ledgers_statement_of_today_without_saving_it(self, client, world):
        partnership = endorsed(world)
        rule = PointRule.objects.get(event="activated")
        LedgerEntry.objects.create(
            section=world.a, points=rule.points, rule=rule, source_type=ContentType.objects.get_for_model(Partnership),
            source_id=partnership.pk, partnership=partnership, award_year=YEAR,
            occurred_on=datetime.date(YEAR, 1, 2), reason="Agreement activated",
        )
        nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
        client.force_login(world.officer_a)
        page = client.get(_url(nomination)).content.decode()
        assert f"Total: {rule.points} points" in page and "Alpha and Beta" in page
        nomination.refresh_from_db()
        assert nomination.statement == {}

    def test_an_empty_or_huge_narrative_is_a_field_error(self, client, world):
        nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
        client.force_login(world.officer_a)
        for text in ("   ", "x" * 20_001):
            response = client.post(_url(nomination), {"narrative": text})
            assert response.status_code == 200
            assert response.context["narrative_form"].errors["narrative"]
        nomination.refresh_from_db()
        assert nomination.narrative == ""

    def test_submitting_twice_says_why_it_is_refused(self, client, world):
        nomination = _submitted(world)
        client.force_login(world.officer_a)
        response = client.post(_url(nomination, "submit"), follow=True)
        assert "already been submitted" in response.content.decode()

    def test_the_coordinator_returns_with_a_comment_and_the_officers_read_it(self, client, world):
        nomination = _submitted(world)
        client.force_login(world.coordinator_a)
        response = client.post(_url(nomination, "review"), {"decision": "return", "comment": ""})
        assert response.status_code == 200 and response.context["review_form"].errors["comment"]
        response = client.post(_url(nomination, "review"), {"decision": "sideways"})
        assert response.status_code == 200 and response.context["review_form"].errors["decision"]
        client.post(_url(nomination, "review"), {"decision": "return", "comment": "Add the figures."})
        nomination.refresh_from_db()
        assert nomination.state == "returned"
        client.force_login(world.officer_a)
        page = client.get(_url(nomination)).content.decode()
        assert "Add the figures." in page and "Save the narrative" in page

    def test_wrong_roles_get_403(self, client, world):
        nomination = _submitted(world)
        client.force_login(world.officer_a)
        assert client.post(_url(nomination, "review"), {"decision": "forward"}).status_code == 403
        assert client.post(_url(nomination, "decide"), {"decision": "awarded"}).status_code == 403
        client.force_login(world.coordinator_a)
        assert client.post(_url(nomination, "submit")).status_code == 403
        assert client.post(_url(nomination), {"narrative": "Mine"}).status_code == 403
        nomination.refresh_from_db()
        assert nomination.state == "submitted"

    def test_staff_decide_on_the_page(self, client, world):
        nomination = _submitted(world)
        client.force_login(world.staff)
        response = client.post(_url(nomination, "decide"), {"decision": "awarded"}, follow=True)
        assert "Only a nomination forwarded by its district can be decided." in response.content.decode()
        nomination_review(nomination=nomination, actor=world.coordinator_a, forward=True)
        response = client.post(_url(nomination, "decide"), {"decision": "awarded", "comment": "Well done"}, follow=True)
        assert "Decision recorded" in response.content.decode()
        nomination.refresh_from_db()
        assert nomination.state == "awarded"
        assert OutgoingMail.objects.filter(to=world.officer_a.email, subject__contains="receives the performance award").exists()

    def test_the_page_takes_a_fixed_number_of_queries(self, client, world, django_assert_num_queries):
        nomination = _submitted(world)
        client.force_login(world.coordinator_a)
        # Session and user, offices and coordinations, the nomination with its section, its steps.
        with django_assert_num_queries(5):
            client.get(_url(nomination))
        nomination_review(nomination=nomination, actor=world.coordinator_a, forward=False, comment="More")
        nomination_save(nomination=nomination, actor=world.officer_a, narrative="More")
        nomination_submit(nomination=nomination, actor=world.officer_a)
        with django_assert_num_queries(5):
            client.get(_url(nomination))


    def test_a_drafts_page_takes_a_fixed_number_of_queries(self, client, world, django_assert_num_queries):
        partnership = endorsed(world)
        nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
        client.force_login(world.officer_a)
        # Session and user, offices and coordinations, the nomination with its section, the
        # ledger by rule and by partnership, its steps.
        with django_assert_num_queries(7):
            client.get(_url(nomination))
        rule = PointRule.objects.get(event="activated")
        for source_id in range(5):
            LedgerEntry.objects.create(
                section=world.a, points=rule.points, rule=rule, source_type=ContentType.objects.get_for_model(Partnership),
                source_id=source_id + 1, partnership=partnership, award_year=YEAR,
                occurred_on=datetime.date(YEAR, 1, 2), reason="Agreement activated",
            )
        with django_assert_num_queries(7):
            client.get(_url(nomination))


class TestAdmin:
    def test_society_admins_decide_in_the_admin(self, client, world):
        nomination = _submitted(world)
        nomination_review(nomination=nomination, actor=world.coordinator_a, forward=True)
        client.force_login(world.staff)
        assert client.get(f"/admin/recognition/nomination/{nomination.pk}/change/").status_code == 200
        response = client.post(
            "/admin/recognition/nomination/",
            {"action": "award", "_selected_action": [nomination.pk]},
            follow=True,
        )
        assert "1 nomination(s) decided" in response.content.decode()
        nomination.refresh_from_db()
        assert nomination.state == "awarded"
        assert nomination.steps.last().actor == world.staff

    def test_the_admin_refuses_a_nomination_not_forwarded(self, client, world):
        nomination = _submitted(world)
        client.force_login(world.staff)
        response = client.post(
            "/admin/recognition/nomination/",
            {"action": "do_not_award", "_selected_action": [nomination.pk]},
            follow=True,
        )
        assert "Only a nomination forwarded by its district can be decided." in response.content.decode()
        nomination.refresh_from_db()
        assert nomination.state == "submitted"
