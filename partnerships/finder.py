"""The partner finder: rank other sections for one section, explained factor by factor.

The score is computed on every view from the current profiles (never stored), in one
pass over data loaded with a fixed number of queries, so it ranks thousands of
candidates quickly. Each factor gives a value from 0 to 1; the score is the weighted
mean of the factors, times 100. Default weights are below; admins change them in the
admin (Finder weights) and the change applies on the next view.

| factor          | 1 means                                                   | default weight |
|-----------------|-----------------------------------------------------------|----------------|
| interests       | the two share all their technical interests (Jaccard)     | 3 |
| complementarity | each side offers what the other needs (forms and topics), | 4 |
|                 | both directions averaged: twinning must be win-win        |   |
| maturity        | growing a formative section: formative with established;  | 2 |
|                 | other forms: the same maturity                            |   |
| language        | a common working language                                 | 2 |
| time_zone       | the same UTC offset now (0 at 12 hours apart or more)     | 1 |
| country         | different countries (the usual case)                      | 1 |
| readiness       | both sides' latest readiness score is 100 (none counts 0) | 1 |
| load            | the candidate runs no partnership yet (0 near its maximum) | 1 |

Candidates at their maximum of open partnerships, those already in an open partnership
with this section (a draft included), and those with no officer in office (nobody could
answer a proposal) are left out. A candidate's load counts
its partnerships from "proposed" onwards: a draft, not yet sent to anyone, takes no room.
Past completed partners are marked, and so are sections seeking a partner (never filtered
on: a section that has not said so may still be a good fit).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sections.models import FinderWeight, Officer, Section, TwinningForm

from .models import Participant
from .models.partnership import COMMITTED_STATUSES
from .models.partnership import OPEN_STATUSES as PARTNERSHIP_OPEN_STATUSES

DEFAULT_WEIGHTS: dict[str, int] = {
    "interests": 3,
    "complementarity": 4,
    "maturity": 2,
    "language": 2,
    "time_zone": 1,
    "country": 1,
    "readiness": 1,
    "load": 1,
}

FACTOR_LABELS = {
    "interests": _("Shared technical interests"),
    "complementarity": _("Offers and needs complement each other"),
    "maturity": _("Maturity fit"),
    "language": _("Common working language"),
    "time_zone": _("Time-zone distance"),
    "country": _("Different country"),
    "readiness": _("Both sides' readiness"),
    "load": _("Room for another partnership"),
}

MATURITY_RANK = {Section.Maturity.FORMATIVE: 0, Section.Maturity.DEVELOPING: 1, Section.Maturity.ESTABLISHED: 2}
# The partnerships that count against a candidate's capacity (load), and those that
# leave a section out because it already has one with this section (a draft included).
OPEN_STATUSES = COMMITTED_STATUSES
PARTNER_STATUSES = PARTNERSHIP_OPEN_STATUSES


@dataclass
class Profile:
    """What the finder knows of one section: plain values and sets, no queries."""

    pk: int
    name: str
    slug: str
    kind: str
    district_id: int
    country: str
    city: str
    maturity: str
    utc_offset_hours: float
    readiness: float | None
    max_partnerships: int
    open_partnerships: int = 0
    seeking_partner: bool = False
    interests: set[int] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    offers_forms: set[int] = field(default_factory=set)
    needs_forms: set[int] = field(default_factory=set)
    offers_topics: set[int] = field(default_factory=set)
    needs_topics: set[int] = field(default_factory=set)

    @property
    def maturity_label(self) -> str:
        return Section.Maturity(self.maturity).label

    @property
    def country_name(self) -> str:
        return countries.name(self.country)


@dataclass
class Match:
    candidate: Profile
    score: float
    factors: dict[str, float]
    past_partner: bool = False
    shortlisted: bool = False

    def explained(self) -> list[tuple[str, float]]:
        return [(str(FACTOR_LABELS[name]), round(value * 100)) for name, value in self.factors.items()]


def _jaccard(a: set, b: set) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _covered(needs: set, offers: set) -> float:
    return len(needs & offers) / len(needs) if needs else 0.0


def complementarity(me: Profile, other: Profile) -> float:
    """How well each side's offers meet the other's needs, forms and topics, both directions."""
    mine = (_covered(me.needs_forms, other.offers_forms) + _covered(me.needs_topics, other.offers_topics)) / 2
    theirs = (_covered(other.needs_forms, me.offers_forms) + _covered(other.needs_topics, me.offers_topics)) / 2
    return (mine + theirs) / 2


def maturity_fit(me: Profile, other: Profile, growing: bool) -> float:
    a, b = MATURITY_RANK[me.maturity], MATURITY_RANK[other.maturity]
    if growing:
        # A mature section grows a formative one: the wider the gap, the better.
        return abs(a - b) / 2
    return 1 - abs(a - b) / 2


def time_zone_fit(me: Profile, other: Profile) -> float:
    # Offsets run from -12 to +14, so two can be over 24 hours apart (+14 and -11 are one hour
    # apart on the clock, a day apart on the calendar): measure round the clock.
    distance = abs(me.utc_offset_hours - other.utc_offset_hours) % 24
    distance = min(distance, 24 - distance)
    return max(0.0, 1 - distance / 12)


def readiness_fit(me: Profile, other: Profile) -> float:
    return ((me.readiness or 0) + (other.readiness or 0)) / 200


def load_fit(other: Profile) -> float:
    return max(0.0, 1 - other.open_partnerships / other.max_partnerships)


def factors(me: Profile, other: Profile, *, growing: bool) -> dict[str, float]:
    return {
        "interests": _jaccard(me.interests, other.interests),
        "complementarity": complementarity(me, other),
        "maturity": maturity_fit(me, other, growing),
        "language": 1.0 if me.languages & other.languages else 0.0,
        "time_zone": time_zone_fit(me, other),
        "country": 1.0 if me.country != other.country else 0.0,
        "readiness": readiness_fit(me, other),
        "load": load_fit(other),
    }


def combine(values: dict[str, float], weights: dict[str, int]) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    return round(100 * sum(values[name] * weights.get(name, 0) for name in values) / total, 1)


def current_weights() -> dict[str, int]:
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(dict(FinderWeight.objects.values_list("factor", "weight")))
    return weights


def _offsets(zones: set[str], at: datetime.datetime) -> dict[str, float]:
    return {zone: at.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600 for zone in zones}


def load_profiles(queryset) -> dict[int, Profile]:
    """Profiles of every section in `queryset`, in a fixed number of queries."""
    rows = list(
        queryset.annotate(
            open_count=Count(
                "participations", filter=Q(participations__partnership__status__in=OPEN_STATUSES), distinct=True
            )
        ).values(
            "pk", "name", "slug", "kind", "district_id", "country", "city", "maturity", "time_zone",
            "readiness_score", "max_concurrent_partnerships", "open_count", "seeking_partner",
        )
    )
    offsets = _offsets({str(row["time_zone"]) for row in rows}, timezone.now())
    profiles = {
        row["pk"]: Profile(
            pk=row["pk"], name=row["name"], slug=row["slug"], kind=row["kind"], district_id=row["district_id"],
            country=row["country"], city=row["city"], maturity=row["maturity"],
            utc_offset_hours=offsets[str(row["time_zone"])],
            readiness=float(row["readiness_score"]) if row["readiness_score"] is not None else None,
            max_partnerships=row["max_concurrent_partnerships"], open_partnerships=row["open_count"],
            seeking_partner=row["seeking_partner"],
        )
        for row in rows
    }
    ids = list(profiles)
    relations = [
        ("interests", Section.interests.through, "technicalinterest_id"),
        ("languages", Section.working_languages.through, "language_id"),
        ("offers_forms", Section.offers_forms.through, "twinningform_id"),
        ("needs_forms", Section.needs_forms.through, "twinningform_id"),
        ("offers_topics", Section.offers_topics.through, "technicalinterest_id"),
        ("needs_topics", Section.needs_topics.through, "technicalinterest_id"),
    ]
    for attribute, through, target in relations:
        pairs = through.objects.filter(section_id__in=ids) if len(ids) < 900 else through.objects.all()
        for section_id, value in pairs.values_list("section_id", target):
            if section_id in profiles:
                getattr(profiles[section_id], attribute).add(value)
    return profiles


@dataclass
class Criteria:
    form: TwinningForm | None = None
    kind: str = ""
    district_id: int | None = None
    country: str = ""
    min_score: float = 0
    same_country: bool = False


def rank(section: Section, criteria: Criteria, *, weights: dict[str, int] | None = None,
         hidden: set[int] = frozenset(), shortlisted: set[int] = frozenset()) -> list[Match]:
    """Every eligible candidate for `section`, best first."""
    weights = weights or current_weights()
    candidates = Section.objects.exclude(pk=section.pk).filter(
        Exists(Officer.objects.open_now().filter(section=OuterRef("pk")))
    )
    if criteria.kind:
        candidates = candidates.filter(kind=criteria.kind)
    if criteria.district_id:
        candidates = candidates.filter(district_id=criteria.district_id)
    if criteria.country:
        candidates = candidates.filter(country=criteria.country)
    elif not criteria.same_country:
        candidates = candidates.exclude(country=section.country)
    profiles = load_profiles(candidates | Section.objects.filter(pk=section.pk))
    me = profiles.pop(section.pk)
    my_partnerships = Participant.objects.filter(section=section).values("partnership_id")
    partners = Participant.objects.filter(partnership_id__in=my_partnerships).exclude(section=section)
    open_partners = set(partners.filter(partnership__status__in=PARTNER_STATUSES).values_list("section_id", flat=True))
    past_partners = set(partners.filter(partnership__status="completed").values_list("section_id", flat=True))
    growing = criteria.form is not None and criteria.form.code == TwinningForm.Code.GROWING_SECTION
    wanted_form = criteria.form.pk if criteria.form else None

    matches = []
    for candidate in profiles.values():
        if candidate.pk in hidden or candidate.pk in open_partners:
            continue
        if candidate.open_partnerships >= candidate.max_partnerships:
            continue
        if wanted_form and wanted_form not in (candidate.offers_forms | candidate.needs_forms):
            continue
        values = factors(me, candidate, growing=growing)
        score = combine(values, weights)
        if score < criteria.min_score:
            continue
        matches.append(
            Match(candidate=candidate, score=score, factors=values, past_partner=candidate.pk in past_partners,
                  shortlisted=candidate.pk in shortlisted)
        )
    matches.sort(key=lambda match: (-match.score, match.candidate.name))
    return matches
