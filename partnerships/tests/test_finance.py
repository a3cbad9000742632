"""Financial support and spending: instalments sent by the giver and confirmed by the
receiver, late and mismatched ones flagged, budget against actual per currency, the CSV."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerships import services
from partnerships.finance import partnership_finances
from partnerships.models import FundingLine, Instalment, Spending, SupportAgreement
from partnerships.services import activation_gaps
from partnerships.tests.conftest import PDF, endorsed, make_ready, propose
from sections.models import TwinningForm
from sections.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
FINANCIAL = ("financial-support", "technical-exchange")


@pytest.fixture
def partnership(world):
    return make_ready(world, endorsed(world, forms=FINANCIAL))


def _agreement(world, partnership, **overrides) -> SupportAgreement:
    fields = dict(
        giver=world.a, receiver=world.b, purpose="Lab instruments", amount=Decimal("1000.00"), currency="USD",
        return_form=TwinningForm.objects.get(code="technical-exchange"),
        return_description="Beta's students present at Alpha's meetings",
    )
    fields.update(overrides)
    return services.support_agreement_save(partnership=partnership, actor=world.officer_a, agreement=SupportAgreement(**fields))


def _instalment(world, partnership, agreement, *, planned_on, amount=Decimal("500.00")) -> Instalment:
    return services.instalment_add(
        partnership=partnership, actor=world.officer_a,
        instalment=Instalment(agreement=agreement, amount=amount, planned_on=planned_on),
    )


def _finances(partnership) -> str:
    return f"/partnerships/{partnership.pk}/finances/"


def _spend(world, partnership, line, amount, what_for="Instruments"):
    return services.spending_add(
        partnership=partnership, actor=world.officer_b,
        spending=Spending(funding_line=line, spent_on=TODAY, amount=Decimal(amount), what_for=what_for),
    )


# ---- money per currency -------------------------------------------------------------------

def test_sums_per_currency_never_mix_currencies(client, world, partnership):
    usd = partnership.funding_lines.get()  # 500 USD, from make_ready
    eur = services.plan_item_save(
        partnership=partnership, actor=world.officer_a,
        item=FundingLine(source="Euro grant", amount=Decimal("300"), currency="EUR", status=FundingLine.Status.CONFIRMED),
    )
    _spend(world, partnership, usd, "450.25")
    _spend(world, partnership, usd, "149.75")
    _spend(world, partnership, eur, "100")
    totals = {total.currency: total for total in partnership_finances(partnership, TODAY).totals}
    assert set(totals) == {"EUR", "USD"}
    assert (totals["USD"].budget, totals["USD"].spent, totals["USD"].remaining) == (Decimal("500"), Decimal("600.00"), Decimal("-100.00"))
    assert totals["USD"].overspent
    assert (totals["EUR"].budget, totals["EUR"].spent, totals["EUR"].remaining) == (Decimal("300"), Decimal("100"), Decimal("200"))
    assert not totals["EUR"].overspent

    client.force_login(world.coordinator_a)
    page = client.get(_finances(partnership)).content.decode()
    assert "Overspent" in page
    # No mixed grand total: 900 of "money" appears nowhere.
    assert "700.00" not in page and "800" not in page


def test_the_csv_lists_every_record_with_totals_per_currency_and_escapes_formulas(client, world, partnership):
    line = partnership.funding_lines.get()
    _spend(world, partnership, line, "20", what_for='=HYPERLINK("http://evil.example","click")')
    _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY + datetime.timedelta(days=30))
    client.force_login(world.officer_b)
    response = client.get(f"/partnerships/{partnership.pk}/finances.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    spending = next(row for row in rows if row[0] == "Spending")
    assert spending[3] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert spending[4:6] == ["20.00", "USD"]
    total = next(row for row in rows if row[0] == "Total")
    assert total[4:9] == ["1000.00", "USD", "500.00", "20.00", "480.00"]
    assert [row[0] for row in rows].count("Instalment") == 1


# ---- instalments: each side its own step --------------------------------------------------

def test_giver_records_sent_and_receiver_confirms_received(client, world, partnership):
    instalment = _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY)
    client.force_login(world.officer_a)
    client.post(f"/partnerships/{partnership.pk}/finances/instalments/{instalment.pk}/sent/", {"sent_on": TODAY.isoformat()})
    client.force_login(world.officer_b)
    client.post(
        f"/partnerships/{partnership.pk}/finances/instalments/{instalment.pk}/received/",
        {"received_on": TODAY.isoformat(), "amount": "500.00"},
    )
    instalment.refresh_from_db()
    assert (instalment.sent_on, instalment.sent_by, instalment.received_on, instalment.received_by) == (
        TODAY, world.officer_a, TODAY, world.officer_b,
    )
    assert instalment.received_amount == Decimal("500.00")
    assert "need a look" not in client.get(_finances(partnership)).content.decode()


@pytest.mark.parametrize("step, who", [("sent", "officer_b"), ("received", "officer_a"), ("sent", "coordinator_a")])
def test_instalment_step_by_the_wrong_side_is_refused(client, world, partnership, step, who):
    instalment = _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY)
    client.force_login(getattr(world, who))
    response = client.post(
        f"/partnerships/{partnership.pk}/finances/instalments/{instalment.pk}/{step}/",
        {"sent_on": TODAY.isoformat(), "received_on": TODAY.isoformat(), "amount": "500"},
    )
    assert response.status_code == 403
    instalment.refresh_from_db()
    assert instalment.sent_on is None and instalment.received_on is None


def test_the_service_refuses_the_wrong_side_too(world, partnership):
    from django.core.exceptions import PermissionDenied

    instalment = _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.instalment_mark_received(
            partnership=partnership, actor=world.officer_a, instalment=instalment, received_on=TODAY, amount=Decimal("1"),
        )


def test_another_partnerships_instalment_is_not_found(client, world, partnership):
    gamma = OfficerFactory(section__district=world.b.district).section
    other = propose(world, forms=FINANCIAL, partner_sections=[gamma], title="Other")
    instalment = _instalment(world, other, _agreement(world, other, receiver=gamma), planned_on=TODAY)
    client.force_login(world.officer_a)
    response = client.post(
        f"/partnerships/{partnership.pk}/finances/instalments/{instalment.pk}/sent/", {"sent_on": TODAY.isoformat()}
    )
    assert response.status_code == 404


def test_a_late_and_a_mismatched_instalment_show_on_the_page_and_the_coordinators_dashboard(client, world, partnership):
    agreement = _agreement(world, partnership)
    _instalment(world, partnership, agreement, planned_on=TODAY - datetime.timedelta(days=3))
    short = _instalment(world, partnership, agreement, planned_on=TODAY + datetime.timedelta(days=20))
    # Received before the giver said it was sent, and less than planned.
    services.instalment_mark_received(
        partnership=partnership, actor=world.officer_b, instalment=short, received_on=TODAY, amount=Decimal("450"),
    )
    client.force_login(world.officer_b)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "2 instalments need a look" in page
    assert "has not been received" in page
    assert "the giver has not recorded sending it" in page

    client.force_login(world.coordinator_a)
    dashboard = client.get("/dashboard/?district=da").content.decode()
    assert 'id="needs-instalments"' in dashboard
    assert f'href="/partnerships/{partnership.pk}/finances/"' in dashboard
    names = ", ".join(partnership.participants.values_list("section__name", flat=True))
    assert f"— {names}</span>" in dashboard


def test_an_instalment_received_in_another_amount_is_a_mismatch(world, partnership):
    instalment = _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY)
    services.instalment_mark_sent(partnership=partnership, actor=world.officer_a, instalment=instalment, sent_on=TODAY)
    services.instalment_mark_received(
        partnership=partnership, actor=world.officer_b, instalment=instalment, received_on=TODAY, amount=Decimal("499.99"),
    )
    finances = partnership_finances(partnership, TODAY)
    assert [i.mismatch for i in finances.mismatched] == ["Received 499.99, not the 500.00 planned."]
    assert finances.late == []


# ---- hostile input ------------------------------------------------------------------------

HOSTILE_AMOUNTS = ["-5", "0", "1e20", "123456789012345", "1.234", "twelve", "NaN", "Infinity", "1,5"]


@pytest.mark.parametrize("amount", HOSTILE_AMOUNTS)
def test_hostile_amounts_are_field_errors(client, world, partnership, amount):
    agreement = _agreement(world, partnership)
    line = partnership.funding_lines.get()
    client.force_login(world.officer_a)
    forms = {
        f"/partnerships/{partnership.pk}/finances/support/add/": {
            "giver": world.a.pk, "receiver": world.b.pk, "purpose": "x", "currency": "USD",
            "return_form": TwinningForm.objects.get(code="technical-exchange").pk, "return_description": "y",
        },
        f"/partnerships/{partnership.pk}/finances/support/{agreement.pk}/instalments/add/": {"planned_on": TODAY.isoformat()},
        f"/partnerships/{partnership.pk}/finances/funding/{line.pk}/spending/add/": {"spent_on": TODAY.isoformat(), "what_for": "x"},
    }
    for url, data in forms.items():
        response = client.post(url, {**data, "amount": amount})
        assert response.status_code == 200, url
        assert "amount" in response.context["form"].errors, url
    assert SupportAgreement.objects.count() == 1
    assert not Instalment.objects.exists() and not Spending.objects.exists()


@pytest.mark.parametrize("amount", HOSTILE_AMOUNTS[2:])
def test_a_hostile_received_amount_changes_nothing(client, world, partnership, amount):
    instalment = _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY)
    client.force_login(world.officer_b)
    response = client.post(
        f"/partnerships/{partnership.pk}/finances/instalments/{instalment.pk}/received/",
        {"received_on": TODAY.isoformat(), "amount": amount}, follow=True,
    )
    assert response.status_code == 200
    assert "Not confirmed" in response.content.decode()
    instalment.refresh_from_db()
    assert instalment.received_on is None


def test_support_needs_two_different_sections_and_a_return(client, world, partnership):
    client.force_login(world.officer_a)
    response = client.post(f"/partnerships/{partnership.pk}/finances/support/add/", {
        "giver": world.a.pk, "receiver": world.a.pk, "purpose": "x", "amount": "10", "currency": "usd",
        "return_form": TwinningForm.objects.get(code="financial-support").pk, "return_description": "",
    })
    errors = response.context["form"].errors
    assert set(errors) >= {"receiver", "currency", "return_form", "return_description"}
    assert not SupportAgreement.objects.exists()


# ---- receipts -----------------------------------------------------------------------------

def test_a_receipt_is_checked_like_the_agreement_and_served_as_an_attachment(client, world, partnership):
    line = partnership.funding_lines.get()
    url = f"/partnerships/{partnership.pk}/finances/funding/{line.pk}/spending/add/"
    client.force_login(world.officer_b)
    data = {"spent_on": TODAY.isoformat(), "amount": "12.50", "what_for": "Cables"}
    response = client.post(url, {**data, "receipt": SimpleUploadedFile("receipt.pdf", b"MZ\x90\x00not a pdf")})
    assert "receipt" in response.context["form"].errors
    assert not Spending.objects.exists()
    client.post(url, {**data, "receipt": SimpleUploadedFile("receipt.pdf", PDF)})
    spending = Spending.objects.get()
    download = client.get(f"/partnerships/{partnership.pk}/finances/spending/{spending.pk}/receipt/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(download.streaming_content) == PDF


def test_spending_is_removed_by_the_partners(client, world, partnership):
    spending = _spend(world, partnership, partnership.funding_lines.get(), "5")
    client.force_login(world.officer_a)
    client.post(f"/partnerships/{partnership.pk}/finances/spending/{spending.pk}/delete/")
    assert not Spending.objects.exists()


# ---- activation ---------------------------------------------------------------------------

def test_a_financial_support_partnership_needs_a_support_agreement_to_activate(world, partnership):
    gap = "Add the support agreement: who gives, who receives, how much, and what the giver gains in return."
    assert gap in activation_gaps(partnership)
    _agreement(world, partnership)
    assert activation_gaps(partnership) == []


def test_other_partnerships_need_no_support_agreement(world):
    partnership = make_ready(world, endorsed(world))
    assert activation_gaps(partnership) == []


# ---- queries ------------------------------------------------------------------------------

def _fill(world, partnership, n: int) -> None:
    agreement = _agreement(world, partnership)
    for day in range(n):
        instalment = _instalment(world, partnership, agreement, planned_on=TODAY - datetime.timedelta(days=day))
        services.instalment_mark_sent(partnership=partnership, actor=world.officer_a, instalment=instalment, sent_on=TODAY)
        _spend(world, partnership, partnership.funding_lines.get(), "1")


def test_finance_pages_keep_a_fixed_number_of_queries(client, world, partnership, django_assert_num_queries):
    _fill(world, partnership, 2)
    client.force_login(world.officer_b)
    # session, user, roles, partnership, agreements, instalments, funding lines, spending,
    # and for the page the access' participants (which buttons to draw)
    with django_assert_num_queries(9):
        assert client.get(_finances(partnership)).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(f"/partnerships/{partnership.pk}/finances.csv").status_code == 200
    _fill(world, partnership, 6)
    with django_assert_num_queries(9):
        assert client.get(_finances(partnership)).status_code == 200


def test_the_form_pages_keep_a_fixed_number_of_queries(client, world, partnership, django_assert_num_queries):
    agreement = _agreement(world, partnership)
    line = partnership.funding_lines.get()
    client.force_login(world.officer_a)
    for url, count in [
        # session, user, roles, partnership, access' participants, the form's sections and forms,
        # whether a first agreement (which starts from the proposal's intent) is still to come
        (f"/partnerships/{partnership.pk}/finances/support/add/", 9),
        # … and the agreement
        (f"/partnerships/{partnership.pk}/finances/support/{agreement.pk}/", 9),
        # session, user, roles, partnership, access' participants, the agreement or line
        (f"/partnerships/{partnership.pk}/finances/support/{agreement.pk}/instalments/add/", 6),
        (f"/partnerships/{partnership.pk}/finances/funding/{line.pk}/spending/add/", 6),
    ]:
        with django_assert_num_queries(count):
            assert client.get(url).status_code == 200


def test_an_instalment_is_sent_and_received_once(client, world, partnership):
    instalment = _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY)
    client.force_login(world.officer_a)
    url = f"/partnerships/{partnership.pk}/finances/instalments/{instalment.pk}/sent/"
    client.post(url, {"sent_on": TODAY.isoformat()})
    response = client.post(url, {"sent_on": (TODAY - datetime.timedelta(days=1)).isoformat()}, follow=True)
    assert "recorded as sent on" in response.content.decode()
    instalment.refresh_from_db()
    assert instalment.sent_on == TODAY


def test_a_future_date_is_refused(client, world, partnership):
    instalment = _instalment(world, partnership, _agreement(world, partnership), planned_on=TODAY)
    client.force_login(world.officer_a)
    response = client.post(
        f"/partnerships/{partnership.pk}/finances/instalments/{instalment.pk}/sent/",
        {"sent_on": (TODAY + datetime.timedelta(days=2)).isoformat()}, follow=True,
    )
    assert "cannot be in the future" in response.content.decode()
    instalment.refresh_from_db()
    assert instalment.sent_on is None


def test_the_dashboards_instalment_list_reads_the_same_queries_for_one_or_many(client, world, partnership):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def late_partnership(n):
        gamma = OfficerFactory(section__district=world.a.district).section
        other = propose(world, forms=FINANCIAL, partner_sections=[gamma], title=f"Late {n}")
        _instalment(world, other, _agreement(world, other, receiver=gamma), planned_on=TODAY - datetime.timedelta(days=1))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/?district=da").status_code == 200
        return len(captured)

    late_partnership(0)
    client.force_login(world.coordinator_a)
    one = count()
    for n in range(1, 4):
        late_partnership(n)
    assert count() == one


# ---- the admin ----------------------------------------------------------------------------

def test_a_society_admin_adds_spending_in_the_admin_against_a_funding_line(client, partnership):
    from twinning.tests.factories import UserFactory

    line = partnership.funding_lines.get()
    client.force_login(UserFactory(society_admin=True, is_staff=True))
    response = client.post(
        "/admin/partnerships/spending/add/",
        {"funding_line": line.pk, "spent_on": TODAY.isoformat(), "amount": "12.50", "what_for": "Printing"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    spending = Spending.objects.get()
    assert (spending.partnership, spending.funding_line, spending.amount) == (partnership, line, Decimal("12.50"))
