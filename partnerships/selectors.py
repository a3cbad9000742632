"""Reads for partnerships/: lists and pages fetched with a fixed number of queries."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import BooleanField, Exists, F, Model, OuterRef, Prefetch, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sections.models import District, DistrictCoordinator, Officer
from sections.permissions import is_society_admin, roles_of
from sections.selectors import set_prefetched
from twinning.db import first_with_total

from .models import (
    Activity,
    AgreementChange,
    CommunicationEntry,
    Conflict,
    Endorsement,
    FormIntent,
    FundingLine,
    Goal,
    HandoverNote,
    Indicator,
    Lead,
    LeadVacancy,
    Objective,
    Participant,
    Partnership,
    Status,
    Transition,
)
from .models.partnership import OPEN_STATUSES, RUNNING_STATUSES
from .permissions import visible_partnerships


def with_list_columns(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """`partnerships` with what a row of the partnership list shows (title, dates, status, forms,
    the sections' names and countries), a query per relation and none per row; only those
    columns are read (a partnership's purpose and search text, a section's profile, are long)."""
    return partnerships.only("title", "status", "start_date", "planned_end_date", "updated_at").prefetch_related(
        "forms",
        Prefetch(
            "participants",
            queryset=Participant.objects.select_related("section").only(
                "partnership", "section__name", "section__slug", "section__country"
            ),
        ),
    )


def partnership_list(*, user) -> QuerySet[Partnership]:
    return with_list_columns(visible_partnerships(user)).order_by("-updated_at")


def list_rows(ids: list[int]) -> QuerySet[Partnership]:
    """The list's rows of these partnerships, for a page read in two steps (twinning.pagination)."""
    return with_list_columns(Partnership.objects.filter(pk__in=ids))


def partnerships_of_section(*, section, user) -> list[Partnership]:
    """The section's partnerships that `user` may see, newest first (a section has few: each
    is tested by itself)."""
    of_section = Partnership.objects.filter(participants__section=section)
    return list(with_list_columns(visible_partnerships(user, of_section, few=True)).order_by("-start_date"))


# What the plan's pages read with a partnership, beside its relations below.
PLAN_RELATED = ("proposing_section", "proposed_by", "facilitator_district", "facilitator_section")


def _plan_relations() -> dict[str, str | Prefetch]:
    objectives = Objective.objects.prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.select_related("form", "owning_section", "responsible"),
        ),
        "indicators",
    )
    return {
        "forms": "forms",
        # Who answered or endorsed for a side is not shown: only the admin reads it.
        "participants": Prefetch("participants", queryset=Participant.objects.select_related("section__district")),
        "endorsements": Prefetch("endorsements", queryset=Endorsement.objects.select_related("district")),
        "leads": Prefetch("leads", queryset=Lead.objects.select_related("user", "section")),
        "goals": Prefetch("goals", queryset=Goal.objects.prefetch_related(Prefetch("objectives", queryset=objectives))),
        "funding_lines": "funding_lines",
    }


def partnership_plan_queryset() -> QuerySet[Partnership]:
    """Partnerships with their agreement and plan: the sides, endorsements, leads, forms,
    goals → objectives → activities and indicators, funding lines (what the report shows)."""
    return Partnership.objects.select_related(*PLAN_RELATED).prefetch_related(*_plan_relations().values())


def _detail_relations() -> dict[str, str | Prefetch]:
    return {
        **_plan_relations(),
        "lead_vacancies": Prefetch(
            "lead_vacancies",
            queryset=LeadVacancy.objects.filter(resolved_at__isnull=True).select_related("section", "outgoing"),
            to_attr="open_lead_vacancies",
        ),
        "handover_notes": Prefetch("handover_notes", queryset=HandoverNote.objects.select_related("written_by")),
        "form_intents": Prefetch("form_intents", queryset=FormIntent.objects.select_related(
            "form", "host_section", "giver", "formative_section"
        )),
        "communications": Prefetch("communications", queryset=CommunicationEntry.objects.select_related("recorded_by")),
        "conflicts": Prefetch("conflicts", queryset=Conflict.objects.select_related("raised_by", "raised_for")),
        "transitions": Prefetch("transitions", queryset=Transition.objects.select_related("actor")),
        "agreement_changes": Prefetch(
            "agreement_changes",
            queryset=AgreementChange.objects.select_related(
                "proposed_by", "proposed_by_section", "decided_by"
            ).prefetch_related("confirmations"),
        ),
    }


# Every partnership has its forms, its sides and the transition that created it: read with it.
DETAIL_ALWAYS = ("forms", "participants", "transitions")


def partnership_detail_queryset() -> QuerySet[Partnership]:
    """Partnerships with everything the partnership page shows: the plan and the records of
    running it; for permissions.get_partnership_for_user to check and load the page's
    partnership at once, then read_detail_relations.

    Most of those relations are empty on most partnerships (no conflict, vacancy, handover
    note or agreement change; no plan before it is endorsed), and a prefetch that finds
    nothing still costs 1-3 ms of query building. So the partnership's query asks which hold
    rows (`has_<relation>`) and read_detail_relations reads only those, a query each: never
    more queries than relations, however much they hold. It asks the same of the histories
    the page shows (`has_<kind>_history`: the plan's for _plan_rows, each side's record's for
    _side_rows)."""
    relations = _detail_relations()
    return (
        Partnership.objects.select_related(*PLAN_RELATED)
        .prefetch_related(*(relations[name] for name in DETAIL_ALWAYS))
        .annotate(**_detail_checks())
    )


@functools.cache
def _detail_checks() -> dict[str, RawSQL]:
    """The questions partnership_detail_queryset asks, made once: the SQL never changes."""
    return {
        **{f"has_{name}": _has_rows(Partnership._meta.get_field(name).related_model)
           for name in _detail_relations() if name not in DETAIL_ALWAYS},
        # Only the open vacancies are shown.
        "has_lead_vacancies": _has_rows(LeadVacancy, condition=' AND "resolved_at" IS NULL'),
        "has_lead_history": _has_rows(Lead.history.model),
        # Of a side's record the history shows the changes only.
        "has_participant_history": _has_rows(
            Participant.history.model, condition=' AND "history_type" = %s', params=("~",)
        ),
        "has_conflict_history": _has_rows(Conflict.history.model),
        # The plan's items, for _plan_rows: none before the plan is begun.
        "has_plan_history": _has_rows(*(model.history.model for model, _label in HISTORY_KINDS)),
    }


def _has_rows(*models: type[Model], condition: str = "", params: tuple = ()) -> RawSQL:
    """Whether the partnership of the outer query has rows in one of the tables of `models`
    (meeting `condition`), as EXISTS written out: the ORM's Exists takes ~0.3 ms each to
    build and compile, and the page asks eighteen."""
    quote = connection.ops.quote_name
    outer = f"{quote(Partnership._meta.db_table)}.{quote(Partnership._meta.pk.column)}"
    exists = [
        f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.get_field('partnership').column)} = {outer}{condition})"
        for model in models
    ]
    return RawSQL(" OR ".join(exists), params * len(models), output_field=BooleanField())


def read_detail_relations(partnership: Partnership) -> None:
    """Read the relations of a partnership loaded by partnership_detail_queryset that its
    query found rows in; leave the others empty as a prefetch would, without a query."""
    found = []
    for name, lookup in _detail_relations().items():
        if name in DETAIL_ALWAYS:
            continue
        if getattr(partnership, f"has_{name}"):
            found.append(lookup)
        elif isinstance(lookup, Prefetch) and lookup.to_attr:
            setattr(partnership, lookup.to_attr, [])
        else:
            set_prefetched(partnership, name, [])
    prefetch_related_objects([partnership], *found)


def form_intents(*, partnership: Partnership) -> list[FormIntent]:
    """What the proposal said about each of its forms of twinning, in the forms' order."""
    return list(
        FormIntent.objects.filter(partnership=partnership)
        .select_related("form", "host_section", "giver", "formative_section")
    )


def intent_for(intents: list[FormIntent], *codes: str) -> FormIntent | None:
    """The first intent among `intents` of one of the forms `codes`."""
    return next((intent for intent in intents if intent.form.code in codes), None)


def lead_candidates(*, partnership: Partnership, section_ids) -> QuerySet[Officer]:
    """People who may lead for the participating sections among `section_ids` (the sides the
    user names leads for): their current officers."""
    return (
        Officer.objects.open_now()
        .filter(section__participations__partnership=partnership, section_id__in=list(section_ids))
        .select_related("user", "section")
        .order_by("section__name", "user__full_name")
    )


def sections_led(*, partnership: Partnership, without: Lead | None = None) -> set[int]:
    """The participating sections with a lead who holds an office there today (leaving out
    `without`): activation needs every section in it, and a running partnership keeps it so."""
    in_office = Officer.objects.open_now().filter(
        section__participations__partnership=partnership
    ).values_list("section_id", "user_id")
    leads = partnership.leads.exclude(pk=without.pk) if without else partnership.leads.all()
    return {section_id for section_id, _user in set(leads.values_list("section_id", "user_id")) & set(in_office)}


def leads_in_office_queryset():
    """The leads who hold an office in their section today and can sign in (the rule of
    `leads_in_office`), as a queryset to narrow further in SQL."""
    in_office = Officer.objects.open_now().filter(section_id=OuterRef("section_id"), user_id=OuterRef("user_id"))
    return Lead.objects.filter(Exists(in_office), user__is_active=True)


def leads_in_office(*, partnership_ids) -> list[Lead]:
    """The leads of these partnerships who hold an office in their section today and can sign
    in (user loaded): the people who speak, and are written to, for a side. Two queries."""
    ids = list(partnership_ids)
    in_office = set(
        Officer.objects.open_now().filter(section__participations__partnership_id__in=ids).values_list(
            "section_id", "user_id"
        )
    )
    leads = Lead.objects.filter(partnership_id__in=ids, user__is_active=True).select_related("user")
    return [lead for lead in leads if (lead.section_id, lead.user_id) in in_office]


HISTORY_KINDS = (
    (Goal, "title"),
    (Objective, "title"),
    (Activity, "title"),
    (Indicator, "name"),
    (FundingLine, "source"),
)


def partnership_history(*, partnership: Partnership) -> list[dict]:
    """Status changes and every plan change, newest first, as rows the history tab shows."""
    rows = [
        {
            "at": transition.at,
            "who": transition.actor,
            "what": "status",
            "label": transition.get_to_status_display(),
            "from": transition.get_from_status_display() if transition.from_status else "",
            "detail": transition.reason,
        }
        for transition in partnership.transitions.all()
    ]
    if _has_history(partnership, "plan"):
        rows.extend(_plan_rows(partnership))
    rows.extend(_agreement_rows(partnership))
    rows.extend(_side_rows(partnership))
    return sorted(rows, key=lambda row: row["at"], reverse=True)


def _plan_rows(partnership: Partnership) -> list[dict]:
    """Every change to the plan's items, kind by kind (HISTORY_KINDS) and newest first within
    a kind. Two queries: the five histories as one UNION ALL, then the people who made them."""
    histories = [
        model.history.filter(partnership_id=partnership.pk)
        .annotate(kind=Value(index), label=F(label_field))
        .values_list("kind", "history_date", "history_id", "history_user_id", "history_type", "label", "history_change_reason")
        .order_by()
        for index, (model, label_field) in enumerate(HISTORY_KINDS)
    ]
    records = list(histories[0].union(*histories[1:], all=True))
    # As each history's own order (newest first), kind after kind.
    records.sort(key=lambda record: (record[1], record[2]), reverse=True)
    records.sort(key=lambda record: record[0])
    people = get_user_model().objects.in_bulk({record[3] for record in records} - {None})
    change = {"+": "added", "~": "changed", "-": "removed"}
    return [
        {
            "at": at,
            "who": people.get(user_id),
            "what": change[history_type],
            "label": f"{HISTORY_KINDS[kind][0]._meta.verbose_name.capitalize()}: {label}",
            "from": "",
            # Names what moved the item when it was not a plan edit (a check-in, an amendment).
            "detail": reason or "",
        }
        for kind, at, _id, user_id, history_type, label, reason in records
    ]


def _agreement_rows(partnership: Partnership) -> list[dict]:
    """Each proposed change to the agreement, before → after, and how it ended (from the
    page's prefetched changes)."""
    rows = []
    for change in partnership.agreement_changes.all():
        before = ", ".join(str(v) for v in (
            change.get_kind_before_display() if change.kind_before else "—",
            change.signed_on_before or "—", change.planned_end_date_before,
        ))
        after = ", ".join(str(v) for v in (
            change.get_kind_display(), change.signed_on or "—", change.planned_end_date,
        ))
        document = _(" with a new signed document") if change.document else ""
        rows.append({
            "at": change.proposed_at, "who": change.proposed_by, "what": "note",
            "label": _("%(section)s proposed a change to the agreement%(document)s: %(before)s → %(after)s")
            % {"section": change.proposed_by_section.name, "document": document, "before": before, "after": after},
            "from": "", "detail": "",
        })
        if change.decided_at:
            rows.append({
                "at": change.decided_at, "who": change.decided_by, "what": "note",
                "label": _("The agreement change of %(section)s: %(state)s")
                % {"section": change.proposed_by_section.name, "state": change.get_state_display().lower()},
                "from": "", "detail": change.comment,
            })
    return rows


# Each side's own record: the fields whose changes the history shows, by model.
SIDE_FIELDS = {
    Participant: ("signed_by", "gives", "gains"),
    Conflict: ("status", "mediator", "resolution"),
}


def _side_rows(partnership: Partnership) -> list[dict]:
    """Changes to each side's own record, who made them and what they were before: leads
    named and removed, signatories and give and take restated, conflicts moved on. A query
    each of the three histories, none for one the partnership's query found empty."""
    rows = []
    leads = Lead.history.filter(partnership_id=partnership.pk).select_related("history_user", "user", "section")
    for record in leads if _has_history(partnership, "lead") else ():
        if record.history_type == "~":
            continue
        rows.append({
            "at": record.history_date, "who": record.history_user,
            "what": "added" if record.history_type == "+" else "removed",
            "label": _("Lead for %(section)s: %(user)s") % {"section": record.section.name, "user": record.user.full_name},
            "from": "", "detail": "",
        })
    for model, fields in SIDE_FIELDS.items():
        if not _has_history(partnership, model._meta.model_name):
            continue
        section_field = "section" if model is Participant else "raised_for"
        records = (
            model.history.filter(partnership_id=partnership.pk)
            .select_related("history_user", section_field)
            .order_by("id", "history_date", "history_id")
        )
        previous: dict[int, object] = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            section = getattr(record, section_field)
            if model is Conflict and record.history_type == "+":
                rows.append({
                    "at": record.history_date, "who": record.history_user, "what": "added",
                    "label": _("Conflict raised for %(section)s") % {"section": section.name},
                    "from": "", "detail": "",
                })
                continue
            if record.history_type != "~" or before is None:
                continue
            for name in fields:
                old, new = getattr(before, name), getattr(record, name)
                if old == new:
                    continue
                field = model._meta.get_field(name)
                if field.choices:
                    choices = dict(field.choices)
                    old, new = choices.get(old, old), choices.get(new, new)
                rows.append({
                    "at": record.history_date, "who": record.history_user, "what": "changed",
                    "label": f"{section.name}: {field.verbose_name}",
                    "from": "", "detail": f"“{old or '—'}” → “{new or '—'}”",
                })
    return rows


def _has_history(partnership: Partnership, kind: str) -> bool:
    """Whether the history (the plan's, a side's record's) holds records the page shows, as
    partnership_detail_queryset asked; read it when the partnership was loaded otherwise."""
    return getattr(partnership, f"has_{kind}_history", True)


# The home page lists this many of what waits for a user, with the true count and a link to
# the partnership list that shows them all (its `waiting` filter).
WAITING_SHOWN = 10
# What waits for the user on a partnership follows from its status (partnerships_waiting_for).
WAITING_STEP = {Status.DRAFT: "send", Status.PROPOSED: "answer", Status.ACCEPTED: "endorse", Status.ENDORSED: "activate"}


def waiting_for(user) -> Q:
    """The condition on a partnership that it waits for `user`: drafts of their sections to send,
    proposals to their sections to answer (not by whoever sent them), endorsements to give,
    endorsed partnerships of their sections to plan and activate.

    An endorsement waits for whoever may give it by the access rule
    (PartnershipAccess.endorsable_district_ids): the district's coordinators in office, or
    the society admins where it has none. Apply it to partnerships the user may see."""
    roles = roles_of(user)
    mine = roles.section_ids
    answering = Q(pk__in=roles.district_ids)
    if is_society_admin(user):
        covered = DistrictCoordinator.objects.open_now().filter(user__is_active=True).values("district_id")
        answering |= ~Q(pk__in=covered)
    taking_part = Participant.objects.filter(partnership_id=OuterRef("pk"))
    unendorsed = taking_part.filter(section__district__in=District.objects.filter(answering)).exclude(
        Exists(Endorsement.objects.filter(partnership_id=OuterRef("partnership_id"), district_id=OuterRef("section__district_id")))
    )
    return (
        Q(status=Status.DRAFT, proposing_section_id__in=mine)
        & Exists(taking_part.filter(section_id=OuterRef("proposing_section_id")))
        | Q(status=Status.PROPOSED) & ~Q(proposed_by_id=user.pk)
        & Exists(taking_part.filter(section_id__in=mine, response=Participant.Response.PENDING))
        | Q(status=Status.ACCEPTED) & Exists(unendorsed)
        | Q(status=Status.ENDORSED) & Exists(taking_part.filter(section_id__in=mine))
    )


def partnerships_waiting_for(user) -> QuerySet[Partnership]:
    """What waits for `user` (waiting_for) among what they may see, longest waiting first."""
    return visible_partnerships(user).filter(waiting_for(user)).order_by("updated_at", "pk")


def partnerships_needing_action(*, user, limit: int = WAITING_SHOWN) -> tuple[list[tuple[Partnership, str]], int]:
    """The first `limit` of what waits for `user` (partnerships_waiting_for), each with its
    step ("send", "answer", "endorse", "activate") and what the home shows of it (title and
    sections' names), and how many wait in all. Two queries: the
    total is counted beside the rows (COUNT(*) OVER ()), so who may see what is worked out once."""
    shown, total = first_with_total(
        partnerships_waiting_for(user).only("title", "status").prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("section").only(
                "partnership", "section__name"
            )),
        ),
        limit,
    )
    return [(partnership, WAITING_STEP[partnership.status]) for partnership in shown], total


def open_partnerships_of_sections(*, section_ids) -> QuerySet[Partnership]:
    """The open partnerships (draft to suspended) in which one of these sections takes part,
    with their sections, districts and endorsements: the officer's home lists them with what
    is pending and who must act. Three queries once evaluated."""
    return (
        Partnership.objects.filter(
            status__in=OPEN_STATUSES,
            pk__in=Participant.objects.filter(section_id__in=section_ids).values("partnership_id"),
        )
        .prefetch_related(
            Prefetch("participants", queryset=Participant.objects.select_related("section__district")),
            "endorsements",
        )
        .order_by("title", "pk")
    )


def sides_without_lead(*, section_ids) -> list[Participant]:
    """The sides, among these sections, of running partnerships with no lead who holds an
    office there today (their lead's term ended): the section must name another. One query:
    each side is checked for such a lead (leads_in_office_queryset) through the indexes."""
    led = leads_in_office_queryset().filter(
        partnership_id=OuterRef("partnership_id"), section_id=OuterRef("section_id")
    )
    return list(
        Participant.objects.filter(section_id__in=section_ids, partnership__status__in=RUNNING_STATUSES)
        .filter(~Exists(led))
        .select_related("partnership", "section")
        .order_by("partnership__title", "partnership_id", "section__name")
    )


def open_lead_vacancies(*, section_ids) -> list[LeadVacancy]:
    """The leads these sections must name again, their lead's office having ended, on
    partnerships still open: the home page's to-do. One query."""
    return list(
        LeadVacancy.objects.filter(
            section_id__in=section_ids, resolved_at__isnull=True, partnership__status__in=OPEN_STATUSES
        )
        .select_related("partnership", "section", "outgoing")
        .order_by("partnership__title", "partnership_id", "section__name")
    )


def activities_of_sections(*, section_ids) -> QuerySet[Activity]:
    """The planned activities (not cancelled) of running partnerships in which one of these
    sections takes part, whichever side carries them out: both sides' calendars hold them."""
    return (
        Activity.objects.filter(
            partnership__status__in=RUNNING_STATUSES,
            partnership_id__in=Participant.objects.filter(section_id__in=section_ids).values("partnership_id"),
        )
        .exclude(status=Activity.Status.CANCELLED)
        .select_related("partnership", "owning_section")
        .order_by("start_date", "pk")
    )


class PlanWarning(NamedTuple):
    """A plan item whose dates do not fit the partnership, and why, in words."""

    item: Activity | FundingLine
    message: str


def plan_warnings(
    partnership: Partnership, today: datetime.date, *, prefetched: bool = False
) -> list[PlanWarning]:
    """What in the plan is unrealistic: activities or funding dated outside the partnership's
    window (start to planned end), pending funding whose decision date has passed. Two
    queries however large the plan, none when the partnership was loaded with its plan
    (`prefetched`: partnership_plan_queryset); none for a closed partnership, whose plan is
    history. Warnings inform, they never block a save."""
    if partnership.status not in OPEN_STATUSES:
        return []
    start, end = partnership.start_date, partnership.planned_end_date
    window = {"start": date_format(start), "end": date_format(end)}
    warnings = []
    # A cancelled activity will not happen, so its dates no longer matter.
    if prefetched:
        activities = sorted(
            (activity for activity in _prefetched_activities(partnership) if activity.status != Activity.Status.CANCELLED),
            key=lambda activity: (activity.start_date, activity.pk),
        )
        lines = sorted(
            (line for line in partnership.funding_lines.all() if line.expected_by is not None),
            key=lambda line: line.pk,
        )
    else:
        activities = partnership.activities.exclude(status=Activity.Status.CANCELLED).order_by("start_date", "pk")
        lines = partnership.funding_lines.exclude(expected_by=None).order_by("pk")
    for activity in activities:
        if activity.start_date < start or activity.end_date > end:
            warnings.append(PlanWarning(activity, _(
                "Runs %(from)s – %(to)s, outside the partnership's window (%(start)s – %(end)s): "
                "move its dates or the partnership's planned end."
            ) % {"from": date_format(activity.start_date), "to": date_format(activity.end_date), **window}))
    for line in lines:
        if not start <= line.expected_by <= end:
            warnings.append(PlanWarning(line, _(
                "Expected by %(date)s, outside the partnership's window (%(start)s – %(end)s)."
            ) % {"date": date_format(line.expected_by), **window}))
        if line.status == FundingLine.Status.PENDING and line.expected_by < today:
            warnings.append(PlanWarning(line, _(
                "Still pending, though a decision was expected by %(date)s: confirm it, or give the new date."
            ) % {"date": date_format(line.expected_by)}))
    return warnings


def _prefetched_activities(partnership: Partnership) -> list[Activity]:
    """The plan's activities as partnership_plan_queryset loaded them, goal by goal."""
    return [
        activity
        for goal in partnership.goals.all()
        for objective in goal.objectives.all()
        for activity in objective.activities.all()
    ]


def flag_plan_items(partnership: Partnership, warnings: list[PlanWarning]) -> None:
    """Hang each warning on the page's own copy of its item (as `plan_warnings`), so the plan
    shows it beside the item; the copies come from `partnership_detail_queryset`'s prefetch, no query."""
    by_item: dict[tuple[type[Model], int], list[str]] = defaultdict(list)
    for warning in warnings:
        by_item[type(warning.item), warning.item.pk].append(warning.message)
    for activity in _prefetched_activities(partnership):
        activity.plan_warnings = by_item.get((Activity, activity.pk), [])
    for line in partnership.funding_lines.all():
        line.plan_warnings = by_item.get((FundingLine, line.pk), [])
