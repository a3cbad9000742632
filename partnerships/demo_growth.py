"""The demo's growing partnerships: milestones (some done, with evidence and the mentor's
help) and the formative section's proposal to count as developing, waiting for its
coordinator. Called by partnerships/demo.py while the plan is filled in, before activation
(which needs a milestone)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sections.demo import demo_officer

from . import services
from .models import MilestoneKind, Partnership
from .services.growth import formative_section, is_growing

# kind, days after the start it is due, days after the start it was done (None: not yet),
# evidence, the mentor's help
MILESTONES = [
    ("Officers elected", 30, 25, "Chair, secretary and treasurer elected at the first general meeting.",
     "Our chair explained each office and ran the vote with them."),
    ("Bylaws adopted", 90, 80, "Bylaws adopted by the members; copy sent to the district.",
     "Shared our own bylaws as a model and reviewed their draft."),
    ("First technical meeting", 150, None, "", "Two of our members will speak at it, online."),
    ("Membership target", 365, None, "", ""),
]


def fill_growth(partnership: Partnership) -> None:
    if not is_growing(partnership):
        return
    formative = formative_section(partnership)
    if formative is None:
        return
    mentor_section = partnership.participants.exclude(section=formative).select_related("section").first().section
    formative_actor, mentor = demo_officer(formative), demo_officer(mentor_section)
    today = timezone.localdate()
    for name, due, done, evidence, help_text in MILESTONES:
        milestone = services.growth_milestone_add(
            partnership=partnership, actor=mentor, kind=MilestoneKind.objects.get(name=name),
            target_date=partnership.start_date + datetime.timedelta(days=due),
        )
        if done is not None:
            services.growth_milestone_progress(
                milestone=milestone, actor=formative_actor, evidence=evidence,
                done_on=min(today, partnership.start_date + datetime.timedelta(days=done)),
            )
        if help_text:
            services.growth_milestone_help(milestone=milestone, actor=mentor, help_text=help_text)
    services.maturity_propose(
        partnership=partnership, actor=formative_actor,
        reason="Officers elected and bylaws adopted; we meet every month now.",
    )
