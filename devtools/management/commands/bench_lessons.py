"""`python manage.py bench_lessons --lessons 20000`: how fast the lessons library searches.

Makes sure that many synthetic lessons exist (titles "Scale lesson 000001", on the
synthetic partnerships of seed_scale), written with bulk_create and their search vector
filled by one UPDATE, then times the library's first page for a mix of searches as a
signed-in member sees it: the count and twenty lessons ranked by relevance, with their
forms and challenges. Prints the median, 95th percentile and slowest in milliseconds, and
whether PostgreSQL's plan uses the GIN index `lesson_search_gin`.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.utils import timezone

from devtools.management.commands.bench_finder import percentile
from devtools.scale import PARTNERSHIP_TITLE_PREFIX, build
from evaluation.models import ChallengeCategory, Lesson
from evaluation.selectors.lessons import Sort, lesson_list, lessons_published_to, lessons_search
from evaluation.search import search_vector, unaccented
from partnerships.models import Partnership
from sections.models import TwinningForm

LESSON_TITLE_PREFIX = "Scale lesson "
LESSON_TITLE = LESSON_TITLE_PREFIX + "{:06d}"
READER_EMAIL = "scale-lesson-reader@scale.invalid"
BATCH = 1000
PAGE_SIZE = 20

PLACES = [
    "Bogotá", "São Paulo", "Medellín", "Zürich", "Kraków", "Córdoba", "Montréal", "Reykjavík", "Málaga",
    "Göteborg", "Nürnberg", "Curaçao", "Mérida", "Gdańsk", "Brașov", "Łódź", "Yaoundé", "Düsseldorf",
    "Québec", "Nairobi", "Lagos", "Pune", "Manila", "Lima", "Accra", "Hanoi", "Porto", "Valparaíso",
    "Kumasi", "Cluj", "Tromsø", "Jönköping", "Asunción", "Cusco", "Kraljevo", "Plovdiv", "Izmir", "Sfax",
    "Oran", "Mombasa", "Kampala", "Dodoma", "Lusaka", "Harare", "Gaborone", "Windhoek", "Durban", "Chennai",
    "Kochi", "Colombo", "Kathmandu", "Dhaka", "Cebu", "Penang", "Surabaya", "Da Nang", "Busan", "Sendai",
    "Perth", "Hobart", "Dunedin", "Suva", "Antofagasta", "Arequipa", "Guayaquil", "Maracaibo", "Puebla",
    "León", "Querétaro", "Recife", "Belém", "Florianópolis", "Rosario", "Mendoza", "Salta", "Montevideo",
]
FIELDS = [
    "robotics", "water treatment", "power systems", "signal processing", "bridge design", "geotechnics",
    "renewable energy", "battery storage", "machine learning", "embedded systems", "photonics", "acoustics",
    "biomedical devices", "rail safety", "air quality", "mining automation", "smart grids", "satellite links",
    "cybersecurity", "open hardware", "drone mapping", "wind turbines", "microfluidics", "irrigation control",
    "port logistics", "hydrology", "seismic monitoring", "telemedicine", "agritech sensors", "clean cooking",
]
ACTIVITIES = [
    "student exchange", "webinar series", "mentoring programme", "joint conference", "plant visit",
    "summer school", "hackathon", "design competition", "lecture tour", "lab twinning", "field trip",
    "outreach day", "coding bootcamp", "poster session", "career fair", "reading group", "short course",
    "shared newsletter", "equipment donation", "internship placement", "podcast", "book drive",
]
PROBLEMS = [
    "the funding arrived late", "the officers changed after the elections", "nobody owned the follow-up",
    "the time zones made meetings hard", "the visa took four months", "the sponsor withdrew",
    "expectations were never written down", "the students had exams", "the budget was too optimistic",
    "communication went through one person", "the partner's priorities changed", "a conflict over costs",
    "the venue cancelled", "customs held the parcel", "the video platform was blocked on campus",
    "interest faded after the kickoff", "the translation lagged behind", "the bank fees ate the grant",
    "the host families pulled out", "a strike closed the university", "power cuts interrupted the sessions",
    "the registration form lost entries", "two leads disagreed on the scope", "the schedule slipped a semester",
]
LEARNINGS = [
    "agree one small project before the full plan", "write every promise into the agreement",
    "name two leads per side so nobody carries it alone", "meet monthly at a fixed hour",
    "confirm funding before announcing dates", "keep a shared folder and a decision log",
    "plan around exams and holidays", "ask the district coordinator early when things stall",
    "rotate the meeting time between time zones", "celebrate small results in the newsletter",
    "budget for bank transfer fees", "book venues with a cancellation clause", "start visa letters early",
    "record the webinars for those asleep", "pair each student with a host mentor",
    "keep the scope to what volunteers can carry", "translate the key documents first",
    "send equipment through the society's office", "hand over with a written checklist",
    "test the video platform with both campuses", "agree how disputes are settled before they arise",
]
OUTCOMES = [
    "twelve students completed placements", "the webinars reached four hundred members",
    "a joint paper came out of it", "both sections gained new volunteers", "the lab shared its curriculum",
    "a second edition is planned", "the partner now runs it alone", "attendance doubled in a year",
]
OPENINGS = ["Our", "The first", "A second", "Running a", "Planning a", "Funding a", "After a", "What a"]
# A mix of what readers type: common and rare words, places without their accents, two
# words, a phrase, an exclusion.
QUERIES = [
    "funding", "visa", "bogota", "sao paulo", "medellin", "zurich", "krakow", "montreal", "webinar",
    "student exchange", "mentoring", "elections", "sponsor", '"host families"', "budget -sponsor",
    "time zones", "gdansk", "lodz", "conference", "newsletter", "exams", "coordinator", "plant visit",
    "quebec", "yaounde", "nurnberg", "agreement", "summer school", "conflict costs", "porto or lima",
    "robotics", "water treatment", "hackathon", "drone mapping", "customs", "bank fees", "tromso",
    "power cuts", "smart grids", "florianopolis", "internship", "checklist", "translation", "curaçao",
]


class Command(BaseCommand):
    help = (
        "Make sure N synthetic lessons exist (on the synthetic partnerships of seed_scale), then time the "
        "lessons library's search: median, 95th percentile and slowest in milliseconds, and the GIN index's use."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lessons", type=int, default=20000, help="Lessons to have (default 20000).")
        parser.add_argument("--searches", type=int, default=200, help="Timed searches (default 200).")
        parser.add_argument(
            "--partnerships", type=int, default=200,
            help="Synthetic partnerships the lessons belong to (default 200).",
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="Delete the synthetic lessons and write them anew.")
        parser.add_argument(
            "--allow-production", action="store_true",
            help="Create the synthetic lessons even though DEBUG is off.",
        )

    def handle(self, *args, **options):
        count, searches = options["lessons"], options["searches"]
        if count < 1 or searches < 1 or options["partnerships"] < 1:
            raise CommandError("--lessons, --searches and --partnerships must be at least 1.")
        if options["replace"]:
            Lesson.objects.filter(title__startswith=LESSON_TITLE_PREFIX).delete()
        have = Lesson.objects.filter(title__startswith=LESSON_TITLE_PREFIX).count()
        if have < count and not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "bench_lessons needs to create synthetic lessons, which it does only with DEBUG on. "
                "Pass --allow-production to seed this database anyway."
            )
        if have < count:
            started = time.perf_counter()
            self._ensure(count, options["partnerships"], options["seed"])
            self.stdout.write(f"Seeded {count - have} lessons in {time.perf_counter() - started:.1f} s.")

        reader, _created = get_user_model().objects.get_or_create(
            email=READER_EMAIL, defaults={"full_name": "Scale lesson reader"}
        )
        base = lesson_list(lessons_published_to(reader))
        total = base.count()
        rng = random.Random(options["seed"])
        queries = [rng.choice(QUERIES) for _ in range(searches)]
        self.stdout.write(
            f"Searching {total} published lessons readable by a member, {searches} searches on {connection.vendor}; "
            f"each is the library's first page: the count and {PAGE_SIZE} lessons by relevance."
        )
        # One untimed search warms caches and the connection.
        self._page(base, queries[0])
        timings, found = [], []
        for query in queries:
            started = time.perf_counter()
            hits = self._page(base, query)
            timings.append((time.perf_counter() - started) * 1000)
            found.append(hits)
        self.stdout.write(
            f"  search   median {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms   "
            f"max {max(timings):7.1f} ms   matches median {int(statistics.median(found))}, max {max(found)}"
        )
        self._explain(base)

    def _page(self, base, query: str) -> int:
        paginator = Paginator(lessons_search(base, query, Sort.RELEVANCE), PAGE_SIZE)
        page = paginator.get_page(1)
        list(page.object_list)
        return paginator.count

    def _explain(self, base) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("  plan: SQLite has no search index; it scans the search text.")
            return
        plans = []
        for query in ("bogota", "funding", "student exchange"):
            plan = lessons_search(base, query, Sort.RELEVANCE).explain()
            plans.append((query, "lesson_search_gin" in plan))
        used = ", ".join(f"{query!r}: {'yes' if uses else 'no'}" for query, uses in plans)
        self.stdout.write(f"  plan uses the GIN index lesson_search_gin: {used}")
        self.stdout.write("  plan for 'bogota':")
        for line in lessons_search(base, "bogota", Sort.RELEVANCE).explain().splitlines():
            self.stdout.write(f"    {line}")

    def _ensure(self, count: int, partnership_count: int, seed: int) -> None:
        build(sections=max(2 * partnership_count // 3, 10), partnerships=partnership_count, years=1, seed=seed)
        partnerships = list(
            Partnership.objects.filter(title__startswith=PARTNERSHIP_TITLE_PREFIX)
            .prefetch_related("forms", "participants__section__district")
            .order_by("pk")[:partnership_count]
        )
        partnerships = [p for p in partnerships if p.participants.all()]
        if not partnerships:
            raise CommandError("No synthetic partnership with sections to write lessons for.")
        form_ids = list(TwinningForm.objects.values_list("pk", flat=True))
        challenge_ids = list(ChallengeCategory.objects.values_list("pk", flat=True))
        marker = len(LESSON_TITLE.format(0))
        existing = {
            title[:marker]
            for title in Lesson.objects.filter(title__startswith=LESSON_TITLE_PREFIX).values_list("title", flat=True)
        }
        now = timezone.now()
        with transaction.atomic():
            for start in range(0, count, BATCH):
                numbers = [n for n in range(start, min(start + BATCH, count)) if LESSON_TITLE.format(n) not in existing]
                if not numbers:
                    continue
                lessons, tags = [], []
                for number in numbers:
                    rng = random.Random(f"{seed}-lesson-{number}")
                    partnership = rng.choice(partnerships)
                    lesson = self._lesson(rng, number, partnership, now)
                    lessons.append(lesson)
                    forms = [f.pk for f in partnership.forms.all()] or [rng.choice(form_ids)]
                    tags.append((forms, rng.sample(challenge_ids, rng.randint(1, 3))))
                Lesson.objects.bulk_create(lessons, batch_size=BATCH)
                Lesson.forms.through.objects.bulk_create(
                    [
                        Lesson.forms.through(lesson_id=lesson.pk, twinningform_id=form_id)
                        for lesson, (forms, _c) in zip(lessons, tags, strict=True) for form_id in forms
                    ],
                    batch_size=BATCH,
                )
                Lesson.challenges.through.objects.bulk_create(
                    [
                        Lesson.challenges.through(lesson_id=lesson.pk, challengecategory_id=challenge_id)
                        for lesson, (_f, challenges) in zip(lessons, tags, strict=True) for challenge_id in challenges
                    ],
                    batch_size=BATCH,
                )
            if connection.vendor == "postgresql":
                # The whole index in one statement, as the lesson services write it for one lesson.
                Lesson.objects.filter(title__startswith=LESSON_TITLE_PREFIX).update(search_vector=search_vector())
        if connection.vendor == "postgresql":
            # The one UPDATE left a dead copy of every row and the GIN index's pending list
            # full: VACUUM FULL rewrites both compactly, as a table written one lesson at a
            # time (with autovacuum) would be. It cannot run inside a transaction (as in the
            # tests): ANALYZE alone there.
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE evaluation_lesson" if connection.in_atomic_block else "VACUUM FULL ANALYZE evaluation_lesson"
                )

    def _lesson(self, rng: random.Random, number: int, partnership: Partnership, now: datetime.datetime) -> Lesson:
        place, other_place = rng.sample(PLACES, 2)
        field, activity = rng.choice(FIELDS), rng.choice(ACTIVITIES)
        problem, learning = rng.choice(PROBLEMS), rng.choice(LEARNINGS)
        participants = list(partnership.participants.all())
        title = f"{LESSON_TITLE.format(number)}: {rng.choice(OPENINGS)} {field} {activity} in {place}"
        context = (
            f"{participants[0].section.name} and its partner planned a {activity} on {field} between {place} "
            f"and {other_place}, {rng.randint(5, 60)} members taking part over {rng.randint(2, 12)} months."
        )
        what_happened = (
            f"Halfway through, {problem}. We {rng.choice(['paused', 'changed the plan', 'kept going', 'asked for help'])}; "
            f"in the end {rng.choice(OUTCOMES)}."
        )
        learned = f"We learned to {learning}. Next time we would also {rng.choice(LEARNINGS)}."
        recommendation = f"For a {rng.choice(ACTIVITIES)} on {rng.choice(FIELDS)}: {rng.choice(LEARNINGS)}."
        draft = rng.random() < 0.05
        published = None if draft else now - datetime.timedelta(days=rng.randint(0, 1500), minutes=number % 1440)
        regions = sorted({p.section.district.region for p in participants})
        maturities = sorted({p.section.maturity for p in participants})
        return Lesson(
            partnership=partnership,
            section=participants[0].section,
            title=title,
            context=context,
            what_happened=what_happened,
            learned=learned,
            recommendation=recommendation,
            region_tags=f"|{'|'.join(regions)}|",
            maturity_tags=f"|{'|'.join(maturities)}|",
            visibility=Lesson.Visibility.PARTNERS if rng.random() < 0.1 else Lesson.Visibility.SOCIETY,
            state=Lesson.State.DRAFT if draft else Lesson.State.PUBLISHED,
            published_at=published,
            helpful_count=rng.choice([0, 0, 0, 1, 2, 3, 5, 8, 13]),
            search_text=unaccented(" ".join([title, context, what_happened, learned, recommendation])),
        )
