"""The partner finder: rank other sections for one section, explained factor by factor.

The score is computed on every view from the current profiles (never stored), in one
pass over data loaded with a fixed number of queries, so it ranks thousands of
candidates quickly: what changes only with a section's profile is cached (see "Static
profiles" below), and one query reads who may be suggested and their current load. Each factor gives a value from 0 to 1; the score is the weighted
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
answer a proposal) are left out. A candidate's load counts its partnerships from "proposed"
onwards (Section.open_partnerships, kept by the lifecycle): a draft, not yet sent to anyone,
takes no room.
Past completed partners are marked, and so are sections seeking a partner (never filtered
on: a section that has not said so may still be a good fit).
"""

from __future__ import annotations

import datetime
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from sections.models import FinderWeight, Officer, Section, TwinningForm

from .models import Participant, Status
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


@dataclass(slots=True)
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
    # Sets, or frozensets shared with the cached static profile (never changed in place).
    interests: AbstractSet[int] = field(default_factory=set)
    languages: AbstractSet[str] = field(default_factory=set)
    offers_forms: AbstractSet[int] = field(default_factory=set)
    needs_forms: AbstractSet[int] = field(default_factory=set)
    offers_topics: AbstractSet[int] = field(default_factory=set)
    needs_topics: AbstractSet[int] = field(default_factory=set)

    @property
    def maturity_label(self) -> str:
        return Section.Maturity(self.maturity).label

    @property
    def country_name(self) -> str:
        return countries.name(self.country)


@dataclass(slots=True)
class Match:
    candidate: Profile
    score: float
    factors: dict[str, float]
    past_partner: bool = False
    shortlisted: bool = False

    def explained(self) -> list[tuple[str, float]]:
        return [(str(FACTOR_LABELS[name]), round(value * 100)) for name, value in self.factors.items()]


def _jaccard(a: AbstractSet, b: AbstractSet) -> float:
    shared = len(a & b)
    union = len(a) + len(b) - shared
    return shared / union if union else 0.0


def _covered(needs: AbstractSet, offers: AbstractSet) -> float:
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
    # A plain loop: over thousands of candidates, a generator under sum() costs more than the sums.
    weighted = 0
    for name, value in values.items():
        weighted += value * weights.get(name, 0)
    return round(100 * weighted / total, 1)


def current_weights() -> dict[str, int]:
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(dict(FinderWeight.objects.values_list("factor", "weight")))
    return weights


def _offsets(zones: set[str], at: datetime.datetime) -> dict[str, float]:
    return {zone: at.astimezone(ZoneInfo(zone)).utcoffset().total_seconds() / 3600 for zone in zones}


# Static profiles ---------------------------------------------------------------------------------
#
# What the finder knows of a section that changes only when its profile does, kept as a plain
# tuple under the section's profile_version (a number the database draws anew on every change
# of these columns or relations, whoever makes it: sections/migrations/0009). Each view reads
# the versions and the current load of its candidates in one query, then takes each profile
# from this process's memory, else from the shared cache (Django's, Redis in production),
# else from the database; so a change made in another process counts on the next view, and an
# unchanged society costs no profile query at all.

STATIC_COLUMNS = (
    "pk", "profile_version", "name", "slug", "kind", "district_id", "country", "city", "maturity", "time_zone",
    "readiness_score", "max_concurrent_partnerships", "seeking_partner",
)
# Profile attribute, many-to-many field of Section: in this order after the columns above.
STATIC_RELATIONS = (
    ("interests", "interests"),
    ("languages", "working_languages"),
    ("offers_forms", "offers_forms"),
    ("needs_forms", "needs_forms"),
    ("offers_topics", "offers_topics"),
    ("needs_topics", "needs_topics"),
)
VERSION, ZONE = 1, 9  # positions in a static profile tuple
# Change the number when the tuple changes shape, so no process reads another's old layout.
CACHE_KEY = "partner-finder:static-profiles:1"
CACHE_SECONDS = 7 * 24 * 3600
# Past this many profiles to load, one read of every section beats a long list of ids.
LOAD_ALL_FROM = 500

# This process's static profiles (pk -> tuple) and Profiles built from them (pk -> (version, Profile)).
_known: dict[int, tuple] = {}
_built: dict[int, tuple[int, Profile]] = {}


def _load_static(ids: list[int] | None) -> dict[int, tuple]:
    """Static profiles of the sections `ids` (every section for None), in three queries: the
    columns, the five relations to numbered rows together, the languages (coded rows)."""
    sections = Section.objects.all() if ids is None else Section.objects.filter(pk__in=ids)
    rows = {
        row[0]: [*row[:ZONE], str(row[ZONE]), float(row[ZONE + 1]) if row[ZONE + 1] is not None else None,
                 *row[ZONE + 2:], *(set() for _relation in STATIC_RELATIONS)]
        for row in sections.order_by().values_list(*STATIC_COLUMNS)
    }

    def pairs(index: int):
        name = STATIC_RELATIONS[index][1]
        through = getattr(Section, name).through
        links = through.objects.all() if ids is None else through.objects.filter(section_id__in=ids)
        target = Section._meta.get_field(name).m2m_reverse_name()
        return links.order_by().annotate(relation=Value(index)).values_list("section_id", "relation", target)

    numbered = [pairs(index) for index, (_attribute, name) in enumerate(STATIC_RELATIONS) if name != "working_languages"]
    coded = [pairs(index) for index, (_attribute, name) in enumerate(STATIC_RELATIONS) if name == "working_languages"]
    first = len(STATIC_COLUMNS)
    for links in (numbered[0].union(*numbered[1:], all=True), *coded):
        for section_id, relation, value in links:
            row = rows.get(section_id)
            if row is not None:
                row[first + relation].add(value)
    return {pk: (*row[:first], *(frozenset(values) for values in row[first:])) for pk, row in rows.items()}


def static_profiles(versions: dict[int, int]) -> dict[int, tuple]:
    """The static profile of each section in `versions` (pk -> its current profile_version)."""
    found, missing = {}, []
    for pk, version in versions.items():
        entry = _known.get(pk)
        if entry is not None and entry[VERSION] == version:
            found[pk] = entry
        else:
            missing.append(pk)
    if not missing:
        return found
    shared = cache.get(CACHE_KEY) or {}
    still = []
    for pk in missing:
        entry = shared.get(pk)
        if entry is not None and entry[VERSION] == versions[pk]:
            found[pk] = _known[pk] = entry
        else:
            still.append(pk)
    if still:
        # Read now, so newer than the versions asked about if a profile changed meanwhile:
        # kept under the version it was read with, it is read again on the next view.
        loaded = _load_static(still if len(still) < LOAD_ALL_FROM else None)
        _known.update(loaded)
        found.update((pk, loaded[pk]) for pk in still if pk in loaded)
        cache.set(CACHE_KEY, {**shared, **found, **loaded}, CACHE_SECONDS)
    return found


def _profile(entry: tuple, open_partnerships: int, offsets: dict[str, float]) -> Profile:
    """The section's Profile: its static profile with its current load and UTC offset. The one
    built last time serves again while all three are the same (Profiles are never changed
    after they are built), so an unchanged society builds none."""
    offset = offsets[entry[ZONE]]
    built = _built.get(entry[0])
    if built is not None:
        version, profile = built
        if (version == entry[VERSION] and profile.open_partnerships == open_partnerships
                and profile.utc_offset_hours == offset):
            return profile
    (pk, version, name, slug, kind, district_id, country, city, maturity, _zone, readiness, max_partnerships,
     seeking_partner, interests, languages, offers_forms, needs_forms, offers_topics, needs_topics) = entry
    profile = Profile(
        pk=pk, name=name, slug=slug, kind=kind, district_id=district_id, country=country, city=city,
        maturity=maturity, utc_offset_hours=offset, readiness=readiness, max_partnerships=max_partnerships,
        open_partnerships=open_partnerships, seeking_partner=seeking_partner, interests=interests,
        languages=languages, offers_forms=offers_forms, needs_forms=needs_forms, offers_topics=offers_topics,
        needs_topics=needs_topics,
    )
    _built[pk] = (version, profile)
    return profile


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
    # At their maximum (the stored count of partnerships under way), or with nobody in office
    # to answer a proposal: left out in the one query that reads the current load.
    candidates = Section.objects.exclude(pk=section.pk).filter(
        Exists(Officer.objects.open_now().filter(section=OuterRef("pk"))),
        open_partnerships__lt=F("max_concurrent_partnerships"),
    )
    if criteria.kind:
        candidates = candidates.filter(kind=criteria.kind)
    if criteria.district_id:
        candidates = candidates.filter(district_id=criteria.district_id)
    if criteria.country:
        candidates = candidates.filter(country=criteria.country)
    elif not criteria.same_country:
        candidates = candidates.exclude(country=section.country)
    rows = list(
        (candidates | Section.objects.filter(pk=section.pk)).order_by()
        .values_list("pk", "profile_version", "open_partnerships")
    )
    partners: dict[int, set[str]] = {}
    my_partnerships = Participant.objects.filter(section=section).values("partnership_id")
    for partner_id, status in (
        Participant.objects.filter(partnership_id__in=my_partnerships, partnership__status__in=(*PARTNER_STATUSES, Status.COMPLETED))
        .exclude(section=section)
        .values_list("section_id", "partnership__status")
    ):
        partners.setdefault(partner_id, set()).add(status)
    open_partners = {pk for pk, statuses in partners.items() if statuses & set(PARTNER_STATUSES)}
    loads = {
        pk: load for pk, _version, load in rows
        if pk == section.pk or (pk not in hidden and pk not in open_partners)
    }
    entries = static_profiles({pk: version for pk, version, _load in rows if pk in loads})
    offsets = _offsets({entry[ZONE] for entry in entries.values()}, timezone.now())
    me = _profile(entries[section.pk], loads[section.pk], offsets)
    growing = criteria.form is not None and criteria.form.code == TwinningForm.Code.GROWING_SECTION
    wanted_form = criteria.form.pk if criteria.form else None

    matches = []
    for pk, load in loads.items():
        entry = entries.get(pk)
        if pk == me.pk or entry is None:  # itself, or deleted a moment ago
            continue
        candidate = _profile(entry, load, offsets)
        if wanted_form and wanted_form not in candidate.offers_forms and wanted_form not in candidate.needs_forms:
            continue
        values = factors(me, candidate, growing=growing)
        score = combine(values, weights)
        if score < criteria.min_score:
            continue
        matches.append(
            Match(candidate=candidate, score=score, factors=values, past_partner=Status.COMPLETED in partners.get(pk, ()),
                  shortlisted=pk in shortlisted)
        )
    matches.sort(key=lambda match: (-match.score, match.candidate.name))
    return matches
