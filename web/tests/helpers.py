"""Running partnerships for the home page and calendar feed tests: the world's Alpha with
Beta, and with more partner sections, each activated with the real services."""

from __future__ import annotations

import dataclasses
import datetime

from evaluation.tests.monitoring import activate
from partnerships.models import Partnership
from partnerships.tests.conftest import World
from sections.tests.factories import OfficerFactory, SectionFactory

ACTIVATED = datetime.date(2026, 1, 15)


def with_partner(world: World, name: str) -> World:
    """The world with a new partner section for Alpha, in Beta's district, and its officer."""
    section = SectionFactory(name=f"{name} Section", district=world.b.district)
    officer = OfficerFactory(section=section, user__full_name=f"{name} Officer").user
    return dataclasses.replace(world, b=section, officer_b=officer)


def running(world: World, count: int = 1) -> list[Partnership]:
    """`count` active partnerships of Alpha: with Beta, then with new partner sections."""
    worlds = [world] + [with_partner(world, f"Partner {number}") for number in range(1, count)]
    return [activate(each, ACTIVATED, title=f"Alpha and {each.b.name}") for each in worlds]
