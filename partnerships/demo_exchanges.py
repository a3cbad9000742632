"""The demo's exchanges, planned by the sides through the services (partnerships/demo.py
calls this while it fills a plan): every partnership of an exchange form gets a visit its
host confirmed; a student training exchange is two-way, its first leg done with the
students who went and its outcomes, its return leg still to be confirmed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sections.models import Section, TwinningForm

from . import services
from .models import Exchange, ExchangeParticipant, Partnership

STUDENTS = [("Lena Vos", "Controls intern"), ("Diego Ramos", "Robotics intern")]


def plan_demo_exchanges(partnership: Partnership, proposer: Section, partner: Section, lead_a, lead_b) -> None:
    codes = set(partnership.forms.values_list("code", flat=True))
    if TwinningForm.Code.STUDENT_EXCHANGE in codes:
        _student_exchange(partnership, proposer, partner, lead_a, lead_b)
    elif TwinningForm.Code.TECHNICAL_EXCHANGE in codes:
        start = partnership.start_date + datetime.timedelta(days=90)
        visit = services.exchange_plan(
            partnership=partnership, actor=lead_a,
            exchange=Exchange(
                title=f"Study tour to {partner.name}", kind=Exchange.Kind.STUDY_TOUR, sending_section=proposer,
                host_section=partner, start_date=start, end_date=start + datetime.timedelta(days=4),
            ),
        )
        services.exchange_update(
            exchange=visit, actor=lead_b,
            changes={"programme": "Day 1: plant visit. Day 2: joint technical seminar. Day 3: section meeting."},
        )
        services.exchange_confirm(exchange=visit, actor=lead_b)


def _student_exchange(partnership: Partnership, proposer: Section, partner: Section, lead_a, lead_b) -> None:
    today = timezone.localdate()
    start = min(partnership.start_date + datetime.timedelta(days=60), today - datetime.timedelta(days=30))
    back = max(today + datetime.timedelta(days=45), start + datetime.timedelta(days=120))
    out = services.exchange_plan(
        partnership=partnership, actor=lead_a,
        exchange=Exchange(
            title="Robotics lab weeks", kind=Exchange.Kind.STUDENT_TRAINING, sending_section=proposer,
            host_section=partner, start_date=start, end_date=start + datetime.timedelta(days=20),
        ),
        return_dates=(back, back + datetime.timedelta(days=180)),
    )
    for name, role in STUDENTS:
        services.exchange_participant_add(
            exchange=out, actor=lead_a,
            participant=ExchangeParticipant(name=name, role=role, kind=ExchangeParticipant.Kind.STUDENT),
        )
    services.exchange_update(
        exchange=out, actor=lead_b,
        changes={"programme": "Week 1: safety and PLC basics. Weeks 2–3: a robot cell project in the section's lab."},
    )
    services.exchange_confirm(exchange=out, actor=lead_b)
    services.exchange_done(
        exchange=out, actor=lead_b,
        outcomes="Both students built and tested a working robot cell; the host's members adopted the visitors' "
                 "test checklist, and two of them volunteered to go on the return visit.",
    )
    services.exchange_update(
        exchange=out.return_leg, actor=lead_a,
        changes={"programme": "Six months in our automation lab, with a mentor from the section."},
    )
