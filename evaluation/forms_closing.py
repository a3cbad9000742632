"""Forms of the evaluations: the evaluation itself, as one side's officers see it, and the
district coordinator's comment.

The evaluation form holds the shared parts its kind asks for (services.closing.PARTS) and
the own part of each side the user is an officer of; the other sides' parts are shown,
not posted. The forms check types and ranges; who may change what, and when, is the
business of evaluation.services.closing.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.forms import SiteForm
from twinning.validators import validate_photo

from .models import Benefit, ChallengeCategory, Evaluation, EvaluationSide, ObjectiveResult
from .services.closing import COMMENT_MAX_LENGTH, RATINGS, parts_of

TEXT_MAX = 10000


def _text(label, *, rows: int = 3, help_text: str = "", max_length: int = TEXT_MAX) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=max_length, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class EvaluationForm(SiteForm):
    def __init__(self, *args, evaluation: Evaluation, acting: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.evaluation = evaluation
        self.parts = parts_of(evaluation.kind)
        self.own_sides: list[EvaluationSide] = [side for side in evaluation.sides.all() if side.section_id in acting]
        self.objective_results = list(evaluation.objective_results.all())
        self.indicator_results = list(evaluation.indicator_results.all()) if "indicators" in self.parts else []

        fields = self.fields
        fields["summary"] = _text(
            _("What was achieved"), rows=4,
            help_text=_("In a few sentences, for someone who does not know the partnership."),
        )
        fields["challenges"] = forms.ModelMultipleChoiceField(
            ChallengeCategory.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
            label=_("Challenges met"),
        )
        fields["challenges_note"] = _text(_("The challenges, and how they were met"))
        if "sustainability" in self.parts:
            fields["continuation"] = forms.ChoiceField(
                label=_("Will the relationship continue?"), choices=Evaluation.Continuation.choices, required=False
            )
            fields["continuation_how"] = _text(_("How it continues"))
        if "story" in self.parts:
            fields["story_title"] = forms.CharField(label=_("Story title"), max_length=200, required=False)
            fields["story_photo"] = forms.FileField(
                label=_("Story photo"), required=False, validators=[validate_photo],
                help_text=_("One photo for the public story: PNG or JPEG, at most 10 MB."),
                widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
            )
        for name in ("summary", "challenges_note", "continuation", "continuation_how", "story_title"):
            if name in fields:
                fields[name].initial = getattr(evaluation, name)
        fields["challenges"].initial = [category.pk for category in evaluation.challenges.all()]

        for result in self.objective_results:
            fields[f"objective_{result.objective_id}"] = forms.ChoiceField(
                label=_("Outcome"), choices=ObjectiveResult.Outcome.choices, initial=result.outcome,
                widget=forms.RadioSelect,
            )
            fields[f"objective_{result.objective_id}_evidence"] = _text(_("Evidence"), rows=2)
            fields[f"objective_{result.objective_id}_evidence"].initial = result.evidence
        for result in self.indicator_results:
            fields[f"indicator_{result.indicator_id}"] = forms.DecimalField(
                label=_("Final value"), max_digits=12, decimal_places=2, initial=result.value,
            )
            fields[f"indicator_{result.indicator_id}_note"] = forms.CharField(
                label=_("Note"), max_length=300, required=False, initial=result.note
            )
        for side in self.own_sides:
            prefix = f"side_{side.section_id}"
            fields[f"{prefix}_gave"] = _text(_("What %(section)s gave") % {"section": side.section.name})
            fields[f"{prefix}_gained"] = _text(_("What %(section)s gained") % {"section": side.section.name})
            fields[f"{prefix}_do_differently"] = _text(_("What %(section)s would do differently") % {"section": side.section.name})
            for name in ("gave", "gained", "do_differently"):
                fields[f"{prefix}_{name}"].initial = getattr(side, name)
            if "story" in self.parts:
                fields[f"{prefix}_story_consent"] = forms.BooleanField(
                    label=_("%(section)s agrees to publish this partnership as a public story") % {"section": side.section.name},
                    required=False, initial=side.story_consent,
                )
            if "benefits" in self.parts:
                rated = {rating.benefit: rating for rating in side.benefits.all()}
                for benefit in Benefit:
                    current = rated.get(benefit.value)
                    fields[f"{prefix}_{benefit.value}"] = forms.TypedChoiceField(
                        label=benefit.label, required=False, coerce=int, empty_value=None,
                        choices=[("", _("Not rated")), *((value, str(value)) for value in RATINGS)],
                        initial=current.rating if current else "",
                    )
                    # Seven fields read "How" on screen, each beside its rating; a screen
                    # reader announces the name alone, so the name says which benefit.
                    fields[f"{prefix}_{benefit.value}_how"] = forms.CharField(
                        label=_("How"), required=False, max_length=TEXT_MAX,
                        initial=current.explanation if current else "",
                        widget=forms.TextInput(attrs={
                            "aria-label": _("%(benefit)s: how it was realised") % {"benefit": benefit.label},
                        }),
                    )

    # Grouped bound fields, for the template -----------------------------------------------

    def objective_rows(self):
        return [
            (result, self[f"objective_{result.objective_id}"], self[f"objective_{result.objective_id}_evidence"])
            for result in self.objective_results
        ]

    def indicator_rows(self):
        return [
            (result, self[f"indicator_{result.indicator_id}"], self[f"indicator_{result.indicator_id}_note"])
            for result in self.indicator_results
        ]

    def side_fields(self, side: EvaluationSide) -> dict:
        prefix = f"side_{side.section_id}"
        return {
            "texts": [self[f"{prefix}_{name}"] for name in ("gave", "gained", "do_differently")],
            "consent": self[f"{prefix}_story_consent"] if "story" in self.parts else None,
            "benefits": [
                (self[f"{prefix}_{benefit.value}"], self[f"{prefix}_{benefit.value}_how"]) for benefit in Benefit
            ] if "benefits" in self.parts else [],
        }

    # What the service takes ----------------------------------------------------------------

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        shared = ("summary", "challenges_note", "continuation", "continuation_how", "story_title")
        kwargs = {
            "data": {name: data[name] for name in shared if name in self.fields},
            "challenges": data["challenges"],
            "objectives": {
                result.objective_id: (
                    data[f"objective_{result.objective_id}"], data[f"objective_{result.objective_id}_evidence"]
                )
                for result in self.objective_results
            },
            "sides": {},
            "benefits": {},
        }
        if self.indicator_results:
            kwargs["indicators"] = {
                result.indicator_id: (data[f"indicator_{result.indicator_id}"], data[f"indicator_{result.indicator_id}_note"])
                for result in self.indicator_results
            }
        if data.get("story_photo"):
            kwargs["story_photo"] = data["story_photo"]
        for side in self.own_sides:
            prefix = f"side_{side.section_id}"
            values = {name: data[f"{prefix}_{name}"] for name in ("gave", "gained", "do_differently")}
            if "story" in self.parts:
                values["story_consent"] = data[f"{prefix}_story_consent"]
            kwargs["sides"][side.section_id] = values
            if "benefits" in self.parts:
                kwargs["benefits"][side.section_id] = {
                    benefit.value: (
                        None if data[f"{prefix}_{benefit.value}"] is None
                        else (data[f"{prefix}_{benefit.value}"], data[f"{prefix}_{benefit.value}_how"])
                    )
                    for benefit in Benefit
                }
        return kwargs


class CommentForm(SiteForm):
    comment = forms.CharField(
        label=_("The district coordinator's comment"), required=False, max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by both sides; it does not change what they confirmed."),
    )
