"""Large synthetic data for benchmarks (`seed_scale`, `bench_finder`); what the dashboards
read besides (history, reporting, health) is added by devtools/scale_dashboards.py.

Everything is written with `bulk_create`, never through the services: it is fake data
that only has to look like a real society to the queries being measured. Every record
carries the prefix "scale" (section slugs `scale-000001`, district codes `scale-01`,
officer emails `scale-officer-000001@scale.invalid`, partnership titles
`Scale partnership 000001`), so it is easy to recognise and to delete.

Record number i is generated from its own random stream (`seed` and i), so the same
numbers give the same data on every run, and a second run creates only the records that
are missing: asking for 5,000 sections after 1,000 exist adds sections 1,000–4,999, and
sections 0–999 stay as they were.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from partnerships.models import Participant, Partnership, Status
from partnerships.search import partnership_search_text_refresh
from partnerships.services import open_partnerships_reconcile
from sections.models import District, Language, Officer, Section, TechnicalInterest, TwinningForm
from sections.search import section_search_text_refresh

PREFIX = "scale"
SECTION_SLUG = PREFIX + "-{:06d}"
DISTRICT_CODE = PREFIX + "-{:02d}"
OFFICER_EMAIL = PREFIX + "-officer-{:06d}@scale.invalid"
PARTNERSHIP_TITLE_PREFIX = "Scale partnership "
PARTNERSHIP_TITLE = PARTNERSHIP_TITLE_PREFIX + "{:06d}"
BATCH = 1000
# The switch of the profile links' trigger (sections/migrations/0009_open_partnerships).
NEW_SECTION_LINKS = "sections.new_section_links"
# Scale section numbers with this remainder have a chair whose office has ended, and no
# other officer: the coordinator dashboard's "sections whose offices have all ended".
OFFICERLESS_EVERY, OFFICERLESS_AT = 100, 50

DISTRICT_COUNT = 20
REGIONS = ["Americas", "Europe, Middle East and Africa", "Asia Pacific"]
# Sixty countries (ISO 3166 codes that django_countries knows), three per district.
COUNTRIES = [
    "US", "CA", "MX", "BR", "AR", "CL", "CO", "PE", "EC", "UY",
    "GB", "IE", "FR", "DE", "NL", "BE", "ES", "PT", "IT", "CH",
    "AT", "PL", "CZ", "SE", "NO", "DK", "FI", "GR", "RO", "HU",
    "TR", "EG", "MA", "TN", "NG", "GH", "KE", "ZA", "SA", "AE",
    "QA", "JO", "IL", "IN", "PK", "BD", "LK", "CN", "JP", "KR",
    "TW", "SG", "MY", "ID", "PH", "TH", "VN", "AU", "NZ", "KZ",
]
TIME_ZONES = [
    "America/Los_Angeles", "America/Denver", "America/Chicago", "America/New_York", "America/Toronto",
    "America/Mexico_City", "America/Bogota", "America/Lima", "America/Santiago", "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires", "Atlantic/Reykjavik", "Europe/London", "Europe/Lisbon", "Europe/Paris",
    "Europe/Berlin", "Europe/Warsaw", "Europe/Athens", "Europe/Istanbul", "Africa/Lagos",
    "Africa/Cairo", "Africa/Nairobi", "Africa/Johannesburg", "Asia/Dubai", "Asia/Karachi",
    "Asia/Kolkata", "Asia/Dhaka", "Asia/Bangkok", "Asia/Singapore", "Asia/Shanghai",
    "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland",
]
LANGUAGES = ["en", "es", "fr", "de", "pt", "ar", "zh", "ja", "hi", "ru", "it", "nl", "tr", "ko"]
CITIES = [
    "Riverton", "Lakeside", "Hillview", "Port Alder", "Northgate", "Eastfield", "Stonebridge", "Westmere",
    "Fairhaven", "Millbrook", "Ashford", "Brightwater", "Cedar Falls", "Dunmore", "Elmstead", "Foxley",
]
# Open partnerships dominate, active most of all; every state appears.
STATUS_WEIGHTS = {
    Status.ACTIVE: 40, Status.COMPLETED: 12, Status.PROPOSED: 8, Status.DRAFT: 5, Status.ACCEPTED: 5,
    Status.ENDORSED: 5, Status.SUSPENDED: 6, Status.ENDED: 6, Status.DECLINED: 7, Status.WITHDRAWN: 6,
}
MATURITY_WEIGHTS = {
    Section.Maturity.FORMATIVE: 3, Section.Maturity.DEVELOPING: 4, Section.Maturity.ESTABLISHED: 3,
}
# Readiness thresholds of the default questionnaire (evaluation.models.Questionnaire).
READY_FROM, NEARLY_FROM = 75, 50


@dataclass
class Report:
    """What one run created (counts by kind) and how long it took."""

    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def add(self, kind: str, count: int) -> None:
        self.created[kind] = self.created.get(kind, 0) + count

    def lines(self) -> list[str]:
        return [f"  {kind:<28} {count:>8}" for kind, count in self.created.items() if count]


def _rng(seed: int, kind: str, number: int) -> random.Random:
    return random.Random(f"{seed}:{kind}:{number}")


@contextmanager
def _explicit_timestamps(model: type[models.Model], *names: str) -> Iterator[None]:
    """Let bulk_create write the given auto_now/auto_now_add fields as set on the objects."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@contextmanager
def _links_of_new_sections() -> Iterator[None]:
    """Insert new sections' profile links without redrawing each section's profile_version.

    On PostgreSQL each link's trigger (sections/migrations/0009) rewrites its section's row, and
    in one transaction none of those copies can be reclaimed: thirteen links a section left the
    sections table seven times its size, which every page reading it then scans. The sections
    created in this run have a version of their own, unseen by any cache, so the trigger is
    told (for this transaction only) that these links are theirs. SQLite rewrites rows in place."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [NEW_SECTION_LINKS])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [NEW_SECTION_LINKS])


def _reference_data(report: Report) -> tuple[list[int], list[str], dict[str, int]]:
    """Interests, languages and forms to draw from; missing reference rows are added."""
    interests = list(TechnicalInterest.objects.values_list("pk", flat=True))
    if len(interests) < 8:
        missing = [
            TechnicalInterest(name=f"Scale interest {n:02d}", slug=f"{PREFIX}-interest-{n:02d}")
            for n in range(12)
            if not TechnicalInterest.objects.filter(slug=f"{PREFIX}-interest-{n:02d}").exists()
        ]
        TechnicalInterest.objects.bulk_create(missing)
        report.add("technical interests", len(missing))
        interests = list(TechnicalInterest.objects.values_list("pk", flat=True))
    existing_languages = set(Language.objects.filter(code__in=LANGUAGES).values_list("code", flat=True))
    missing_languages = [
        Language(code=code, name=code.upper()) for code in LANGUAGES if code not in existing_languages
    ]
    Language.objects.bulk_create(missing_languages)
    report.add("languages", len(missing_languages))
    forms = dict(TwinningForm.objects.values_list("code", "pk"))
    missing_forms = [
        TwinningForm(code=code, name=label, position=position)
        for position, (code, label) in enumerate(TwinningForm.Code.choices)
        if code not in forms
    ]
    TwinningForm.objects.bulk_create(missing_forms)
    report.add("forms of twinning", len(missing_forms))
    if missing_forms:
        forms = dict(TwinningForm.objects.values_list("code", "pk"))
    return sorted(interests), LANGUAGES, forms


def _districts(report: Report) -> list[int]:
    codes = [DISTRICT_CODE.format(n) for n in range(1, DISTRICT_COUNT + 1)]
    existing = set(District.objects.filter(code__in=codes).values_list("code", flat=True))
    District.objects.bulk_create(
        District(code=code, name=f"Scale district {n}", region=REGIONS[(n - 1) % len(REGIONS)])
        for n, code in enumerate(codes, start=1)
        if code not in existing
    )
    report.add("districts", len(codes) - len(existing))
    by_code = dict(District.objects.filter(code__in=codes).values_list("code", "pk"))
    return [by_code[code] for code in codes]


def _existing(queryset, field_name: str) -> set:
    return set(queryset.values_list(field_name, flat=True))


def _build_sections(count: int, seed: int, report: Report) -> dict[int, tuple[int, str]]:
    """Sections 0..count-1 exist afterwards; returns number -> (pk, country)."""
    interests, languages, forms = _reference_data(report)
    form_ids = sorted(forms.values())
    districts = _districts(report)
    slugs = [SECTION_SLUG.format(n) for n in range(count)]
    existing = _existing(Section.objects.filter(slug__startswith=f"{PREFIX}-"), "slug")
    now = timezone.now()
    new_sections: list[Section] = []
    relations: dict[str, list[tuple[str, list]]] = {name: [] for name in (
        "interests", "working_languages", "offers_forms", "needs_forms", "offers_topics", "needs_topics",
    )}
    for number, slug in enumerate(slugs):
        if slug in existing:
            continue
        rng = _rng(seed, "section", number)
        district_index = rng.randrange(DISTRICT_COUNT)
        country = COUNTRIES[district_index * 3 + rng.randrange(3)]
        kind = Section.Kind.STUDENT if rng.random() < 0.4 else Section.Kind.PROFESSIONAL
        maturity = rng.choices(list(MATURITY_WEIGHTS), weights=list(MATURITY_WEIGHTS.values()))[0]
        section = Section(
            name=f"Scale {'Student' if kind == Section.Kind.STUDENT else 'Professional'} Section {number:06d}",
            slug=slug,
            kind=kind,
            district_id=districts[district_index],
            country=country,
            city=rng.choice(CITIES),
            time_zone=rng.choice(TIME_ZONES),
            founded_year=rng.randint(1950, now.year),
            member_count=rng.randint(8, 900),
            maturity=maturity,
            description="Synthetic section for benchmarks.",
            seeking_partner=rng.random() < 0.5,
            max_concurrent_partnerships=rng.randint(1, 4),
        )
        if rng.random() < 0.4:
            score = Decimal(rng.randint(150, 980)) / 10
            section.readiness_score = score
            verdict = "ready" if score >= READY_FROM else "nearly" if score >= NEARLY_FROM else "not-yet"
            section.readiness_verdict = verdict
            section.readiness_assessed_at = now - datetime.timedelta(days=rng.randint(0, 700))
        new_sections.append(section)
        relations["interests"].append((slug, rng.sample(interests, min(len(interests), rng.randint(2, 5)))))
        relations["working_languages"].append((slug, rng.sample(languages, rng.randint(1, 3))))
        relations["offers_forms"].append((slug, rng.sample(form_ids, rng.randint(1, min(3, len(form_ids))))))
        relations["needs_forms"].append((slug, rng.sample(form_ids, rng.randint(1, min(3, len(form_ids))))))
        relations["offers_topics"].append((slug, rng.sample(interests, min(len(interests), rng.randint(1, 3)))))
        relations["needs_topics"].append((slug, rng.sample(interests, min(len(interests), rng.randint(1, 3)))))
    Section.objects.bulk_create(new_sections, batch_size=BATCH)
    report.add("sections", len(new_sections))

    rows = Section.objects.filter(slug__startswith=f"{PREFIX}-").values_list("slug", "pk", "country")
    by_slug = {slug: (pk, country) for slug, pk, country in rows}
    for name, pairs in relations.items():
        through = getattr(Section, name).through
        target = through._meta.get_field(Section._meta.get_field(name).m2m_reverse_field_name()).attname
        links = [
            through(section_id=by_slug[slug][0], **{target: value})
            for slug, values in pairs
            for value in values
        ]
        with _links_of_new_sections():
            through.objects.bulk_create(links, batch_size=BATCH)
        report.add(f"section {name.replace('_', ' ')}", len(links))
    # bulk_create sends no signal: the directory's search text is written here, in one UPDATE.
    if new_sections:
        section_search_text_refresh(sections=Section.objects.filter(slug__in=[s.slug for s in new_sections]))
    return {number: by_slug[slug] for number, slug in enumerate(slugs)}


def officerless(number: int) -> bool:
    return number % OFFICERLESS_EVERY == OFFICERLESS_AT


def _build_officers(sections: dict[int, tuple[int, str]], report: Report) -> dict[int, int]:
    """One chair per scale section, with an unusable password; returns number -> user pk.
    The chairs of a few sections (`officerless`) have left office."""
    User = get_user_model()
    emails = {number: OFFICER_EMAIL.format(number) for number in sections}
    existing = _existing(User.objects.filter(email__startswith=f"{PREFIX}-officer-"), "email")
    password = make_password(None)  # unusable: nobody logs in as a synthetic officer
    users = [
        User(email=email, full_name=f"Scale Officer {number:06d}", password=password)
        for number, email in emails.items()
        if email not in existing
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    report.add("users", len(users))
    user_ids = dict(User.objects.filter(email__startswith=f"{PREFIX}-officer-").values_list("email", "pk"))
    by_number = {number: user_ids[email] for number, email in emails.items()}
    held = set(
        Officer.objects.filter(user__email__startswith=f"{PREFIX}-officer-").values_list("user_id", "section_id")
    )
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    officers = [
        Officer(
            user_id=by_number[number], section_id=pk, role=Officer.Role.CHAIR,
            start_date=start - datetime.timedelta(days=365) if officerless(number) else start,
            end_date=today - datetime.timedelta(days=30 + number % 200) if officerless(number) else None,
        )
        for number, (pk, _country) in sections.items()
        if (by_number[number], pk) not in held
    ]
    Officer.objects.bulk_create(officers, batch_size=BATCH)
    report.add("officers", len(officers))
    return by_number


def _build_partnerships(
    count: int, years: int, seed: int, sections: dict[int, tuple[int, str]], officers: dict[int, int],
    report: Report,
) -> None:
    if count and len(sections) < 2:
        raise ValueError("Partnerships need at least two sections.")
    titles = [PARTNERSHIP_TITLE.format(n) for n in range(count)]
    existing = _existing(Partnership.objects.filter(title__startswith=PARTNERSHIP_TITLE_PREFIX), "title")
    forms = sorted(TwinningForm.objects.values_list("pk", flat=True))
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    now = timezone.now()
    span = datetime.timedelta(days=365 * max(years, 1))
    new: list[Partnership] = []
    plans: dict[str, tuple[int, int, str, list[int]]] = {}
    for number, title in enumerate(titles):
        if title in existing:
            continue
        rng = _rng(seed, "partnership", number)
        a = rng.randrange(len(sections))
        b = rng.randrange(len(sections) - 1)
        b = b + 1 if b >= a else b
        # Usually different countries: draw again a few times when they match.
        for _attempt in range(3):
            if sections[a][1] != sections[b][1]:
                break
            b = rng.randrange(len(sections) - 1)
            b = b + 1 if b >= a else b
        status = rng.choices(statuses, weights=weights)[0]
        # More partnerships in recent years than in early ones, as in a programme that grows:
        # the society dashboard's quarterly trends then have a slope, not a flat line.
        created = now - span * (1 - math.sqrt(rng.random()))
        start = created.date() + datetime.timedelta(days=rng.randint(0, 60))
        new.append(
            Partnership(
                title=title,
                purpose="Synthetic partnership for benchmarks.",
                status=status,
                exploratory=rng.random() < 0.15,
                start_date=start,
                planned_end_date=start + datetime.timedelta(days=rng.randint(365, 3 * 365)),
                proposing_section_id=sections[a][0],
                proposed_by_id=officers.get(a),
                end_reason="Pressing priorities elsewhere." if status == Status.ENDED else "",
                created_at=created,
                updated_at=created,
            )
        )
        plans[title] = (a, b, status, rng.sample(forms, rng.randint(1, min(2, len(forms)))))
    with _explicit_timestamps(Partnership, "created_at", "updated_at"):
        Partnership.objects.bulk_create(new, batch_size=BATCH)
    report.add("partnerships", len(new))
    if not plans:
        return
    ids = dict(Partnership.objects.filter(title__startswith=PARTNERSHIP_TITLE_PREFIX).values_list("title", "pk"))
    participants, form_links = [], []
    FormLink = Partnership.forms.through
    for title, (a, b, status, form_ids) in plans.items():
        pk = ids[title]
        if status in (Status.DRAFT, Status.PROPOSED, Status.WITHDRAWN):
            answer = Participant.Response.PENDING
        elif status == Status.DECLINED:
            answer = Participant.Response.DECLINED
        else:
            answer = Participant.Response.ACCEPTED
        participants.append(Participant(
            partnership_id=pk, section_id=sections[a][0], response=Participant.Response.ACCEPTED,
            gives="Speakers and mentoring", gains="Student hosts",
        ))
        participants.append(Participant(
            partnership_id=pk, section_id=sections[b][0], response=answer,
            gives="Student hosts", gains="Speakers and mentoring",
        ))
        form_links.extend(FormLink(partnership_id=pk, twinningform_id=form_id) for form_id in form_ids)
    Participant.objects.bulk_create(participants, batch_size=BATCH)
    FormLink.objects.bulk_create(form_links, batch_size=BATCH)
    # bulk_create sends no signal: the list's search text is written here, in one UPDATE.
    partnership_search_text_refresh(partnerships=Partnership.objects.filter(pk__in=[ids[title] for title in plans]))
    # Bulk inserts bypass the lifecycle, which keeps each section's count of partnerships
    # under way (the finder's load): count them once for every section they changed.
    open_partnerships_reconcile()
    report.add("participants", len(participants))
    report.add("partnership forms", len(form_links))


def build(
    *, sections: int, partnerships: int = 0, years: int = 3, seed: int = 1, officers: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Make sure scale sections 0..sections-1 and scale partnerships 0..partnerships-1 exist."""
    if sections < 0 or partnerships < 0 or years < 1:
        raise ValueError("Counts must not be negative and years must be at least 1.")
    report = Report()
    started = time.perf_counter()
    say = progress or (lambda _message: None)
    with transaction.atomic():
        say(f"Sections: ensuring {sections} …")
        numbered = _build_sections(sections, seed, report)
        officer_ids: dict[int, int] = {}
        if officers:
            say("Officers …")
            officer_ids = _build_officers(numbered, report)
        say(f"Partnerships: ensuring {partnerships} over {years} year(s) …")
        _build_partnerships(partnerships, years, seed, numbered, officer_ids, report)
    report.seconds = time.perf_counter() - started
    return report
