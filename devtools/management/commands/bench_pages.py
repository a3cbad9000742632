"""`python manage.py bench_pages`: how fast the pages people open every week answer over the
data of `seed_scale`, each against `/healthz` measured in the same run.

Each page is fetched through the Django test client, logged in as the user it is for: the
chair of the synthetic section with the most partnerships (an officer), the coordinator of
the first synthetic district, and a society admin. Everything a request does (middleware,
session, view, template) is timed; the network and the web server are not, for any page,
so the ratio to /healthz says what the page itself costs. A page whose URL name does not
resolve in this checkout is listed as "not installed": it was not measured.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse

from devtools.management.commands.bench_finder import percentile
from devtools.monitoring_scale import COORDINATOR_EMAIL
from devtools.scale import DISTRICT_CODE, PREFIX
from sections.models import Officer
from twinning.models import SOCIETY_ADMINS_GROUP

STAFF_EMAIL = f"{PREFIX}-staff@scale.invalid"
# The target: every page within three times the trivial view's p95.
TARGET_RATIO = 3.0
DISTRICT = "{district}"  # stands for the benchmark coordinator's district in a query


@dataclass(frozen=True)
class Page:
    label: str
    url_name: str
    args: tuple[str, ...] = ()
    query: dict[str, str] = field(default_factory=dict)
    role: str = "anonymous"  # anonymous, officer, coordinator or staff


PAGES = [
    Page("/healthz", "healthz"),
    # The floor of any signed-in page: session, user and the base template around a small form.
    Page("signed-in baseline (password form)", "password_change", role="staff"),
    Page("/ as an officer", "home", role="officer"),
    Page("/ as a coordinator", "home", role="coordinator"),
    Page("/ as staff", "home", role="staff"),
    Page("/partnerships/", "partnerships:list", role="staff"),
    Page("/partnerships/?sort=health", "partnerships:list", query={"sort": "health"}, role="staff"),
    Page("/dashboard/ (district)", "dashboard", query={"district": DISTRICT}, role="coordinator"),
    Page("/dashboard/society/", "dashboard_society", role="staff"),
    Page("district partnerships CSV", "dashboard_export", args=("partnerships",), query={"district": DISTRICT},
         role="coordinator"),
]


@dataclass
class Result:
    page: Page
    url: str | None = None
    status: int = 0
    queries: int = 0
    timings: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        return percentile(self.timings, 0.95)


class Command(BaseCommand):
    help = (
        "Time the dashboards, homes and partnership list over the seed_scale data: per page p50 and p95 in "
        "milliseconds, SQL queries, and p95 as a multiple of /healthz's p95 in the same run. --check fails "
        f"when a page's p95 exceeds {TARGET_RATIO:g}× /healthz's or a page does not answer 200."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="Timed requests per page, after a warm-up (default 30).")
        parser.add_argument(
            "--check", action="store_true",
            help=f"Exit non-zero when a page's p95 exceeds {TARGET_RATIO:g}× that of /healthz.",
        )

    def handle(self, *args, **options):
        runs = options["runs"]
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        users, district = self._users()
        clients = {"anonymous": Client()}
        for role, user in users.items():
            clients[role] = Client()
            clients[role].force_login(user)
        self.stdout.write(
            f"{runs} requests per page after a warm-up, on {connection.vendor}; officer {users['officer'].email}, "
            f"coordinator {users['coordinator'].email} (district {district}), staff {users['staff'].email}."
        )
        # The test client's host must be allowed, whatever the settings serve.
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"], SECURE_SSL_REDIRECT=False):
            results = [self._measure(page, clients[page.role], district, runs) for page in PAGES]
        healthz = results[0]
        if healthz.url is None or healthz.status != 200:
            raise CommandError("/healthz did not answer 200: nothing to compare the pages with.")
        failed = []
        for result in results:
            label = f"  {result.page.label:<34}"
            if result.url is None:
                self.stdout.write(f"{label} not installed (no URL named {result.page.url_name!r})")
                continue
            ratio = result.p95 / healthz.p95 if healthz.p95 else float("inf")
            self.stdout.write(
                f"{label} p50 {result.p50:7.1f} ms   p95 {result.p95:7.1f} ms   queries {result.queries:>3}   "
                f"p95 {ratio:5.1f}× healthz   status {result.status}"
            )
            if result.status != 200 or ratio > TARGET_RATIO:
                failed.append(result.page.label)
        if options["check"] and failed:
            raise CommandError(
                f"Over {TARGET_RATIO:g}× /healthz's p95, or not answering 200: {', '.join(failed)}."
            )

    def _users(self):
        User = get_user_model()
        coordinator = User.objects.filter(email=COORDINATOR_EMAIL.format(1)).first()
        officer = (
            Officer.objects.open_now().filter(user__email__startswith=f"{PREFIX}-officer-")
            .annotate(partnerships=Count("section__participations")).order_by("-partnerships", "pk")
            .select_related("user").first()
        )
        if coordinator is None or officer is None:
            raise CommandError("No synthetic data to measure: run seed_scale first (with --partnerships).")
        staff, _created = User.objects.get_or_create(
            email=STAFF_EMAIL, defaults={"full_name": "Scale Admin", "is_staff": True}
        )
        # Staff status alone is no role: the society admin's pages need the group's rights.
        staff.groups.add(Group.objects.get(name=SOCIETY_ADMINS_GROUP))
        return {"officer": officer.user, "coordinator": coordinator, "staff": staff}, DISTRICT_CODE.format(1)

    def _measure(self, page: Page, client: Client, district: str, runs: int) -> Result:
        result = Result(page)
        try:
            url = reverse(page.url_name, args=page.args)
        except NoReverseMatch:
            return result
        query = {name: district if value == DISTRICT else value for name, value in page.query.items()}
        result.url = f"{url}?{urlencode(query)}" if query else url
        self._get(client, result.url)  # warm-up: caches, prepared statements, the session
        with CaptureQueriesContext(connection) as captured:
            result.status = self._get(client, result.url)
        result.queries = len(captured.captured_queries)
        for _run in range(runs):
            started = time.perf_counter()
            self._get(client, result.url)
            result.timings.append((time.perf_counter() - started) * 1000)
        return result

    def _get(self, client: Client, url: str) -> int:
        response = client.get(url)
        # A streamed CSV is made while it is read: reading it is part of the page's time.
        if response.streaming:
            b"".join(response.streaming_content)
        return response.status_code
