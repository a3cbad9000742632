"""Handover after elections: a lead's office ends, the section is asked (once) to name a new
lead, a note waits for the successor; a section with nobody in office receives no proposals
and is not suggested as a partner."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from partnerships import services
from partnerships.finder import Criteria, rank
from partnerships.models import HandoverNote, Lead, LeadVacancy, Status
from partnerships.services import TransitionRefused, handover
from partnerships.tasks import open_lead_vacancies
from sections.models import Officer
from sections.services import officer_end
from sections.tests.factories import CoordinatorFactory, DistrictFactory, OfficerFactory, SectionFactory
from twinning.models import OutgoingMail
from twinning.tests.concurrency import at_the_same_moment

from .conftest import endorsed, propose

TEMPLATE = "partnerships/email/lead_vacancy"


def _vacancy_mails() -> list[str]:
    return sorted(OutgoingMail.objects.filter(template_name=TEMPLATE).values_list("to", flat=True))


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


@pytest.fixture
def led(world):
    """Ann leads the endorsed partnership for Alpha; Cleo, Alpha's treasurer, stays in office."""
    partnership = endorsed(world)
    services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=world.officer_a)
    services.lead_add(partnership=partnership, actor=world.officer_b, section=world.b, user=world.officer_b)
    successor = OfficerFactory(section=world.a, role=Officer.Role.TREASURER, user__full_name="Cleo Alpha").user
    return partnership, successor


def _anns_office(world) -> Officer:
    return Officer.objects.get(user=world.officer_a, section=world.a, role=Officer.Role.CHAIR)


@pytest.mark.django_db
class TestLeadVacancy:
    def test_ending_an_office_asks_the_remaining_officers_once_and_mails_them_once(self, world, led):
        partnership, successor = led
        officer_end(officer=_anns_office(world), end_date=_yesterday(), actor=world.staff)

        [vacancy] = LeadVacancy.objects.all()
        assert (vacancy.partnership, vacancy.section, vacancy.outgoing) == (partnership, world.a, world.officer_a)
        assert vacancy.resolved_at is None and vacancy.mailed_at is not None
        assert _vacancy_mails() == [successor.email]
        mail = OutgoingMail.objects.get(template_name=TEMPLATE)
        assert "Ann Alpha" in mail.text and f"/partnerships/{partnership.pk}/#leads" in mail.text

        # The admin saves the same date again, and the nightly task runs twice: nothing new.
        officer_end(officer=_anns_office(world), end_date=_yesterday(), actor=world.staff)
        open_lead_vacancies()
        open_lead_vacancies()
        assert LeadVacancy.objects.count() == 1
        assert _vacancy_mails() == [successor.email]

    def test_an_end_date_entered_in_the_admin_hands_the_leads_over(self, world, led, client):
        _partnership, successor = led
        office = _anns_office(world)
        client.force_login(world.staff)
        response = client.post(f"/admin/sections/officer/{office.pk}/change/", {
            "user": world.officer_a.pk, "section": world.a.pk, "role": office.role,
            "start_date": office.start_date.isoformat(), "end_date": _yesterday().isoformat(),
        })
        assert response.status_code == 302
        assert LeadVacancy.objects.get().office == office
        assert _vacancy_mails() == [successor.email]

    def test_an_end_date_still_to_come_is_found_by_the_nightly_task_once_it_has_passed(self, world, led, time_machine):
        partnership, successor = led
        last_day = timezone.localdate() + datetime.timedelta(days=10)
        officer_end(officer=_anns_office(world), end_date=last_day, actor=world.staff)
        # Ann still holds the office up to and including her last day.
        time_machine.move_to(datetime.datetime.combine(last_day, datetime.time(12)), tick=False)
        assert handover.lead_vacancies_open().found == 0
        assert not LeadVacancy.objects.exists()

        time_machine.move_to(datetime.datetime.combine(last_day + datetime.timedelta(days=1), datetime.time(1, 10)), tick=False)
        assert open_lead_vacancies() == {"found": 1, "mailed": 1}
        assert LeadVacancy.objects.get().outgoing == world.officer_a
        assert _vacancy_mails() == [successor.email]

    def test_no_todo_while_the_person_holds_another_office_in_the_section(self, world, led):
        OfficerFactory(section=world.a, user=world.officer_a, role=Officer.Role.SECRETARY)
        officer_end(officer=_anns_office(world), end_date=_yesterday(), actor=world.staff)
        assert not LeadVacancy.objects.exists()

    def test_no_todo_while_another_lead_of_the_side_is_in_office(self, world, led):
        partnership, successor = led
        services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=successor)
        officer_end(officer=_anns_office(world), end_date=_yesterday(), actor=world.staff)
        assert not LeadVacancy.objects.exists()

    def test_a_closed_partnership_hands_nothing_over(self, world, led):
        partnership, _successor = led
        partnership.__class__.objects.filter(pk=partnership.pk).update(status=Status.COMPLETED)
        officer_end(officer=_anns_office(world), end_date=_yesterday(), actor=world.staff)
        assert not LeadVacancy.objects.exists()

    def test_a_section_with_nobody_left_is_mailed_when_its_new_officer_starts(self, world):
        partnership = endorsed(world)
        services.lead_add(partnership=partnership, actor=world.officer_a, section=world.a, user=world.officer_a)
        officer_end(officer=_anns_office(world), end_date=_yesterday(), actor=world.staff)
        vacancy = LeadVacancy.objects.get()
        assert vacancy.mailed_at is None and _vacancy_mails() == []

        newcomer = OfficerFactory(section=world.a, start_date=timezone.localdate()).user
        open_lead_vacancies()
        assert _vacancy_mails() == [newcomer.email]

    def test_naming_a_new_lead_resolves_the_todo_and_the_outgoing_lead_leaves(self, world, led):
        partnership, successor = led
        officer_end(officer=_anns_office(world), end_date=_yesterday(), actor=world.staff)

        services.lead_add(partnership=partnership, actor=successor, section=world.a, user=successor)

        vacancy = LeadVacancy.objects.get()
        assert vacancy.resolved_at is not None and vacancy.resolved_by == successor
        assert set(Lead.objects.filter(partnership=partnership, section=world.a).values_list("user", flat=True)) == {
            successor.pk
        }
        # The history keeps who led before.
        assert Lead.history.filter(user=world.officer_a, history_type="-").exists()
        open_lead_vacancies()
        assert LeadVacancy.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: concurrent writers and row locks")
def test_two_nightly_runs_at_the_same_moment_make_the_todo_once_and_mail_once(world, led):
    _partnership, successor = led
    # Ended by date: no edit told anyone, the nightly task finds it.
    Officer.objects.filter(pk=_anns_office(world).pk).update(end_date=_yesterday())

    results = at_the_same_moment(open_lead_vacancies, open_lead_vacancies, open_lead_vacancies)

    assert not [result for result in results if isinstance(result, Exception)], results
    assert LeadVacancy.objects.count() == 1
    assert sum(result["mailed"] for result in results) == 1
    assert _vacancy_mails() == [successor.email]


@pytest.mark.django_db
class TestHandoverNote:
    def test_an_officer_of_the_side_writes_it_and_an_empty_text_removes_it(self, world, led):
        partnership, _successor = led
        note = services.handover_note_write(
            partnership=partnership, actor=world.officer_a, section=world.a, text="  Call Bo at Beta first.  "
        )
        assert (note.text, note.written_by) == ("Call Bo at Beta first.", world.officer_a)
        services.handover_note_write(partnership=partnership, actor=world.officer_a, section=world.a, text="Updated")
        assert HandoverNote.objects.get().text == "Updated"
        services.handover_note_write(partnership=partnership, actor=world.officer_a, section=world.a, text="  ")
        assert not HandoverNote.objects.exists()

    def test_a_note_too_long_is_refused_by_the_service_too(self, world, led):
        partnership, _successor = led
        with pytest.raises(ValidationError) as refused:
            services.handover_note_write(partnership=partnership, actor=world.officer_a, section=world.a, text="x" * 4001)
        assert "text" in refused.value.message_dict
        assert not HandoverNote.objects.exists()

    def test_the_other_side_cannot_write_it(self, world, led):
        from django.core.exceptions import PermissionDenied

        partnership, _successor = led
        with pytest.raises(PermissionDenied):
            services.handover_note_write(partnership=partnership, actor=world.officer_b, section=world.a, text="Hi")


@pytest.mark.django_db
class TestSectionWithoutOfficers:
    def _empty_section(self, world):
        district = DistrictFactory(code="dz", name="District Z")
        CoordinatorFactory(district=district, user__full_name="Zoe Coordinator", user__email="zoe@example.org")
        return SectionFactory(name="Quiet Section", slug="quiet", district=district, country="BR")

    def test_a_proposal_to_it_is_refused_naming_its_district_coordinator(self, world):
        quiet = self._empty_section(world)
        with pytest.raises(ValidationError) as refused:
            propose(world, partner_sections=[quiet])
        [message] = refused.value.message_dict["partner"]
        assert "Quiet Section has no officer in office" in message
        assert "Zoe Coordinator (zoe@example.org)" in message
        assert not quiet.participations.exists()

    def test_a_draft_may_name_it_but_cannot_be_sent_until_someone_is_in_office(self, world):
        quiet = self._empty_section(world)
        draft = propose(world, partner_sections=[quiet], submit=False)
        with pytest.raises(TransitionRefused, match="Zoe Coordinator"):
            services.partnership_submit(partnership=draft, actor=world.officer_a)
        OfficerFactory(section=quiet)
        assert services.partnership_submit(partnership=draft, actor=world.officer_a).status == Status.PROPOSED

    def test_the_finder_leaves_it_out(self, world):
        quiet = self._empty_section(world)
        staffed = SectionFactory(name="Busy Section", slug="busy", district=quiet.district, country="BR")
        OfficerFactory(section=staffed)
        former = SectionFactory(name="Former Section", slug="former", district=quiet.district, country="BR")
        OfficerFactory(section=former, end_date=_yesterday())
        names = {match.candidate.name for match in rank(world.a, Criteria())}
        assert "Busy Section" in names
        assert "Quiet Section" not in names and "Former Section" not in names
