"""What activation needs (the checklist and the win-win rule) and the plan services that fill
it: leads, work plan items with their history, funding lines."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerships import services
from partnerships.models import (
    Activity,
    FundingLine,
    Goal,
    Lead,
    Objective,
    Partnership,
    Status,
    SupportAgreement,
    Transition,
)
from partnerships.services import TransitionRefused, activation_gaps
from sections.models import Officer, TwinningForm
from sections.tests.factories import OfficerFactory, SectionFactory

from .conftest import PDF, endorsed, make_ready, propose, record_agreement

# Each gap by the words it opens with; the advice after them may be reworded.
WIN_WIN = "Beta Section gains nothing yet"
LEAD_A = "Name a lead for Alpha Section"
LEAD_B = "Name a lead for Beta Section"
NO_GOAL = "Add at least one goal"
NO_ACTIVITY = "Add at least one activity"
NO_FUNDING = "Add the funding"
NO_AGREEMENT = "Record the agreement"
NO_DOCUMENT = "Upload the signed agreement"
NO_EXCHANGE = "Plan at least one exchange"
GAPS = (WIN_WIN, LEAD_A, LEAD_B, NO_GOAL, NO_ACTIVITY, NO_FUNDING, NO_AGREEMENT, NO_DOCUMENT, NO_EXCHANGE)


def gaps(partnership: Partnership) -> list[str]:
    """The activation checklist, each gap named by the constant it opens with."""
    return [next((name for name in GAPS if gap.startswith(name)), gap) for gap in activation_gaps(partnership)]


def add_activity(world, partnership: Partnership, *, objective: Objective | None = None, **fields) -> Activity:
    if objective is None:
        goal = services.plan_item_save(partnership=partnership, actor=world.officer_a, item=Goal(title="Grow"))
        objective = services.plan_item_save(
            partnership=partnership, actor=world.officer_a, item=Objective(goal=goal, title="Exchange")
        )
    values = dict(
        objective=objective,
        title="Joint workshop",
        form=TwinningForm.objects.get(code="technical-exchange"),
        owning_section=world.b,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 2),
    )
    values.update(fields)
    return services.plan_item_save(partnership=partnership, actor=world.officer_a, item=Activity(**values))


@pytest.fixture
def ready(world) -> Partnership:
    partnership = make_ready(world, endorsed(world))
    assert gaps(partnership) == []
    return partnership


# The activation checklist ----------------------------------------------------------------------


def test_a_fresh_endorsed_partnership_lists_everything_activation_still_needs(world):
    partnership = endorsed(world)

    assert gaps(partnership) == [LEAD_A, LEAD_B, NO_GOAL, NO_ACTIVITY, NO_AGREEMENT, NO_EXCHANGE]


def test_a_side_without_gains_is_a_gap_until_it_says_what_it_gains(world, ready):
    ready.participants.filter(section=world.b).update(gains="   ")
    assert gaps(ready) == [WIN_WIN]

    participant = ready.participants.get(section=world.b)
    services.participant_give_take_update(
        participant=participant, actor=world.officer_b, gives="Hosts", gains="Talks"
    )

    assert gaps(ready) == []


def test_a_section_without_a_lead_is_a_gap_until_one_is_named(world, ready):
    lead = ready.leads.get(section=world.b)
    services.lead_remove(partnership=ready, actor=world.officer_b, lead=lead)
    assert gaps(ready) == [LEAD_B]

    services.lead_add(partnership=ready, actor=world.officer_b, section=world.b, user=world.officer_b)

    assert gaps(ready) == []


def test_a_lead_whose_office_has_since_ended_does_not_count(world, ready):
    Officer.objects.filter(user=world.officer_b, section=world.b).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert gaps(ready) == [LEAD_B]

    successor = OfficerFactory(section=world.b, role=Officer.Role.TWINNING_LEAD).user
    services.lead_add(partnership=ready, actor=successor, section=world.b, user=successor)

    assert gaps(ready) == []


def test_a_plan_without_a_goal_or_activity_is_a_gap_until_both_exist(world, ready):
    services.plan_item_delete(partnership=ready, actor=world.officer_a, item=ready.goals.get())
    assert gaps(ready) == [NO_GOAL, NO_ACTIVITY]

    goal = services.plan_item_save(partnership=ready, actor=world.officer_a, item=Goal(title="Grow"))
    assert gaps(ready) == [NO_ACTIVITY]

    objective = services.plan_item_save(
        partnership=ready, actor=world.officer_a, item=Objective(goal=goal, title="Exchange")
    )
    add_activity(world, ready, objective=objective)

    assert gaps(ready) == []


def test_a_plan_without_an_activity_is_a_gap_until_one_is_added(world, ready):
    activity = ready.activities.get()
    services.plan_item_delete(partnership=ready, actor=world.officer_a, item=activity)
    assert gaps(ready) == [NO_ACTIVITY]

    add_activity(world, ready, objective=ready.objectives.get())

    assert gaps(ready) == []


@pytest.mark.parametrize(
    ("forms", "budget"),
    [
        pytest.param(("technical-exchange", "financial-support"), Decimal("0"), id="financial-support-form"),
        pytest.param(("technical-exchange",), Decimal("250.00"), id="non-zero-budget"),
    ],
)
def test_money_without_a_funding_line_is_a_gap_until_one_is_added(world, forms, budget):
    partnership = make_ready(world, endorsed(world, forms=forms), budget=budget)
    partnership.funding_lines.all().delete()
    if "financial-support" in forms:
        # Financial support also needs its support agreement (test_finance): here it has one.
        services.support_agreement_save(partnership=partnership, actor=world.officer_a, agreement=SupportAgreement(
            giver=world.a, receiver=world.b, purpose="Lab", amount=Decimal("100"),
            return_form=TwinningForm.objects.get(code="technical-exchange"), return_description="Talks",
        ))
    assert gaps(partnership) == [NO_FUNDING]

    services.plan_item_save(
        partnership=partnership,
        actor=world.officer_a,
        item=FundingLine(
            source="Society grant", amount=Decimal("250"), status=FundingLine.Status.PENDING,
            expected_by=datetime.date(2026, 12, 15),
        ),
    )

    assert gaps(partnership) == []


def test_no_funding_line_is_needed_without_financial_support_or_budget(world, ready):
    ready.funding_lines.all().delete()

    assert gaps(ready) == []


def test_an_unrecorded_agreement_is_a_gap_until_a_verbal_one_is_recorded(world, ready):
    Partnership.objects.filter(pk=ready.pk).update(agreement_kind="", agreement_document="")
    ready.refresh_from_db()
    assert gaps(ready) == [NO_AGREEMENT]

    record_agreement(world, ready, kind=Partnership.AgreementKind.VERBAL, signed_on=datetime.date(2026, 2, 1))

    assert gaps(ready) == []


def test_a_written_agreement_without_its_document_is_a_gap_until_it_is_uploaded(world, ready):
    Partnership.objects.filter(pk=ready.pk).update(agreement_document="")
    ready.refresh_from_db()
    assert gaps(ready) == [NO_DOCUMENT]

    record_agreement(
        world, ready, kind=Partnership.AgreementKind.WRITTEN, signed_on=datetime.date(2026, 2, 1),
        document=SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf"),
    )

    assert gaps(ready) == []


def test_activation_is_refused_while_gaps_remain_and_allowed_once_none_do(world):
    partnership = endorsed(world)
    transitions = partnership.transitions.count()

    with pytest.raises(TransitionRefused, match="Not ready to activate: .*Name a lead for Alpha Section"):
        services.partnership_activate(partnership=partnership, actor=world.officer_a)

    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED
    assert partnership.transitions.count() == transitions

    make_ready(world, partnership)
    services.partnership_activate(partnership=partnership, actor=world.officer_a)

    assert Partnership.objects.get(pk=partnership.pk).status == Status.ACTIVE
    assert partnership.transitions.filter(to_status=Status.ACTIVE).count() == 1


def test_a_side_that_gains_nothing_blocks_activation_naming_the_section(world):
    # Beta accepts without saying what it gains; everything else is in place.
    partnership = propose(world, gains={world.a.pk: "Exchange students"})
    services.partnership_accept(partnership=partnership, section=world.b, actor=world.officer_b, gains="")
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_a)
    services.partnership_endorse(partnership=partnership, actor=world.coordinator_b)
    make_ready(world, partnership)

    with pytest.raises(TransitionRefused) as refused:
        services.partnership_activate(partnership=partnership, actor=world.officer_a)

    assert WIN_WIN in str(refused.value)
    assert gaps(partnership) == [WIN_WIN]
    assert Partnership.objects.get(pk=partnership.pk).status == Status.ENDORSED
    assert not Transition.objects.filter(partnership=partnership, to_status=Status.ACTIVE).exists()


# Leads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["outsider", "officer_a", "ended_officer_b"], ids=["no-office", "office-elsewhere", "office-ended"]
)
def test_a_lead_must_hold_an_open_office_in_that_section(world, who):
    partnership = endorsed(world)
    if who == "ended_officer_b":
        Officer.objects.filter(user=world.officer_b).update(
            end_date=timezone.localdate() - datetime.timedelta(days=1)
        )
        user = world.officer_b
    else:
        user = getattr(world, who)

    # Named by another officer of Beta: only a section's own officers name its leads.
    beta_chair = OfficerFactory(section=world.b).user
    with pytest.raises(ValidationError) as refused:
        services.lead_add(partnership=partnership, actor=beta_chair, section=world.b, user=user)

    assert "user" in refused.value.error_dict
    assert not Lead.objects.exists()


def test_a_lead_is_named_only_for_a_participating_section(world):
    partnership = endorsed(world)
    elsewhere = SectionFactory()
    officer = OfficerFactory(section=elsewhere).user

    with pytest.raises(ValidationError) as refused:
        services.lead_add(partnership=partnership, actor=world.officer_a, section=elsewhere, user=officer)

    assert "section" in refused.value.error_dict
    assert not Lead.objects.exists()


# Work plan items -------------------------------------------------------------------------------


def test_a_negative_budget_is_refused(world):
    partnership = endorsed(world)

    with pytest.raises(ValidationError) as refused:
        add_activity(world, partnership, budget=Decimal("-1"))

    assert "budget" in refused.value.error_dict
    assert not Activity.objects.exists()


def test_an_activity_marked_done_on_the_plan_is_all_done(world):
    partnership = endorsed(world)

    activity = add_activity(world, partnership, status=Activity.Status.DONE, percent_complete=40)

    activity.refresh_from_db()
    assert activity.percent_complete == 100


def test_an_activity_is_carried_out_by_a_participating_section(world):
    partnership = endorsed(world)

    with pytest.raises(ValidationError) as refused:
        add_activity(world, partnership, owning_section=SectionFactory())

    assert "owning_section" in refused.value.error_dict
    assert not Activity.objects.exists()


def test_a_plan_item_cannot_hang_under_another_partnerships_goal_or_objective(world):
    ours = endorsed(world)
    gamma = OfficerFactory(section__name="Gamma Section", section__slug="gamma").section
    theirs = propose(world, partner_sections=[gamma], gives={}, gains={})
    their_goal = services.plan_item_save(partnership=theirs, actor=world.officer_a, item=Goal(title="Theirs"))
    their_objective = services.plan_item_save(
        partnership=theirs, actor=world.officer_a, item=Objective(goal=their_goal, title="Theirs")
    )

    with pytest.raises(ValidationError):
        services.plan_item_save(partnership=ours, actor=world.officer_a, item=Objective(goal=their_goal, title="X"))
    with pytest.raises(ValidationError):
        add_activity(world, ours, objective=their_objective)

    assert not ours.objectives.exists()
    assert not ours.activities.exists()
    assert their_objective.activities.count() == 0


def test_plan_changes_are_kept_in_history_with_who_made_them(world):
    partnership = endorsed(world)
    goal = services.plan_item_save(partnership=partnership, actor=world.officer_a, item=Goal(title="Grow"))
    goal.title = "Grow student membership"
    services.plan_item_save(partnership=partnership, actor=world.officer_b, item=goal)
    goal_id = goal.pk
    services.plan_item_delete(partnership=partnership, actor=world.officer_a, item=goal)

    history = Goal.history.filter(id=goal_id).order_by("history_date", "history_id")
    assert list(history.values_list("history_type", "title", "history_user_id")) == [
        ("+", "Grow", world.officer_a.pk),
        ("~", "Grow student membership", world.officer_b.pk),
        ("-", "Grow student membership", world.officer_a.pk),
    ]


def test_the_plan_stays_editable_while_active(world, ready):
    services.partnership_activate(partnership=ready, actor=world.officer_a)

    goal = services.plan_item_save(partnership=ready, actor=world.officer_b, item=Goal(title="Second goal"))

    assert ready.goals.filter(pk=goal.pk).exists()
    assert Goal.history.filter(id=goal.pk, history_user=world.officer_b).exists()


def test_the_plan_cannot_change_once_the_partnership_is_completed(world, ready):
    Partnership.objects.filter(pk=ready.pk).update(status=Status.COMPLETED)
    ready.refresh_from_db()
    goal = ready.goals.get()

    with pytest.raises(ValidationError, match="completed"):
        services.plan_item_save(partnership=ready, actor=world.officer_a, item=Goal(title="Late idea"))
    goal.title = "Rewritten after the fact"
    with pytest.raises(ValidationError):
        services.plan_item_save(partnership=ready, actor=world.officer_a, item=goal)
    with pytest.raises(ValidationError):
        services.lead_add(partnership=ready, actor=world.officer_a, section=world.a, user=world.officer_a)

    assert list(ready.goals.values_list("title", flat=True)) == ["Grow student membership"]


def test_only_officers_of_a_participating_section_edit_the_plan(world):
    partnership = endorsed(world)

    with pytest.raises(PermissionDenied):
        services.plan_item_save(partnership=partnership, actor=world.coordinator_a, item=Goal(title="Mine"))

    assert not Goal.objects.exists()


# Funding lines ---------------------------------------------------------------------------------


def test_a_pending_funding_line_needs_the_date_a_decision_is_expected(world):
    partnership = endorsed(world)

    with pytest.raises(ValidationError, match="Pending funding needs the date"):
        services.plan_item_save(
            partnership=partnership, actor=world.officer_a,
            item=FundingLine(source="Grant", amount=Decimal("100"), status=FundingLine.Status.PENDING),
        )

    assert not FundingLine.objects.exists()


def test_a_confirmed_funding_line_needs_no_date(world):
    partnership = endorsed(world)

    line = services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=FundingLine(source="Section funds", amount=Decimal("100"), status=FundingLine.Status.CONFIRMED),
    )

    assert list(partnership.funding_lines.values_list("pk", "expected_by")) == [(line.pk, None)]
