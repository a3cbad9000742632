"""Questionnaires built to order, assessments submitted and lessons written through the
real services."""

from __future__ import annotations

from django.db.models import Max

from evaluation import services
from evaluation.models import AnswerOption, Assessment, ChallengeCategory, Dimension, Lesson, Questionnaire
from evaluation.services.lessons import lesson_save
from sections.models import Section


def build_questionnaire(
    spec: dict[str, tuple[int, list[int]]],
    *,
    values: tuple[int, ...] = (0, 50, 100),
    ready: int = 75,
    nearly: int = 50,
    weak: int = 60,
    publish: bool = True,
) -> Questionnaire:
    """A questionnaire from {dimension code: (dimension weight, [each question's weight])};
    every question offers one option per value. Published (made current) unless told not to."""
    latest = Questionnaire.objects.aggregate(latest=Max("version"))["latest"] or 0
    questionnaire = Questionnaire.objects.create(
        version=latest + 1, title="Built for a test", ready_threshold=ready, nearly_threshold=nearly,
        weak_threshold=weak,
    )
    for position, (code, (weight, question_weights)) in enumerate(spec.items()):
        dimension = questionnaire.dimensions.create(
            code=code, name=Dimension.Code(code).label, weight=weight, guidance=f"Guidance on {code}.",
            position=position,
        )
        for q_position, q_weight in enumerate(question_weights):
            question = dimension.questions.create(text=f"{code} question {q_position}", weight=q_weight,
                                                  position=q_position)
            AnswerOption.objects.bulk_create(
                AnswerOption(question=question, label=f"Value {value}", value=value, position=o_position)
                for o_position, value in enumerate(values)
            )
    if publish:
        questionnaire = services.questionnaire_publish(questionnaire=questionnaire)
    return questionnaire


def answers_with(questionnaire: Questionnaire, values: int | dict[str, int | list[int]]) -> dict[int, AnswerOption]:
    """The option of each question whose value is given: one value for every question, or per
    dimension code either one value for its questions or a list with one value per question."""
    chosen = {}
    for dimension in questionnaire.dimensions.all():
        questions = list(dimension.questions.all())
        wanted = values if isinstance(values, int) else values[dimension.code]
        per_question = wanted if isinstance(wanted, list) else [wanted] * len(questions)
        for question, value in zip(questions, per_question, strict=True):
            chosen[question.pk] = question.options.get(value=value)
    return chosen


def assess(
    section: Section, actor, values: int | dict[str, int | list[int]], questionnaire: Questionnaire | None = None
) -> Assessment:
    questionnaire = questionnaire or Questionnaire.objects.get(is_current=True)
    return services.assessment_submit(
        section=section, actor=actor, questionnaire=questionnaire, answers=answers_with(questionnaire, values)
    )


def form_data(answers: dict[int, AnswerOption]) -> dict[str, str]:
    """What the readiness form posts for these answers."""
    return {f"q{question_id}": str(option.pk) for question_id, option in answers.items()}


def lesson_data(**overrides) -> dict:
    """What the lesson form cleans, with plain text unless told otherwise."""
    data = {
        "title": "Start small",
        "context": "Two sections in different countries.",
        "what_happened": "The first exchange was too ambitious.",
        "learned": "One joint project first builds trust.",
        "recommendation": "Agree one project before the plan.",
        "visibility": Lesson.Visibility.SOCIETY,
        "forms": [],
        "challenges": [],
    }
    data.update(overrides)
    return data


def write_lesson(partnership, section, actor, *, publish: bool = True, challenges=(), forms=None, **fields) -> Lesson:
    """A lesson written through the real service, published unless told not to."""
    return lesson_save(
        actor=actor, partnership=partnership, section=section, publish=publish,
        data=lesson_data(
            challenges=list(ChallengeCategory.objects.filter(code__in=challenges)),
            forms=list(partnership.forms.all()) if forms is None else forms,
            **fields,
        ),
    )
