"""The proposal asks each chosen form of twinning its own questions, explains each form in a
sentence, keeps the answers as records (FormIntent) and shows them to the partner."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.models import FormIntent, Partnership
from sections.models import Section, TwinningForm

pytestmark = pytest.mark.django_db


def _form_ids(*codes):
    return [str(pk) for pk in TwinningForm.objects.filter(code__in=codes).values_list("pk", flat=True)]


def _post(world, *codes, **answers):
    data = {
        "partner": world.b.pk,
        "title": "Alpha and Beta",
        "purpose": "Grow both sections.",
        "twinning_forms": _form_ids(*codes),
        "start_date": "2026-01-01",
        "planned_end_date": "2027-06-30",
        "our_gives": "Speakers",
        "our_gains": "Student hosts",
        "submit": "Send the proposal",
    }
    data.update(answers)
    return data


def _propose_url(world):
    return reverse("partnerships:propose", args=[world.a.slug])


def test_the_form_explains_each_form_of_twinning_in_a_sentence(world, client):
    client.force_login(world.officer_a)
    page = client.get(_propose_url(world)).content.decode()
    for form in TwinningForm.objects.all():
        assert form.description.count(". ") == 0 and form.description.endswith(".")
        assert form.description.replace("'", "&#x27;") in page
    assert "Only if you chose “Financial support”" in page
    assert 'data-questions-for="financial-support"' in page
    assert "js/form-questions.js" in page


def _send(client, world, *codes, **answers):
    client.force_login(world.officer_a)
    return client.post(_propose_url(world), _post(world, *codes, **answers))


FINANCIAL = {
    "financial_support_giver": "ours",
    "financial_support_amount": "2500.50",
    "financial_support_currency": "EUR",
    "financial_support_giver_gains": "Their students present at our meetings.",
}


def test_financial_support_without_what_the_giver_gains_is_refused_and_nothing_saved(world, client):
    response = _send(client, world, "financial-support", **{**FINANCIAL, "financial_support_giver_gains": "  "})
    assert response.status_code == 200
    assert "financial_support_giver_gains" in response.context["form"].errors
    assert "Answer this for “Financial support”." in response.content.decode()
    assert not Partnership.objects.exists()
    assert not FormIntent.objects.exists()


def test_chosen_financial_support_answers_are_kept_as_an_intent(world, client):
    response = _send(client, world, "financial-support", **FINANCIAL)
    assert response.status_code == 302
    intent = FormIntent.objects.get()
    assert intent.form.code == "financial-support"
    assert (intent.giver, intent.amount, intent.currency) == (world.a, Decimal("2500.50"), "EUR")
    assert intent.giver_gains == "Their students present at our meetings."
    assert intent.host_section is None and intent.formative_section is None


def test_questions_of_forms_not_chosen_are_not_saved(world, client):
    answers = {
        # Financial support is not chosen: its answers, even broken ones, are ignored.
        **FINANCIAL, "financial_support_amount": "NaN", "financial_support_giver": "nobody",
        "growing_section_formative_section": "partner", "growing_section_first_milestones": "Elect a board",
        "technical_exchange_host_section": "both", "technical_exchange_length": "short",
        "technical_exchange_learning": "Plant visits",
    }
    response = _send(client, world, "technical-exchange", **answers)
    assert response.status_code == 302, response.context["form"].errors
    intent = FormIntent.objects.get()
    assert intent.form.code == "technical-exchange"
    assert intent.both_ways and intent.host_section is None
    assert (intent.length, intent.learning) == ("short", "Plant visits")
    assert (intent.giver, intent.amount, intent.giver_gains, intent.first_milestones) == (None, None, "", "")


@pytest.mark.parametrize(
    "amount", ["NaN", "Infinity", "1e999", "-5", "0", "0.001", "12345678901234567", "1,5", "<script>", "9" * 400]
)
def test_hostile_amounts_give_a_field_error(world, client, amount):
    response = _send(client, world, "financial-support", **{**FINANCIAL, "financial_support_amount": amount})
    assert response.status_code == 200
    assert "financial_support_amount" in response.context["form"].errors
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("currency", ["eur", "EURO", "E1R", "€"])
def test_a_currency_that_is_not_three_capital_letters_is_refused(world, client, currency):
    response = _send(client, world, "financial-support", **{**FINANCIAL, "financial_support_currency": currency})
    assert "financial_support_currency" in response.context["form"].errors


def test_an_amount_needs_its_currency_and_no_amount_drops_the_currency(world, client):
    response = _send(client, world, "financial-support", **{**FINANCIAL, "financial_support_currency": ""})
    assert "financial_support_currency" in response.context["form"].errors
    response = _send(client, world, "financial-support", **{**FINANCIAL, "financial_support_amount": ""})
    assert response.status_code == 302
    assert (FormIntent.objects.get().amount, FormIntent.objects.get().currency) == (None, "")


def test_an_exchanges_questions_may_wait_but_are_checked_when_answered(world, client):
    response = _send(client, world, "student-exchange", student_exchange_host_section="everyone")
    assert set(response.context["form"].errors) == {"student_exchange_host_section"}
    response = _send(client, world, "student-exchange")
    assert response.status_code == 302
    intent = FormIntent.objects.get()
    assert (intent.host_section, intent.both_ways, intent.length) == (None, False, "")
    Partnership.objects.all().delete()  # Alpha may run one open partnership with Beta
    response = _send(client, world, "student-exchange", title="Second", student_exchange_host_section="partner",
                     student_exchange_length="long")
    assert FormIntent.objects.get(partnership__title="Second").host_section == world.b


def test_growing_a_section_asks_which_side_is_formative(world, client):
    response = _send(client, world, "growing-section")
    assert "growing_section_formative_section" in response.context["form"].errors
    assert not Partnership.objects.exists()


def test_the_formative_side_defaults_to_the_formative_section(world, client):
    client.force_login(world.officer_a)
    form = client.get(_propose_url(world)).context["form"]
    assert form.fields["growing_section_formative_section"].initial == "partner"
    Section.objects.filter(pk=world.a.pk).update(maturity=Section.Maturity.FORMATIVE)
    form = client.get(_propose_url(world)).context["form"]
    assert form.fields["growing_section_formative_section"].initial == "ours"


def test_a_draft_keeps_its_intents_too(world, client):
    data = _post(world, "growing-section", growing_section_formative_section="partner",
                 growing_section_first_milestones="Officers elected")
    del data["submit"]
    data["draft"] = "Save as draft"
    client.force_login(world.officer_a)
    assert client.post(_propose_url(world), data).status_code == 302
    intent = FormIntent.objects.get()
    assert (intent.partnership.status, intent.formative_section) == ("draft", world.b)


def test_the_service_drops_intents_of_forms_not_chosen_and_refuses_outside_sections(world):
    from partnerships.tests.conftest import propose

    technical = TwinningForm.objects.get(code="technical-exchange")
    financial = TwinningForm.objects.get(code="financial-support")
    partnership = propose(world, intents=[
        FormIntent(form=technical, host_section=world.b, length="short"),
        FormIntent(form=financial, giver=world.a, giver_gains="Talks"),
    ])
    assert [intent.form for intent in partnership.form_intents.all()] == [technical]

    from django.core.exceptions import ValidationError
    from sections.tests.factories import OfficerFactory

    # A third section, with someone in office to answer: the giver named is not one of the two.
    gamma = OfficerFactory().section
    with pytest.raises(ValidationError) as refused:
        propose(world, title="Again", forms=("financial-support",), partner_sections=[gamma],
                intents=[FormIntent(form=financial, giver=world.b, giver_gains="Talks")])
    assert "financial_support_giver" in refused.value.message_dict


def _proposed_with_intents(world):
    from partnerships.tests.conftest import propose

    forms = {form.code: form for form in TwinningForm.objects.all()}
    return propose(world, forms=("financial-support", "technical-exchange", "growing-section"), intents=[
        FormIntent(form=forms["technical-exchange"], host_section=world.b, length="long", learning="Plant visits"),
        FormIntent(form=forms["financial-support"], giver=world.a, amount=Decimal("1200"), currency="KES",
                   giver_gains="Beta's students speak at our meetings"),
        FormIntent(form=forms["growing-section"], formative_section=world.b, first_milestones="Officers elected"),
    ])


def test_the_partner_sees_the_intents_before_answering(world, client):
    partnership = _proposed_with_intents(world)
    client.force_login(world.officer_b)
    page = client.get(reverse("partnerships:answer", args=[partnership.pk])).content.decode()
    assert "What the proposal means by each form of twinning" in page
    for text in ("1200.00 KES", "Beta&#x27;s students speak at our meetings", "Plant visits", "Long: several months",
                 "Officers elected"):
        assert text in page


def test_the_answer_page_takes_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    partnership = _proposed_with_intents(world)
    client.force_login(world.officer_b)
    url = reverse("partnerships:answer", args=[partnership.pk])
    client.get(url)
    with django_assert_num_queries(ANSWER_QUERIES):
        assert client.get(url).status_code == 200


def test_the_propose_page_takes_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    client.force_login(world.officer_a)
    client.get(_propose_url(world))
    with django_assert_num_queries(PROPOSE_QUERIES):
        assert client.get(_propose_url(world)).status_code == 200


ANSWER_QUERIES = 7
# 8: the partner, further partners and facilitating section are typed (sections.forms
# SectionChoiceField), no longer three lists of every section; the user's offices and
# districts are one query.
PROPOSE_QUERIES = 8


def test_the_partnership_page_shows_the_intents_in_each_forms_panel(world, client):
    partnership = _proposed_with_intents(world)
    client.force_login(world.officer_a)
    page = client.get(partnership.get_absolute_url()).content.decode()
    for anchor, text in (("exchanges", "Plant visits"), ("finances", "1200.00 KES"), ("growth", "Officers elected")):
        section = page.split(f'<section id="{anchor}"', 1)[1].split("</section>", 1)[0]
        assert "What the proposal said" in section and text in section


def test_the_first_exchange_and_support_agreement_start_from_the_intents(world, client):
    from partnerships.tests.conftest import endorsed

    partnership = endorsed(world)  # technical exchange, proposed without intents
    FormIntent.objects.create(partnership=partnership, form=TwinningForm.objects.get(code="technical-exchange"),
                              host_section=world.b, length="short", learning="Plant visits")
    client.force_login(world.officer_a)
    form = client.get(reverse("partnerships:exchange_add", args=[partnership.pk])).context["form"]
    assert (form.initial["host_section"], form.initial["sending_section"]) == (world.b.pk, world.a.pk)
    assert (form.initial["kind"], form.initial["programme"], form.initial["two_way"]) == ("technical", "Plant visits", False)

    financial = TwinningForm.objects.get(code="financial-support")
    partnership.forms.add(financial)
    FormIntent.objects.create(partnership=partnership, form=financial, giver=world.a, amount=Decimal("900"),
                              currency="EUR", giver_gains="Talks")
    form = client.get(reverse("partnerships:support_add", args=[partnership.pk])).context["form"]
    assert form.initial["giver"] == world.a.pk and form.initial["receiver"] == world.b.pk
    assert (form.initial["amount"], form.initial["currency"], form.initial["return_description"]) == (
        Decimal("900"), "EUR", "Talks"
    )
    assert form.initial["return_form"] == TwinningForm.objects.get(code="technical-exchange").pk


def test_the_descriptions_migration_keeps_an_admins_own_text():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("partnerships.migrations.0010_form_intents")
    TwinningForm.objects.filter(code="student-exchange").update(description=migration.FIRST_WORDING["student-exchange"])
    TwinningForm.objects.filter(code="technical-exchange").update(description="Our own words.")
    TwinningForm.objects.filter(code="financial-support").update(description="")
    TwinningForm.objects.filter(code="growing-section").update(description="One. Two. Three sentences.")
    migration.describe(apps, None)
    descriptions = dict(TwinningForm.objects.values_list("code", "description"))
    assert descriptions["technical-exchange"] == "Our own words."
    for code in ("student-exchange", "financial-support", "growing-section"):
        assert descriptions[code] == migration.SENTENCES[code]


def test_a_form_name_and_description_are_shown_as_text(world, client):
    TwinningForm.objects.filter(code="financial-support").update(
        name="<b>Money</b> {{ request.user.email }}", description="<i>Funds</i> {{ 7|add:1 }}"
    )
    client.force_login(world.officer_a)
    page = client.get(_propose_url(world)).content.decode()
    assert "&lt;b&gt;Money&lt;/b&gt; {{ request.user.email }}" in page
    assert "&lt;i&gt;Funds&lt;/i&gt; {{ 7|add:1 }}" in page
    assert "<b>Money" not in page and world.officer_a.email not in page.split("Only if you chose", 1)[1][:300]
