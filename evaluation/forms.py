"""Forms of evaluation/: the readiness questionnaire; a side's check-in on one period, a
correction to a submitted one, and the cadence a partnership reports at; a lesson for the
library.

The forms check types and ranges; what may be saved when, and by whom, is the business
of evaluation.services.
"""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from partnerships.models import Activity, Exchange, Indicator
from twinning.forms import OnceFormMixin, SiteForm, SiteModelForm, TextFieldset

from .models import AnswerOption, ChallengeCategory, CheckIn, ExchangeReport, Lesson, Questionnaire
from .services.checkin_exchanges import ExchangeAnswer, field_name
from .services.checkins import CHECKIN_FIELDS, Progress


class AssessmentForm(OnceFormMixin, SiteForm):
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
                    label=question.translated.text,
                    help_text=question.translated.help_text,
                    choices=[(str(o.pk), o.translated.label) for o in options],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please answer this question.")},
                )
                names.append(name)
            # The dimension's name is an admin's text: shown as written (TextFieldset).
            fieldsets.append(TextFieldset(dimension.translated.name, *(InlineRadios(name) for name in names)))
        self.helper = FormHelper()
        self.helper.layout = Layout(*fieldsets)
        self.helper.render_hidden_fields = True  # the form's token (OnceFormMixin)
        self.helper.add_input(Submit("save", _("See our readiness")))

    def chosen(self) -> dict[int, AnswerOption]:
        """The chosen option of each question, keyed by question id."""
        return {
            question_id: self.options[question_id][self.cleaned_data[f"q{question_id}"]]
            for question_id in self.options
        }


RATING_CHOICES = [
    (1, _("1 — very poor")),
    (2, _("2 — poor")),
    (3, _("3 — fair")),
    (4, _("4 — good")),
    (5, _("5 — excellent")),
]


def _rating_field(label, help_text) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a rating from 1 to 5.")},
    )


class _CheckInFields(SiteForm):
    """What a check-in says about the period: the fields a submission fills and an amendment corrects."""

    overall = forms.ChoiceField(
        label=_("How is the partnership going overall?"),
        choices=CheckIn.Overall.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Needed to submit; a draft can leave it open."),
    )
    done = forms.CharField(
        label=_("What was done in this period"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    received_rating = _rating_field(
        _("What your section received from the partner"),
        _("1 = nothing of value, 5 = far more than expected. Twinning must benefit both sides."),
    )
    communication_rating = _rating_field(
        _("Communication with the partner"),
        _("1 = very poor (no answers, missed meetings), 5 = excellent."),
    )
    issues = forms.CharField(
        label=_("Issues"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What got in the way, or worries you."),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, checkin: CheckIn, **kwargs):
        kwargs.setdefault("initial", {name: getattr(checkin, name) for name in CHECKIN_FIELDS})
        super().__init__(*args, **kwargs)
        self.checkin = checkin

    def checkin_data(self) -> dict:
        """The check-in's own fields, as the services take them."""
        return {name: self.cleaned_data[name] for name in CHECKIN_FIELDS}


def _activity_label(activity: Activity) -> str:
    return _("%(activity)s (%(start)s – %(end)s): status") % {
        "activity": activity.title, "start": date_format(activity.start_date), "end": date_format(activity.end_date),
    }


PERCENT_ERROR = _("Give a whole number from 0 to 100.")


class _PlanReport:
    """The rows a check-in fills about the plan: per activity its status, % complete and a
    note; per indicator the value reached. Field names: activity_<id>, activity_<id>_percent,
    activity_<id>_note, indicator_<id>."""

    def _add_plan_fields(
        self, activities: list[Activity], indicators: list[Indicator], progress: dict[int, Progress],
        actuals: dict[int, Decimal], *, keep_reported: bool,
    ) -> tuple[list[str], list[str]]:
        """Add the rows; return the activity and the indicator field names. With `keep_reported`
        (an amendment), an activity already reported cannot be taken back to "not reported"."""
        self.activities, self.indicators = activities, indicators
        activity_names = []
        for activity in activities:
            report = progress.get(activity.pk)
            blank = [] if keep_reported and report else [("", _("— not reported —"))]
            self.fields[f"activity_{activity.pk}"] = forms.ChoiceField(
                label=_activity_label(activity),
                choices=[*blank, *Activity.Status.choices],
                required=False,
                initial=report.status if report else "",
                help_text=_("Carried out by %(section)s. On the plan now: %(status)s, %(percent)s%% complete.") % {
                    "section": activity.owning_section.name, "status": activity.get_status_display(),
                    "percent": activity.percent_complete,
                },
            )
            self.fields[f"activity_{activity.pk}_percent"] = forms.IntegerField(
                label=_("%(activity)s: %% complete") % {"activity": activity.title},
                min_value=0,
                max_value=100,
                required=False,
                initial=report.percent if report else None,
                help_text=_("From 0 to 100; leave empty if you cannot say."),
                error_messages={"invalid": PERCENT_ERROR, "min_value": PERCENT_ERROR, "max_value": PERCENT_ERROR},
            )
            self.fields[f"activity_{activity.pk}_note"] = forms.CharField(
                label=_("Note on %(activity)s") % {"activity": activity.title},
                max_length=300,
                required=False,
                initial=report.note if report else "",
            )
            activity_names += [f"activity_{activity.pk}", f"activity_{activity.pk}_percent", f"activity_{activity.pk}_note"]
        indicator_names = []
        for indicator in indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=_("%(name)s: actual value (%(unit)s)") % {"name": indicator.name, "unit": indicator.unit},
                help_text=_("Baseline %(baseline)s, target %(target)s by %(date)s.")
                % {"baseline": indicator.baseline, "target": indicator.target, "date": date_format(indicator.target_date)},
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=actuals.get(indicator.pk),
                error_messages={"invalid": _("Enter a number, such as 12 or 3.5.")},
            )
            indicator_names.append(f"indicator_{indicator.pk}")
        return activity_names, indicator_names

    @staticmethod
    def _plan_fieldsets(activity_names: list[str], indicator_names: list[str]) -> list[Fieldset]:
        return [
            Fieldset(
                _("Progress of the plan's activities"),
                *(activity_names or [HTML(format_html("<p>{}</p>", _("The plan has no activities yet.")))]),
            ),
            Fieldset(
                _("Indicators: the value reached so far"),
                *(indicator_names or [HTML(format_html("<p>{}</p>", _("The plan has no indicators yet.")))]),
            ),
        ]

    def _report_of(self, activity: Activity) -> Progress | None:
        status = self.cleaned_data[f"activity_{activity.pk}"]
        if not status:
            return None
        return Progress(
            status=status, note=self.cleaned_data[f"activity_{activity.pk}_note"],
            percent=self.cleaned_data[f"activity_{activity.pk}_percent"],
        )


def _exchange_label(exchange: Exchange) -> str:
    return _("%(title)s (%(start)s – %(end)s): did it take place?") % {
        "title": exchange.title, "start": date_format(exchange.start_date), "end": date_format(exchange.end_date),
    }


class _ExchangeReport:
    """The rows a check-in fills about the period's exchanges under way: whether each took
    place, what came of it (when done) and why not (when cancelled). Field names:
    exchange_<id>, exchange_<id>_outcomes, exchange_<id>_reason."""

    def _add_exchange_fields(self, exchanges: list[Exchange], reports: dict[int, ExchangeReport]) -> list[str]:
        self.exchanges = exchanges
        names = []
        for exchange in exchanges:
            report = reports.get(exchange.pk)
            name = field_name(exchange.pk)
            self.fields[name] = forms.ChoiceField(
                label=_exchange_label(exchange),
                choices=[("", _("— not reported —")), *ExchangeReport.Outcome.choices],
                required=False,
                initial=report.outcome if report else "",
                help_text=_("%(kind)s, hosted by %(host)s, sent by %(sender)s; now %(status)s.") % {
                    "kind": exchange.get_kind_display(), "host": exchange.host_section.name,
                    "sender": exchange.sending_section.name, "status": exchange.get_status_display().lower(),
                },
            )
            self.fields[f"{name}_outcomes"] = forms.CharField(
                label=_("Outcomes of %(title)s") % {"title": exchange.title},
                required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 5000}),
                initial=report.outcomes if report else "",
                help_text=_("Needed when it took place: what the people who went learned, made or brought back."),
            )
            self.fields[f"{name}_reason"] = forms.CharField(
                label=_("Why %(title)s was cancelled") % {"title": exchange.title},
                required=False, max_length=100, initial=report.reason if report else "",
                help_text=_("Needed when it was cancelled."),
            )
            names += [name, f"{name}_outcomes", f"{name}_reason"]
        return names

    def _clean_exchanges(self) -> None:
        for exchange in self.exchanges:
            name = field_name(exchange.pk)
            outcome = self.cleaned_data.get(name)
            if outcome == ExchangeReport.Outcome.DONE and not self.cleaned_data.get(f"{name}_outcomes", "x").strip():
                self.add_error(f"{name}_outcomes", _("Say what came of the exchange."))
            if outcome == ExchangeReport.Outcome.CANCELLED and not self.cleaned_data.get(f"{name}_reason", "x").strip():
                self.add_error(f"{name}_reason", _("Say why the exchange was cancelled."))

    def exchange_answers(self) -> dict[int, ExchangeAnswer | None]:
        """Each asked exchange's answer by exchange id; None for one left unreported."""
        answers = {}
        for exchange in self.exchanges:
            name = field_name(exchange.pk)
            outcome = self.cleaned_data[name]
            answers[exchange.pk] = ExchangeAnswer(
                outcome, self.cleaned_data[f"{name}_outcomes"], self.cleaned_data[f"{name}_reason"]
            ) if outcome else None
        return answers


class CheckInForm(_ExchangeReport, _PlanReport, _CheckInFields):
    """A section's report on one period, with the progress of each plan activity, the
    actual value of each indicator of the partnership's plan, and whether each exchange of
    the period under way took place."""

    log_conflict = forms.BooleanField(
        label=_("Record these issues in the conflict log"),
        required=False,
        help_text=_("When you submit, the issues open an entry in the partnership's conflict log."),
    )

    def __init__(
        self,
        *args,
        checkin: CheckIn,
        activities: list[Activity],
        indicators: list[Indicator],
        progress: dict[int, Progress],
        actuals: dict[int, Decimal],
        exchanges: list[Exchange] = (),
        exchange_reports: dict[int, ExchangeReport] | None = None,
        **kwargs,
    ):
        super().__init__(*args, checkin=checkin, **kwargs)
        # Until this check-in says otherwise, the section's own activities start from where
        # the plan has them (a cancelled one shows cancelled, not planned); the partner's
        # activities start unreported, as the section may have nothing to say of them.
        progress = {
            **{
                activity.pk: Progress(status=activity.status, percent=activity.percent_complete)
                for activity in activities if activity.owning_section_id == checkin.section_id
            },
            **progress,
        }
        activity_names, indicator_names = self._add_plan_fields(
            activities, indicators, progress, actuals, keep_reported=False
        )
        exchange_names = self._add_exchange_fields(list(exchanges), exchange_reports or {})
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("How it went"), InlineRadios("overall"), "done"),
            *self._plan_fieldsets(activity_names, indicator_names),
            *([Fieldset(_("Exchanges of the period: did they take place?"), *exchange_names)] if exchange_names else []),
            Fieldset(_("How the partnership works for you"), InlineRadios("received_rating"),
                     InlineRadios("communication_rating")),
            Fieldset(_("Issues and next steps"), "issues", "log_conflict", "next_steps"),
        )
        self.helper.add_input(Submit("draft", _("Save draft"), css_class="btn-secondary"))
        self.helper.add_input(Submit("submit", _("Submit")))

    def clean(self):
        data = super().clean()
        if data.get("log_conflict") and not data.get("issues", "").strip():
            self.add_error("issues", _("Describe the issues to record them in the conflict log."))
        self._clean_exchanges()
        return data

    def progress(self) -> dict[int, Progress | None]:
        """Each activity's report by activity id; None for one left unreported (which takes
        back what a draft said of it)."""
        return {activity.pk: self._report_of(activity) for activity in self.activities}

    def actuals(self) -> dict[int, Decimal | None]:
        """Each indicator's actual value by indicator id; None clears a value given before."""
        return {indicator.pk: self.cleaned_data[f"indicator_{indicator.pk}"] for indicator in self.indicators}


class AmendmentForm(_PlanReport, _CheckInFields):
    """A correction to a submitted check-in, with the reason for it: its fields, the progress
    it reported and its indicator values. A row left out of the posted form keeps what was
    reported; a value emptied on the form clears it."""

    reason = forms.CharField(
        label=_("Why is the check-in corrected?"), widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the check-in is corrected.")},
    )

    def __init__(
        self,
        *args,
        checkin: CheckIn,
        activities: list[Activity],
        indicators: list[Indicator],
        progress: dict[int, Progress],
        actuals: dict[int, Decimal],
        **kwargs,
    ):
        super().__init__(*args, checkin=checkin, **kwargs)
        self.reported, self.reported_actuals = progress, actuals
        # A submitted check-in always says how things go; an amendment cannot take that away.
        self.fields["overall"].required = True
        self.fields["overall"].help_text = ""
        activity_names, indicator_names = self._add_plan_fields(
            activities, indicators, progress, actuals, keep_reported=True
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("How it went"), InlineRadios("overall"), "done"),
            *self._plan_fieldsets(activity_names, indicator_names),
            Fieldset(_("How the partnership works for you"), InlineRadios("received_rating"),
                     InlineRadios("communication_rating")),
            Fieldset(_("Issues and next steps"), "issues", "next_steps"),
            "reason",
        )
        self.helper.add_input(Submit("amend", _("Amend")))

    def _omitted(self, name: str) -> bool:
        """Whether the posted form left the field out altogether (a browser posts every field)."""
        return self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))

    def progress(self) -> dict[int, Progress]:
        """The corrected report of each activity the form names; the rest are left as reported."""
        corrected = {}
        for activity in self.activities:
            before = self.reported.get(activity.pk)
            status = self.cleaned_data[f"activity_{activity.pk}"] or (before.status if before else "")
            if not status:
                continue
            percent_name, note_name = f"activity_{activity.pk}_percent", f"activity_{activity.pk}_note"
            corrected[activity.pk] = Progress(
                status=status,
                note=(before.note if before else "") if self._omitted(note_name) else self.cleaned_data[note_name],
                percent=(before.percent if before else None) if self._omitted(percent_name) else self.cleaned_data[percent_name],
            )
        return corrected

    def actuals(self) -> dict[int, Decimal | None]:
        """The corrected value of each indicator the form names; None clears a reported one."""
        return {
            indicator.pk: self.cleaned_data[f"indicator_{indicator.pk}"]
            for indicator in self.indicators
            if not self._omitted(f"indicator_{indicator.pk}")
        }


# A lesson's text fields hold a few paragraphs each; this keeps a pasted book out.
LESSON_TEXT_MAX = 5000


class LessonForm(OnceFormMixin, SiteModelForm):
    """A lesson's text, tags and readers. Its forms of twinning are chosen among the
    partnership's own (all of them ticked for a new lesson): a lesson is about what this
    partnership did."""

    class Meta:
        model = Lesson
        fields = ["title", "context", "what_happened", "learned", "recommendation", "forms", "challenges", "visibility"]
        widgets = {
            "context": forms.Textarea(attrs={"rows": 3, "maxlength": LESSON_TEXT_MAX}),
            "what_happened": forms.Textarea(attrs={"rows": 4, "maxlength": LESSON_TEXT_MAX}),
            "learned": forms.Textarea(attrs={"rows": 4, "maxlength": LESSON_TEXT_MAX}),
            "recommendation": forms.Textarea(attrs={"rows": 3, "maxlength": LESSON_TEXT_MAX}),
            "forms": forms.CheckboxSelectMultiple,
            "challenges": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("context", "what_happened", "learned", "recommendation"):
            self.fields[name].max_length = LESSON_TEXT_MAX
            self.fields[name].validators.append(MaxLengthValidator(LESSON_TEXT_MAX))
        self.fields["forms"].queryset = partnership.forms.all()
        self.fields["forms"].help_text = _("The forms of twinning this lesson is about.")
        self.fields["challenges"].queryset = ChallengeCategory.objects.all()
        self.fields["challenges"].help_text = _("The challenges it speaks to; readers filter by them.")
        if self.instance.pk is None and not self.is_bound:
            self.initial.setdefault("forms", list(partnership.forms.all()))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("The lesson"), "title", "context", "what_happened", "learned", "recommendation"),
            Fieldset(_("Tags and readers"), "forms", "challenges", "visibility"),
        )
        self.helper.render_hidden_fields = True  # the form's token (OnceFormMixin)
        if self.instance.state == Lesson.State.PUBLISHED:
            self.helper.add_input(Submit("save", _("Save")))
        else:
            self.helper.add_input(Submit("publish", _("Publish")))
            self.helper.add_input(Submit("draft", _("Save draft"), css_class="btn-secondary"))
