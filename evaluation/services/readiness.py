"""Writes for evaluation/: scoring and keeping readiness assessments."""

from __future__ import annotations

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sections.models import Section
from sections.permissions import officer_section_ids
from twinning import submissions

from ..models import Answer, AnswerOption, Assessment, DimensionScore, Questionnaire

ONE_DECIMAL = Decimal("0.1")


def _weighted_mean(pairs: list[tuple[Decimal, int]]) -> Decimal:
    total_weight = sum(weight for _value, weight in pairs)
    if not total_weight:
        return Decimal("0")
    return (sum(value * weight for value, weight in pairs) / total_weight).quantize(ONE_DECIMAL, ROUND_HALF_UP)


def score_answers(questionnaire: Questionnaire, chosen: dict[int, AnswerOption]) -> tuple[Decimal, dict[int, Decimal]]:
    """The overall score and each dimension's score (0–100) for answers keyed by question id.

    A dimension's score is the weighted mean of its answers' values; the overall score is the
    weighted mean of the dimensions' scores.
    """
    by_dimension: dict[int, Decimal] = {}
    overall = []
    for dimension in questionnaire.dimensions.all():
        values = [(Decimal(chosen[q.pk].value), q.weight) for q in dimension.questions.all() if q.pk in chosen]
        by_dimension[dimension.pk] = _weighted_mean(values)
        overall.append((by_dimension[dimension.pk], dimension.weight))
    return _weighted_mean(overall), by_dimension


@transaction.atomic
def assessment_submit(
    *,
    section: Section,
    actor,
    questionnaire: Questionnaire,
    answers: dict[int, AnswerOption],
    once: uuid.UUID | None = None,
) -> Assessment:
    """Score and keep one assessment, and make it the section's latest verdict. `once` is
    the form's token (twinning.submissions): the questionnaire sent twice is kept once."""
    if section.pk not in officer_section_ids(actor):
        raise PermissionDenied(_("Only the section's officers assess its readiness."))
    claimed = submissions.claim(once, user=actor)
    questionnaire = Questionnaire.objects.prefetch_related("dimensions__questions").get(pk=questionnaire.pk)
    questions = [q for d in questionnaire.dimensions.all() for q in d.questions.all()]
    missing = [q for q in questions if q.pk not in answers]
    if missing:
        raise ValidationError({f"q{q.pk}": _("Please answer this question.") for q in missing})
    for question in questions:
        if answers[question.pk].question_id != question.pk:
            raise ValidationError({f"q{question.pk}": _("That answer belongs to another question.")})
    score, by_dimension = score_answers(questionnaire, answers)
    assessment = Assessment.objects.create(
        section=section, questionnaire=questionnaire, author=actor, score=score,
        verdict=questionnaire.verdict_for(score),
    )
    submissions.record(claimed, assessment)
    DimensionScore.objects.bulk_create(
        DimensionScore(
            assessment=assessment, dimension_id=dimension_id, score=value,
            weak=value < questionnaire.weak_threshold,
        )
        for dimension_id, value in by_dimension.items()
    )
    Answer.objects.bulk_create(
        Answer(assessment=assessment, question_id=question.pk, option=answers[question.pk]) for question in questions
    )
    Section.objects.filter(pk=section.pk).update(
        readiness_verdict=assessment.verdict, readiness_score=score, readiness_assessed_at=assessment.created_at
    )
    return assessment


def _create_next_version(source: Questionnaire) -> Questionnaire:
    """A new questionnaire row numbered one past the latest version.

    The latest row is locked (select_for_update) while the number is taken, so two copies at
    once wait for each other on PostgreSQL; should two still pick the same number (SQLite
    ignores the lock, or the latest row changed meanwhile), the unique version makes the
    second insert fail and it takes the next number once more, in a savepoint.
    """
    def latest() -> int:
        locked = Questionnaire.objects.select_for_update().order_by("-version")
        return locked.values_list("version", flat=True).first() or 0

    def create(version: int) -> Questionnaire:
        with transaction.atomic():  # a savepoint: a clash leaves the outer transaction usable
            return Questionnaire.objects.create(
                version=version, title=source.title, introduction=source.introduction, is_current=False,
                ready_threshold=source.ready_threshold, nearly_threshold=source.nearly_threshold,
                weak_threshold=source.weak_threshold,
            )

    try:
        return create(latest() + 1)
    except IntegrityError:
        return create(latest() + 1)


@transaction.atomic
def questionnaire_copy(*, questionnaire: Questionnaire) -> Questionnaire:
    """A new, not yet current version with the same dimensions, questions and options, to edit."""
    source = Questionnaire.objects.prefetch_related("dimensions__questions__options").get(pk=questionnaire.pk)
    copy = _create_next_version(source)
    for dimension in source.dimensions.all():
        new_dimension = copy.dimensions.create(
            code=dimension.code, name=dimension.name, weight=dimension.weight,
            guidance=dimension.guidance, position=dimension.position, translations=dimension.translations,
        )
        for question in dimension.questions.all():
            new_question = new_dimension.questions.create(
                text=question.text, help_text=question.help_text, weight=question.weight, position=question.position,
                translations=question.translations,
            )
            AnswerOption.objects.bulk_create(
                AnswerOption(question=new_question, label=o.label, value=o.value, position=o.position,
                             translations=o.translations)
                for o in question.options.all()
            )
    return copy


def questionnaire_problems(questionnaire: Questionnaire) -> list[str]:
    """What keeps `questionnaire` from being answered: empty dimensions, questions without a choice."""
    questionnaire = Questionnaire.objects.prefetch_related("dimensions__questions__options").get(pk=questionnaire.pk)
    dimensions = list(questionnaire.dimensions.all())
    if not dimensions:
        return [_("Version %(version)s has no dimensions.") % {"version": questionnaire.version}]
    problems = []
    for dimension in dimensions:
        questions = list(dimension.questions.all())
        if not questions:
            problems.append(_("The dimension “%(dimension)s” has no questions.") % {"dimension": dimension.translated.name})
        for question in questions:
            count = len(question.options.all())
            if count < 2:
                problems.append(
                    _(
                        "The question “%(question)s” (%(dimension)s) has %(count)s answer option(s); "
                        "it needs at least two."
                    ) % {"question": question.translated.text, "dimension": dimension.translated.name, "count": count}
                )
    return problems


@transaction.atomic
def questionnaire_publish(*, questionnaire: Questionnaire) -> Questionnaire:
    """Make `questionnaire` the version officers answer from now on.

    Refused (ValidationError naming each problem) while a dimension has no questions or a
    question has fewer than two answer options: officers could not answer it meaningfully.
    """
    problems = questionnaire_problems(questionnaire)
    if problems:
        raise ValidationError(
            [_("Version %(version)s cannot be made current.") % {"version": questionnaire.version}, *problems]
        )
    Questionnaire.objects.filter(is_current=True).exclude(pk=questionnaire.pk).update(is_current=False)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(is_current=True)
    questionnaire.refresh_from_db()
    return questionnaire
