"""The partner finder's score: each factor moves it the documented way, the score stays in
0..100 and symmetric factors stay symmetric (hypothesis), and `rank` leaves out, marks and
filters candidates from the current profiles."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partnerships import finder
from partnerships import services as partnership_services
from partnerships.models import Status
from partnerships.tests.conftest import World, endorsed, make_ready, propose
from partnerships.tests.factories import ParticipantFactory, PartnershipFactory
from partnerships.finder import Criteria, Profile
from sections.models import FinderWeight, Language, Section, TwinningForm
from sections.tests.factories import (
    CoordinatorFactory,
    DistrictFactory,
    OfficerFactory,
    SectionFactory,
    TechnicalInterestFactory,
)
from twinning.tests.factories import UserFactory

GROWING, TECHNICAL = 4, 2  # form ids, as plain numbers: factors never look them up

START, END = datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)

SYMMETRIC = ["interests", "complementarity", "maturity", "language", "time_zone", "country", "readiness"]


def _profile(**values) -> Profile:
    defaults = dict(
        pk=1, name="Section", slug="section", kind="professional", district_id=1, country="NL", city="Delft",
        maturity="developing", utc_offset_hours=1.0, readiness=None, max_partnerships=2,
    )
    return Profile(**{**defaults, **values})


# What "me" looks for: the candidates below differ from a plain one in one way only.
ME = _profile(
    pk=1, interests={1, 2, 3}, languages={"en"}, needs_forms={GROWING}, needs_topics={5},
    offers_forms={TECHNICAL}, offers_topics={6}, maturity="formative", readiness=80,
)
PLAIN = _profile(pk=2, country="KE", languages={"fr"}, utc_offset_hours=3.0, maturity="formative")

# factor → (a candidate that scores lower on it, one that scores higher, growing a formative section?)
DIRECTIONS = {
    "more shared interests": ("interests", {"interests": {1}}, {"interests": {1, 2, 3}}, False),
    "offers what I need": ("complementarity", {}, {"offers_forms": {GROWING}, "offers_topics": {5}}, False),
    "needs what I offer": ("complementarity", {}, {"needs_forms": {TECHNICAL}, "needs_topics": {6}}, False),
    "growing pairs formative with established": (
        "maturity", {"maturity": "developing"}, {"maturity": "established"}, True
    ),
    "other forms favour the same maturity": (
        "maturity", {"maturity": "established"}, {"maturity": "formative"}, False
    ),
    "a common language": ("language", {"languages": {"fr"}}, {"languages": {"fr", "en"}}, False),
    "closer time zone": ("time_zone", {"utc_offset_hours": 11.0}, {"utc_offset_hours": 4.0}, False),
    "another country": ("country", {"country": "NL"}, {"country": "KE"}, False),
    "readier partner": ("readiness", {"readiness": None}, {"readiness": 90.0}, False),
    "fewer partnerships running": ("load", {"open_partnerships": 1}, {"open_partnerships": 0}, False),
}


@pytest.mark.parametrize(("factor", "worse", "better", "growing"), DIRECTIONS.values(), ids=DIRECTIONS.keys())
def test_each_factor_moves_the_score_in_the_documented_direction(factor, worse, better, growing):
    low = finder.factors(ME, dataclasses.replace(PLAIN, **worse), growing=growing)
    high = finder.factors(ME, dataclasses.replace(PLAIN, **better), growing=growing)

    assert high[factor] > low[factor]
    assert {name: value for name, value in high.items() if name != factor} == {
        name: value for name, value in low.items() if name != factor
    }
    assert finder.combine(high, finder.DEFAULT_WEIGHTS) > finder.combine(low, finder.DEFAULT_WEIGHTS)


def test_shared_interests_are_the_share_of_all_interests_both_hold():
    assert finder.factors(ME, dataclasses.replace(PLAIN, interests={1, 2, 3}), growing=False)["interests"] == 1
    assert finder.factors(ME, dataclasses.replace(PLAIN, interests={1, 4}), growing=False)["interests"] == 0.25
    assert finder.factors(ME, PLAIN, growing=False)["interests"] == 0
    assert finder.factors(_profile(), _profile(pk=2), growing=False)["interests"] == 0  # nothing to share


def test_complementarity_counts_both_directions_as_win_win():
    one_way = dataclasses.replace(PLAIN, offers_forms={GROWING}, offers_topics={5})
    both_ways = dataclasses.replace(one_way, needs_forms={TECHNICAL}, needs_topics={6})

    assert finder.complementarity(ME, one_way) == 0.5
    assert finder.complementarity(ME, both_ways) == 1


@pytest.mark.parametrize(
    ("mine", "theirs", "growing", "fit"),
    [
        ("formative", "established", True, 1),
        ("established", "formative", True, 1),
        ("formative", "developing", True, 0.5),
        ("formative", "formative", True, 0),
        ("established", "established", True, 0),
        ("developing", "developing", False, 1),
        ("developing", "established", False, 0.5),
        ("formative", "established", False, 0),
    ],
)
def test_maturity_fit(mine, theirs, growing, fit):
    assert finder.maturity_fit(_profile(maturity=mine), _profile(maturity=theirs), growing) == fit


@pytest.mark.parametrize(
    ("mine", "theirs", "fit"),
    [
        (1, 1, 1),
        (0, 6, 0.5),
        (0, 12, 0),
        (-5, 7, 0),
        (9, -3, 0),
        (-11, 12, 11 / 12),  # 23 hours apart one way, one hour the other
        (14, -11, 11 / 12),  # Kiritimati and Samoa's neighbours: a day apart, an hour on the clock
        (14, -10, 1),  # a whole day apart: the same clock time
        (5.5, 0, 1 - 5.5 / 12),
    ],
)
def test_time_zone_fit_is_one_at_the_same_offset_and_zero_at_twelve_hours(mine, theirs, fit):
    value = finder.time_zone_fit(_profile(utc_offset_hours=mine), _profile(utc_offset_hours=theirs))

    assert value == pytest.approx(fit)


def test_language_and_country_are_all_or_nothing():
    same = finder.factors(_profile(languages={"en", "es"}), _profile(pk=2, languages={"es"}), growing=False)
    none = finder.factors(_profile(languages={"en"}), _profile(pk=2, languages={"fr"}), growing=False)

    assert (same["language"], none["language"]) == (1, 0)
    assert same["country"] == 0  # both in NL
    assert finder.factors(_profile(), _profile(pk=2, country="BR"), growing=False)["country"] == 1


@pytest.mark.parametrize(
    ("mine", "theirs", "fit"), [(None, None, 0), (100, 100, 1), (100, None, 0.5), (50, 70, 0.6)]
)
def test_readiness_fit_needs_both_sides_ready(mine, theirs, fit):
    assert finder.readiness_fit(_profile(readiness=mine), _profile(readiness=theirs)) == pytest.approx(fit)


@pytest.mark.parametrize(
    ("open_count", "maximum", "fit"), [(0, 3, 1), (1, 3, 2 / 3), (2, 3, 1 / 3), (3, 3, 0), (5, 3, 0)]
)
def test_load_drops_as_the_candidate_nears_its_maximum(open_count, maximum, fit):
    candidate = _profile(open_partnerships=open_count, max_partnerships=maximum)

    assert finder.load_fit(candidate) == pytest.approx(fit)


def test_combine_is_the_weighted_mean_times_100():
    values = dict.fromkeys(finder.DEFAULT_WEIGHTS, 0.0) | {"interests": 1.0, "language": 0.5}

    assert finder.combine(values, finder.DEFAULT_WEIGHTS) == round(100 * (3 + 1) / 15, 1)
    assert finder.combine(values, dict.fromkeys(finder.DEFAULT_WEIGHTS, 0)) == 0
    assert finder.combine(values, dict.fromkeys(finder.DEFAULT_WEIGHTS, 0) | {"interests": 1}) == 100


# Properties ------------------------------------------------------------------------------------

_ids = st.sets(st.integers(1, 8), max_size=6)
_forms = st.sets(st.integers(1, 4), max_size=4)
profiles = st.builds(
    _profile,
    kind=st.sampled_from(Section.Kind.values),
    country=st.sampled_from(["NL", "KE", "DE", "BR"]),
    maturity=st.sampled_from(Section.Maturity.values),
    # Every offset in use, from -12:00 to +14:00 in quarter hours.
    utc_offset_hours=st.integers(-48, 56).map(lambda quarters: quarters / 4),
    readiness=st.none() | st.decimals(0, 100, places=1).map(float),
    max_partnerships=st.integers(1, 20),
    open_partnerships=st.integers(0, 25),
    interests=_ids,
    languages=st.sets(st.sampled_from(["en", "fr", "de", "sw", "pt"]), max_size=3),
    offers_forms=_forms,
    needs_forms=_forms,
    offers_topics=_ids,
    needs_topics=_ids,
)
weights = st.fixed_dictionaries({name: st.integers(0, 10) for name in finder.DEFAULT_WEIGHTS})


@given(me=profiles, other=profiles, growing=st.booleans(), weights=weights)
# The widest offsets in use are 26 hours apart; random draws rarely reach them.
@example(
    me=_profile(utc_offset_hours=14.0), other=_profile(utc_offset_hours=-11.0), growing=False,
    weights=dict.fromkeys(finder.DEFAULT_WEIGHTS, 0) | {"time_zone": 1},
)
def test_every_factor_is_between_0_and_1_and_the_score_between_0_and_100(me, other, growing, weights):
    values = finder.factors(me, other, growing=growing)

    assert set(values) == set(finder.DEFAULT_WEIGHTS)
    assert all(0 <= value <= 1 for value in values.values()), values
    assert 0 <= finder.combine(values, weights) <= 100
    assert 0 <= finder.combine(values, finder.DEFAULT_WEIGHTS) <= 100


@given(me=profiles, other=profiles, growing=st.booleans())
def test_symmetric_factors_do_not_depend_on_who_asks(me, other, growing):
    there = finder.factors(me, other, growing=growing)
    back = finder.factors(other, me, growing=growing)

    assert {name: there[name] for name in SYMMETRIC} == pytest.approx({name: back[name] for name in SYMMETRIC})


@given(me=profiles, other=profiles, growing=st.booleans(), extra=st.integers(1, 8))
def test_one_more_shared_interest_never_lowers_the_interests_factor(me, other, growing, extra):
    before = finder.factors(me, other, growing=growing)["interests"]
    after = finder.factors(
        dataclasses.replace(me, interests=me.interests | {extra}),
        dataclasses.replace(other, interests=other.interests | {extra}),
        growing=growing,
    )["interests"]

    assert after >= before


# Ranking from the database ---------------------------------------------------------------------


def _form(code: str) -> TwinningForm:
    return TwinningForm.objects.get(code=code)


@pytest.fixture
def me(db) -> Section:
    section = SectionFactory(name="Home", slug="home", country="NL", time_zone="Europe/Amsterdam")
    section.working_languages.set(Language.objects.filter(code="en"))
    return section


@pytest.fixture
def officer(me):
    return OfficerFactory(section=me).user


def _candidate(name: str, **values) -> Section:
    values = {"country": "KE", "time_zone": "Africa/Nairobi", **values}
    section = SectionFactory(name=name, slug=name.lower().replace(" ", "-"), **values)
    # Someone in office: the finder leaves out a section nobody could answer for.
    OfficerFactory(section=section)
    return section


def _ranked(section: Section, criteria: Criteria | None = None, **kwargs) -> list[str]:
    return [match.candidate.name for match in finder.rank(section, criteria or Criteria(), **kwargs)]


def _match(section: Section, name: str, criteria: Criteria | None = None) -> finder.Match:
    return next(m for m in finder.rank(section, criteria or Criteria()) if m.candidate.name == name)


def _open_partnerships(section: Section, count: int, status: str = Status.ACTIVE) -> None:
    for _ in range(count):
        ParticipantFactory(section=section, partnership=PartnershipFactory(status=status))


@pytest.mark.django_db
class TestRank:
    def test_a_candidate_at_its_maximum_of_open_partnerships_never_appears(self, me):
        full = _candidate("Full", max_concurrent_partnerships=1)
        officer = OfficerFactory(section=full).user
        partnership_services.partnership_propose(
            actor=officer, proposing_section=full, partner_sections=[OfficerFactory(section__country="FR").section],
            title="Busy", purpose="Already twinning.", forms=[_form("technical-exchange")],
            start_date=START, planned_end_date=END, gives={}, gains={},
        )
        near = _candidate("Near", max_concurrent_partnerships=2)
        _open_partnerships(near, 1)
        free = _candidate("Free", max_concurrent_partnerships=2)
        _open_partnerships(free, 3, status=Status.COMPLETED)  # closed partnerships do not count

        assert "Full" not in _ranked(me, Criteria(same_country=True))
        assert _match(me, "Near").factors["load"] == 0.5
        assert _match(me, "Free").factors["load"] == 1

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        maximum=st.integers(1, 4),
        open_statuses=st.lists(st.sampled_from(finder.OPEN_STATUSES), max_size=5),
        closed=st.integers(0, 2),
    )
    def test_only_candidates_with_room_appear(self, me, maximum, open_statuses, closed):
        with transaction.atomic():
            candidate = _candidate("Candidate", max_concurrent_partnerships=maximum)
            for status in open_statuses:
                _open_partnerships(candidate, 1, status=status)
            _open_partnerships(candidate, closed, status=Status.DECLINED)

            assert ("Candidate" in _ranked(me)) == (len(open_statuses) < maximum)
            transaction.set_rollback(True)

    @pytest.mark.parametrize("submit", [True, False], ids=["proposed", "draft"])
    def test_a_section_in_an_open_partnership_with_this_one_never_appears(self, me, officer, submit):
        partner = _candidate("Partner", max_concurrent_partnerships=5)
        _candidate("Other")
        partnership_services.partnership_propose(
            actor=officer, proposing_section=me, partner_sections=[partner], title="Us", purpose="Grow.",
            forms=[_form("technical-exchange")], start_date=START, planned_end_date=END,
            gives={}, gains={}, submit=submit,
        )

        assert _ranked(me) == ["Other"]

    def test_a_declined_proposal_brings_the_section_back(self, me, officer):
        partner = _candidate("Partner")
        partner_officer = OfficerFactory(section=partner).user
        partnership = partnership_services.partnership_propose(
            actor=officer, proposing_section=me, partner_sections=[partner], title="Us", purpose="Grow.",
            forms=[_form("technical-exchange")], start_date=START, planned_end_date=END,
            gives={}, gains={},
        )
        assert _ranked(me) == []

        partnership_services.partnership_decline(partnership=partnership, section=partner, actor=partner_officer)

        assert _ranked(me) == ["Partner"]

    def test_a_past_completed_partner_is_marked(self, me, officer, without_closing_gates):
        partner = _candidate("Partner", district=DistrictFactory(code="far"))
        world = World(
            a=me, b=partner, officer_a=officer, officer_b=OfficerFactory(section=partner).user,
            coordinator_a=CoordinatorFactory(district=me.district).user,
            coordinator_b=CoordinatorFactory(district=partner.district).user,
            outsider=UserFactory(), staff=UserFactory(society_admin=True),
        )
        partnership = make_ready(world, endorsed(world))
        partnership_services.partnership_activate(partnership=partnership, actor=officer)
        partnership_services.partnership_complete(partnership=partnership, actor=officer, reason="Done")
        _candidate("Stranger")

        marks = {m.candidate.name: m.past_partner for m in finder.rank(me, Criteria())}

        assert marks == {"Partner": True, "Stranger": False}

    def test_an_open_partnership_outranks_the_past_mark(self, me, officer, without_closing_gates):
        partner = _candidate("Partner", district=DistrictFactory(code="far"), max_concurrent_partnerships=5)
        world = World(
            a=me, b=partner, officer_a=officer, officer_b=OfficerFactory(section=partner).user,
            coordinator_a=CoordinatorFactory(district=me.district).user,
            coordinator_b=CoordinatorFactory(district=partner.district).user,
            outsider=UserFactory(), staff=UserFactory(society_admin=True),
        )
        first = make_ready(world, endorsed(world))
        partnership_services.partnership_activate(partnership=first, actor=officer)
        partnership_services.partnership_complete(partnership=first, actor=officer)
        propose(world, title="Second round")

        assert _ranked(me) == []

    def test_dismissed_are_hidden_and_shortlisted_flagged(self, me):
        dismissed = _candidate("Dismissed")
        kept = _candidate("Kept")
        _candidate("Plain")

        matches = finder.rank(me, Criteria(), hidden={dismissed.pk}, shortlisted={kept.pk})

        assert {m.candidate.name: m.shortlisted for m in matches} == {"Kept": True, "Plain": False}

    def test_own_country_is_left_out_unless_asked_for(self, me):
        _candidate("Abroad")
        _candidate("At home", country="NL", time_zone="Europe/Amsterdam")

        assert _ranked(me) == ["Abroad"]
        assert sorted(_ranked(me, Criteria(same_country=True))) == ["Abroad", "At home"]
        assert _ranked(me, Criteria(country="NL")) == ["At home"]
        assert _match(me, "At home", Criteria(same_country=True)).factors["country"] == 0
        assert "Home" not in _ranked(me, Criteria(same_country=True))

    def test_filters_narrow_the_results(self, me):
        grow = _form("growing-section")
        mentor = _candidate("Mentor", maturity="established", district=DistrictFactory(code="east"))
        mentor.offers_forms.add(grow)
        learner = _candidate("Learner", kind="student", country="BR", time_zone="America/Sao_Paulo")
        learner.needs_forms.add(grow)
        _candidate("Neither", country="DE", time_zone="Europe/Berlin")

        assert sorted(_ranked(me)) == ["Learner", "Mentor", "Neither"]
        assert sorted(_ranked(me, Criteria(form=grow))) == ["Learner", "Mentor"]
        assert _ranked(me, Criteria(kind="student")) == ["Learner"]
        assert _ranked(me, Criteria(district_id=mentor.district_id)) == ["Mentor"]
        assert _ranked(me, Criteria(country="DE")) == ["Neither"]
        assert _ranked(me, Criteria(form=grow, kind="student")) == ["Learner"]

    def test_minimum_score_drops_the_weaker_candidates(self, me):
        shared = [TechnicalInterestFactory() for _ in range(3)]
        me.interests.set(shared)
        strong = _candidate("Strong", interests=shared)
        strong.working_languages.set(Language.objects.filter(code="en"))
        _candidate("Weak")
        strong_score = _match(me, "Strong").score
        weak_score = _match(me, "Weak").score
        assert strong_score > weak_score

        assert _ranked(me, Criteria(min_score=weak_score + 1)) == ["Strong"]
        assert _ranked(me, Criteria(min_score=strong_score)) == ["Strong"]
        assert _ranked(me, Criteria(min_score=strong_score + 1)) == []

    def test_the_best_fit_comes_first_for_growing_a_formative_section(self, me):
        grow = _form("growing-section")
        me.maturity = Section.Maturity.FORMATIVE
        me.save(update_fields=["maturity"])
        me.needs_forms.add(grow)
        for name, maturity in [("Developing one", "developing"), ("Established one", "established"),
                               ("Formative one", "formative")]:
            _candidate(name, maturity=maturity).offers_forms.add(grow)

        ranked = finder.rank(me, Criteria(form=grow))

        assert [m.candidate.name for m in ranked] == ["Established one", "Developing one", "Formative one"]
        assert [m.factors["maturity"] for m in ranked] == [1, 0.5, 0]

    def test_a_profile_change_changes_the_score_on_the_next_call(self, me, officer):
        candidate = _candidate("Candidate")
        before = _match(me, "Candidate").score

        interest = TechnicalInterestFactory()
        me.interests.add(interest)
        candidate.interests.add(interest)
        after_interest = _match(me, "Candidate").score
        assert after_interest > before

        candidate.working_languages.set(Language.objects.filter(code="en"))
        after_language = _match(me, "Candidate").score
        assert after_language > after_interest

        # What evaluation publishes on the section when its self-assessment scores 100.
        Section.objects.filter(pk=me.pk).update(readiness_verdict="ready", readiness_score=100)
        after_readiness = _match(me, "Candidate")
        assert after_readiness.score > after_language
        assert after_readiness.factors["readiness"] == 0.5

        Section.objects.filter(pk=candidate.pk).update(time_zone="Pacific/Honolulu")
        assert _match(me, "Candidate").score < after_readiness.score

    def test_weights_edited_in_the_admin_change_the_ranking(self, me):
        shared = TechnicalInterestFactory()
        me.interests.add(shared)
        _candidate("Same interests", interests=[shared])
        _candidate("Same language").working_languages.set(Language.objects.filter(code="en"))
        assert _ranked(me) == ["Same interests", "Same language"]

        FinderWeight.objects.filter(factor="interests").update(weight=1)
        FinderWeight.objects.filter(factor="language").update(weight=10)

        assert _ranked(me) == ["Same language", "Same interests"]

    def test_weights_edited_through_the_admin_page_apply(self, client, me):
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        shared = TechnicalInterestFactory()
        me.interests.add(shared)
        _candidate("Same interests", interests=[shared])
        _candidate("Same language").working_languages.set(Language.objects.filter(code="en"))
        rows = list(FinderWeight.objects.order_by("factor"))
        data = {
            "form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "_save": "Save",
        }
        for index, row in enumerate(rows):
            weight = {"interests": 0, "language": 10}.get(row.factor, row.weight)
            data.update({f"form-{index}-id": row.pk, f"form-{index}-weight": weight})

        response = client.post("/admin/sections/finderweight/", data)

        assert response.status_code == 302
        assert finder.current_weights()["language"] == 10
        assert _ranked(me) == ["Same language", "Same interests"]
