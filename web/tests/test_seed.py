"""`seed_demo` builds the demo society, and running it again changes nothing."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from evaluation.models import (
    CheckIn,
    Evaluation,
    Health,
    HealthChange,
    Lesson,
    LessonHelpful,
    MidtermOffer,
    PartnershipHealth,
    Story,
)
from evaluation.selectors.lessons import lessons_search
from evaluation.services.health import record_health_changes
from evaluation.services.reminders import send_due_reminders
from partnerships.models import Conflict, Goal, Participant, Partnership, Status, Transition
from recognition.models import Acknowledgement, DistrictRecognition, LedgerEntry, Nomination
from sections.demo import DEMO_PASSWORD, WITHOUT_OFFICERS
from sections.models import District, DistrictCoordinator, Invitation, Officer, Section
from twinning.models import Delivery, Notice, NoticeKind, NoticePreference

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    # Tests run with DEBUG off, as production does.
    call_command("seed_demo", allow_production=True, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "districts": District.objects.count(),
        "sections": Section.objects.count(),
        "officers": Officer.objects.count(),
        "coordinators": DistrictCoordinator.objects.count(),
        "section interests": Section.interests.through.objects.count(),
        "section languages": Section.working_languages.through.objects.count(),
        "partnerships": Partnership.objects.count(),
        "participants": Participant.objects.count(),
        "transitions": Transition.objects.count(),
        "check-ins": CheckIn.objects.count(),
        "conflicts": Conflict.objects.count(),
        "health": PartnershipHealth.objects.count(),
        "health changes": HealthChange.objects.count(),
        "goals": Goal.objects.count(),
        "plan changes": Goal.history.count(),
        "lessons": Lesson.objects.count(),
        "helpful marks": LessonHelpful.objects.count(),
        "ledger entries": LedgerEntry.objects.count(),
        "invitations": Invitation.objects.count(),
        "notices": Notice.objects.count(),
        "unread notices": Notice.objects.filter(read_at__isnull=True).count(),
        "notice preferences": NoticePreference.objects.count(),
    }


def test_seeding_twice_leaves_the_same_records():
    seed()
    first = counts()

    seed()

    assert counts() == first
    assert all(first.values()), first


def test_the_demo_society_is_varied_enough_to_show_the_directory():
    seed()

    sections = Section.objects.all()
    assert District.objects.count() >= 3
    assert sections.count() >= 12
    assert len(set(sections.values_list("country", flat=True))) >= 6
    assert set(sections.values_list("kind", flat=True)) == set(Section.Kind.values)
    assert set(sections.values_list("maturity", flat=True)) == set(Section.Maturity.values)
    assert sections.filter(seeking_partner=True).exists()
    assert sections.filter(seeking_partner=False).exists()
    # Every district has sections and a coordinator; every section has an officer now, but
    # those whose officers have all left.
    assert not District.objects.filter(sections__isnull=True).exists()
    assert not District.objects.filter(coordinators__isnull=True).exists()
    without = {demo.slug for demo in WITHOUT_OFFICERS}
    assert all(
        Officer.objects.open_now().filter(section=section).exists() != (section.slug in without)
        for section in sections
    )


def test_the_demo_has_partnerships_in_every_state_with_plans_and_logs():
    seed()

    assert set(Partnership.objects.values_list("status", flat=True)) == set(Status.values)
    active = Partnership.objects.get(title="Robotics student exchange")
    assert active.goals.exists() and active.activities.exists() and active.funding_lines.exists()
    assert active.communications.exists() and active.conflicts.exists()
    assert active.agreement_document
    assert list(active.transitions.values_list("to_status", flat=True)) == [
        "draft", "proposed", "accepted", "endorsed", "active",
    ]


def test_the_demo_student_exchange_has_a_done_leg_with_its_people_and_a_planned_return():
    seed()

    exchanges = Partnership.objects.get(title="Robotics student exchange").exchanges.order_by("start_date")
    done, back = exchanges
    assert (done.status, back.status) == ("done", "planned")
    assert done.outcomes and done.programme and done.participants.count() == 2
    assert done.return_leg == back


def test_the_demo_logins_it_prints_can_log_in(client):
    output = seed()

    assert "Demo society ready." in output
    assert DEMO_PASSWORD in output
    emails = re.findall(r"^\s+(\S+@\S+)\s", output, flags=re.MULTILINE)
    assert len(emails) >= 3
    assert "admin@example.org" in emails
    # Every person the demo gives a role to is among the printed logins.
    assert {"coordinator@example.org", "europe.coordinator@example.org", "asia.coordinator@example.org"} <= set(
        emails
    )
    # django-axes checks every authenticate() against its lockouts, which needs a request.
    for email in emails:
        assert client.login(request=HttpRequest(), username=email, password=DEMO_PASSWORD), f"{email} cannot log in"
        client.logout()


def test_the_demo_admin_login_reaches_the_admin_site(client):
    seed()

    assert client.login(request=HttpRequest(), username="admin@example.org", password=DEMO_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_the_demo_admin_is_a_society_admin_through_the_group_and_the_helpdesk_is_not(client):
    seed()
    User = get_user_model()
    admin = User.objects.get(email="admin@example.org")
    helpdesk = User.objects.get(email="helpdesk@example.org")

    assert list(admin.groups.values_list("name", flat=True)) == ["Society admins"]
    assert (admin.is_superuser, admin.is_society_admin) == (False, True)
    assert (helpdesk.is_staff, helpdesk.is_society_admin) == (True, False)
    client.force_login(helpdesk)
    assert client.get("/dashboard/society/").status_code == 404


def test_seeding_again_keeps_a_password_the_user_has_changed():
    seed()
    user = get_user_model().objects.get(email="officer@example.org")
    user.set_password("a-new-and-private-password")
    user.save()

    seed()

    user.refresh_from_db()
    assert user.check_password("a-new-and-private-password")


def test_seeding_can_run_quietly():
    output = seed_quietly()

    assert "Demo society ready." in output
    assert "@example.org" not in output


def seed_quietly() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--quiet-logins", "--allow-production", stdout=out)
    return out.getvalue()


def test_seeding_is_refused_with_debug_off_unless_production_is_allowed(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--allow-production"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not Section.objects.exists()
    assert not get_user_model().objects.filter(email="admin@example.org").exists()


def test_seeding_runs_with_debug_on_without_the_flag(settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("seed_demo", "--quiet-logins", stdout=out)

    assert "Demo society ready." in out.getvalue()
    assert Section.objects.exists()


def test_the_readme_states_the_demo_societys_true_size():
    from pathlib import Path

    seed()
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    districts = District.objects.count()
    sections = Section.objects.count()
    countries = len(set(Section.objects.values_list("country", flat=True)))

    stated = re.search(r"\((\d+) districts, (\d+) sections in\s+(\d+) countries", readme)
    assert stated, "the README no longer states the demo's size"
    assert tuple(map(int, stated.groups())) == (districts, sections, countries)


def test_the_readme_lists_every_printed_demo_login():
    from pathlib import Path

    from sections.demo import DEMO_LOGINS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for email, _what in DEMO_LOGINS:
        assert f"| {email} |" in readme, email


def test_the_demo_library_has_published_lessons_one_found_without_its_accents():
    seed()

    published = Lesson.objects.filter(state=Lesson.State.PUBLISHED)
    assert published.count() >= 3
    assert [lesson.title for lesson in lessons_search(published, "sao paulo", None)] == [
        "A seminar series between Toronto and São Paulo survives time zones"
    ]


def test_the_demo_closes_a_partnership_with_a_co_signed_evaluation_and_a_public_story(client):
    seed()

    completed = Partnership.objects.get(title="Instrumentation seminar series")
    final = completed.evaluations.get(kind=Evaluation.Kind.FINAL)
    assert final.is_final
    assert not final.sides.filter(confirmed_at__isnull=True).exists()
    assert final.sides.count() == completed.participants.count()
    story = Story.objects.get(partnership=completed, published_at__isnull=False)
    # A visitor reads it, photo included.
    page = client.get(f"/stories/{story.pk}/")
    assert story.title in page.content.decode()
    photo = client.get(f"/stories/{story.pk}/photo/")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    # The early end was evaluated by the side that ended it.
    ended = Partnership.objects.get(title="Energy asset reliability")
    assert ended.evaluations.get(kind=Evaluation.Kind.EARLY_END).sides.filter(confirmed_at__isnull=False).exists()


def test_the_demos_active_partnership_is_past_its_midpoint_with_a_mid_term_review_to_offer():
    seed()
    active = Partnership.objects.get(title="Robotics student exchange")
    assert active.start_date + (active.planned_end_date - active.start_date) / 2 < timezone.localdate()
    assert not active.evaluations.filter(kind=Evaluation.Kind.MIDTERM).exists()

    send_due_reminders()

    offered = MidtermOffer.objects.filter(partnership=active, sent_at__isnull=False)
    assert offered.exists()
    assert set(offered.values_list("recipient", flat=True)) <= set(active.leads.values_list("user", flat=True))


def test_the_demo_earns_points_on_its_own_and_shows_every_level_of_recognition():
    seed()

    totals = dict(
        LedgerEntry.objects.values_list("section__slug").annotate(total=Sum("points")).values_list("section__slug", "total")
    )
    # Both sides of the completed partnership earned by the rules, from the records alone.
    assert totals["toronto"] > 0 and totals["sao-paulo"] > 0
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ADJUSTMENT).exists()
    assert Acknowledgement.objects.filter(partnership__status=Status.COMPLETED).count() == 2
    assert DistrictRecognition.objects.filter(section__slug="toronto").exists()
    nomination = Nomination.objects.get(section__slug="toronto")
    assert nomination.state == Nomination.State.SUBMITTED
    assert nomination.statement["total"] == totals["toronto"]


def test_every_coordinated_district_has_something_in_each_dashboard_panel():
    seed()
    today = timezone.localdate()

    districts = District.objects.filter(coordinators__isnull=False).distinct()
    assert districts.count() == 5
    for district in districts:
        in_district = Partnership.objects.filter(participants__section__district=district).distinct()
        assert CheckIn.objects.filter(
            period__partnership__in=in_district, section__district=district, state=CheckIn.State.DRAFT,
            due_on__lt=today - datetime.timedelta(days=14),
        ).exists(), district
        assert Conflict.objects.filter(
            partnership__in=in_district, mediator=Conflict.Mediator.COORDINATOR, resolved_at__isnull=True
        ).exclude(status=Conflict.Status.RESOLVED).exists(), district
        dormant = PartnershipHealth.objects.filter(
            partnership__in=in_district, partnership__status=Status.ACTIVE, health=Health.DORMANT
        )
        assert dormant.exists() and not dormant.filter(reason="").exists(), district
        officerless = district.sections.exclude(pk__in=Officer.objects.open_now().values("section_id"))
        assert officerless.filter(officers__isnull=False).exists(), district
    # The nightly job, run today, finds the health the demo recorded.
    assert record_health_changes(today) == 0


def test_the_society_has_at_least_three_years_of_history():
    seed()
    today = timezone.localdate()

    steps = Transition.objects.filter(
        to_status__in=[Status.PROPOSED, Status.ACTIVE, Status.COMPLETED, Status.ENDED]
    ).values_list("to_status", "at")
    by_year: dict[int, set[str]] = {}
    for status, at in steps:
        by_year.setdefault((today - at.date()).days // 365, set()).add(status)
    # Each of the last three years saw proposals and activations, and partnerships complete or end.
    for years_ago in (0, 1, 2, 3):
        assert {Status.PROPOSED, Status.ACTIVE} <= by_year.get(years_ago, set()), years_ago
    assert Transition.objects.filter(to_status=Status.COMPLETED, at__date__lt=today - datetime.timedelta(days=730))
    assert Transition.objects.filter(to_status=Status.ENDED, at__date__lt=today - datetime.timedelta(days=730))
    assert Transition.objects.filter(at__date__lt=today - datetime.timedelta(days=3 * 365)).count() >= 4


def test_the_demo_shows_an_agreement_change_waiting_for_the_other_side(client):
    from partnerships.models import AgreementChange

    seed()
    change = AgreementChange.objects.get(state=AgreementChange.State.PENDING)
    partnership = change.partnership
    assert partnership.status == "active"
    assert change.proposed_by_section != partnership.proposing_section
    assert change.planned_end_date > partnership.planned_end_date
    client.force_login(partnership.proposed_by)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "waiting for the other side" in page
    assert "Confirm the change" in page


def test_the_demo_grows_a_formative_section_with_milestones_and_a_pending_proposal(client):
    from partnerships.models import GrowthMilestone, GrowthSnapshot, MaturityProposal

    seed()
    partnership = Partnership.objects.get(title="Oil and gas careers mentoring")
    milestones = GrowthMilestone.objects.filter(partnership=partnership)
    assert milestones.count() == 4
    assert milestones.filter(done_on__isnull=False).count() == 2
    assert GrowthSnapshot.objects.get(partnership=partnership).moment == "activation"
    proposal = MaturityProposal.objects.get(partnership=partnership)
    assert (proposal.section.slug, proposal.state) == ("lagos-student", "pending")
    client.force_login(partnership.proposed_by)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert "Milestones: 2 of 4 done" in page
    assert "waiting for the district coordinator" in page


def test_the_demo_chair_sees_houstons_pending_invitations(client):
    seed()
    assert sorted(Invitation.objects.values_list("email", "section__slug", "invited_by__email")) == [
        ("new.secretary@example.org", "houston", "officer@example.org"),
        ("new.treasurer@example.org", "houston", "officer@example.org"),
    ]
    client.force_login(get_user_model().objects.get(email="officer@example.org"))
    page = client.get("/sections/houston/").content.decode()
    assert "Pending invitations" in page and "new.treasurer@example.org" in page


def test_the_demo_officer_has_a_few_unread_notices_and_the_coordinator_a_daily_summary():
    seed()
    # In a test the notices of mail sent after the commit are not made (nothing commits).
    assert 1 <= Notice.objects.filter(user__email="officer@example.org", read_at__isnull=True).count() <= 3
    assert set(NoticePreference.objects.filter(user__email="coordinator@example.org").values_list(
        "kind", "delivery"
    )) == {(NoticeKind.DIGESTS, Delivery.DAILY), (NoticeKind.ESCALATIONS, Delivery.DAILY)}
