"""Points from records: what the rules say each verified event earns, and the ledger
entries that hold it.

Every event is read from the record that proves it, never from a typed field:

- activated: the partnership's first status change to "active";
- check-in on time: a submitted check-in the system did not mark late;
- mid-term review done / final evaluation confirmed: the evaluation every side confirmed
  (`final_at` set by the last side's confirmation);
- completed, and a bonus per form: the partnership's status change to "completed";
  the completion rule adds points per month between the start date and the completion,
  and per activity done;
- lesson published: a lesson in the library; story published: a published story.

Who earns, as the rule says: every participating section (those that did not decline), or
the section whose record it is: a check-in's or a lesson's own section, and for a record
of the whole partnership (activation, evaluation, completion, story) the section that
proposed it.

The version of a rule that counts is the one in effect on the event's date, so a later
version never rewrites earlier entries. The unique constraint `ledger_event_counts_once`
and `bulk_create(ignore_conflicts=True)` make a replayed event, or two writers at once,
add nothing.

What can be undone, and so gets a reversing entry (by the nightly reconciliation): a story
withdrawn by a society admin, a lesson taken down (back to draft) or deleted, and any
record that earned points and is gone. A reversed event does not earn again when it is
redone (the constraint admits one earning and one reversal per record); an admin adjusts
by hand if that is unfair.

What is not undone: an activation (a partnership ended early keeps its activation points:
both sides did agree and start), a submitted check-in (read-only), a completion (final),
and an evaluation reopened by an edit after every side confirmed it: the sides confirm
it again in the normal course, and reversing would forfeit its points for good. A
partnership ended early never completed, so it never earned the completion or form bonus
points; nothing is reversed for it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation.models import CheckIn, Evaluation, Lesson, Story
from partnerships.models import Activity, Participant, Partnership, Status, Transition
from sections.models import Section
from sections.permissions import is_society_admin

from ..models import LedgerEntry, PointRule, award_year_of

Event = PointRule.Event


class Occurrence(NamedTuple):
    """One event a record proves, before the rules are applied."""

    event: str
    source: type
    source_id: int
    partnership_id: int
    on: datetime.date
    owner_id: int  # the section whose record it is
    form_id: int | None = None  # for a form bonus
    months: int = 0  # for a completion
    activities_done: int = 0  # for a completion


class Due(NamedTuple):
    """One ledger entry the rules say is due."""

    rule: PointRule
    source: type
    source_id: int
    section_id: int
    points: int
    reason: str
    on: datetime.date
    partnership_id: int


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localdate(moment)


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole months from `start` to `end`, never negative."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


# Each finder reads one kind of event from its records, for every record or only those
# given (a receiver awards one source); one query per finder, however many records.


def activations(*, partnership_ids: Iterable[int] | None = None) -> list[Occurrence]:
    rows = Transition.objects.filter(to_status=Status.ACTIVE)
    if partnership_ids is not None:
        rows = rows.filter(partnership_id__in=list(partnership_ids))
    rows = rows.values("partnership_id", "partnership__proposing_section_id").annotate(first=Min("at"))
    return [
        Occurrence(Event.ACTIVATED, Partnership, r["partnership_id"], r["partnership_id"], _day(r["first"]),
                   r["partnership__proposing_section_id"])
        for r in rows
    ]


def checkins_on_time(*, checkin_ids: Iterable[int] | None = None) -> list[Occurrence]:
    rows = CheckIn.objects.filter(state=CheckIn.State.SUBMITTED, late=False, submitted_at__isnull=False)
    if checkin_ids is not None:
        rows = rows.filter(pk__in=list(checkin_ids))
    return [
        Occurrence(Event.CHECKIN_ON_TIME, CheckIn, r["pk"], r["period__partnership_id"], _day(r["submitted_at"]),
                   r["section_id"])
        for r in rows.values("pk", "period__partnership_id", "submitted_at", "section_id")
    ]


def evaluations_final(*, evaluation_ids: Iterable[int] | None = None) -> list[Occurrence]:
    rows = Evaluation.objects.filter(final_at__isnull=False)
    if evaluation_ids is not None:
        rows = rows.filter(pk__in=list(evaluation_ids))
    events = {Evaluation.Kind.MIDTERM: Event.MIDTERM_DONE, Evaluation.Kind.FINAL: Event.FINAL_CONFIRMED}
    return [
        Occurrence(events[r["kind"]], Evaluation, r["pk"], r["partnership_id"], _day(r["final_at"]),
                   r["partnership__proposing_section_id"])
        for r in rows.values("pk", "kind", "partnership_id", "final_at", "partnership__proposing_section_id")
        if r["kind"] in events
    ]


def completions(*, partnership_ids: Iterable[int] | None = None) -> list[Occurrence]:
    """The completion of each completed partnership, and a form bonus per form it had."""
    rows = Transition.objects.filter(to_status=Status.COMPLETED, partnership__status=Status.COMPLETED)
    if partnership_ids is not None:
        rows = rows.filter(partnership_id__in=list(partnership_ids))
    rows = list(
        rows.values("partnership_id", "partnership__start_date", "partnership__proposing_section_id")
        .annotate(first=Min("at"))
    )
    ids = [r["partnership_id"] for r in rows]
    done = dict(
        Activity.objects.filter(partnership_id__in=ids, status=Activity.Status.DONE)
        .values("partnership_id").annotate(n=Count("pk")).values_list("partnership_id", "n")
    )
    forms = defaultdict(list)
    for partnership_id, form_id in Partnership.forms.through.objects.filter(partnership_id__in=ids).values_list(
        "partnership_id", "twinningform_id"
    ):
        forms[partnership_id].append(form_id)
    found = []
    for r in rows:
        pk, on, owner = r["partnership_id"], _day(r["first"]), r["partnership__proposing_section_id"]
        found.append(Occurrence(Event.COMPLETED, Partnership, pk, pk, on, owner,
                                months=months_between(r["partnership__start_date"], on),
                                activities_done=done.get(pk, 0)))
        found.extend(Occurrence(Event.FORM_BONUS, Partnership, pk, pk, on, owner, form_id=f) for f in forms[pk])
    return found


def lessons_published(*, lesson_ids: Iterable[int] | None = None) -> list[Occurrence]:
    rows = Lesson.objects.filter(state=Lesson.State.PUBLISHED, published_at__isnull=False)
    if lesson_ids is not None:
        rows = rows.filter(pk__in=list(lesson_ids))
    return [
        Occurrence(Event.LESSON_PUBLISHED, Lesson, r["pk"], r["partnership_id"], _day(r["published_at"]),
                   r["section_id"])
        for r in rows.values("pk", "partnership_id", "published_at", "section_id")
    ]


def stories_published(*, story_ids: Iterable[int] | None = None) -> list[Occurrence]:
    rows = Story.objects.filter(published_at__isnull=False)
    if story_ids is not None:
        rows = rows.filter(pk__in=list(story_ids))
    return [
        Occurrence(Event.STORY_PUBLISHED, Story, r["pk"], r["partnership_id"], _day(r["published_at"]),
                   r["partnership__proposing_section_id"])
        for r in rows.values("pk", "partnership_id", "published_at", "partnership__proposing_section_id")
    ]


FINDERS = (activations, checkins_on_time, evaluations_final, completions, lessons_published, stories_published)


def all_occurrences() -> list[Occurrence]:
    """Every event the records prove, one query or so per kind of event."""
    return [occurrence for finder in FINDERS for occurrence in finder()]


class Rules:
    """Every rule version, loaded once, to find the one in effect on a day."""

    def __init__(self) -> None:
        self.versions: dict[tuple[str, int | None], list[PointRule]] = defaultdict(list)
        for rule in PointRule.objects.select_related("form"):
            self.versions[(rule.event, rule.form_id)].append(rule)

    def on(self, event: str, form_id: int | None, day: datetime.date) -> PointRule | None:
        for rule in self.versions.get((event, form_id), ()):
            if rule.effective_from <= day and (rule.effective_until is None or day <= rule.effective_until):
                return rule
        return None


def _reason(rule: PointRule, occurrence: Occurrence) -> str:
    reason = str(rule.get_event_display())
    if occurrence.event == Event.FORM_BONUS and rule.form_id:
        reason = f"{reason}: {rule.form}"
    if occurrence.event == Event.COMPLETED and (rule.points_per_month or rule.points_per_activity):
        reason += _(" (%(base)s, %(months)s months × %(per_month)s, %(done)s activities done × %(per_activity)s)") % {
            "base": rule.points, "months": occurrence.months, "per_month": rule.points_per_month,
            "done": occurrence.activities_done, "per_activity": rule.points_per_activity,
        }
    return reason


def dues_for(occurrences: list[Occurrence], *, rules: Rules | None = None) -> list[Due]:
    """The entries the rules say the events earn: per rule version in effect on each event's
    date, for every side or for the record's own section, as the rule says."""
    rules = rules or Rules()
    partnership_ids = {o.partnership_id for o in occurrences}
    sides = defaultdict(list)
    for partnership_id, section_id in (
        Participant.objects.filter(partnership_id__in=partnership_ids)
        .exclude(response=Participant.Response.DECLINED)
        .values_list("partnership_id", "section_id")
    ) if partnership_ids else ():
        sides[partnership_id].append(section_id)
    dues = []
    for occurrence in occurrences:
        rule = rules.on(occurrence.event, occurrence.form_id, occurrence.on)
        if rule is None:
            continue
        points = rule.points
        if occurrence.event == Event.COMPLETED:
            points += rule.points_per_month * occurrence.months + rule.points_per_activity * occurrence.activities_done
        earners = [occurrence.owner_id] if rule.earner == PointRule.Earner.OWNER else sides[occurrence.partnership_id]
        reason = _reason(rule, occurrence)
        dues.extend(
            Due(rule, occurrence.source, occurrence.source_id, section_id, points, reason, occurrence.on,
                occurrence.partnership_id)
            for section_id in earners
        )
    return dues


def points_award(dues: Iterable[Due], *, every_source: bool = False) -> list[LedgerEntry]:
    """Write the entries due; one already written (under any version of its rule) is left
    alone. Returns those that were new when looked at; a concurrent writer's entry is
    dropped by the constraint. `every_source`: the dues cover every record (the
    reconciliation), so the ledger is read whole rather than by source."""
    dues = list(dues)
    if not dues:
        return []
    types = ContentType.objects.get_for_models(*{due.source for due in dues})
    written = _earned_keys(
        {types[due.source].pk for due in dues}, None if every_source else {due.source_id for due in dues}
    )
    entries = []
    for due in dues:
        type_id = types[due.source].pk
        if (due.rule.event, due.rule.form_id, type_id, due.source_id, due.section_id) in written:
            continue
        entries.append(LedgerEntry(
            section_id=due.section_id, points=due.points, kind=LedgerEntry.Kind.EARNED, rule=due.rule,
            source_type_id=type_id, source_id=due.source_id, partnership_id=due.partnership_id,
            award_year=award_year_of(due.on), occurred_on=due.on, reason=due.reason,
        ))
    LedgerEntry.objects.bulk_create(entries, ignore_conflicts=True)
    return entries


def _earned_keys(type_ids: set[int], source_ids: set[int] | None) -> set[tuple]:
    """(event, form, source type, source, section) of the earned entries there are."""
    rows = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.EARNED, source_type_id__in=type_ids)
    if source_ids is not None:
        rows = rows.filter(source_id__in=source_ids)
    return set(rows.values_list("rule__event", "rule__form_id", "source_type_id", "source_id", "section_id"))


def points_reverse_undone(*, dues: list[Due], today: datetime.date | None = None) -> list[LedgerEntry]:
    """A reversing entry for each earned entry not reversed yet whose event the records no
    longer prove (`dues` holds every entry the records prove today). The reversal counts in
    the award year of what it reverses, so that year's total is right."""
    today = today or timezone.localdate()
    types = ContentType.objects.get_for_models(*SOURCE_MODELS)
    proven = {
        (due.rule.event, due.rule.form_id, types[due.source].pk, due.source_id, due.section_id) for due in dues
    }
    # A reopened evaluation keeps its points (see the module's docstring): it counts as
    # proven while it exists.
    evaluation_type = types[Evaluation].pk
    existing_evaluations = set(Evaluation.objects.values_list("pk", flat=True))
    standing = LedgerEntry.objects.filter(
        kind=LedgerEntry.Kind.EARNED, reversed_by__isnull=True, rule__isnull=False
    ).select_related("rule")
    reversals = [
        LedgerEntry(
            section_id=entry.section_id, points=-entry.points, kind=LedgerEntry.Kind.REVERSAL, rule=entry.rule,
            source_type_id=entry.source_type_id, source_id=entry.source_id, partnership_id=entry.partnership_id,
            award_year=entry.award_year, occurred_on=today, reverses=entry,
            reason=_("Reversed: the record no longer shows “%(reason)s”.") % {"reason": entry.reason},
        )
        for entry in standing
        if (entry.rule.event, entry.rule.form_id, entry.source_type_id, entry.source_id, entry.section_id)
        not in proven
        and not (entry.source_type_id == evaluation_type and entry.source_id in existing_evaluations)
    ]
    LedgerEntry.objects.bulk_create(reversals, ignore_conflicts=True)
    return reversals


SOURCE_MODELS = (Partnership, CheckIn, Evaluation, Lesson, Story)


# What a receiver calls: the entries for one record.


def points_award_activation(*, partnership: Partnership) -> list[LedgerEntry]:
    return points_award(dues_for(activations(partnership_ids=[partnership.pk])))


def points_award_completion(*, partnership: Partnership) -> list[LedgerEntry]:
    return points_award(dues_for(completions(partnership_ids=[partnership.pk])))


def points_award_checkin(*, checkin: CheckIn) -> list[LedgerEntry]:
    return points_award(dues_for(checkins_on_time(checkin_ids=[checkin.pk])))


def points_award_evaluation(*, evaluation: Evaluation) -> list[LedgerEntry]:
    return points_award(dues_for(evaluations_final(evaluation_ids=[evaluation.pk])))


def points_award_lesson(*, lesson: Lesson) -> list[LedgerEntry]:
    return points_award(dues_for(lessons_published(lesson_ids=[lesson.pk])))


def points_award_story(*, story: Story) -> list[LedgerEntry]:
    return points_award(dues_for(stories_published(story_ids=[story.pk])))


@transaction.atomic
def ledger_adjust(*, section: Section, points: int, reason: str, actor, award_year: int) -> LedgerEntry:
    """A society admin's correction: an entry of its own, with its author and reason."""
    if not (actor and is_society_admin(actor)):
        raise PermissionDenied(_("Only a society admin may adjust points."))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the points are adjusted.")]
    if not points:
        errors["points"] = [_("An adjustment of zero points changes nothing.")]
    if errors:
        raise ValidationError(errors)
    return LedgerEntry.objects.create(
        section=section, points=points, kind=LedgerEntry.Kind.ADJUSTMENT, reason=reason.strip(),
        created_by=actor, award_year=award_year, occurred_on=timezone.localdate(),
    )
