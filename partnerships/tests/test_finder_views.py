"""The partner finder and readiness pages: what an officer sees and does, what a coordinator
may only read, what everybody else gets (404), and a query count that does not grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnerships.models import Status
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from sections.models import FinderDecision, Language, Section, TwinningForm
from sections.tests.factories import (
    CoordinatorFactory,
    DistrictFactory,
    OfficerFactory,
    SectionFactory,
    TechnicalInterestFactory,
)
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FINDER = "/sections/home/partners/"


@pytest.fixture
def home() -> Section:
    section = SectionFactory(name="Home", slug="home", country="NL", maturity="formative", kind="student")
    section.working_languages.set(Language.objects.filter(code="en"))
    section.needs_forms.add(TwinningForm.objects.get(code="growing-section"))
    return section


@pytest.fixture
def officer(client, home):
    user = OfficerFactory(section=home).user
    client.force_login(user)
    return user


def _candidate(name: str, **values) -> Section:
    values = {"country": "KE", "time_zone": "Africa/Nairobi", **values}
    section = SectionFactory(name=name, slug=name.lower().replace(" ", "-"), **values)
    # Someone in office: the finder leaves out a section nobody could answer for.
    OfficerFactory(section=section)
    return section


def _suggested(response) -> list[str]:
    return [match.candidate.name for match in response.context["matches"]]


def _decide(client, candidate: Section, action: str, **extra):
    return client.post(f"{FINDER}{candidate.slug}/", {"action": action, **extra})


class TestFinderPage:
    def test_officer_sees_ranked_candidates_with_the_reasons(self, client, officer, home):
        grow = TwinningForm.objects.get(code="growing-section")
        mentor = _candidate("Mentor", maturity="established")
        mentor.offers_forms.add(grow)
        mentor.working_languages.set(Language.objects.filter(code="en"))
        _candidate("Peer", maturity="formative").offers_forms.add(grow)

        response = client.get(f"{FINDER}?form=growing-section")

        assert response.status_code == 200
        assert _suggested(response) == ["Mentor", "Peer"]
        page = response.content.decode()
        for reason in ["Shared technical interests", "Offers and needs complement each other", "Maturity fit",
                       "Common working language", "Time-zone distance", "Different country",
                       "Both sides&#x27; readiness", "Room for another partnership"]:
            assert reason in page
        assert "Score of Mentor by factor" in page
        assert "/partnerships/propose/home/?partner=mentor&amp;form=growing-section" in page
        assert 'href="/sections/mentor/"' in page
        assert page.index('id="match-mentor"') < page.index('id="match-peer"')

    def test_without_a_chosen_form_the_proposal_link_names_only_the_partner(self, client, officer):
        _candidate("Mentor")

        page = client.get(FINDER).content.decode()

        assert 'href="/partnerships/propose/home/?partner=mentor"' in page

    def test_the_proposal_link_opens_the_proposal_with_partner_and_form_chosen(self, client, officer):
        mentor = _candidate("Mentor")

        form = client.get("/partnerships/propose/home/?partner=mentor&form=growing-section").context["form"]

        assert form.initial["partner"] == mentor
        assert [f.code for f in form.initial["twinning_forms"]] == ["growing-section"]

    def test_unknown_filter_values_are_named_and_the_rest_still_applies(self, client, officer):
        _candidate("In Kenya")
        _candidate("In Germany", country="DE", time_zone="Europe/Berlin")

        response = client.get(f"{FINDER}?form=nonsense&min_score=abc&kind=alien&country=KE")

        assert response.status_code == 200
        page = response.content.decode()
        assert "Some filters were not understood and were left out" in page
        message = next(str(m) for m in response.context["messages"])
        for label in ["Form of twinning wanted", "Kind", "Lowest score"]:
            assert label in message
        assert "Country" not in message
        assert _suggested(response) == ["In Kenya"]

    def test_known_filters_give_no_warning(self, client, officer):
        DistrictFactory(code="east")

        response = client.get(f"{FINDER}?form=growing-section&kind=student&district=east&min_score=10&same_country=on")

        assert response.status_code == 200
        assert list(response.context["messages"]) == []

    def test_empty_result_explains_what_to_try(self, client, officer):
        _candidate("Elsewhere")

        page = client.get(f"{FINDER}?min_score=100").content.decode()

        assert "No section fits these filters." in page


class TestDecisions:
    def test_dismissed_is_hidden_and_listed_until_restored(self, client, officer, home):
        gone = _candidate("Gone")
        _candidate("Stays")

        response = _decide(client, gone, "dismissed")

        assert response.status_code == 302
        assert response["Location"] == FINDER
        decision = FinderDecision.objects.get()
        assert (decision.section, decision.candidate, decision.kind, decision.decided_by) == (
            home, gone, "dismissed", officer,
        )
        response = client.get(FINDER)
        assert _suggested(response) == ["Stays"]
        page = response.content.decode()
        hidden = page[page.index("Hidden suggestions"):page.index('id="h-suggestions"')]
        assert "Gone" in hidden
        assert f'action="{FINDER}gone/"' in hidden

        _decide(client, gone, "restore")

        response = client.get(FINDER)
        assert sorted(_suggested(response)) == ["Gone", "Stays"]
        assert "Hidden suggestions" not in response.content.decode()
        assert not FinderDecision.objects.exists()

    def test_shortlisted_is_flagged_and_listed(self, client, officer):
        kept = _candidate("Kept")
        _candidate("Other")

        _decide(client, kept, "shortlisted")

        response = client.get(FINDER)
        page = response.content.decode()
        assert {m.candidate.name: m.shortlisted for m in response.context["matches"]} == {"Kept": True, "Other": False}
        shortlist = page[page.index("Your shortlist"):page.index('id="h-suggestions"')]
        assert 'href="#match-kept"' in shortlist
        assert "Other" not in shortlist
        card = page[page.index('id="match-kept"'):page.index("</li>", page.index('id="match-kept"'))]
        assert "Shortlisted" in card
        assert 'value="shortlisted"' not in card  # already on the list

    def test_dismissing_a_shortlisted_candidate_replaces_the_decision(self, client, officer):
        kept = _candidate("Kept")
        _decide(client, kept, "shortlisted")

        _decide(client, kept, "dismissed")

        assert list(FinderDecision.objects.values_list("kind", flat=True)) == ["dismissed"]

    def test_an_unknown_action_is_a_bad_request(self, client, officer):
        candidate = _candidate("Candidate")

        response = _decide(client, candidate, "adopt")

        assert response.status_code == 400
        assert not FinderDecision.objects.exists()

    def test_next_on_this_site_is_followed(self, client, officer):
        candidate = _candidate("Candidate")

        response = _decide(client, candidate, "shortlisted", next=f"{FINDER}?kind=student")

        assert response["Location"] == f"{FINDER}?kind=student"

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/partners/", "http://evil.example"])
    def test_next_to_another_host_is_ignored(self, client, officer, target):
        candidate = _candidate("Candidate")

        response = _decide(client, candidate, "dismissed", next=target)

        assert response.status_code == 302
        assert response["Location"] == FINDER

    def test_a_section_cannot_decide_on_itself(self, client, officer, home):
        response = client.post(f"{FINDER}home/", {"action": "dismissed"})

        assert response.status_code == 404
        assert not FinderDecision.objects.exists()

    def test_an_unknown_candidate_is_not_found(self, client, officer):
        assert client.post(f"{FINDER}no-such-section/", {"action": "dismissed"}).status_code == 404

    def test_decisions_only_by_post(self, client, officer):
        candidate = _candidate("Candidate")

        assert client.get(f"{FINDER}{candidate.slug}/?action=dismissed").status_code == 405
        assert not FinderDecision.objects.exists()


class TestWhoSeesWhat:
    def test_a_coordinator_reads_without_buttons_and_cannot_decide(self, client, home):
        candidate = _candidate("Candidate")
        FinderDecision.objects.create(section=home, candidate=_candidate("Dismissed"), kind="dismissed")
        client.force_login(CoordinatorFactory(district=home.district).user)

        response = client.get(FINDER)

        assert response.status_code == 200
        assert _suggested(response) == ["Candidate"]
        page = response.content.decode()
        assert "Propose a partnership" not in page
        assert 'name="action"' not in page
        assert "Hidden suggestions" in page and "Dismissed" in page
        for action in ["dismissed", "shortlisted", "restore"]:
            assert _decide(client, candidate, action).status_code == 404
        assert list(FinderDecision.objects.values_list("candidate__name", flat=True)) == ["Dismissed"]

    def test_society_admins_read_without_buttons(self, client, home):
        _candidate("Candidate")
        client.force_login(UserFactory(society_admin=True))

        page = client.get(FINDER).content.decode()

        assert "Propose a partnership" not in page
        assert 'name="action"' not in page

    @pytest.mark.parametrize("who", ["other_officer", "other_coordinator", "member", "former_officer"])
    def test_others_get_404_for_page_and_post(self, client, home, who):
        candidate = _candidate("Candidate")
        user = {
            "other_officer": lambda: OfficerFactory(section=candidate).user,
            "other_coordinator": lambda: CoordinatorFactory().user,
            "member": UserFactory,
            "former_officer": lambda: OfficerFactory(
                section=home, start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
            ).user,
        }[who]()
        client.force_login(user)

        assert client.get(FINDER).status_code == 404
        assert _decide(client, candidate, "dismissed").status_code == 404
        assert client.get("/sections/home/readiness/").status_code == 404
        assert not FinderDecision.objects.exists()

    def test_the_profile_links_to_readiness_and_finder_only_for_those_who_may_see_them(self, client, home, officer):
        page = client.get("/sections/home/").content.decode()
        assert 'href="/sections/home/readiness/"' in page
        assert 'href="/sections/home/partners/"' in page

        client.force_login(UserFactory())
        page = client.get("/sections/home/").content.decode()
        assert 'href="/sections/home/readiness/"' not in page
        assert 'href="/sections/home/partners/"' not in page


# Query counts ----------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    return _queries_and_context(client, url)[0]


def _queries_and_context(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.context


def _add_candidates(count: int, home: Section, *, start: int = 0) -> None:
    interests = [TechnicalInterestFactory() for _ in range(3)]
    grow = TwinningForm.objects.get(code="growing-section")
    technical = TwinningForm.objects.get(code="technical-exchange")
    english = Language.objects.get(code="en")
    district = DistrictFactory()
    for index in range(count):
        candidate = _candidate(f"Candidate {start + index}", interests=interests, district=district,
                               maturity="established" if index % 2 else "developing")
        candidate.offers_forms.add(grow)
        candidate.needs_forms.add(technical)
        candidate.offers_topics.add(interests[0])
        candidate.working_languages.add(english)
        OfficerFactory(section=candidate)
        if index % 5 == 0:
            # Some run partnerships of their own; one is in an open partnership with home.
            partnership = PartnershipFactory(status=Status.ACTIVE)
            ParticipantFactory(partnership=partnership, section=candidate)
            if index == 0:
                ParticipantFactory(partnership=partnership, section=home)


@pytest.mark.parametrize("query", ["", "?form=growing-section&min_score=10", "?kind=alien"])
def test_finder_queries_do_not_grow_with_candidates(client, officer, home, query):
    _add_candidates(5, home)
    FinderDecision.objects.create(section=home, candidate=Section.objects.get(name="Candidate 2"), kind="dismissed")
    FinderDecision.objects.create(section=home, candidate=Section.objects.get(name="Candidate 3"), kind="shortlisted")
    few, before = _queries_and_context(client, FINDER + query)

    _add_candidates(40, home, start=5)
    for name in ["Candidate 20", "Candidate 30"]:
        FinderDecision.objects.create(section=home, candidate=Section.objects.get(name=name), kind="shortlisted")

    many, after = _queries_and_context(client, FINDER + query)
    assert many == few
    assert (before["total"], after["total"]) == (3, 42)  # open partners and the dismissed one left out
    assert len(after["shortlist"]) == 3
