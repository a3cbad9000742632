import datetime

import factory

from sections.models import District, DistrictCoordinator, Officer, Section, TechnicalInterest
from twinning.tests.factories import UserFactory


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"dist-{n}")
    name = factory.LazyAttribute(lambda o: f"District {o.code}")
    region = "Europe"


class TechnicalInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TechnicalInterest
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Interest {n}")
    slug = factory.Sequence(lambda n: f"interest-{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")
    kind = Section.Kind.PROFESSIONAL
    district = factory.SubFactory(DistrictFactory)
    country = "NL"
    city = "Rotterdam"
    time_zone = "Europe/Amsterdam"
    maturity = Section.Maturity.DEVELOPING
    member_count = 50

    @factory.post_generation
    def interests(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.interests.set(extracted)


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory)
    section = factory.SubFactory(SectionFactory)
    role = Officer.Role.CHAIR
    start_date = datetime.date(2024, 1, 1)


class CoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DistrictCoordinator

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)
    start_date = datetime.date(2024, 1, 1)
