"""The pages `bench_pages` measures, generated from the URLconf, with real ids for each role.

Every pattern of `django.urls.get_resolver()` is visited. Its URL arguments are filled with
records the role may see: the officer's own section and a partnership it takes part in, a
section and a partnership of the coordinator's district, and for the society admin the
officer's. A pattern whose arguments the data cannot fill (no exchange in it, a secret
token from a mail) is listed as skipped, with the reason; so is, once the timing run has
asked it, a pattern whose GET answers 405 (an action that only takes a POST). The admin is
measured as the society admin: its index, each app's index, and for every registered model
its changelist and the change form of one record.

`prepare()` runs over the database being measured, in a process with the settings gunicorn
will have (the session's hash depends on SECRET_KEY): it picks the users, signs each in and
returns what the timing run needs as plain data.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import FieldError
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from devtools.scale import PREFIX
from evaluation.models import CheckIn, Evaluation, Lesson, Story
from partnerships import models as partnership_models
from partnerships.models import Partnership, Status
from partnerships.views.plan import PLAN_KINDS
from recognition.models import Acknowledgement, Nomination
from sections.models import District, DistrictCoordinator, Invitation, Officer, Section
from twinning.models import SOCIETY_ADMINS_GROUP, Notice
from web.dashboards.coordinator import EXPORTS as DISTRICT_EXPORTS
from web.dashboards.society import EXPORTS as SOCIETY_EXPORTS

STAFF_EMAIL = f"{PREFIX}-staff@scale.invalid"
# Asked with a token that only a mail or a link carries: no GET can be made up for them.
TOKEN_ARGUMENTS = {"token", "uidb64"}
# Pages for someone signed out: measured once, anonymously (/healthz too: it is the baseline).
ANONYMOUS = {"login", "password_reset", "password_reset_done", "password_reset_complete", "healthz"}
# Not pages: signing out ends the session the benchmark measures with.
NOT_PAGES = {"logout": "signs the user out", "admin:logout": "signs the user out"}
# Downloads of files the scale data has none of, or a PDF whose HTML page is measured.
DOWNLOADS = {
    "partnerships:report_pdf": "PDF of the report page (WeasyPrint, seconds each); the HTML report is measured",
    "recognition:certificate_pdf": "PDF of the certificate page; the HTML page is measured",
    "recognition:certificate_shared_pdf": "PDF behind a secret share token",
    "partnerships:agreement_document": "an uploaded file (none in the scale data)",
    "partnerships:agreement_change_document": "an uploaded file (none in the scale data)",
    "partnerships:spending_receipt": "an uploaded file (none in the scale data)",
    "stories:photo": "an uploaded photo (none in the scale data)",
}
# Searches and filters people use, beside each list's plain page.
SEARCHES = {
    "sections:directory": [{"q": "bogota"}, {"q": "robotics"}],
    "partnerships:list": [{"q": "partnership"}, {"sort": "health"}, {"page": "2"}],
    "lessons:list": [{"q": "exchange"}],
}
DISTRICT_PAGES = {"dashboard", "dashboard_export"}
ADMIN_SEARCHES = {"sections_section": {"q": "bogota"}, "partnerships_partnership": {"q": "000123"}}
# An argument named X_id is the id of a record of the partnership: the model, and the
# paths from it to its partnership (the first that the model has).
RECORD_ARGUMENTS = {
    "conflict_id": partnership_models.Conflict,
    "exchange_id": partnership_models.Exchange,
    "milestone_id": partnership_models.GrowthMilestone,
    "agreement_id": partnership_models.SupportAgreement,
    "instalment_id": partnership_models.Instalment,
    "line_id": partnership_models.FundingLine,
    "spending_id": partnership_models.Spending,
    "lead_id": partnership_models.Lead,
    "change_id": partnership_models.AgreementChange,
    "participant_id": partnership_models.ExchangeParticipant,
    "proposal_id": partnership_models.MaturityProposal,
}
# <pk> of the pages that are not a partnership's: the first record (the page may answer 404
# when the role may not see it, which the table shows).
PK_MODELS = {
    "lessons:": Lesson, "stories:": Story, "recognition:certificate": Acknowledgement,
    "recognition:nomination": Nomination, "notice_": Notice, "sections:invitation_": Invitation,
}
PARTNERSHIP_PATHS = ("partnership", "participant__partnership", "exchange__partnership")


@dataclass(frozen=True)
class Target:
    role: str
    name: str  # the URL name, with the query that tells two rows of one pattern apart
    path: str


@dataclass(frozen=True)
class Skipped:
    route: str
    name: str
    reason: str


@dataclass(frozen=True)
class Scope:
    """The records one role's pages are about."""

    user: object
    section: Section
    partnership: Partnership | None
    district: District
    candidate: Section | None


def walk(patterns=None, prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, str, URLPattern]]:
    """(route, qualified name, pattern) of every pattern, in the URLconf's order."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name or ""
            yield prefix + str(pattern.pattern), f"{namespace}:{name}" if namespace and name else name, pattern


def users() -> dict[str, object]:
    """The officer (chair of the synthetic section with most partnerships), the coordinator of
    the synthetic district with most sections, and a society admin (created the first time)."""
    User = get_user_model()
    officer = (
        Officer.objects.open_now().filter(user__email__startswith=f"{PREFIX}-officer-")
        .annotate(partnerships=Count("section__participations")).order_by("-partnerships", "pk")
        .select_related("user", "section__district").first()
    )
    coordinator = (
        DistrictCoordinator.objects.open_now().filter(user__email__startswith=f"{PREFIX}-coordinator-")
        .annotate(sections=Count("district__sections")).order_by("-sections", "pk")
        .select_related("user", "district").first()
    )
    if coordinator is None or officer is None:
        raise LookupError("No synthetic data to measure: run seed_scale first (with --partnerships).")
    staff, _created = User.objects.get_or_create(
        email=STAFF_EMAIL, defaults={"full_name": "Scale Admin", "is_staff": True}
    )
    # Staff status alone is no role: the society admin's pages need the group's rights.
    staff.groups.add(Group.objects.get(name=SOCIETY_ADMINS_GROUP))
    return {"officer": officer, "coordinator": coordinator, "staff": staff}


def _partnership_of(sections) -> Partnership | None:
    """An active partnership of these sections, one with a conflict and check-ins if any."""
    mine = Partnership.objects.filter(participants__section__in=sections).distinct()
    return (
        mine.filter(status=Status.ACTIVE).annotate(conflict_count=Count("conflicts", distinct=True))
        .order_by("-conflict_count", "pk").first()
        or mine.order_by("pk").first()
    )


def scopes() -> dict[str, Scope]:
    people = users()
    officer, coordinator = people["officer"], people["coordinator"]
    district = coordinator.district
    # The coordinator's section: the one of their district with most partnerships.
    busiest = (
        Section.objects.filter(district=district).annotate(count=Count("participations"))
        .order_by("-count", "pk").first()
    )
    candidate = Section.objects.exclude(district=officer.section.district_id).order_by("pk").first()
    own = Scope(officer.user, officer.section, _partnership_of([officer.section]), officer.section.district, candidate)
    return {
        "officer": own,
        "coordinator": Scope(coordinator.user, busiest, _partnership_of(Section.objects.filter(district=district)),
                             district, candidate),
        "staff": Scope(people["staff"], own.section, own.partnership, own.district, candidate),
    }


def _pk_model(name: str):
    for prefix, model in PK_MODELS.items():
        if name.startswith(prefix):
            return model
    return None


def _record(model, partnership: Partnership) -> object | None:
    for path in PARTNERSHIP_PATHS:
        try:
            return model._default_manager.filter(**{path: partnership}).order_by("pk").first()
        except FieldError:
            continue
    return None


def fill(name: str, arguments: set[str], scope: Scope) -> list[dict[str, object]] | str:
    """The URL arguments for this pattern and role (one set per kind or table the pattern
    takes), or why there are none."""
    if arguments & TOKEN_ARGUMENTS:
        return "needs a secret token from a mail or a link"
    values: dict[str, object] = {}
    expand: list[dict[str, object]] = [{}]
    partnership = scope.partnership
    for argument in sorted(arguments):
        if argument == "slug":
            values["slug"] = scope.section.slug
        elif argument == "candidate_slug":
            if scope.candidate is None:
                return "no candidate section"
            values[argument] = scope.candidate.slug
        elif argument == "code":
            values[argument] = scope.district.code
        elif argument == "table":
            tables = SOCIETY_EXPORTS if name.startswith("dashboard_society") else DISTRICT_EXPORTS
            expand = [{**one, "table": table} for one in expand for table in tables]
        elif argument == "item_id":
            continue  # below, once the kind is known
        elif argument == "kind":
            kinds = PLAN_KINDS if ":plan_" in name else Evaluation.Kind.values
            expand = [{**one, "kind": kind} for one in expand for kind in kinds]
        elif argument == "pk" and (model := _pk_model(name)) is not None:
            record = model._default_manager.order_by("pk").first()
            if record is None:
                return f"no {model._meta.verbose_name} in the data"
            values["pk"] = record.pk
        elif partnership is None:
            return "no partnership visible to this role"
        elif argument == "pk" and name == "partnerships:answer":
            # Answered by the invited side, while the partnership is proposed.
            invited = (
                Partnership.objects.filter(status=Status.PROPOSED, participants__section=scope.section)
                .exclude(proposing_section=scope.section).order_by("pk").first()
            )
            values["pk"] = (invited or partnership).pk
        elif argument == "pk" and name.startswith(("partnerships:", "recognition:acknowledge")):
            values["pk"] = partnership.pk
        elif argument == "section_id":
            values[argument] = partnership.participants.order_by("pk").values_list("section_id", flat=True).first()
        elif argument == "checkin_id":
            checkin = CheckIn.objects.filter(period__partnership=partnership).order_by("-due_on", "pk").first()
            if checkin is None:
                return "no check-in in the data"
            values[argument] = checkin.pk
        elif argument in RECORD_ARGUMENTS:
            model = RECORD_ARGUMENTS[argument]
            record = _record(model, partnership)
            if record is None:
                return f"no {model._meta.verbose_name} of the role's partnership in the data"
            values[argument] = record.pk
        else:
            return f"no value for <{argument}> in the data"
    if "item_id" in arguments:
        rows = []
        for one in expand:
            record = _record(PLAN_KINDS[one["kind"]][0], partnership) if partnership else None
            if record is not None:
                rows.append({**one, "item_id": record.pk})
        return [{**values, **row} for row in rows] or "no plan item of the role's partnership in the data"
    return [{**values, **one} for one in expand]


def _label(name: str, kwargs: dict[str, object], query: dict[str, str]) -> str:
    words = [str(kwargs[key]) for key in ("kind", "table") if key in kwargs]
    if query:
        words.append("?" + urlencode(query))
    return " ".join([name, *words])


def site_pages(scopes_by_role: dict[str, Scope]) -> tuple[list[Target], list[Skipped]]:
    """Every GET page outside the admin, per role (status and queries still to be found)."""
    targets: list[Target] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for route, name, pattern in walk():
        if route.startswith("admin/"):
            continue
        if route in seen:
            skipped.append(Skipped(route, name, "shadowed by an earlier pattern with the same address"))
            continue
        seen.add(route)
        reason = NOT_PAGES.get(name) or DOWNLOADS.get(name)
        if reason:
            skipped.append(Skipped(route, name, reason))
            continue
        if name in ANONYMOUS:
            targets.append(Target("anonymous", name, reverse(name)))
            continue
        arguments = set(pattern.pattern.converters)
        for role, scope in scopes_by_role.items():
            filled = fill(name, arguments, scope)
            if isinstance(filled, str):
                skipped.append(Skipped(route, f"{name} ({role})", filled))
                continue
            for kwargs in filled:
                path = reverse(name, kwargs=kwargs)
                for query in [{}, *SEARCHES.get(name, [])]:
                    # A coordinator's or admin's dashboard is of the district they ask for.
                    asked = {"district": scope.district.code, **query} if name in DISTRICT_PAGES and role != "officer" \
                        else query
                    full = f"{path}?{urlencode(asked)}" if asked else path
                    targets.append(Target(role, _label(name, kwargs, query), full))
    return targets, skipped


def admin_pages() -> tuple[list[Target], list[Skipped]]:
    """The admin as the society admin: the index, each app's index, and per registered model its
    changelist (with a search where people search) and one record's change form."""
    targets = [Target("staff", "admin:index", reverse("admin:index"))]
    skipped = [Skipped("admin/…", "admin add, delete, history, import/export and tool pages",
                       "one changelist and one change form per model are measured")]
    apps = sorted({model._meta.app_label for model in admin.site._registry})
    for app in apps:
        targets.append(Target("staff", f"admin:app_list {app}", reverse("admin:app_list", kwargs={"app_label": app})))
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        key = f"{model._meta.app_label}_{model._meta.model_name}"
        changelist = reverse(f"admin:{key}_changelist")
        targets.append(Target("staff", f"admin:{key}_changelist", changelist))
        if key in ADMIN_SEARCHES:
            query = urlencode(ADMIN_SEARCHES[key])
            targets.append(Target("staff", f"admin:{key}_changelist ?{query}", f"{changelist}?{query}"))
        record = model._default_manager.order_by("pk").first()
        if record is None:
            skipped.append(Skipped(f"admin/{model._meta.app_label}/{model._meta.model_name}/<id>/change/",
                                   f"admin:{key}_change", f"no {model._meta.verbose_name} in the data"))
        else:
            targets.append(Target("staff", f"admin:{key}_change", reverse(f"admin:{key}_change", args=[record.pk])))
    return targets, skipped


def prepare() -> dict[str, object]:
    """The users, a session cookie for each (a session in the database, which the gunicorn
    workers read), every page to measure, and what was skipped."""
    by_role = scopes()
    targets, skipped = site_pages(by_role)
    admin_targets, admin_skipped = admin_pages()
    targets = [*targets, *admin_targets]
    cookies = {"anonymous": ""}
    for role, scope in by_role.items():
        client = Client()
        client.force_login(scope.user)
        cookies[role] = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {
        "users": {role: scope.user.email for role, scope in by_role.items()},
        "district": by_role["coordinator"].district.code,
        "cookies": cookies,
        "targets": [asdict(target) for target in targets],
        "skipped": [asdict(item) for item in [*skipped, *admin_skipped]],
    }
