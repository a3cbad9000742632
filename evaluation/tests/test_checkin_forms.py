"""The forms of twinning in the reports: a check-in lists its period's exchanges and asks
whether they took place (submitting moves them through the exchange services), shows the
period's instalments, spending and growth milestones; the final evaluation shows the done
exchanges, the growth from activation to the end and the finances per currency."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from evaluation.models import CheckIn, ExchangeReport
from evaluation.services.checkin_exchanges import ExchangeAnswer
from evaluation.services.checkins import checkin_save, schedule_extend
from evaluation.services.closing import evaluation_confirm
from partnerships import services
from partnerships.models import (
    Exchange,
    ExchangeParticipant,
    FundingLine,
    GrowthSnapshot,
    Instalment,
    MilestoneKind,
    Partnership,
    Spending,
    SupportAgreement,
)
from partnerships.tests.conftest import World, endorsed, make_ready
from sections.models import Section, TwinningForm

from .checkin_helpers import at, checkin_of, stored
from .closing_helpers import confirmed
from .monitoring import activate as activate_plain
from .monitoring import other_world

pytestmark = pytest.mark.django_db

ACTIVATED = datetime.date(2026, 1, 15)
# The first quarter: 15 January – 14 April; reported on 20 April.
REPORTING_DAY = datetime.date(2026, 4, 20)
FORMS = ("student-exchange", "financial-support", "growing-section")


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def url(checkin: CheckIn) -> str:
    return f"/partnerships/{checkin.period.partnership_id}/check-ins/{checkin.pk}/"


def plan_exchange(world: World, partnership: Partnership, title: str, start, end, *, host=None, sender=None,
                  actor=None, return_dates=None) -> Exchange:
    return services.exchange_plan(
        partnership=partnership, actor=actor or world.officer_a, return_dates=return_dates,
        exchange=Exchange(
            title=title, kind=Exchange.Kind.STUDENT_TRAINING, host_section=host or world.b,
            sending_section=sender or world.a, start_date=start, end_date=end,
        ),
    )


def running_with_forms(world: World) -> Partnership:
    """Alpha mentors and supports Beta, a formative section of 30 members, and they exchange
    students: activated on 15 January with a support agreement, a milestone and, in the first
    quarter, a two-way exchange whose first leg Beta (the host) confirmed."""
    Section.objects.filter(pk=world.b.pk).update(maturity=Section.Maturity.FORMATIVE, member_count=30)
    world.b.refresh_from_db()
    with time_machine.travel(at(ACTIVATED), tick=False):
        partnership = make_ready(world, endorsed(world, forms=FORMS))
        agreement = services.support_agreement_save(
            partnership=partnership, actor=world.officer_a,
            agreement=SupportAgreement(
                giver=world.a, receiver=world.b, purpose="Lab kits", amount=Decimal("1000.00"), currency="USD",
                return_form=TwinningForm.objects.get(code="student-exchange"),
                return_description="Beta hosts Alpha's students",
            ),
        )
        for planned_on in (d(3, 1), d(4, 1), d(6, 1)):
            services.instalment_add(
                partnership=partnership, actor=world.officer_a,
                instalment=Instalment(agreement=agreement, amount=Decimal("300.00"), planned_on=planned_on),
            )
        for name, target in (("Officers elected", d(3, 31)), ("Bylaws adopted", d(9, 30))):
            services.growth_milestone_add(
                partnership=partnership, actor=world.officer_a, kind=MilestoneKind.objects.get(name=name),
                target_date=target,
            )
        going = plan_exchange(world, partnership, "Lab weeks in Beta", d(2, 1), d(2, 14), return_dates=(d(3, 1), d(3, 10)))
        for name in ("Zoe Student", "Yan Student"):
            services.exchange_participant_add(
                exchange=going, actor=world.officer_a,
                participant=ExchangeParticipant(name=name, role="Intern", kind=ExchangeParticipant.Kind.STUDENT),
            )
        services.exchange_confirm(exchange=going, actor=world.officer_b)
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        schedule_extend(partnership=partnership, today=REPORTING_DAY)
    partnership.refresh_from_db()
    return partnership


@pytest.fixture
def running(world) -> Partnership:
    return running_with_forms(world)


@pytest.fixture
def on_reporting_day():
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        yield


def going(partnership: Partnership) -> Exchange:
    return partnership.exchanges.get(title="Lab weeks in Beta")


def back(partnership: Partnership) -> Exchange:
    return partnership.exchanges.get(title="Lab weeks in Beta (return)")


def report(partnership: Partnership, **overrides) -> dict:
    data = {"overall": "on-track", "done": "The lab weeks ran."}
    data.update(overrides)
    return data


def errors_of(response) -> dict[str, str]:
    return dict(re.findall(r'id="error_\d+_id_(\w+)"[^>]*>\s*<strong>([^<]+)', response.content.decode()))


def exchange_state(*exchanges: Exchange) -> list[tuple]:
    return list(Exchange.objects.filter(pk__in=[e.pk for e in exchanges]).order_by("pk").values_list("status", "outcomes"))


# What the check-in lists ---------------------------------------------------------------------


@pytest.mark.usefixtures("on_reporting_day")
class TestListing:
    def test_the_checkin_lists_the_periods_exchanges_and_asks_about_the_open_ones(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        page = client.get(url(checkin)).content.decode()

        table = page[page.index('id="period-exchanges"'):page.index("</table>", page.index('id="period-exchanges"'))]
        assert "Lab weeks in Beta" in table and "Lab weeks in Beta (return)" in table
        # make_ready's exchange runs in June: another period's.
        assert "Study visit to Beta" not in page
        # The two people are counted, never named.
        assert "Zoe Student" not in page
        assert f'name="exchange_{going(running).pk}"' in page
        assert f'name="exchange_{back(running).pk}"' in page

    def test_an_earlier_exchange_not_done_is_listed_in_the_next_period_and_a_done_one_is_not(self, client, world, running):
        with time_machine.travel(at(d(7, 20)), tick=False):
            schedule_extend(partnership=running, today=d(7, 20))
            client.force_login(world.officer_a)
            second = checkin_of(running, world.a, number=1)
            page = client.get(url(second)).content.decode()
            assert "Lab weeks in Beta" in page
            services.exchange_done(exchange=going(running), actor=world.officer_b, outcomes="Robot cell built")
            page = client.get(url(second)).content.decode()
        assert f'name="exchange_{going(running).pk}"' not in page
        assert "Lab weeks in Beta (return)" in page  # still planned: open, so still asked about
        assert "Study visit to Beta" in page  # June: this period's

    def test_another_partnerships_exchanges_never_appear_and_cannot_be_reported(self, client, world, running):
        other = other_world()
        with time_machine.travel(at(ACTIVATED), tick=False):
            theirs = activate_plain(other, ACTIVATED, title="Gamma and Delta")
            foreign = plan_exchange(other, theirs, "Gamma's secret tour", d(2, 1), d(2, 5), host=other.b, sender=other.a,
                                    actor=other.officer_a)
        schedule_extend(partnership=theirs, today=REPORTING_DAY)
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        page = client.get(url(checkin)).content.decode()
        response = client.post(url(checkin), {
            **report(running), f"exchange_{foreign.pk}": "done", f"exchange_{foreign.pk}_outcomes": "Stolen", "submit": "Submit",
        })

        assert "Gamma's secret tour" not in page
        assert response.status_code == 302  # the stray field is no field of this form: ignored
        assert exchange_state(foreign) == [(Exchange.Status.PLANNED, "")]
        assert client.get(f"/partnerships/{running.pk}/check-ins/{checkin_of(theirs, other.a).pk}/").status_code == 404
        with pytest.raises(ValidationError, match="not open in this period"):
            checkin_save(
                checkin=checkin_of(running, world.b), actor=world.officer_b, data={"overall": "on-track"},
                exchanges={foreign.pk: ExchangeAnswer("done", "Stolen")}, submit=True,
            )

    def test_the_period_shows_its_instalments_spending_and_milestones(self, client, world, running):
        agreement = running.support_agreements.get()
        march, april, june = agreement.instalments.order_by("planned_on")
        services.instalment_mark_sent(partnership=running, actor=world.officer_a, instalment=march, sent_on=d(3, 2))
        services.instalment_mark_received(
            partnership=running, actor=world.officer_b, instalment=march, received_on=d(3, 5), amount=Decimal("280.00")
        )
        line = running.funding_lines.get()
        services.spending_add(
            partnership=running, actor=world.officer_b,
            spending=Spending(funding_line=line, spent_on=d(3, 20), amount=Decimal("120.00"), what_for="Kits"),
        )
        client.force_login(world.officer_b)

        page = client.get(url(checkin_of(running, world.b))).content.decode()

        instalments = page[page.index('id="period-instalments"'):page.index("</table>", page.index('id="period-instalments"'))]
        assert instalments.count("<tr>") == 3  # the header, March and April; June is another period's
        assert "Received" in instalments and "Mismatch" in instalments and "Late" in instalments
        spending = page[page.index('id="period-spending"'):page.index("</table>", page.index('id="period-spending"'))]
        assert "120.00 USD" in spending and "380.00 USD" in spending
        milestones = page[page.index('id="period-milestones"'):page.index("</ul>", page.index('id="period-milestones"'))]
        assert "Officers elected" in milestones and "Bylaws adopted" not in milestones


# Reporting -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("on_reporting_day")
class TestReporting:
    def test_reporting_outcomes_marks_the_exchange_done_with_its_outcomes(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {
            **report(running),
            f"exchange_{going(running).pk}": "done",
            f"exchange_{going(running).pk}_outcomes": "Two students built a robot cell.",
            f"exchange_{back(running).pk}": "cancelled",
            f"exchange_{back(running).pk}_reason": "Visas refused",
            "submit": "Submit",
        })

        assert response.status_code == 302
        assert CheckIn.objects.get(pk=checkin.pk).state == CheckIn.State.SUBMITTED
        assert exchange_state(going(running), back(running)) == [
            (Exchange.Status.DONE, "Two students built a robot cell."), (Exchange.Status.CANCELLED, ""),
        ]
        assert back(running).history.first().history_change_reason == "Visas refused"
        assert list(checkin.exchange_reports.values_list("exchange__title", "outcome")) == [
            ("Lab weeks in Beta", "done"), ("Lab weeks in Beta (return)", "cancelled"),
        ]
        page = client.get(url(checkin)).content.decode()
        assert "It took place: done: Two students built a robot cell." in page

    def test_a_draft_keeps_the_answers_and_moves_no_exchange(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)

        client.post(url(checkin), {
            **report(running), f"exchange_{going(running).pk}": "running", "draft": "Save draft",
        })

        assert exchange_state(going(running)) == [(Exchange.Status.CONFIRMED, "")]
        assert ExchangeReport.objects.get(checkin=checkin).outcome == "running"
        page = client.get(url(checkin)).content.decode()
        assert '<option value="running" selected>' in page

    def test_the_partner_does_not_read_a_drafts_answers(self, client, world, running):
        checkin = checkin_of(running, world.a)
        client.force_login(world.officer_a)
        client.post(url(checkin), {
            **report(running), f"exchange_{going(running).pk}": "done",
            f"exchange_{going(running).pk}_outcomes": "Draft thoughts", "draft": "Save draft",
        })
        client.force_login(world.officer_b)

        page = client.get(url(checkin)).content.decode()

        assert "Lab weeks in Beta" in page
        assert "Draft thoughts" not in page and "Asked in the report below" not in page

    def test_still_running_puts_a_confirmed_exchange_under_way(self, world, running):
        checkin_save(
            checkin=checkin_of(running, world.b), actor=world.officer_b, data={"overall": "on-track"},
            exchanges={going(running).pk: ExchangeAnswer("running")}, submit=True,
        )
        assert exchange_state(going(running)) == [(Exchange.Status.IN_PROGRESS, "")]

    @pytest.mark.parametrize("answer, field, message", [
        ({"x": "done", "x_outcomes": "  "}, "x_outcomes", "Say what came of the exchange."),
        ({"x": "cancelled"}, "x_reason", "Say why the exchange was cancelled."),
        ({"x": "teleported"}, "x", "Select a valid choice."),
        ({"x": "cancelled", "x_reason": "r" * 101}, "x_reason", "Ensure this value has at most 100 characters"),
        ({"x": "done", "x_outcomes": "<script>alert(1)</script>"}, None, None),
    ])
    def test_hostile_input_gives_field_errors_and_saves_nothing(self, client, world, running, answer, field, message):
        checkin = checkin_of(running, world.a)
        name = f"exchange_{going(running).pk}"
        posted = {key.replace("x", name, 1): value for key, value in answer.items()}
        before = stored(checkin)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {**report(running, done="Changed"), **posted, "submit": "Submit"})

        if field is None:  # stored as text, shown escaped
            assert response.status_code == 302
            page = client.get(url(checkin)).content.decode()
            assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
            return
        assert response.status_code == 200
        assert errors_of(response)[field.replace("x", name, 1)].startswith(message)
        assert stored(checkin) == before
        assert not ExchangeReport.objects.exists()
        assert exchange_state(going(running)) == [(Exchange.Status.CONFIRMED, "")]
        assert "Changed" in response.content.decode()  # what was typed is shown again

    def test_a_refusal_of_the_exchange_service_is_the_fields_error_and_nothing_is_saved(self, client, world, running):
        """The return leg's dates were never confirmed by its host: it cannot be done. The
        other answers in the same report are not kept either."""
        checkin = checkin_of(running, world.a)
        before = stored(checkin)
        client.force_login(world.officer_a)

        response = client.post(url(checkin), {
            **report(running),
            f"exchange_{going(running).pk}": "done", f"exchange_{going(running).pk}_outcomes": "Fine",
            f"exchange_{back(running).pk}": "done", f"exchange_{back(running).pk}_outcomes": "Also fine",
            "submit": "Submit",
        })

        assert response.status_code == 200
        assert "confirmed can be done" in errors_of(response)[f"exchange_{back(running).pk}"]
        assert stored(checkin) == before
        assert exchange_state(going(running), back(running)) == [(Exchange.Status.CONFIRMED, ""), (Exchange.Status.PLANNED, "")]
        assert not ExchangeReport.objects.exists()


# The final evaluation ------------------------------------------------------------------------


def _evaluation_url(partnership: Partnership) -> str:
    return f"/partnerships/{partnership.pk}/evaluation/final/"


def _section(page: str, marker: str, end: str = "</table>") -> str:
    start = page.index(marker)
    return page[start:page.index(end, start)]


def test_the_final_evaluation_shows_done_exchanges_growth_and_finances(client, world, running):
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        checkin_save(
            checkin=checkin_of(running, world.a), actor=world.officer_a, data={"overall": "on-track"},
            exchanges={going(running).pk: ExchangeAnswer("done", "Two students built a robot cell.")}, submit=True,
        )
        milestone = running.growth_milestones.get(kind__name="Officers elected")
        services.growth_milestone_progress(milestone=milestone, actor=world.officer_b, done_on=d(3, 20), evidence="Minutes")
        services.plan_item_save(
            partnership=running, actor=world.officer_a,
            item=FundingLine(source="Faculty grant", amount=Decimal("800"), currency="EUR", status=FundingLine.Status.CONFIRMED),
        )
    Section.objects.filter(pk=world.b.pk).update(member_count=45)
    confirmed(world, running, sides=())
    client.force_login(world.officer_b)

    page = client.get(_evaluation_url(running)).content.decode()

    exchanges = _section(page, 'id="evidence-exchanges"')
    assert "Lab weeks in Beta" in exchanges and "Student training exchange" in exchanges
    assert "Two students built a robot cell." in exchanges and "<td>2</td>" in exchanges
    assert "(return)" not in exchanges and "Zoe Student" not in page
    growth = _section(page, 'id="evidence-growth"')
    assert "30" in growth and "45 now" in growth and "Formative" in growth
    assert "1 of 2 milestones done" in page and "Officers elected" in _section(page, 'id="evidence-milestones"', "</ul>")
    finances = _section(page, 'id="evidence-finances"')
    rows = re.findall(r"<tr><th scope=\"row\">(\w+)</th>((?:<td[^>]*>[^<]*</td>)+)</tr>", finances)
    assert [currency for currency, _cells in rows] == ["EUR", "USD"]
    assert re.findall(r">([^<]*)</td>", dict(rows)["USD"]) == ["1000.00", "0", "0", "500.00", "0", "500.00"]

    evaluation = running.evaluations.get()
    for section, officer in ((world.a, world.officer_a), (world.b, world.officer_b)):
        evaluation_confirm(evaluation=evaluation, section=section, actor=officer)
    with time_machine.travel(at(d(12, 1)), tick=False):
        services.partnership_complete(partnership=running, actor=world.officer_a)
    end = GrowthSnapshot.objects.get(partnership=running, moment=GrowthSnapshot.Moment.END)
    assert end.member_count == 45
    growth = _section(client.get(_evaluation_url(running)).content.decode(), 'id="evidence-growth"')
    assert "45 (+15)" in growth


def test_the_report_shows_the_same_evidence(client, world, running):
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        services.exchange_done(exchange=going(running), actor=world.officer_a, outcomes="Robot cell built")
    confirmed(world, running, sides=())
    client.force_login(world.officer_a)
    page = client.get(f"/partnerships/{running.pk}/report/").content.decode()
    assert "Robot cell built" in _section(page, 'id="evidence-exchanges"')


# Queries -------------------------------------------------------------------------------------


def _more(world: World, partnership: Partnership, n: int) -> None:
    """More exchanges, instalments, spending and milestones in the first quarter."""
    with time_machine.travel(at(d(1, 20)), tick=False):
        agreement = partnership.support_agreements.get()
        line = partnership.funding_lines.get()
        for index in range(n):
            exchange = plan_exchange(world, partnership, f"Visit {index}", d(2, 2 + index), d(2, 20))
            services.exchange_confirm(exchange=exchange, actor=world.officer_b)
            services.exchange_participant_add(
                exchange=exchange, actor=world.officer_a,
                participant=ExchangeParticipant(name=f"P{index}", role="Intern", kind=ExchangeParticipant.Kind.MEMBER),
            )
            services.instalment_add(
                partnership=partnership, actor=world.officer_a,
                instalment=Instalment(agreement=agreement, amount=Decimal("10.00"), planned_on=d(2, 1 + index)),
            )
            services.spending_add(
                partnership=partnership, actor=world.officer_b,
                spending=Spending(funding_line=line, spent_on=d(1, 16), amount=Decimal("5.00"), what_for=f"Item {index}"),
            )
            services.growth_milestone_add(
                partnership=partnership, actor=world.officer_a, kind=MilestoneKind.objects.get(name="First student event"),
                target_date=d(3, 1 + index),
            )


@pytest.mark.parametrize("extra", [0, 4])
def test_the_checkin_page_takes_a_fixed_number_of_queries(client, world, running, django_assert_num_queries, extra):
    _more(world, running, extra)
    checkin = checkin_of(running, world.a)
    client.force_login(world.officer_a)
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        client.get(url(checkin))
        # 22 however many exchanges, instalments, spending entries and milestones the period has;
        # 8 of them the forms of twinning: the exchanges and the check-in's answers (2), the
        # finances (4), the partnership's forms and the period's milestones (2).
        with django_assert_num_queries(21):
            response = client.get(url(checkin))
    assert response.content.decode().count('<select name="exchange_') == 2 + extra


@pytest.mark.parametrize("extra", [0, 4])
def test_the_evaluation_page_with_evidence_takes_a_fixed_number_of_queries(
    client, world, running, django_assert_num_queries, extra
):
    _more(world, running, extra)
    with time_machine.travel(at(REPORTING_DAY), tick=False):
        for exchange in running.exchanges.filter(status=Exchange.Status.CONFIRMED):
            services.exchange_done(exchange=exchange, actor=world.officer_a, outcomes="Went well")
    confirmed(world, running, sides=())
    client.force_login(world.officer_b)
    client.get(_evaluation_url(running))
    # 27 however many done exchanges, instalments, spending entries and milestones: the
    # evaluation page of evaluation/tests/test_closing_views.py with, for a partnership that
    # grows a section, its snapshots and milestones.
    with django_assert_num_queries(27):
        response = client.get(_evaluation_url(running))
    assert response.content.decode().count("Went well") == 1 + extra
