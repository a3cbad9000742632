"""Growing a formative section: milestones with each side's part, the snapshots taken at
activation and at the end, and the formative section's proposal to count as developing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from partnerships import services
from partnerships.models import GrowthMilestone, GrowthSnapshot, MaturityProposal, MilestoneKind
from partnerships.services import activation_gaps
from sections.models import Section

from sections.tests.factories import OfficerFactory

from .conftest import PDF, endorsed, make_ready, propose

pytestmark = pytest.mark.django_db

GAP = "Add at least one growth milestone"


def growing(world, *, ready: bool = True):
    """Alpha mentors Beta, a formative section of 30 members."""
    Section.objects.filter(pk=world.b.pk).update(maturity=Section.Maturity.FORMATIVE, member_count=30)
    world.b.refresh_from_db()
    partnership = endorsed(world, forms=("growing-section", "technical-exchange"))
    return make_ready(world, partnership) if ready else partnership


def add_milestone(world, partnership, name="Officers elected", **kwargs):
    return services.growth_milestone_add(
        partnership=partnership, actor=world.officer_a, kind=MilestoneKind.objects.get(name=name),
        target_date=kwargs.get("target_date", datetime.date(2026, 9, 30)),
    )


def url(partnership, milestone=None, part=""):
    base = f"/partnerships/{partnership.pk}/growth/milestones/"
    return f"{base}{milestone.pk}/{part}/" if milestone else f"{base}add/"


def test_the_default_milestone_kinds_are_loaded():
    assert list(MilestoneKind.objects.values_list("name", flat=True)) == [
        "Officers elected", "Bylaws adopted", "First technical meeting", "First student event", "Membership target",
    ]


class TestActivation:
    def test_a_growing_partnership_needs_a_milestone_to_activate(self, world):
        partnership = growing(world)
        assert any(GAP in gap for gap in activation_gaps(partnership))
        with pytest.raises(services.TransitionRefused, match=GAP):
            services.partnership_activate(partnership=partnership, actor=world.officer_a)
        add_milestone(world, partnership)
        assert not any(GAP in gap for gap in activation_gaps(partnership))

    def test_other_partnerships_need_no_milestone(self, world):
        partnership = make_ready(world, endorsed(world))
        assert activation_gaps(partnership) == []

    def test_activation_records_the_formative_section_once(self, world):
        partnership = growing(world)
        add_milestone(world, partnership)
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
        snapshot = GrowthSnapshot.objects.get(partnership=partnership)
        assert (snapshot.section, snapshot.moment, snapshot.member_count, snapshot.maturity) == (
            world.b, "activation", 30, "formative")
        # Taken again (a retried activation): the first stands, even after the section grew.
        Section.objects.filter(pk=world.b.pk).update(member_count=45)
        again = services.growth_snapshot_take(partnership=partnership, moment=GrowthSnapshot.Moment.ACTIVATION)
        assert again.pk == snapshot.pk
        assert list(GrowthSnapshot.objects.values_list("member_count", flat=True)) == [30]

    def test_the_end_shows_how_the_section_grew(self, world, client, without_closing_gates):
        partnership = growing(world)
        add_milestone(world, partnership)
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
        proposal = services.maturity_propose(partnership=partnership, actor=world.officer_b, reason="80 members now")
        services.maturity_decide(proposal=proposal, actor=world.coordinator_b, confirm=True)
        Section.objects.filter(pk=world.b.pk).update(member_count=80)
        partnership.refresh_from_db()
        services.partnership_end(partnership=partnership, actor=world.officer_a, reason="The section stands on its own.")
        end = GrowthSnapshot.objects.get(partnership=partnership, moment="end")
        # Still Beta (developing now): the side was fixed at activation.
        assert (end.section, end.member_count, end.maturity) == (world.b, 80, "developing")
        client.force_login(world.officer_a)
        page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
        assert "Grown from 30 members (formative) to 80 members (developing)." in page

    def test_no_snapshot_for_a_partnership_not_growing_a_section(self, world):
        partnership = make_ready(world, endorsed(world))
        services.partnership_activate(partnership=partnership, actor=world.officer_a)
        assert not GrowthSnapshot.objects.exists()


class TestSides:
    def test_formative_side_records_progress_with_evidence(self, world, client):
        partnership = growing(world)
        milestone = add_milestone(world, partnership)
        client.force_login(world.officer_b)
        done = timezone.localdate().isoformat()
        response = client.post(url(partnership, milestone, "progress"), {
            "target_date": "2026-09-30", "done_on": done, "evidence": "Minutes of the election meeting",
            "evidence_file": SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf"),
        })
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert (milestone.done_on.isoformat(), milestone.evidence) == (done, "Minutes of the election meeting")
        download = client.get(url(partnership, milestone, "evidence"))
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF
        assert milestone.history.first().history_user == world.officer_b
        # Shown again, the form does not link the stored file past the permission check.
        assert milestone.evidence_file.url not in client.get(url(partnership, milestone, "progress")).content.decode()

    def test_mentoring_side_records_its_help(self, world, client):
        partnership = growing(world)
        milestone = add_milestone(world, partnership)
        client.force_login(world.officer_a)
        response = client.post(url(partnership, milestone, "help"), {"help": "Our chair ran the election."})
        assert response.status_code == 302
        milestone.refresh_from_db()
        assert milestone.help == "Our chair ran the election."
        page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
        assert "Our chair ran the election." in page

    @pytest.mark.parametrize(("part", "who"), [("progress", "officer_a"), ("help", "officer_b")])
    def test_wrong_side_is_refused(self, world, client, part, who):
        partnership = growing(world)
        milestone = add_milestone(world, partnership)
        client.force_login(getattr(world, who))
        data = {"target_date": "2026-09-30", "done_on": "2026-01-02", "evidence": "x", "help": "x"}
        assert client.get(url(partnership, milestone, part)).status_code == 403
        assert client.post(url(partnership, milestone, part), data).status_code == 403
        milestone.refresh_from_db()
        assert (milestone.done_on, milestone.help) == (None, "")

    def test_the_services_refuse_the_wrong_side_too(self, world):
        partnership = growing(world)
        milestone = add_milestone(world, partnership)
        with pytest.raises(PermissionDenied):
            services.growth_milestone_progress(milestone=milestone, actor=world.officer_a, done_on=None, evidence="")
        with pytest.raises(PermissionDenied):
            services.growth_milestone_help(milestone=milestone, actor=world.officer_b, help_text="Me")

    def test_a_milestone_of_another_partnership_is_not_found(self, world, client):
        partnership = growing(world)
        other = propose(world, partner_sections=[OfficerFactory().section], forms=("growing-section",), title="Other")
        milestone = add_milestone(world, other)
        client.force_login(world.officer_b)
        assert client.get(url(partnership, milestone, "progress")).status_code == 404
        client.force_login(world.outsider)
        assert client.get(url(other, milestone, "progress")).status_code == 404

    def test_coordinator_sees_but_does_not_change(self, world, client):
        partnership = growing(world)
        milestone = add_milestone(world, partnership)
        client.force_login(world.coordinator_a)
        assert client.get(url(partnership, milestone, "help")).status_code == 403
        assert client.get(url(partnership)).status_code == 403

    def test_a_partnership_not_growing_a_section_has_no_milestones(self, world, client):
        partnership = make_ready(world, endorsed(world))
        client.force_login(world.officer_a)
        assert client.get(url(partnership)).status_code == 404
        assert "Growing the section" not in client.get(f"/partnerships/{partnership.pk}/").content.decode()


class TestHostileInput:
    @pytest.mark.parametrize(("data", "field"), [
        ({"kind": "99999999999999999999", "target_date": "2026-09-30"}, "kind"),
        ({"kind": "officers", "target_date": "2026-09-30"}, "kind"),
        ({"kind": "", "target_date": "2026-09-30"}, "kind"),
        ({"kind": "{kind}", "target_date": "30/30/2026"}, "target_date"),
        ({"kind": "{kind}", "target_date": "2026-09-30\x00"}, "target_date"),
    ])
    def test_adding_a_milestone(self, world, client, data, field):
        partnership = growing(world)
        kind = MilestoneKind.objects.first()
        client.force_login(world.officer_a)
        data = {key: value.replace("{kind}", str(kind.pk)) for key, value in data.items()}
        response = client.post(url(partnership), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not GrowthMilestone.objects.exists()

    def test_an_inactive_kind_is_not_offered(self, world, client):
        partnership = growing(world)
        kind = MilestoneKind.objects.get(name="Bylaws adopted")
        kind.active = False
        kind.save()
        client.force_login(world.officer_a)
        response = client.post(url(partnership), {"kind": kind.pk, "target_date": "2026-09-30"})
        assert "kind" in response.context["form"].errors

    @pytest.mark.parametrize(("data", "field"), [
        ({"done_on": "2999-01-01"}, "done_on"),
        ({"done_on": "", "evidence": "Done, trust us"}, "done_on"),
        ({"done_on": "yesterday"}, "done_on"),
        ({"evidence": "x" * 5001, "done_on": "2026-01-02"}, "evidence"),
        ({"evidence_file": SimpleUploadedFile("minutes.pdf", b"<script>alert(1)</script>", content_type="application/pdf"),
          "done_on": "2026-01-02"}, "evidence_file"),
        ({"evidence_file": SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
          "done_on": "2026-01-02"}, "evidence_file"),
    ])
    def test_recording_progress(self, world, client, data, field):
        partnership = growing(world)
        milestone = add_milestone(world, partnership)
        client.force_login(world.officer_b)
        response = client.post(url(partnership, milestone, "progress"), {"target_date": "2026-09-30", **data})
        assert response.status_code == 200
        assert field in response.context["form"].errors
        milestone.refresh_from_db()
        assert (milestone.done_on, milestone.evidence, milestone.evidence_file.name) == (None, "", "")


class TestMaturity:
    def propose(self, client, world, partnership):
        client.force_login(world.officer_b)
        return client.post(f"/partnerships/{partnership.pk}/growth/maturity/", {"reason": "Officers elected, bylaws adopted."})

    def test_coordinator_confirms_developing(self, world, client):
        partnership = growing(world)
        assert self.propose(client, world, partnership).status_code == 302
        proposal = MaturityProposal.objects.get()
        assert (proposal.section, proposal.state, proposal.proposed_by) == (world.b, "pending", world.officer_b)
        # Beta's page tells its coordinator, with the buttons.
        client.force_login(world.coordinator_b)
        page = client.get(f"/sections/{world.b.slug}/").content.decode()
        assert "is now developing: waiting for the district coordinator" in page
        assert f"/partnerships/growth/maturity/{proposal.pk}/confirm/" in page
        response = client.post(f"/partnerships/growth/maturity/{proposal.pk}/confirm/")
        assert response.status_code == 302
        proposal.refresh_from_db()
        world.b.refresh_from_db()
        assert (proposal.state, proposal.decided_by, world.b.maturity) == ("confirmed", world.coordinator_b, "developing")
        # Deciding twice: a message, and nothing changes.
        client.post(f"/partnerships/growth/maturity/{proposal.pk}/decline/")
        proposal.refresh_from_db()
        assert proposal.state == "confirmed"

    def test_coordinator_declines(self, world, client):
        partnership = growing(world)
        self.propose(client, world, partnership)
        proposal = MaturityProposal.objects.get()
        client.force_login(world.coordinator_b)
        client.post(f"/partnerships/growth/maturity/{proposal.pk}/decline/")
        proposal.refresh_from_db()
        world.b.refresh_from_db()
        assert (proposal.state, world.b.maturity) == ("declined", "formative")

    def test_only_the_sections_own_coordinator_decides(self, world, client):
        partnership = growing(world)
        self.propose(client, world, partnership)
        proposal = MaturityProposal.objects.get()
        decide = f"/partnerships/growth/maturity/{proposal.pk}/confirm/"
        for user, status in [(world.coordinator_a, 404), (world.outsider, 404), (world.officer_a, 404), (world.officer_b, 403)]:
            client.force_login(user)
            assert client.post(decide).status_code == status
        client.force_login(world.coordinator_b)
        assert client.post(f"/partnerships/growth/maturity/{proposal.pk}/nonsense/").status_code == 404
        proposal.refresh_from_db()
        world.b.refresh_from_db()
        assert (proposal.state, world.b.maturity) == ("pending", "formative")

    def test_only_the_formative_sections_officers_propose(self, world, client):
        partnership = growing(world)
        for user, status in [(world.officer_a, 403), (world.coordinator_b, 403), (world.coordinator_a, 403), (world.outsider, 404)]:
            client.force_login(user)
            assert client.post(f"/partnerships/{partnership.pk}/growth/maturity/").status_code == status
        assert not MaturityProposal.objects.exists()

    def test_one_proposal_waits_at_a_time(self, world, client):
        partnership = growing(world)
        self.propose(client, world, partnership)
        response = self.propose(client, world, partnership)
        assert response.status_code == 302
        assert MaturityProposal.objects.count() == 1
        page = client.get(response["Location"]).content.decode()
        assert "already waiting for its coordinator" in page

    def test_a_long_reason_is_refused(self, world, client):
        partnership = growing(world)
        client.force_login(world.officer_b)
        client.post(f"/partnerships/{partnership.pk}/growth/maturity/", {"reason": "x" * 2001})
        assert not MaturityProposal.objects.exists()


class TestQueries:
    def test_partnership_page(self, world, client, django_assert_num_queries):
        partnership = growing(world)
        for name in ("Officers elected", "Bylaws adopted", "First student event"):
            add_milestone(world, partnership, name)
        services.maturity_propose(partnership=partnership, actor=world.officer_b)
        client.force_login(world.coordinator_b)
        client.get(f"/partnerships/{partnership.pk}/")
        with django_assert_num_queries(QUERIES["detail"]):
            response = client.get(f"/partnerships/{partnership.pk}/")
        assert response.content.decode().count("<th scope=\"row\">") >= 3
        # More milestones, the same queries.
        for name in ("First technical meeting", "Membership target"):
            add_milestone(world, partnership, name)
        with django_assert_num_queries(QUERIES["detail"]):
            client.get(f"/partnerships/{partnership.pk}/")

    @pytest.mark.parametrize(("part", "who"), [("progress", "officer_b"), ("help", "officer_a"), ("add", "officer_a")])
    def test_milestone_pages(self, world, client, django_assert_num_queries, part, who):
        partnership = growing(world)
        milestone = add_milestone(world, partnership)
        client.force_login(getattr(world, who))
        address = url(partnership) if part == "add" else url(partnership, milestone, part)
        client.get(address)
        with django_assert_num_queries(QUERIES[part]):
            assert client.get(address).status_code == 200

    def test_section_page_with_a_pending_proposal(self, world, client, django_assert_num_queries):
        partnership = growing(world)
        services.maturity_propose(partnership=partnership, actor=world.officer_b)
        client.force_login(world.coordinator_b)
        client.get(f"/sections/{world.b.slug}/")
        with django_assert_num_queries(QUERIES["section"]):
            client.get(f"/sections/{world.b.slug}/")


# The partnership page also shows the exchange make_ready plans for its technical exchange and
# the finances of its funding line (3 queries each), the proposal's form intents (one query
# for the page's panels; the milestone form asks for the first milestones in mind), and its
# open leads to name and handover notes (two); the partnership is loaded with its permission
# check, and the access object reads the sides from it (two fewer); the plan's history is one
# query and its authors one (three fewer), the plan warnings read the prefetched plan (two
# fewer) and the growth panel its snapshots once (one fewer). The section page shows its
# coordinator the section's pending invitations (one).
# The user's offices and districts are one query (one fewer everywhere), the section's profile
# lists one a table (three fewer). The partnership page reads only the relations and side
# histories its partnership has rows in (no vacancy, note, conflict or agreement change here:
# six fewer).
QUERIES = {"detail": 43, "progress": 10, "help": 10, "add": 8, "section": 16}
