"""The finder and its page: a draft takes no room from a candidate but still hides the section it is
drafted with; sections seeking a partner carry a badge (never a filter); the score reads
as text for screen readers, not through an aria-label on a paragraph."""

from __future__ import annotations

import re

import pytest

from partnerships.models import Status
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from partnerships import finder
from partnerships.finder import Criteria
from sections.forms import SectionProfileForm
from sections.models import Language, Section
from sections.tests.factories import OfficerFactory, SectionFactory

pytestmark = pytest.mark.django_db

FINDER = "/sections/home/partners/"


@pytest.fixture
def me() -> Section:
    section = SectionFactory(name="Home", slug="home", country="NL", time_zone="Europe/Amsterdam")
    section.working_languages.set(Language.objects.filter(code="en"))
    return section


def _candidate(name: str, **values) -> Section:
    values = {"country": "KE", "time_zone": "Africa/Nairobi", **values}
    section = SectionFactory(name=name, slug=name.lower().replace(" ", "-"), **values)
    # Someone in office: the finder leaves out a section nobody could answer for.
    OfficerFactory(section=section)
    return section


def _partnership(*sections: Section, status: str) -> None:
    partnership = PartnershipFactory(status=status, proposing_section=sections[0])
    for section in sections:
        ParticipantFactory(section=section, partnership=partnership)


def _ranked(section: Section) -> list[str]:
    return [match.candidate.name for match in finder.rank(section, Criteria())]


class TestDraftsAndCapacity:
    def test_drafts_do_not_count_against_a_candidates_capacity(self, me):
        busy = _candidate("Busy", max_concurrent_partnerships=1)
        elsewhere = _candidate("Elsewhere")
        _partnership(busy, elsewhere, status=Status.DRAFT)
        _partnership(busy, _candidate("Third", country="FR"), status=Status.DRAFT)

        ranked = {match.candidate.name: match for match in finder.rank(me, Criteria())}

        assert "Busy" in ranked
        assert ranked["Busy"].candidate.open_partnerships == 0
        assert ranked["Busy"].factors["load"] == 1.0

    @pytest.mark.parametrize("status", [Status.PROPOSED, Status.ACCEPTED, Status.ACTIVE, Status.SUSPENDED])
    def test_partnerships_from_proposed_onwards_still_fill_the_capacity(self, me, status):
        full = _candidate("Full", max_concurrent_partnerships=1)
        _partnership(full, _candidate("Elsewhere", country="FR"), status=status)

        assert "Full" not in _ranked(me)

    def test_a_draft_and_a_proposal_count_one_not_two(self, me):
        candidate = _candidate("Candidate", max_concurrent_partnerships=2)
        _partnership(candidate, _candidate("A", country="FR"), status=Status.DRAFT)
        _partnership(candidate, _candidate("B", country="FR"), status=Status.PROPOSED)

        match = next(m for m in finder.rank(me, Criteria()) if m.candidate.name == "Candidate")
        assert match.candidate.open_partnerships == 1
        assert match.factors["load"] == 0.5

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.PROPOSED, Status.ACTIVE])
    def test_a_section_with_any_open_partnership_with_this_one_drops_out(self, me, status):
        partner = _candidate("Partner", max_concurrent_partnerships=5)
        _candidate("Other")
        _partnership(me, partner, status=status)

        assert _ranked(me) == ["Other"]

    @pytest.mark.parametrize("status", [Status.DECLINED, Status.WITHDRAWN])
    def test_a_closed_partnership_with_this_one_does_not_hide_the_section(self, me, status):
        _partnership(me, _candidate("Partner"), status=status)

        assert _ranked(me) == ["Partner"]


class TestSeekingAPartner:
    def test_profiles_carry_the_flag_and_the_finder_does_not_filter_on_it(self, me):
        _candidate("Seeker", seeking_partner=True)
        _candidate("Quiet", seeking_partner=False)

        ranked = {match.candidate.name: match.candidate.seeking_partner for match in finder.rank(me, Criteria())}

        assert ranked == {"Seeker": True, "Quiet": False}

    def test_the_page_shows_a_badge_only_on_sections_seeking_a_partner(self, client, me):
        client.force_login(OfficerFactory(section=me).user)
        _candidate("Seeker", seeking_partner=True)
        _candidate("Quiet", seeking_partner=False)

        response = client.get(FINDER)

        assert response.status_code == 200
        page = response.content.decode()
        seeker = page[page.index('id="match-seeker"'):]
        seeker = seeker[: seeker.index("</article>")]
        quiet = page[page.index('id="match-quiet"'):]
        quiet = quiet[: quiet.index("</article>")]
        assert re.search(r'<span class="badge[^"]*">Seeking a partner</span>', seeker)
        assert "Seeking a partner" not in quiet

    def test_the_profile_form_says_where_the_flag_shows(self):
        help_text = str(SectionProfileForm().fields["seeking_partner"].help_text)

        assert "seeking a partner" in help_text
        assert "directory" in help_text
        assert "finder" in help_text


def test_the_score_is_read_out_from_visually_hidden_text_not_an_aria_label(client, me):
    client.force_login(OfficerFactory(section=me).user)
    _candidate("Peer")

    page = client.get(FINDER).content.decode()

    assert 'aria-label="Score"' not in page
    assert re.search(r'<span class="visually-hidden">Score: </span>\d+<span[^>]*>/100</span>', page)
