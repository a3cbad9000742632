"""Evaluations: the optional mid-term review, the final evaluation and the shorter one on
ending early, each co-signed by every participating section; and the gate that keeps a
partnership from closing without one.

Every service locks the partnership's row first, then the evaluation's (the order the
lifecycle's complete and end take, so an edit and a completion never interleave), and
checks after.

Co-signing. Either side drafts; each side's lead confirms for it. An edit that changes
anything after a confirmation clears every confirmation (and `final_at`), and the sides
that had confirmed are told: what each side signed is what the evaluation says. The
evaluation is final once every side has confirmed. The district coordinators' comment
is theirs, not the sides', so it clears nothing.

What each kind asks (`PARTS`): every kind has the summary, the objectives (achieved,
partly, not, with evidence), the challenges met, and each side's gave / gained / would do
differently. The mid-term review adds the indicators and the benefits so far; the final
evaluation adds sustainability and the public story; the evaluation on ending early
keeps only the common parts: a partnership that stops has no final values to report and
no story to publish, and the sides should not be held up by a long form.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils import timezone
from django.utils.translation import gettext as _

from partnerships.models import Lead, Partnership, Status
from partnerships.selectors import leads_in_office
from partnerships.permissions import access_for
from partnerships.services import upload_store
from sections.models import Officer
from sections.selectors import coordinators_of_districts
from twinning import mail
from twinning.validators import validate_photo

from ..models import (
    Benefit,
    BenefitRating,
    ChallengeCategory,
    CheckIn,
    Evaluation,
    EvaluationSide,
    IndicatorActual,
    IndicatorResult,
    Lesson,
    ObjectiveResult,
)
from ..signals import evaluation_final

Kind = Evaluation.Kind

# The partnership's states in which each kind can be started, edited and confirmed.
OPEN_FOR = {
    Kind.MIDTERM: (Status.ACTIVE, Status.SUSPENDED),
    Kind.FINAL: (Status.ACTIVE,),
    Kind.EARLY_END: (Status.ACTIVE, Status.SUSPENDED),
}

PARTS = {
    Kind.MIDTERM: frozenset({"indicators", "benefits"}),
    Kind.FINAL: frozenset({"indicators", "benefits", "sustainability", "story"}),
    Kind.EARLY_END: frozenset(),
}

# The evaluation's own fields, by the part that asks for them.
COMMON_FIELDS = ("summary", "challenges_note")
PART_FIELDS = {
    "sustainability": ("continuation", "continuation_how"),
    "story": ("story_title",),
}
SIDE_FIELDS = ("gave", "gained", "do_differently")
RATINGS = range(0, 6)


def parts_of(kind: str) -> frozenset[str]:
    return PARTS[Kind(kind)]


def fields_of(kind: str) -> tuple[str, ...]:
    """The evaluation's text fields its kind asks for."""
    parts = parts_of(kind)
    return COMMON_FIELDS + tuple(name for part, names in PART_FIELDS.items() if part in parts for name in names)


def lesson_form_url(partnership: Partnership, kind: str) -> str | None:
    """Where a lesson is written for this partnership, in the evaluation's flow; None while
    the lessons pages are not installed."""
    try:
        path = reverse("partnerships:lesson_new", kwargs={"pk": partnership.pk})
    except NoReverseMatch:
        return None
    return f"{path}?evaluation={kind}"


def evaluation_url(partnership: Partnership, kind: str) -> str:
    return reverse("partnerships:evaluation", kwargs={"pk": partnership.pk, "kind": kind})


def _lock(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _lock_evaluation(evaluation: Evaluation) -> tuple[Partnership, Evaluation]:
    partnership = _lock(evaluation.partnership)
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    locked.partnership = partnership
    return partnership, locked


def _check_open(partnership: Partnership, kind: str) -> None:
    if partnership.status not in OPEN_FOR[Kind(kind)]:
        raise ValidationError(
            _("This partnership is %(status)s: its %(kind)s cannot be started or changed now.")
            % {"status": partnership.get_status_display().lower(), "kind": Kind(kind).label.lower()},
            code="closed",
        )


def _objective_guess(statuses: list[str]) -> str:
    """A first answer for an objective from its activities' status, for the sides to correct."""
    live = [status for status in statuses if status != "cancelled"]
    if live and all(status == "done" for status in live):
        return ObjectiveResult.Outcome.ACHIEVED
    if any(status in ("done", "in-progress") for status in live):
        return ObjectiveResult.Outcome.PARTLY
    return ObjectiveResult.Outcome.NOT


def latest_actuals(partnership: Partnership) -> dict[int, IndicatorActual]:
    """Each indicator's latest submitted actual value, by indicator id."""
    latest: dict[int, IndicatorActual] = {}
    for actual in IndicatorActual.objects.filter(
        indicator__partnership=partnership, checkin__state=CheckIn.State.SUBMITTED
    ).order_by("measured_on", "pk"):
        latest[actual.indicator_id] = actual
    return latest


def _prefill(evaluation: Evaluation, partnership: Partnership) -> None:
    """A result for every objective (and, where the kind asks, every indicator) of the plan
    that has none yet: a first answer from the activities' status and the latest check-ins,
    for the sides to correct. The plan may change while a review is drafted."""
    have_objectives = set(evaluation.objective_results.values_list("objective_id", flat=True))
    statuses: dict[int, list[str]] = {}
    for objective_id, status in partnership.activities.values_list("objective_id", "status"):
        statuses.setdefault(objective_id, []).append(status)
    ObjectiveResult.objects.bulk_create(
        ObjectiveResult(evaluation=evaluation, objective_id=objective_id, outcome=_objective_guess(statuses.get(objective_id, [])))
        for objective_id in partnership.objectives.order_by("pk").values_list("pk", flat=True)
        if objective_id not in have_objectives
    )
    if "indicators" not in parts_of(evaluation.kind):
        return
    have_indicators = set(evaluation.indicator_results.values_list("indicator_id", flat=True))
    missing = [indicator for indicator in partnership.indicators.order_by("pk") if indicator.pk not in have_indicators]
    if not missing:
        return
    latest = latest_actuals(partnership)
    results = []
    for indicator in missing:
        actual = latest.get(indicator.pk)
        results.append(IndicatorResult(
            evaluation=evaluation, indicator=indicator,
            value=actual.value if actual else indicator.baseline,
            note=(
                _("From the check-in measured on %(date)s.") % {"date": date_format(actual.measured_on)}
                if actual else _("No check-in reported it: the baseline.")
            ),
        ))
    IndicatorResult.objects.bulk_create(results)


@transaction.atomic
def evaluation_start(*, partnership: Partnership, kind: str, actor) -> Evaluation:
    """Start the partnership's evaluation of `kind` (or return the one started already), with
    one side per participating section and the objectives and indicators pre-filled from the
    plan and the check-ins. Officers of a participating section start it."""
    partnership = _lock(partnership)
    kind = Kind(kind)
    if not access_for(actor, partnership).may_manage:
        raise PermissionDenied(_("Only officers of the participating sections can start an evaluation."))
    existing = Evaluation.objects.filter(partnership=partnership, kind=kind).first()
    if existing is not None:
        return existing
    _check_open(partnership, kind)
    evaluation = Evaluation.objects.create(partnership=partnership, kind=kind, created_by=actor, updated_by=actor)
    EvaluationSide.objects.bulk_create(
        EvaluationSide(evaluation=evaluation, section_id=section_id)
        for section_id in partnership.participants.order_by("pk").values_list("section_id", flat=True)
    )
    _prefill(evaluation, partnership)
    return evaluation


def _content(evaluation: Evaluation) -> dict:
    """Everything the sides sign, read back from the database: two reads that differ mean an edit."""
    fresh = Evaluation.objects.get(pk=evaluation.pk)
    return {
        "fields": {name: getattr(fresh, name) for name in (*fields_of(evaluation.kind), "story_photo")},
        "challenges": sorted(evaluation.challenges.values_list("pk", flat=True)),
        "sides": list(evaluation.sides.order_by("pk").values_list("pk", *SIDE_FIELDS, "story_consent")),
        "benefits": sorted(BenefitRating.objects.filter(side__evaluation=evaluation).values_list(
            "side_id", "benefit", "rating", "explanation"
        )),
        "objectives": sorted(evaluation.objective_results.values_list("objective_id", "outcome", "evidence")),
        "indicators": sorted(evaluation.indicator_results.values_list("indicator_id", "value", "note")),
    }


def _leads_in_office(partnership: Partnership, section_ids: Iterable[int]) -> dict[int, set]:
    """The leads of these sections who hold an office there today, by section id."""
    leads: dict[int, set] = {section_id: set() for section_id in section_ids}
    for lead in leads_in_office(partnership_ids=[partnership.pk]):
        if lead.section_id in leads:
            leads[lead.section_id].add(lead.user)
    return leads


def _tell(template: str, evaluation: Evaluation, recipients: Iterable, **context) -> None:
    mail.send(
        f"evaluation/email/{template}",
        to=list(recipients),
        context={
            "evaluation": evaluation,
            "partnership": evaluation.partnership,
            "kind": evaluation.get_kind_display(),
            "url": mail.absolute_url(evaluation_url(evaluation.partnership, evaluation.kind)),
            **context,
        },
    )


@transaction.atomic
def evaluation_save(
    *,
    evaluation: Evaluation,
    actor,
    data: dict | None = None,
    challenges: Iterable[ChallengeCategory] | None = None,
    objectives: dict[int, tuple[str, str]] | None = None,
    indicators: dict[int, tuple[Decimal, str]] | None = None,
    sides: dict[int, dict] | None = None,
    benefits: dict[int, dict[str, tuple[int, str] | None]] | None = None,
    story_photo=None,
) -> Evaluation:
    """Save a draft of the evaluation, by an officer of either side.

    `data` holds the evaluation's own fields its kind asks for; `objectives` {objective id:
    (outcome, evidence)}; `indicators` {indicator id: (final value, note)}; `sides` {section
    id: {gave, gained, do_differently, story_consent}} and `benefits` {section id: {benefit:
    (rating, explanation) or None to clear}} only for the sections the actor is an officer
    of: each side's own part is its own. Whatever is left out stays as it is.

    An edit that changes anything after a confirmation clears every confirmation and
    `final_at`, and tells the sides that had confirmed."""
    partnership, evaluation = _lock_evaluation(evaluation)
    access = access_for(actor, partnership)
    if not access.may_manage:
        raise PermissionDenied(_("Only officers of the participating sections can edit the evaluation."))
    others = {section_id for section_id in [*(sides or {}), *(benefits or {})] if not access.acts_for(section_id)}
    if others:
        raise PermissionDenied(_("Each side writes its own part: what it gave, gained and realised is its own to say."))
    _check_open(partnership, evaluation.kind)
    parts = parts_of(evaluation.kind)
    errors: dict[str, list[str]] = {}
    before = _content(evaluation)
    # Objectives and indicators added to the plan since the start join the evaluation: a
    # change to what the sides sign, like any other.
    _prefill(evaluation, partnership)

    allowed = set(fields_of(evaluation.kind))
    for name, value in (data or {}).items():
        if name not in allowed:
            errors.setdefault(name, []).append(_("This evaluation does not ask for it."))
            continue
        setattr(evaluation, name, value)
    if story_photo is not None:
        if "story" not in parts:
            errors.setdefault("story_photo", []).append(_("This evaluation does not ask for it."))
        else:
            # The form checks it too; the service is the last word for any other caller.
            try:
                validate_photo(story_photo)
            except ValidationError as exc:
                errors.setdefault("story_photo", []).extend(exc.messages)
            else:
                try:
                    # The photo it replaces goes: a story shares the file only once the partnership
                    # has completed, and then its final evaluation no longer changes.
                    upload_store(
                        partnership=partnership, actor=actor, instance=evaluation, field="story_photo",
                        upload=story_photo, error_field="story_photo",
                    )
                except ValidationError as exc:
                    errors.setdefault("story_photo", []).extend(exc.message_dict["story_photo"])
    if (indicators or benefits) and not {"indicators", "benefits"} & parts:
        errors.setdefault("__all__", []).append(_("This evaluation does not ask for indicators or benefits."))
    if errors:
        raise ValidationError(errors)
    evaluation.updated_by = actor
    try:
        evaluation.full_clean(exclude=["partnership", "created_by", "updated_by", "coordinator_comment_by"])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from None
    evaluation.save()
    if challenges is not None:
        evaluation.challenges.set(challenges)

    results = {result.objective_id: result for result in evaluation.objective_results.all()}
    for objective_id, (outcome, evidence) in (objectives or {}).items():
        result = results.get(objective_id)
        if result is None or outcome not in ObjectiveResult.Outcome.values:
            raise ValidationError({"__all__": [_("An objective's result was not understood.")]})
        result.outcome, result.evidence = outcome, evidence
        result.save(update_fields=["outcome", "evidence"])

    if "indicators" in parts:
        stored = {result.indicator_id: result for result in evaluation.indicator_results.all()}
        for indicator_id, (value, note) in (indicators or {}).items():
            result = stored.get(indicator_id)
            if result is None:
                raise ValidationError({"__all__": [_("An indicator's result was not understood.")]})
            result.value, result.note = value, note
            result.full_clean(exclude=["evaluation", "indicator"])
            result.save(update_fields=["value", "note"])

    by_section = {side.section_id: side for side in evaluation.sides.all()}
    for section_id, values in (sides or {}).items():
        side = by_section[section_id]
        for name in SIDE_FIELDS:
            if name in values:
                setattr(side, name, values[name])
        if "story_consent" in values and "story" in parts:
            side.story_consent = bool(values["story_consent"])
        side.save(update_fields=[*SIDE_FIELDS, "story_consent"])
    if "benefits" in parts:
        for section_id, ratings in (benefits or {}).items():
            side = by_section[section_id]
            for benefit, rated in ratings.items():
                if benefit not in Benefit.values:
                    raise ValidationError({"__all__": [_("A benefit was not understood.")]})
                if rated is None:
                    BenefitRating.objects.filter(side=side, benefit=benefit).delete()
                    continue
                rating, explanation = rated
                if rating not in RATINGS:
                    raise ValidationError({"__all__": [_("Rate each benefit from 0 to 5.")]})
                BenefitRating.objects.update_or_create(
                    side=side, benefit=benefit, defaults={"rating": rating, "explanation": explanation}
                )

    if _content(evaluation) != before:
        _reopen(evaluation, actor)
    return evaluation


def _reopen(evaluation: Evaluation, actor) -> None:
    """After an edit: clear every confirmation and tell the sides that had confirmed."""
    confirmed = list(evaluation.sides.filter(confirmed_at__isnull=False).select_related("confirmed_by", "section"))
    if not confirmed:
        return
    evaluation.sides.update(confirmed_at=None, confirmed_by=None)
    if evaluation.final_at is not None:
        evaluation.final_at = None
        evaluation.save(update_fields=["final_at"])
    leads = _leads_in_office(evaluation.partnership, [side.section_id for side in confirmed])
    for side in confirmed:
        people = set(leads[side.section_id])
        # The one who signed hears of it too, but only while still in office for the
        # section: someone who has left it no longer answers for the partnership.
        if (
            side.confirmed_by is not None and side.confirmed_by.is_active
            and Officer.objects.open_now().filter(section_id=side.section_id, user=side.confirmed_by).exists()
        ):
            people.add(side.confirmed_by)
        people.discard(actor)
        _tell("evaluation_reopened", evaluation, people, section=side.section, editor=actor)


def evaluation_gaps(evaluation: Evaluation, section_ids: Iterable[int] | None = None) -> list[str]:
    """What the evaluation still lacks before a side may confirm it, in words; for the
    evaluation on ending early, what the sides in `section_ids` (the ones confirming) lack.

    On ending early each side answers only for its own part: the partner that has gone
    silent, often the very reason to end, would otherwise keep the other side from
    confirming, and so from ending (closing_gaps), by never writing its part."""
    gaps = []
    if not evaluation.summary.strip():
        gaps.append(_("Say in a few sentences what was achieved."))
    if "sustainability" in parts_of(evaluation.kind) and not evaluation.continuation:
        gaps.append(_("Say whether the relationship continues."))
    sides = evaluation.sides.select_related("section")
    if evaluation.kind == Kind.EARLY_END and section_ids is not None:
        sides = sides.filter(section_id__in=list(section_ids))
    for side in sides:
        if not side.gave.strip() or not side.gained.strip():
            gaps.append(_("%(section)s has not said yet what it gave and what it gained.") % {"section": side.section})
    return gaps


def lesson_needed(partnership: Partnership) -> bool:
    return not Lesson.objects.filter(partnership=partnership, state=Lesson.State.PUBLISHED).exists()


LESSON_NEEDED = _(
    "Before this evaluation can be confirmed, publish at least one lesson learned from this "
    "partnership, so the next sections can learn from it."
)


@transaction.atomic
def evaluation_confirm(*, evaluation: Evaluation, section, actor) -> Evaluation:
    """`actor`, a lead of `section` in office, confirms the evaluation for that section; the
    last side's confirmation makes it final, and every side is told.

    Leads only, as the EU's twinning final report is co-signed by each side's leader: a
    running partnership always has a lead in office for each section (activation requires
    one and removing the last is refused), so no side is left without someone to sign."""
    partnership, evaluation = _lock_evaluation(evaluation)
    side = evaluation.sides.select_for_update().filter(section=section).first()
    if side is None:
        raise PermissionDenied(_("This section does not take part in the partnership."))
    if not access_for(actor, partnership).acts_for(section.pk) or not Lead.objects.filter(
        partnership=partnership, section=section, user=actor
    ).exists():
        raise PermissionDenied(_("Only a lead of %(section)s confirms for it.") % {"section": section})
    _check_open(partnership, evaluation.kind)
    if side.confirmed_at is not None:
        return evaluation
    gaps = evaluation_gaps(evaluation, section_ids=[section.pk])
    if gaps:
        raise ValidationError(_("Not ready to confirm: %(gaps)s") % {"gaps": " ".join(gaps)}, code="incomplete")
    if evaluation.closing and lesson_needed(partnership):
        raise ValidationError(LESSON_NEEDED, code="lesson_needed")
    now = timezone.now()
    side.confirmed_at, side.confirmed_by = now, actor
    side.save(update_fields=["confirmed_at", "confirmed_by"])
    sides = list(evaluation.sides.select_related("section"))
    leads = _leads_in_office(partnership, [s.section_id for s in sides])
    if all(s.confirmed_at is not None for s in sides):
        evaluation.final_at = now
        evaluation.save(update_fields=["final_at"])
        _tell("evaluation_final", evaluation, set().union(*leads.values()))
        transaction.on_commit(lambda: evaluation_final.send(sender=Evaluation, evaluation=evaluation))
    else:
        waiting = [s for s in sides if s.confirmed_at is None]
        _tell(
            "evaluation_confirmed", evaluation, set().union(*(leads[s.section_id] for s in waiting)) - {actor},
            section=section, confirmer=actor,
        )
    return evaluation


def coordinator_district_ids(actor, partnership: Partnership) -> set[int]:
    """The participating districts `actor` answers for: as their coordinator in office, or as
    a society admin where a district has none."""
    if not actor.is_authenticated:
        return set()
    districts = set(partnership.participants.values_list("section__district_id", flat=True))
    return {district_id for district_id, users in coordinators_of_districts(districts).items() if actor in users}


COMMENT_MAX_LENGTH = 5000


@transaction.atomic
def evaluation_comment(*, evaluation: Evaluation, actor, comment: str) -> Evaluation:
    """The district coordinators' comment on the evaluation. It is not the sides' to sign, so
    it clears no confirmation; the latest comment stands, with who wrote it and when."""
    partnership, evaluation = _lock_evaluation(evaluation)
    if not coordinator_district_ids(actor, partnership):
        raise PermissionDenied(_("Only the coordinators of the participating districts comment on the evaluation."))
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": [_("Keep the comment under %(max)s characters.") % {"max": COMMENT_MAX_LENGTH}]})
    evaluation.coordinator_comment = comment
    evaluation.coordinator_comment_by = actor if comment else None
    evaluation.coordinator_comment_at = timezone.now() if comment else None
    evaluation.save(update_fields=["coordinator_comment", "coordinator_comment_by", "coordinator_comment_at"])
    return evaluation


def closing_gaps(*, partnership: Partnership, action: str, actor) -> list[str]:
    """What stands between a partnership and its completion or early end, in words.

    - `complete` needs the final evaluation, final: every side has confirmed it.
    - `end` needs the evaluation on ending early (or the final one) confirmed at least by
      the side that ends the partnership. A partner that has gone silent, often the very
      reason to end early, must not be able to keep the partnership open by not signing;
      its side of the evaluation stays unconfirmed on the record for all to see.
    Confirming a closing evaluation needs a published lesson (evaluation_confirm), so a
    partnership never closes without one."""
    evaluations = {
        evaluation.kind: evaluation
        for evaluation in Evaluation.objects.filter(partnership=partnership, kind__in=[Kind.FINAL, Kind.EARLY_END])
    }
    if action == "complete":
        final = evaluations.get(Kind.FINAL)
        if final is None or not final.is_final:
            return [
                _("Complete the final evaluation first: both sides must confirm it. It is on the partnership's "
                  "page, under Evaluation (%(url)s).") % {"url": evaluation_url(partnership, Kind.FINAL)}
            ]
        return []
    if action == "end":
        ending = access_for(actor, partnership).acting
        for kind in (Kind.EARLY_END, Kind.FINAL):
            evaluation = evaluations.get(kind)
            if evaluation is not None and evaluation.sides.filter(
                section_id__in=ending, confirmed_at__isnull=False
            ).exists():
                return []
        return [
            _("Fill in the evaluation on ending early first, and confirm it for your section. It is on the "
              "partnership's page, under Evaluation (%(url)s).") % {"url": evaluation_url(partnership, Kind.EARLY_END)}
        ]
    return []


def midpoint(start_date: datetime.date, planned_end_date: datetime.date) -> datetime.date:
    """Halfway from the start to the planned end (rounded down to a day)."""
    return start_date + (planned_end_date - start_date) / 2


def midpoint_of(partnership: Partnership) -> datetime.date:
    """The plan's midpoint, where a mid-term review is offered."""
    return midpoint(partnership.start_date, partnership.planned_end_date)
