"""Demo handover: Houston's former twinning lead on the Bogotá proposal left office after the
2025 election, so Houston's officers (Olivia, officer@example.org) find "name a new lead"
on their home and the partnership page, with the note he left. Seeding again changes nothing."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model

from sections.models import Officer, Section
from sections.services import officer_end

from . import services
from .models import Partnership

TITLE = "Growing the Bogotá student section"
FORMER_LEAD = ("houston.former-lead@example.org", "Felix Former")
TERM = (datetime.date(2023, 7, 1), datetime.date(2025, 6, 30))
NOTE = (
    "Bogotá's student lead answers fastest on Thursdays. We promised two webinar speakers for "
    "the autumn; the names are in the work plan. The mentoring budget is not confirmed yet."
)


def seed_handover() -> None:
    partnership = Partnership.objects.filter(title=TITLE).first()
    houston = Section.objects.get(slug="houston")
    email, name = FORMER_LEAD
    if partnership is None or Officer.objects.filter(user__email=email, section=houston).exists():
        return
    user, _created = get_user_model().objects.get_or_create(email=email, defaults={"full_name": name})
    # In office while he led: he named himself and wrote his note, then his term ended.
    office = Officer.objects.create(user=user, section=houston, role=Officer.Role.TWINNING_LEAD, start_date=TERM[0])
    services.lead_add(partnership=partnership, actor=user, section=houston, user=user)
    services.handover_note_write(partnership=partnership, actor=user, section=houston, text=NOTE)
    officer_end(officer=office, end_date=TERM[1], actor=user)
