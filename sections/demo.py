"""The demo society that `seed_demo` builds: districts, sections, officers, coordinators.

Every record is found by its natural key before it is created, so running the
seed again changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from twinning.models import SOCIETY_ADMINS_GROUP

from .models import (
    District,
    DistrictCoordinator,
    Invitation,
    Language,
    Officer,
    Section,
    TechnicalInterest,
    TwinningForm,
)
from .services import invitation_create

DEMO_PASSWORD = "twinning-demo"  # noqa: S105 - published demo login, demo data only

DISTRICTS = [
    ("d1", "District 1 — North America", "Americas"),
    ("d4", "District 4 — Latin America", "Americas"),
    ("d12", "District 12 — Europe", "Europe, Middle East and Africa"),
    ("d13", "District 13 — Africa and Middle East", "Europe, Middle East and Africa"),
    ("d14", "District 14 — Asia Pacific", "Asia Pacific"),
]

F_STUDENT = "student-exchange"
F_TECH = "technical-exchange"
F_MONEY = "financial-support"
F_GROW = "growing-section"


@dataclass(frozen=True)
class DemoSection:
    slug: str
    name: str
    kind: str
    district: str
    country: str
    city: str
    time_zone: str
    languages: tuple[str, ...]
    maturity: str
    founded: int
    members: int
    interests: tuple[str, ...]
    offers: tuple[str, ...]
    needs: tuple[str, ...]
    seeking: bool


P, S = Section.Kind.PROFESSIONAL, Section.Kind.STUDENT
EST, DEV, FORM = Section.Maturity.ESTABLISHED, Section.Maturity.DEVELOPING, Section.Maturity.FORMATIVE

SECTIONS = [
    DemoSection("houston", "Houston Section", P, "d1", "US", "Houston", "America/Chicago", ("en", "es"),
                EST, 1952, 640, ("process-control", "oil-gas-and-chemicals", "safety-instrumented-systems"),
                (F_TECH, F_GROW, F_MONEY), (F_STUDENT,), True),
    DemoSection("toronto", "Toronto Section", P, "d1", "CA", "Toronto", "America/Toronto", ("en", "fr"),
                EST, 1958, 410, ("industrial-cybersecurity", "energy-and-power"),
                (F_TECH, F_GROW), (F_STUDENT,), False),
    DemoSection("texas-am-student", "Texas A&M Student Section", S, "d1", "US", "College Station",
                "America/Chicago", ("en",), DEV, 2009, 85, ("robotics-and-motion-control", "process-control"),
                (F_STUDENT,), (F_TECH, F_MONEY), True),
    DemoSection("sao-paulo", "São Paulo Section", P, "d4", "BR", "São Paulo", "America/Sao_Paulo",
                ("pt", "es", "en"), DEV, 1994, 220, ("oil-gas-and-chemicals", "measurement-and-instrumentation"),
                (F_TECH,), (F_TECH, F_STUDENT), True),
    DemoSection("bogota-student", "Universidad de Bogotá Student Section", S, "d4", "CO", "Bogotá",
                "America/Bogota", ("es",), FORM, 2023, 24, ("industrial-networks-and-wireless", "process-control"),
                (F_STUDENT,), (F_GROW, F_TECH, F_MONEY), True),
    DemoSection("rotterdam", "Netherlands Section", P, "d12", "NL", "Rotterdam", "Europe/Amsterdam",
                ("nl", "en"), EST, 1971, 380, ("batch-and-manufacturing-operations", "alarm-management"),
                (F_TECH, F_GROW, F_STUDENT), (F_STUDENT,), True),
    DemoSection("ruhr", "Ruhr Section", P, "d12", "DE", "Essen", "Europe/Berlin", ("de", "en"),
                DEV, 1999, 150, ("energy-and-power", "asset-management-and-reliability"),
                (F_TECH,), (F_STUDENT, F_TECH), False),
    DemoSection("delft-student", "Delft Student Section", S, "d12", "NL", "Delft", "Europe/Amsterdam",
                ("nl", "en"), DEV, 2015, 60, ("robotics-and-motion-control", "digital-transformation-and-data"),
                (F_STUDENT,), (F_TECH,), True),
    DemoSection("nairobi", "Nairobi Section", P, "d13", "KE", "Nairobi", "Africa/Nairobi", ("en", "sw"),
                FORM, 2021, 45, ("energy-and-power", "water-and-wastewater"),
                (F_STUDENT,), (F_GROW, F_TECH, F_MONEY), True),
    DemoSection("lagos-student", "Lagos Student Section", S, "d13", "NG", "Lagos", "Africa/Lagos", ("en",),
                FORM, 2024, 30, ("oil-gas-and-chemicals", "education-and-workforce-development"),
                (F_STUDENT,), (F_GROW, F_MONEY), True),
    DemoSection("cairo", "Cairo Section", P, "d13", "EG", "Cairo", "Africa/Cairo", ("ar", "en"),
                DEV, 2005, 120, ("water-and-wastewater", "process-control"),
                (F_TECH,), (F_STUDENT, F_TECH), False),
    DemoSection("singapore", "Singapore Section", P, "d14", "SG", "Singapore", "Asia/Singapore",
                ("en", "zh", "ms"), EST, 1985, 300, ("pharmaceuticals-and-life-sciences", "industrial-cybersecurity"),
                (F_TECH, F_GROW, F_MONEY), (F_STUDENT,), True),
    DemoSection("bangalore-student", "Bengaluru Student Section", S, "d14", "IN", "Bengaluru", "Asia/Kolkata",
                ("en", "hi", "kn"), FORM, 2022, 55, ("digital-transformation-and-data", "industrial-cybersecurity"),
                (F_STUDENT,), (F_GROW, F_TECH), True),
    DemoSection("perth", "Perth Section", P, "d14", "AU", "Perth", "Australia/Perth", ("en",),
                DEV, 1988, 140, ("oil-gas-and-chemicals", "alarm-management"),
                (F_TECH,), (F_TECH,), False),
]

# One section per district whose officers have all left office (its chair's term ended and
# nobody took over): the coordinator dashboard asks its coordinator to find new officers.
# Each twinned in earlier years (partnerships.demo.HISTORY), while it still had a chair.
WITHOUT_OFFICERS = [
    DemoSection("vancouver", "Vancouver Section", P, "d1", "CA", "Vancouver", "America/Vancouver", ("en", "fr"),
                DEV, 1979, 95, ("energy-and-power", "process-control"), (F_TECH,), (F_STUDENT,), False),
    DemoSection("lima", "Lima Section", P, "d4", "PE", "Lima", "America/Lima", ("es",),
                DEV, 2001, 70, ("oil-gas-and-chemicals", "water-and-wastewater"), (F_TECH,), (F_GROW,), False),
    DemoSection("lyon", "Lyon Section", P, "d12", "FR", "Lyon", "Europe/Paris", ("fr", "en"),
                EST, 1968, 210, ("pharmaceuticals-and-life-sciences", "batch-and-manufacturing-operations"),
                (F_TECH, F_GROW), (F_STUDENT,), False),
    DemoSection("accra", "Accra Section", P, "d13", "GH", "Accra", "Africa/Accra", ("en",),
                FORM, 2018, 40, ("energy-and-power", "education-and-workforce-development"), (F_STUDENT,),
                (F_GROW, F_MONEY), False),
    DemoSection("manila", "Manila Section", P, "d14", "PH", "Manila", "Asia/Manila", ("en",),
                DEV, 1997, 85, ("industrial-networks-and-wireless", "alarm-management"), (F_TECH,), (F_STUDENT,),
                False),
]
WITHOUT_OFFICERS_TERM = (datetime.date(2021, 7, 1), datetime.date(2025, 6, 30))

# Who works in the admin: the society admin holds its rights through the "Society admins"
# group, as a real deployment grants them; the helpdesk account has admin access and nothing
# else, so it sees on the site what any member sees (staff status is not a role).
ADMIN, STAFF, MEMBER = "admin", "staff", "member"

# email, full name, kind
PEOPLE = [
    ("admin@example.org", "Avery Admin", ADMIN),
    ("helpdesk@example.org", "Hugo Helpdesk", STAFF),
    ("officer@example.org", "Olivia Officer", MEMBER),
    ("student@example.org", "Santiago Student", MEMBER),
    ("coordinator@example.org", "Colette Coordinator", MEMBER),
    ("europe.coordinator@example.org", "Erik Coordinator", MEMBER),
    ("asia.coordinator@example.org", "Aisha Coordinator", MEMBER),
]

# (email, section slug, role, start, end)
OFFICES = [
    ("officer@example.org", "houston", Officer.Role.CHAIR, datetime.date(2024, 1, 1), None),
    ("officer@example.org", "texas-am-student", Officer.Role.FACULTY_ADVISOR, datetime.date(2023, 9, 1), None),
    # An office that has ended gives no rights: the demo shows one.
    ("officer@example.org", "toronto", Officer.Role.TREASURER, datetime.date(2020, 1, 1), datetime.date(2022, 12, 31)),
    ("student@example.org", "bogota-student", Officer.Role.STUDENT_LEAD, datetime.date(2024, 2, 1), None),
]

# (email, district code, start)
COORDINATIONS = [
    ("coordinator@example.org", "d1", datetime.date(2023, 1, 1)),
    ("coordinator@example.org", "d4", datetime.date(2024, 1, 1)),
    ("europe.coordinator@example.org", "d12", datetime.date(2022, 7, 1)),
    ("europe.coordinator@example.org", "d13", datetime.date(2022, 7, 1)),
    ("asia.coordinator@example.org", "d14", datetime.date(2023, 7, 1)),
]

# Invitations Houston's chair has sent and nobody has accepted yet: (email, role). Their links
# went to the demo mail (the console); the chair re-sends one from Houston's page for a new link.
INVITATIONS = [
    ("new.treasurer@example.org", Officer.Role.TREASURER),
    ("new.secretary@example.org", Officer.Role.SECRETARY),
]

DEMO_LOGINS = [
    ("admin@example.org", "society admin (in the “Society admins” group; opens the admin)"),
    ("helpdesk@example.org", "staff without society-admin rights (opens the admin; sees what a member sees)"),
    ("officer@example.org", "chair of Houston Section, advisor of Texas A&M Student Section"),
    ("student@example.org", "student lead of Universidad de Bogotá Student Section (reads the site in Spanish)"),
    ("coordinator@example.org", "coordinator of districts 1 and 4"),
    ("europe.coordinator@example.org", "coordinator of districts 12 and 13"),
    ("asia.coordinator@example.org", "coordinator of district 14"),
]


def _user(email: str, full_name: str, kind: str = MEMBER):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": kind in (ADMIN, STAFF)}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if kind == ADMIN:
        # The group comes with the migrations (web 0002_society_admins_group).
        user.groups.add(Group.objects.get(name=SOCIETY_ADMINS_GROUP))
    return user


def demo_officer(section: Section):
    """The demo user who acts for `section`: its chair (in Houston, officer@example.org)."""
    email = "officer@example.org" if section.slug == "houston" else f"{section.slug}.chair@example.org"
    return get_user_model().objects.get(email=email)


@transaction.atomic
def seed_sections() -> None:
    districts = {
        code: District.objects.update_or_create(code=code, defaults={"name": name, "region": region})[0]
        for code, name, region in DISTRICTS
    }
    forms = {form.code: form for form in TwinningForm.objects.all()}
    interests = {interest.slug: interest for interest in TechnicalInterest.objects.all()}
    languages = {language.code: language for language in Language.objects.all()}

    for demo in [*SECTIONS, *WITHOUT_OFFICERS]:
        section, _ = Section.objects.update_or_create(
            slug=demo.slug,
            defaults={
                "name": demo.name,
                "kind": demo.kind,
                "district": districts[demo.district],
                "country": demo.country,
                "city": demo.city,
                "time_zone": demo.time_zone,
                "maturity": demo.maturity,
                "founded_year": demo.founded,
                "member_count": demo.members,
                "seeking_partner": demo.seeking,
                "contact_email": f"{demo.slug}@example.org",
                "description": f"{demo.name} brings together automation professionals"
                f"{' and students' if demo.kind == S else ''} in and around {demo.city}.",
            },
        )
        section.working_languages.set([languages[code] for code in demo.languages])
        section.interests.set([interests[slug] for slug in demo.interests])
        section.offers_forms.set([forms[code] for code in demo.offers])
        section.needs_forms.set([forms[code] for code in demo.needs])
        section.offers_topics.set([interests[demo.interests[0]]])
        section.needs_topics.set([interests[demo.interests[-1]]])
        # Every section has a chair of its own, so every profile shows an officer; in the
        # sections without officers, the chair's term has ended.
        chair = _user(f"{demo.slug}.chair@example.org", f"Chair of {demo.name}")
        if demo in WITHOUT_OFFICERS:
            start, end = WITHOUT_OFFICERS_TERM
            Officer.objects.get_or_create(
                user=chair, section=section, role=Officer.Role.CHAIR, start_date=start, end_date=end
            )
            continue
        Officer.objects.get_or_create(
            user=chair,
            section=section,
            role=Officer.Role.CHAIR if demo.slug != "houston" else Officer.Role.TWINNING_LEAD,
            end_date=None,
            defaults={"start_date": datetime.date(2024, 1, 1)},
        )

    people = {email: _user(email, name, kind) for email, name, kind in PEOPLE}
    sections = {section.slug: section for section in Section.objects.all()}
    for email, slug, role, start, end in OFFICES:
        Officer.objects.get_or_create(
            user=people[email], section=sections[slug], role=role, start_date=start, end_date=end
        )
    for email, code, start in COORDINATIONS:
        DistrictCoordinator.objects.get_or_create(
            user=people[email], district=districts[code], end_date=None, defaults={"start_date": start}
        )


def seed_invitations() -> None:
    """Houston's pending invitations, sent by its chair through the service (so each mails its
    link); an invitation sent once is not sent again, whatever became of it."""
    houston = Section.objects.get(slug="houston")
    chair = get_user_model().objects.get(email="officer@example.org")
    for email, role in INVITATIONS:
        if not Invitation.objects.filter(section=houston, role=role, email=email).exists():
            invitation_create(actor=chair, section=houston, email=email, role=role, start_date=timezone.localdate())
