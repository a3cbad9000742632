import datetime

import factory

from partnerships.models import Participant, Partnership
from sections.tests.factories import SectionFactory


class PartnershipFactory(factory.django.DjangoModelFactory):
    """A bare partnership row; use services to move it through its life."""

    class Meta:
        model = Partnership

    title = factory.Sequence(lambda n: f"Partnership {n}")
    purpose = "Work together on student exchanges."
    start_date = datetime.date(2026, 1, 1)
    planned_end_date = datetime.date(2027, 12, 31)
    proposing_section = factory.SubFactory(SectionFactory)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    partnership = factory.SubFactory(PartnershipFactory)
    section = factory.SubFactory(SectionFactory)
    gives = "Speakers"
    gains = "Students"
