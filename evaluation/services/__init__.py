from .readiness import assessment_submit, questionnaire_copy, questionnaire_publish, score_answers

__all__ = ["assessment_submit", "questionnaire_copy", "questionnaire_publish", "score_answers"]
