"""Section performance award nominations: section → district → society, each step checked,
recorded and mailed."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnerships.models import Partnership
from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import LedgerEntry, Nomination, NominationStep, PointRule
from recognition.selectors.nominations import points_statement
from recognition.services.nominations import (
    NominationRefused,
    nomination_decide,
    nomination_review,
    nomination_save,
    nomination_start,
    nomination_submit,
)
from sections.tests.factories import CoordinatorFactory, OfficerFactory
from twinning.models import OutgoingMail
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
MAIL = "recognition/email/nomination"


def _mails() -> dict[str, str]:
    """Address → subject of every nomination mail so far."""
    return dict(OutgoingMail.objects.filter(template_name=MAIL).values_list("to", "subject"))


def _drafted(world, narrative="We twinned with Beta and trained twelve students.") -> Nomination:
    nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
    if narrative:
        nomination_save(nomination=nomination, actor=world.officer_a, narrative=narrative)
    return nomination


def _submitted(world) -> Nomination:
    return nomination_submit(nomination=_drafted(world), actor=world.officer_a)


def _forwarded(world) -> Nomination:
    return nomination_review(nomination=_submitted(world), actor=world.coordinator_a, forward=True, comment="Strong year.")


def _earn(section, partnership, *, source_id, year=YEAR, points=None, rule=None) -> LedgerEntry:
    rule = rule or PointRule.objects.get(event="activated")
    return LedgerEntry.objects.create(
        section=section, points=rule.points if points is None else points, rule=rule,
        source_type=ContentType.objects.get_for_model(Partnership), source_id=source_id, partnership=partnership,
        award_year=year, occurred_on=datetime.date(year, 3, 1), reason="Agreement activated",
    )


class TestStart:
    def test_an_officer_starts_one_draft_per_section_and_year(self, world):
        nomination = nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
        assert nomination.state == Nomination.State.DRAFT
        assert list(nomination.steps.values_list("to_state", "actor")) == [("draft", world.officer_a.pk)]
        with pytest.raises(NominationRefused, match="already has a nomination"):
            nomination_start(section=world.a, award_year=YEAR, actor=world.officer_a)
        assert Nomination.objects.count() == 1

    @pytest.mark.parametrize("who", ["officer_b", "coordinator_a", "staff", "outsider"])
    def test_only_the_sections_officers_start_it(self, world, who):
        with pytest.raises(PermissionDenied):
            nomination_start(section=world.a, award_year=YEAR, actor=getattr(world, who))
        assert not Nomination.objects.exists()

    def test_a_former_officer_no_longer_nominates(self, world):
        former = OfficerFactory(
            section=world.a, role="secretary", start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2021, 1, 1)
        ).user
        with pytest.raises(PermissionDenied):
            nomination_start(section=world.a, award_year=YEAR, actor=former)


class TestSaveAndSubmit:
    def test_the_narrative_is_saved_while_draft(self, world):
        nomination = _drafted(world, narrative="  Our twinning year.  ")
        nomination.refresh_from_db()
        assert nomination.narrative == "Our twinning year."

    def test_an_empty_narrative_is_a_field_error(self, world):
        nomination = _drafted(world, narrative="")
        with pytest.raises(ValidationError) as exc:
            nomination_save(nomination=nomination, actor=world.officer_a, narrative="   ")
        assert "narrative" in exc.value.error_dict

    def test_submitting_needs_a_narrative(self, world):
        nomination = _drafted(world, narrative="")
        with pytest.raises(NominationRefused, match="Write the narrative first"):
            nomination_submit(nomination=nomination, actor=world.officer_a)

    def test_submitting_copies_the_statement_and_mails_the_coordinators(self, world):
        partnership = endorsed(world)
        _earn(world.a, partnership, source_id=partnership.pk)
        second_coordinator = CoordinatorFactory(district=world.a.district).user
        nomination = _submitted(world)
        nomination.refresh_from_db()
        assert nomination.state == Nomination.State.SUBMITTED
        assert nomination.statement["total"] == PointRule.objects.get(event="activated").points
        assert set(_mails()) == {world.coordinator_a.email, second_coordinator.email}
        assert "An award nomination to review" in _mails()[world.coordinator_a.email]
        assert nomination.steps.last().to_state == "submitted"

    def test_a_submitted_nomination_is_no_longer_changed_or_resubmitted(self, world):
        nomination = _submitted(world)
        with pytest.raises(NominationRefused):
            nomination_save(nomination=nomination, actor=world.officer_a, narrative="Changed")
        with pytest.raises(NominationRefused, match="already been submitted"):
            nomination_submit(nomination=nomination, actor=world.officer_a)

    @pytest.mark.parametrize("who", ["officer_b", "coordinator_a", "staff"])
    def test_only_the_sections_officers_write_and_submit(self, world, who):
        nomination = _drafted(world)
        with pytest.raises(PermissionDenied):
            nomination_save(nomination=nomination, actor=getattr(world, who), narrative="Mine")
        with pytest.raises(PermissionDenied):
            nomination_submit(nomination=nomination, actor=getattr(world, who))


class TestStatement:
    def test_the_statement_equals_the_ledger_for_the_section_and_year(self, world):
        partnership = endorsed(world)
        activated = PointRule.objects.get(event="activated")
        _earn(world.a, partnership, source_id=partnership.pk)
        _earn(world.a, partnership, source_id=partnership.pk + 1000)
        lesson_rule = PointRule.objects.get(event="lesson-published")
        _earn(world.a, partnership, source_id=partnership.pk, rule=lesson_rule)
        LedgerEntry.objects.create(
            section=world.a, points=-3, kind=LedgerEntry.Kind.ADJUSTMENT, award_year=YEAR,
            occurred_on=datetime.date(YEAR, 4, 1), reason="Counted twice by hand", created_by=world.staff,
        )
        # Not in the statement: another section, another year.
        _earn(world.b, partnership, source_id=partnership.pk)
        _earn(world.a, partnership, source_id=partnership.pk + 2000, year=YEAR - 1)

        statement = points_statement(world.a, YEAR)

        expected_total = sum(
            LedgerEntry.objects.filter(section=world.a, award_year=YEAR).values_list("points", flat=True)
        )
        assert statement["total"] == expected_total == 2 * activated.points + lesson_rule.points - 3
        lines = {line["event"]: (line["entries"], line["points"]) for line in statement["lines"]}
        assert lines == {
            "activated": (2, 2 * activated.points),
            "lesson-published": (1, lesson_rule.points),
            "adjustment": (1, -3),
        }
        assert statement["partnerships"] == [
            {"id": partnership.pk, "title": partnership.title, "points": 2 * activated.points + lesson_rule.points}
        ]

    def test_the_nomination_keeps_the_statement_of_the_day_it_was_submitted(self, world):
        partnership = endorsed(world)
        _earn(world.a, partnership, source_id=partnership.pk)
        nomination = _submitted(world)
        _earn(world.a, partnership, source_id=partnership.pk + 1000)
        nomination.refresh_from_db()
        assert nomination.statement["total"] == PointRule.objects.get(event="activated").points


class TestReview:
    def test_forwarding_mails_the_society_admins(self, world):
        other_admin = UserFactory(society_admin=True)
        UserFactory(is_staff=True)  # staff status alone: not a society admin, not told
        nomination = _forwarded(world)
        assert nomination.state == Nomination.State.FORWARDED
        mails = OutgoingMail.objects.filter(template_name=MAIL, subject__contains="to decide")
        assert set(mails.values_list("to", flat=True)) == {world.staff.email, other_admin.email}
        step = nomination.steps.last()
        assert (step.from_state, step.to_state, step.actor, step.comment) == (
            "submitted", "forwarded", world.coordinator_a, "Strong year."
        )

    def test_returning_needs_a_comment_and_mails_the_officers_with_it(self, world):
        nomination = _submitted(world)
        with pytest.raises(ValidationError) as exc:
            nomination_review(nomination=nomination, actor=world.coordinator_a, forward=False, comment="  ")
        assert "comment" in exc.value.error_dict
        nomination_review(nomination=nomination, actor=world.coordinator_a, forward=False, comment="Add the exchange figures.")
        nomination.refresh_from_db()
        assert nomination.state == Nomination.State.RETURNED
        returned = OutgoingMail.objects.get(template_name=MAIL, to=world.officer_a.email, subject__contains="returned")
        assert "Add the exchange figures." in returned.text and "Add the exchange figures." in returned.html
        # Theirs again: they change it and submit it once more.
        nomination_save(nomination=nomination, actor=world.officer_a, narrative="With figures.")
        nomination_submit(nomination=nomination, actor=world.officer_a)
        assert list(nomination.steps.values_list("to_state", flat=True)) == [
            "draft", "submitted", "returned", "submitted"
        ]

    @pytest.mark.parametrize("who", ["coordinator_b", "officer_a", "staff"])
    def test_only_the_sections_district_coordinators_review(self, world, who):
        nomination = _submitted(world)
        with pytest.raises(PermissionDenied):
            nomination_review(nomination=nomination, actor=getattr(world, who), forward=True, comment="")
        nomination.refresh_from_db()
        assert nomination.state == Nomination.State.SUBMITTED

    def test_a_draft_or_forwarded_nomination_is_not_reviewed(self, world):
        with pytest.raises(NominationRefused, match="Only a submitted nomination"):
            nomination_review(nomination=_drafted(world), actor=world.coordinator_a, forward=True, comment="")
        Nomination.objects.all().delete()
        with pytest.raises(NominationRefused):
            nomination_review(nomination=_forwarded(world), actor=world.coordinator_a, forward=True, comment="")


class TestDecide:
    @pytest.mark.parametrize(("awarded", "state"), [(True, "awarded"), (False, "not-awarded")])
    def test_staff_decide_and_the_officers_are_told(self, world, awarded, state):
        second_officer = OfficerFactory(section=world.a, role="treasurer").user
        nomination = _forwarded(world)
        OutgoingMail.objects.all().delete()
        nomination_decide(nomination=nomination, actor=world.staff, awarded=awarded, comment="Congratulations")
        nomination.refresh_from_db()
        assert nomination.state == state
        assert set(_mails()) == {world.officer_a.email, second_officer.email}
        assert nomination.steps.last().actor == world.staff

    def test_only_a_forwarded_nomination_is_decided(self, world):
        with pytest.raises(NominationRefused, match="forwarded by its district"):
            nomination_decide(nomination=_submitted(world), actor=world.staff, awarded=True)

    @pytest.mark.parametrize("who", ["officer_a", "coordinator_a"])
    def test_only_staff_decide(self, world, who):
        nomination = _forwarded(world)
        with pytest.raises(PermissionDenied):
            nomination_decide(nomination=nomination, actor=getattr(world, who), awarded=True)
        assert NominationStep.objects.filter(to_state="awarded").count() == 0
