from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AnswerOption, Questionnaire


class AssessmentForm(forms.Form):
    """One radio group per question, grouped by prerequisite; every question must be answered."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.options: dict[int, dict[str, AnswerOption]] = {}
        fieldsets = []
        for dimension in questionnaire.dimensions.all():
            names = []
            for question in dimension.questions.all():
                name = f"q{question.pk}"
                options = list(question.options.all())
                self.options[question.pk] = {str(o.pk): o for o in options}
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    help_text=question.help_text,
                    choices=[(str(o.pk), o.label) for o in options],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please answer this question.")},
                )
                names.append(name)
            fieldsets.append(Fieldset(dimension.name, *(InlineRadios(name) for name in names)))
        self.helper = FormHelper()
        self.helper.layout = Layout(*fieldsets)
        self.helper.add_input(Submit("save", _("See our readiness")))

    def chosen(self) -> dict[int, AnswerOption]:
        """The chosen option of each question, keyed by question id."""
        return {
            question_id: self.options[question_id][self.cleaned_data[f"q{question_id}"]]
            for question_id in self.options
        }
