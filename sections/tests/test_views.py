from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from sections.models import Language, Section, TwinningForm
from sections.tests.factories import (
    CoordinatorFactory,
    DistrictFactory,
    OfficerFactory,
    SectionFactory,
    TechnicalInterestFactory,
)
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _names(response) -> list[str]:
    return [section.name for section in response.context["sections"]]


class TestDirectory:
    def test_the_filter_button_counts_the_filters_in_use(self, client, member):
        SectionFactory(name="Delft Students", city="Delft", country="NL")

        def button(url: str) -> str:
            page = client.get(url).content.decode()
            return re.search(r'<button type="button" class="[^"]*filter-toggle[^"]*"[^>]*>\s*(.*?)\s*</button>', page, re.S).group(1)

        assert button("/sections/") == "Filter"
        # Empty fields and the page number are no filters.
        assert button("/sections/?q=&country=&page=1") == "Filter"
        assert button("/sections/?country=NL&q=delft&kind=") == "Filter (2)"

    def test_filters_by_country_interest_and_text(self, client, member):
        robotics = TechnicalInterestFactory(name="Robotics", slug="robotics")
        SectionFactory(name="Delft Students", city="Delft", country="NL", interests=[robotics])
        SectionFactory(name="Rotterdam", city="Rotterdam", country="NL")
        SectionFactory(name="Ruhr", city="Essen", country="DE", interests=[robotics])

        assert _names(client.get("/sections/?country=NL")) == ["Delft Students", "Rotterdam"]
        assert _names(client.get("/sections/?country=NL&interest=robotics")) == ["Delft Students"]
        assert _names(client.get("/sections/?q=essen")) == ["Ruhr"]

    def test_filters_by_district_kind_maturity_offers_needs_and_seeking(self, client, member):
        district = DistrictFactory(code="d12")
        grow = TwinningForm.objects.get(code="growing-section")
        mentor = SectionFactory(name="Mentor", district=district, maturity="established", seeking_partner=True)
        mentor.offers_forms.add(grow)
        young = SectionFactory(name="Young", kind="student", maturity="formative")
        young.needs_forms.add(grow)

        assert _names(client.get("/sections/?district=d12")) == ["Mentor"]
        assert _names(client.get("/sections/?kind=student")) == ["Young"]
        assert _names(client.get("/sections/?maturity=established")) == ["Mentor"]
        assert _names(client.get("/sections/?offers=growing-section")) == ["Mentor"]
        assert _names(client.get("/sections/?needs=growing-section")) == ["Young"]
        assert _names(client.get("/sections/?seeking=true")) == ["Mentor"]
        assert _names(client.get("/sections/?seeking=false")) == ["Young"]

    def test_sorts_by_members(self, client, member):
        SectionFactory(name="Small", member_count=5)
        SectionFactory(name="Large", member_count=500)
        assert _names(client.get("/sections/?sort=-members")) == ["Large", "Small"]
        assert _names(client.get("/sections/?sort=members")) == ["Small", "Large"]

    def test_sorts_by_city_and_by_most_recently_updated(self, client, member):
        older = SectionFactory(name="Older", city="Zagreb")
        SectionFactory(name="Newer", city="Aachen")
        Section.objects.filter(pk=older.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))

        assert _names(client.get("/sections/?sort=city")) == ["Newer", "Older"]
        assert _names(client.get("/sections/?sort=-updated")) == ["Newer", "Older"]

    def test_equal_sort_keys_are_ordered_by_name(self, client, member):
        for name in ["Charlie", "Alpha", "Bravo"]:
            SectionFactory(name=name, member_count=10)

        assert _names(client.get("/sections/?sort=-members")) == ["Alpha", "Bravo", "Charlie"]
        assert _names(client.get("/sections/?sort=members")) == ["Alpha", "Bravo", "Charlie"]

    def test_sort_offers_each_order_once_with_a_label_that_says_what_it_does(self, client, member):
        response = client.get("/sections/")

        choices = list(response.context["filter"].form.fields["sort"].choices)
        assert choices == [
            ("", "Best match"),
            ("name", "Name"),
            ("city", "City"),
            ("-members", "Most members"),
            ("members", "Fewest members"),
            ("-updated", "Recently updated"),
        ]

    def test_sorting_by_country_code_is_not_offered(self, client, member):
        SectionFactory(name="Only")

        response = client.get("/sections/?sort=country")

        assert _names(response) == ["Only"]
        assert "Some filters were not understood" in response.content.decode()

    def test_district_choices_are_in_natural_code_order(self, client, member):
        for code in ["d12", "d4", "d1", "d14"]:
            DistrictFactory(code=code, name=f"District {code[1:]}")

        field = client.get("/sections/").context["filter"].form.fields["district"]

        codes = [str(value) for value, _label in field.choices if value]
        assert codes == ["d1", "d4", "d12", "d14"]

    def test_filters_by_offered_and_needed_topics(self, client, member):
        cyber = TechnicalInterestFactory(name="Cybersecurity", slug="cybersecurity")
        water = TechnicalInterestFactory(name="Water", slug="water")
        giver = SectionFactory(name="Giver")
        giver.offers_topics.add(cyber)
        giver.needs_topics.add(water)
        taker = SectionFactory(name="Taker")
        taker.needs_topics.add(cyber)
        taker.offers_topics.add(water)

        assert _names(client.get("/sections/?offers_topic=cybersecurity")) == ["Giver"]
        assert _names(client.get("/sections/?needs_topic=cybersecurity")) == ["Taker"]
        assert _names(client.get("/sections/?offers_topic=cybersecurity&needs_topic=water")) == ["Giver"]
        assert _names(client.get("/sections/?offers_topic=water&needs_topic=water")) == []

    def test_a_very_long_search_is_refused_with_a_message_not_an_error(self, client, member):
        SectionFactory(name="Only")

        response = client.get("/sections/", {"q": " ".join(["word"] * 2000)})

        assert response.status_code == 200
        assert _names(response) == ["Only"]
        page = response.content.decode()
        assert "Some filters were not understood" in page
        assert "Ensure this value has at most 100 characters" in page

    def test_search_uses_only_the_first_eight_words(self, client, member):
        SectionFactory(name="Delft Students", city="Delft")
        eight_matching_words = "delft students delft students delft students delft students"

        assert _names(client.get("/sections/", {"q": "nowhere"})) == []
        assert _names(client.get("/sections/", {"q": f"{eight_matching_words} nowhere"})) == ["Delft Students"]

    def test_pagination_keeps_the_filters_in_the_links(self, client, member):
        district = DistrictFactory(code="big")
        for n in range(25):
            SectionFactory(name=f"S{n:02}", district=district)
        SectionFactory(name="Elsewhere")
        response = client.get("/sections/?district=big")
        page = response.content.decode()
        assert "26 sections" not in page and "25 sections" in page
        assert 'href="?district=big&amp;page=2"' in page
        second = client.get("/sections/?district=big&page=2")
        assert len(second.context["sections"]) == 5
        assert client.get("/sections/?district=big&page=99").context["page"].number == 2

    def test_unknown_filter_values_are_ignored_with_a_message(self, client, member):
        SectionFactory(name="Only")
        response = client.get("/sections/?country=ZZ&interest=nonsense&sort=bogus&seeking=perhaps")
        assert response.status_code == 200
        assert _names(response) == ["Only"]
        assert "Some filters were not understood" in response.content.decode()


class TestProfile:
    def test_shows_open_offices_and_hides_ended_ones(self, client, member):
        section = SectionFactory(name="Houston")
        OfficerFactory(section=section, user__full_name="Current Chair")
        OfficerFactory(
            section=section,
            user__full_name="Former Treasurer",
            role="treasurer",
            start_date=datetime.date(2019, 1, 1),
            end_date=datetime.date(2020, 1, 1),
        )
        page = client.get(f"/sections/{section.slug}/").content.decode()
        assert "Current Chair" in page
        assert "Former Treasurer" not in page

    def test_officer_emails_show_only_to_the_section_its_coordinators_and_society_admins(self, client):
        section = SectionFactory()
        chair = OfficerFactory(section=section, user__email="chair@example.org").user
        viewers = {
            UserFactory(): False,
            chair: True,
            CoordinatorFactory(district=section.district).user: True,
            CoordinatorFactory().user: False,
            UserFactory(society_admin=True): True,
            # Staff status alone is no role: what any member sees.
            UserFactory(is_staff=True): False,
        }
        for viewer, sees in viewers.items():
            client.force_login(viewer)
            assert ("chair@example.org" in client.get(section.get_absolute_url()).content.decode()) is sees

    def test_edit_link_only_for_the_sections_officers(self, client):
        section = SectionFactory()
        chair = OfficerFactory(section=section).user
        client.force_login(chair)
        assert "Edit profile" in client.get(section.get_absolute_url()).content.decode()
        client.force_login(CoordinatorFactory(district=section.district).user)
        assert "Edit profile" not in client.get(section.get_absolute_url()).content.decode()


def _valid_post(section: Section, **changes) -> dict:
    data = {
        "country": section.country.code,
        "city": section.city,
        "time_zone": str(section.time_zone),
        "member_count": section.member_count,
        "maturity": section.maturity,
        "max_concurrent_partnerships": section.max_concurrent_partnerships,
        "description": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


class TestEdit:
    @pytest.fixture
    def section(self, client):
        section = SectionFactory(city="Rotterdam", member_count=40)
        client.force_login(OfficerFactory(section=section).user)
        return section

    def test_officer_saves_the_profile(self, client, section):
        interest = TechnicalInterestFactory(name="Plant safety culture", slug="safety-culture")
        response = client.post(
            f"/sections/{section.slug}/edit/",
            _valid_post(
                section,
                city="Delft",
                member_count=55,
                interests=[interest.pk],
                working_languages=["nl", "en"],
                offers_forms=[TwinningForm.objects.get(code="technical-exchange").pk],
                seeking_partner="on",
            ),
            follow=True,
        )
        assert "was saved" in response.content.decode()
        section.refresh_from_db()
        assert (section.city, section.member_count, section.seeking_partner) == ("Delft", 55, True)
        assert list(section.interests.all()) == [interest]
        assert set(section.working_languages.all()) == set(Language.objects.filter(code__in=["nl", "en"]))

    def test_an_interest_added_after_the_form_was_shown_is_offered_and_saved(self, client, section):
        # The form's lists are read afresh each time: a process that showed the form before
        # an admin added an interest offers it too (the class's queryset keeps no rows).
        client.get(f"/sections/{section.slug}/edit/")
        added = TechnicalInterestFactory(name="Hydrogen safety", slug="hydrogen-safety")

        page = client.get(f"/sections/{section.slug}/edit/").content.decode()
        assert "Hydrogen safety" in page
        client.post(f"/sections/{section.slug}/edit/", _valid_post(section, interests=[added.pk]))
        assert list(section.interests.all()) == [added]

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("country", "XX", "Select a valid choice"),
            ("time_zone", "Mars/Olympus_Mons", "Select a valid choice"),
            ("member_count", "-3", "greater than or equal to 0"),
            ("founded_year", str(timezone.now().year + 1), "cannot be in the future"),
            ("website", "not a url", "Enter a valid URL"),
            ("max_concurrent_partnerships", "0", "greater than or equal to 1"),
        ],
    )
    def test_bad_value_shows_a_field_error_and_saves_nothing(self, client, section, field, value, message):
        response = client.post(
            f"/sections/{section.slug}/edit/", _valid_post(section, city="Changed", **{field: value})
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert message in page
        assert field in response.context["form"].errors
        assert "Nothing was saved" in page
        section.refresh_from_db()
        assert section.city == "Rotterdam"


def _profile_part(page: str, heading_id: str) -> str:
    """The HTML of one <section> of the profile page, found by its heading's id."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


class TestProfileOffersAndNeeds:
    def test_nothing_stated_shows_not_stated_and_no_empty_list(self, client, member):
        section = SectionFactory()

        page = client.get(section.get_absolute_url()).content.decode()

        for heading_id in ("h-offers", "h-needs"):
            part = _profile_part(page, heading_id)
            assert "Not stated yet." in part
            assert "<ul>" not in part

    def test_stated_forms_and_topics_are_listed(self, client, member):
        section = SectionFactory()
        section.offers_forms.add(TwinningForm.objects.get(code="growing-section"))
        section.needs_topics.add(TechnicalInterestFactory(name="Water"))

        page = client.get(section.get_absolute_url()).content.decode()

        offers = _profile_part(page, "h-offers")
        assert "<ul>" in offers and "Not stated yet." not in offers
        assert "<li>Water</li>" in _profile_part(page, "h-needs")


class TestHome:
    def test_anonymous_visitor_sees_the_programme_and_a_login_link(self, client):
        page = client.get("/").content.decode()
        assert "section twinning programme" in page
        assert 'href="/accounts/login/"' in page

    def test_officer_sees_their_sections_and_next_steps(self, client):
        office = OfficerFactory(section__name="Nairobi Section")
        OfficerFactory(section__name="Former Section", user=office.user, end_date=datetime.date(2024, 6, 1))
        client.force_login(office.user)
        page = client.get("/").content.decode()
        assert "Nairobi Section" in page
        assert "Former Section" not in page
        assert "Complete the profile" in page
        assert f"/sections/{office.section.slug}/edit/" in page

    def test_coordinator_sees_their_districts_and_sections(self, client):
        district = DistrictFactory(name="District 13")
        SectionFactory(name="Lagos Students", district=district)
        SectionFactory(name="Not Mine")
        client.force_login(CoordinatorFactory(district=district).user)
        page = client.get("/").content.decode()
        # The district, with its sections counted and linked; the dashboard lists them.
        assert "District 13" in page and f"/dashboard/?district={district.code}" in page
        assert f'/sections/?district={district.code}">1 section</a>' in page
        assert "Not Mine" not in page

    def test_staff_see_the_admin_link(self, client):
        client.force_login(UserFactory(is_staff=True))
        assert 'href="/admin/"' in client.get("/").content.decode()


class TestHomeNextSteps:
    def test_officer_is_told_what_the_profile_lacks_in_one_sentence(self, client):
        office = OfficerFactory(section__contact_email="")
        client.force_login(office.user)

        page = client.get("/").content.decode()

        edit_url = f"/sections/{office.section.slug}/edit/"
        assert (
            f'<a href="{edit_url}">Complete the profile</a>: add technical interests, what you can offer, '
            "what you need, a contact email."
        ) in page

    def test_officer_of_a_section_not_seeking_a_partner_is_linked_to_its_edit_page(self, client):
        office = OfficerFactory(section__seeking_partner=False)
        client.force_login(office.user)

        page = client.get("/").content.decode()

        assert (
            f'<a href="/sections/{office.section.slug}/edit/#id_seeking_partner">'
            "Mark the section as seeking a partner so others can find it.</a>"
        ) in page
