from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.models import Activity, FundingLine, Goal, Partnership, Status
from partnerships.tests.conftest import PDF, endorsed, make_ready, propose
from sections.models import TwinningForm
from sections.tests.factories import OfficerFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _proposal_data(world, **changes) -> dict:
    data = {
        "partner": world.b.pk,
        "title": "Alpha and Beta",
        "purpose": "Grow both sections.",
        "twinning_forms": [TwinningForm.objects.get(code="student-exchange").pk],
        "start_date": "2026-03-01",
        "planned_end_date": "2027-03-01",
        "our_gives": "Hosting",
        "our_gains": "Speakers",
        "partner_gives": "Speakers",
        "partner_gains": "Hosting",
        "facilitator_kind": "",
    }
    data.update(changes)
    return data


class TestPropose:
    def test_officer_proposes_and_the_partner_is_told(self, client, world, mailoutbox, django_capture_on_commit_callbacks):
        client.force_login(world.officer_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/partnerships/propose/alpha/", _proposal_data(world), follow=True)
        partnership = Partnership.objects.get()
        assert partnership.status == Status.PROPOSED
        assert "The proposal was sent" in response.content.decode()
        assert [p.section for p in partnership.participants.all()] == [world.a, world.b]
        assert mailoutbox[0].to == [world.officer_b.email]

    def test_a_title_with_a_line_break_is_kept_on_one_line_and_the_mail_goes(
        self, client, world, mailoutbox, django_capture_on_commit_callbacks
    ):
        client.force_login(world.officer_a)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/partnerships/propose/alpha/",
                _proposal_data(world, title="  Alpha\r\n and\tBeta\n", facilitator_kind="external", facilitator_name="Ann\r\nSmith"),
            )
        partnership = Partnership.objects.get()
        assert (partnership.title, partnership.facilitator_name) == ("Alpha and Beta", "Ann Smith")
        assert mailoutbox[0].to == [world.officer_b.email]
        assert "Alpha and Beta" in mailoutbox[0].subject

    @pytest.mark.parametrize("bad", ["Alpha\x00Beta", "Alpha\x1bBeta", "Alpha\x7fBeta"])
    def test_a_control_character_in_a_title_is_a_field_error(self, client, world, bad):
        client.force_login(world.officer_a)
        response = client.post("/partnerships/propose/alpha/", _proposal_data(world, title=bad))
        assert response.status_code == 200
        assert "title" in response.context["form"].errors
        assert not Partnership.objects.exists()

    def test_partner_and_form_are_prefilled_from_the_link(self, client, world):
        client.force_login(world.officer_a)
        form = client.get("/partnerships/propose/alpha/?partner=beta&form=growing-section").context["form"]
        assert form.initial["partner"] == world.b
        assert [f.code for f in form.initial["twinning_forms"]] == ["growing-section"]

    def test_save_as_draft(self, client, world):
        client.force_login(world.officer_a)
        client.post("/partnerships/propose/alpha/", {**_proposal_data(world), "draft": "1"})
        assert Partnership.objects.get().status == Status.DRAFT

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"planned_end_date": "2026-01-01"}, "planned_end_date", "must come after the start"),
            ({"partner": "self"}, "partner", "No section matches"),
            ({"twinning_forms": []}, "twinning_forms", "This field is required"),
            ({"our_gains": ""}, "our_gains", "This field is required"),
            ({"start_date": "next tuesday"}, "start_date", "Enter a valid date"),
            ({"facilitator_kind": "external", "facilitator_name": ""}, "facilitator_name", "Name the facilitator"),
        ],
    )
    def test_bad_input_is_a_field_error_and_saves_nothing(self, client, world, changes, field, message):
        client.force_login(world.officer_a)
        if changes.get("partner") == "self":
            changes = {"partner": world.a.pk}
        response = client.post("/partnerships/propose/alpha/", _proposal_data(world, **changes))
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert message in response.content.decode()
        assert not Partnership.objects.exists()

    def test_a_second_open_partnership_with_the_same_partner_is_refused(self, client, world):
        propose(world)
        client.force_login(world.officer_a)
        response = client.post("/partnerships/propose/alpha/", _proposal_data(world, title="Again"))
        assert "already has an open partnership with Beta Section" in response.content.decode()
        assert Partnership.objects.count() == 1

    def test_another_sections_officer_cannot_propose_for_it(self, client, world):
        client.force_login(world.officer_b)
        assert client.post("/partnerships/propose/alpha/", _proposal_data(world)).status_code == 404
        assert not Partnership.objects.exists()


class TestAnswerAndTransitions:
    def test_partner_accepts_with_its_own_give_and_take(self, client, world):
        partnership = propose(world)
        client.force_login(world.officer_b)
        client.post(
            f"/partnerships/{partnership.pk}/answer/",
            {"gives": "Lab visits", "gains": "Mentoring", "comment": "Yes!", "accept": "1"},
        )
        partnership.refresh_from_db()
        assert partnership.status == Status.ACCEPTED
        b = partnership.participants.get(section=world.b)
        assert (b.gives, b.gains, b.response_comment) == ("Lab visits", "Mentoring", "Yes!")

    def test_partner_declines(self, client, world):
        partnership = propose(world)
        client.force_login(world.officer_b)
        client.post(f"/partnerships/{partnership.pk}/answer/", {"gives": "", "gains": "", "comment": "No time", "decline": "1"})
        partnership.refresh_from_db()
        assert partnership.status == Status.DECLINED

    def test_proposer_has_nothing_to_answer(self, client, world):
        partnership = propose(world)
        client.force_login(world.officer_a)
        assert client.get(f"/partnerships/{partnership.pk}/answer/").status_code == 404

    @pytest.mark.parametrize("role", ["coordinator_a", "officer_b", "staff"])
    def test_forged_post_to_an_officers_transition_is_403_and_changes_nothing(self, client, world, role):
        partnership = make_ready(world, endorsed(world))
        client.force_login(getattr(world, role))
        if role == "officer_b":
            action = "withdraw"  # only the proposing section withdraws
        else:
            action = "activate"
        assert client.post(f"/partnerships/{partnership.pk}/do/{action}/").status_code == 403
        partnership.refresh_from_db()
        assert partnership.status == Status.ENDORSED

    def test_outsider_gets_404_for_everything(self, client, world):
        partnership = propose(world)
        client.force_login(world.outsider)
        for url in [
            f"/partnerships/{partnership.pk}/",
            f"/partnerships/{partnership.pk}/answer/",
            f"/partnerships/{partnership.pk}/do/withdraw/",
            f"/partnerships/{partnership.pk}/plan/goal/add/",
            f"/partnerships/{partnership.pk}/agreement/document/",
        ]:
            assert client.get(url).status_code == 404, url
        assert client.post(f"/partnerships/{partnership.pk}/do/withdraw/").status_code == 404
        partnership.refresh_from_db()
        assert partnership.status == Status.PROPOSED

    def test_a_transition_the_state_does_not_allow_is_refused_with_a_message(self, client, world):
        partnership = propose(world)
        client.force_login(world.officer_a)
        response = client.post(f"/partnerships/{partnership.pk}/do/suspend/", {"reason": "Busy"}, follow=True)
        assert "cannot be suspended now" in response.content.decode()
        partnership.refresh_from_db()
        assert partnership.status == Status.PROPOSED

    def test_activation_page_lists_what_is_missing(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        page = client.get(f"/partnerships/{partnership.pk}/do/activate/").content.decode()
        assert "Name a lead for Alpha Section." in page
        assert "Add at least one goal" in page
        client.post(f"/partnerships/{partnership.pk}/do/activate/")
        partnership.refresh_from_db()
        assert partnership.status == Status.ENDORSED

    def test_suspending_needs_a_reason(self, client, world):
        partnership = make_ready(world, endorsed(world))
        client.force_login(world.officer_a)
        client.post(f"/partnerships/{partnership.pk}/do/activate/")
        response = client.post(f"/partnerships/{partnership.pk}/do/suspend/", {"reason": ""})
        assert "This field is required" in response.content.decode()
        partnership.refresh_from_db()
        assert partnership.status == Status.ACTIVE


class TestPlanAndRecords:
    def test_negative_budget_and_dates_out_of_order_are_field_errors(self, client, world):
        partnership = endorsed(world)
        goal = Goal.objects.create(partnership=partnership, title="G")
        objective = goal.objectives.create(partnership=partnership, title="O")
        client.force_login(world.officer_a)
        response = client.post(
            f"/partnerships/{partnership.pk}/plan/activity/add/",
            {
                "objective": objective.pk, "title": "Visit",
                "form": TwinningForm.objects.get(code="technical-exchange").pk,
                "owning_section": world.a.pk, "start_date": "2026-05-01", "end_date": "2026-04-01",
                "budget": "-5", "currency": "USD", "status": "planned",
            },
        )
        errors = response.context["form"].errors
        assert "budget" in errors and "end_date" in errors
        assert not Activity.objects.exists()

    def test_pending_funding_needs_a_date(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        response = client.post(
            f"/partnerships/{partnership.pk}/plan/funding/add/",
            {"source": "Grant", "amount": "100", "currency": "EUR", "status": "pending"},
        )
        assert "expected_by" in response.context["form"].errors
        assert not FundingLine.objects.exists()

    def test_a_plan_item_of_another_partnership_is_404(self, client, world):
        mine = endorsed(world)
        other_section = SectionFactory()
        other = Partnership.objects.create(
            title="Other", purpose="x", start_date=datetime.date(2026, 1, 1),
            planned_end_date=datetime.date(2026, 6, 1), proposing_section=other_section,
        )
        foreign_goal = Goal.objects.create(partnership=other, title="Theirs")
        client.force_login(world.officer_a)
        url = f"/partnerships/{mine.pk}/plan/goal/{foreign_goal.pk}/"
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "Hijacked"}).status_code == 404
        assert client.post(f"{url}delete/").status_code == 404
        foreign_goal.refresh_from_db()
        assert foreign_goal.title == "Theirs"

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("agreement.pdf", b"hello, not a pdf", "not a PDF"),
            ("agreement.exe", PDF, "Upload a PDF, PNG or JPEG file"),
        ],
    )
    def test_upload_that_is_not_a_pdf_or_image_is_refused(self, client, world, name, content, message):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        response = client.post(
            f"/partnerships/{partnership.pk}/agreement/",
            {"kind": "written", "signed_on": "2025-12-01", "document": SimpleUploadedFile(name, content)},
        )
        assert message in response.content.decode()
        partnership.refresh_from_db()
        assert not partnership.agreement_document and partnership.agreement_kind == ""

    def test_upload_over_10_mb_is_refused(self, client, world):
        partnership = endorsed(world)
        client.force_login(world.officer_a)
        big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024))
        response = client.post(
            f"/partnerships/{partnership.pk}/agreement/", {"kind": "written", "document": big}
        )
        assert "the largest allowed is 10.0" in response.content.decode()
        partnership.refresh_from_db()
        assert not partnership.agreement_document

    def test_signed_document_is_served_only_to_those_who_see_the_partnership(self, client, world):
        partnership = make_ready(world, endorsed(world))
        url = f"/partnerships/{partnership.pk}/agreement/document/"
        client.force_login(world.officer_b)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        client.force_login(world.outsider)
        assert client.get(url).status_code == 404

    def test_lead_must_hold_an_office_in_the_section(self, client, world):
        from sections.tests.factories import OfficerFactory

        partnership = endorsed(world)
        ended = OfficerFactory(section=world.b, end_date=datetime.date(2024, 1, 1), start_date=datetime.date(2023, 1, 1))
        client.force_login(world.officer_a)
        response = client.post(f"/partnerships/{partnership.pk}/leads/add/", {"officer": ended.pk}, follow=True)
        assert "Choose a current officer" in response.content.decode()
        assert not partnership.leads.exists()

    def test_history_shows_transitions_and_plan_changes(self, client, world):
        partnership = make_ready(world, endorsed(world))
        client.force_login(world.coordinator_b)
        page = client.get(partnership.get_absolute_url()).content.decode()
        assert "Status: Proposed → Accepted" in page
        assert "Added Goal: Grow student membership" in page


    def test_the_last_lead_of_a_running_partnership_is_replaced_not_removed(self, client, world):
        partnership = make_ready(world, endorsed(world))
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
        lead = partnership.leads.get(section=world.b)
        client.force_login(world.officer_b)

        page = client.post(f"/partnerships/{partnership.pk}/leads/{lead.pk}/remove/", follow=True).content.decode()

        assert "Beta Section needs a lead while the partnership runs" in page
        assert partnership.leads.filter(pk=lead.pk).exists()

        successor = OfficerFactory(section=world.b, role="secretary")
        client.post(f"/partnerships/{partnership.pk}/leads/add/", {"officer": successor.pk})
        client.post(f"/partnerships/{partnership.pk}/leads/{lead.pk}/remove/")
        assert list(partnership.leads.filter(section=world.b).values_list("user", flat=True)) == [successor.user_id]


class TestHome:
    def test_each_role_sees_what_waits_for_it(self, client, world):
        proposal = propose(world)
        draft = propose(world, submit=False, partner_sections=[SectionFactory(district=world.b.district)], title="Draft one")
        client.force_login(world.officer_b)
        page = client.get("/").content.decode()
        assert "Waiting for you" in page and f"/partnerships/{proposal.pk}/answer/" in page
        client.force_login(world.officer_a)
        page = client.get("/").content.decode()
        assert f"/partnerships/{draft.pk}/do/submit/" in page
        assert f"/partnerships/{proposal.pk}/answer/" not in page

        services.partnership_accept(partnership=proposal, section=world.b, actor=world.officer_b)
        client.force_login(world.coordinator_b)
        assert f"/partnerships/{proposal.pk}/do/endorse/" in client.get("/").content.decode()
        client.force_login(world.outsider)
        assert "Waiting for you" not in client.get("/").content.decode()

    def test_more_waiting_than_shown_shows_the_longest_waiting_and_counts_them_all(self, client, world):
        drafts = [
            propose(world, submit=False, partner_sections=[SectionFactory(district=world.b.district)], title=f"Draft {n:02}")
            for n in range(12)
        ]
        client.force_login(world.officer_a)

        page = client.get("/").content.decode()

        start = page.index('aria-labelledby="h-waiting"')
        waiting = page[start:page.index("</section>", start)]
        shown = [draft for draft in drafts if f"/partnerships/{draft.pk}/do/submit/" in waiting]
        assert shown == drafts[:10]
        assert "See all 12 partnerships waiting for you" in page

    def test_a_district_whose_only_coordinator_is_inactive_waits_for_the_society_admins(self, client, world):
        proposal = propose(world)
        services.partnership_accept(partnership=proposal, section=world.b, actor=world.officer_b)
        services.partnership_endorse(partnership=proposal, actor=world.coordinator_a)
        world.coordinator_b.is_active = False
        world.coordinator_b.save(update_fields=["is_active"])
        client.force_login(world.staff)

        page = client.get("/").content.decode()

        # The home page lists it exactly when the staff member may give it.
        assert f"/partnerships/{proposal.pk}/do/endorse/" in page
        client.post(f"/partnerships/{proposal.pk}/do/endorse/", {"reason": ""})
        proposal.refresh_from_db()
        assert proposal.status == Status.ENDORSED
