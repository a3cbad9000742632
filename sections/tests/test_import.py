"""Society admins import districts and sections as CSV, and export sections, in the admin.

Everything goes through the real django-import-export admin views: the upload
form, its preview, the confirm form it offers, and the export form.
"""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sections.admin import CSV_IMPORT_MAX_BYTES
from sections.models import District, Section, TechnicalInterest
from sections.tests.factories import DistrictFactory, SectionFactory, TechnicalInterestFactory
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECTION_HEADER = (
    "slug,name,kind,district,country,city,time_zone,working_languages,founded_year,"
    "member_count,maturity,interests,seeking_partner,max_concurrent_partnerships,website,contact_email"
)
GOOD_SECTION_ROWS = [
    'amsterdam,Amsterdam Section,professional,nl,NL,Amsterdam,Europe/Amsterdam,"nl,en",1990,120,'
    'established,"process-control,alarm-management",1,2,https://amsterdam.example.org,ams@example.org',
    "gent-student,Gent Student Section,student,be,BE,Gent,Europe/Brussels,nl,2016,40,"
    "developing,process-control,0,1,,",
    "utrecht,Utrecht Section,professional,nl,NL,Utrecht,Europe/Amsterdam,nl,2001,75,"
    "formative,,1,3,,",
]


class _Page(HTMLParser):
    """What an admin sees on an import page: inputs, options and table rows as text."""

    def __init__(self, html: str):
        super().__init__()
        self.inputs: list[dict] = []
        self.options: list[tuple[str, str]] = []
        self.rows: list[list[str]] = []
        self._option: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input":
            self.inputs.append(attrs)
        elif tag == "option":
            self._option = attrs.get("value", "")
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._option is not None:
            self.options.append((self._option, data.strip()))
            self._option = None
        if self._cell is not None:
            self._cell.append(data)

    def hidden(self, name: str) -> str | None:
        for attrs in self.inputs:
            if attrs.get("name") == name and attrs.get("type") == "hidden":
                return attrs.get("value", "")
        return None

    def row_numbered(self, number: int) -> list[str]:
        matching = [row for row in self.rows if row and row[0] == str(number)]
        assert matching, f"no row {number} in {self.rows!r}"
        return matching[0]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def districts():
    return [DistrictFactory(code="nl", name="Benelux North"), DistrictFactory(code="be", name="Benelux South")]


def csv_choice(admin_client, model: str) -> str:
    """The value of the "csv" choice in the import form's format list."""
    page = _Page(admin_client.get(reverse(f"admin:sections_{model}_import")).content.decode())
    values = [value for value, title in page.options if title.lower() == "csv"]
    assert values, f"no csv format offered: {page.options!r}"
    return values[0]


def upload(admin_client, model: str, text: str, name: str = "upload.csv"):
    response = admin_client.post(
        reverse(f"admin:sections_{model}_import"),
        {
            "import_file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv"),
            "format": csv_choice(admin_client, model),
            "resource": "0",
        },
    )
    assert response.status_code == 200
    return response


def confirm(admin_client, model: str, preview):
    """Post the confirm form the preview offers, as the Confirm import button does."""
    page = _Page(preview.content.decode())
    data = {
        name: page.hidden(name) for name in ("import_file_name", "original_file_name", "format", "resource")
    }
    assert data["import_file_name"], "the preview offers no confirm form"
    return admin_client.post(reverse(f"admin:sections_{model}_process_import"), data, follow=True)


def sections_csv(*rows: str) -> str:
    return "\n".join([SECTION_HEADER, *rows]) + "\n"


def test_valid_districts_csv_is_previewed_then_imported_on_confirm(admin_client):
    text = (
        "code,name,region\n"
        "d21,District 21 — Nordics,Europe\n"
        "d22,District 22 — Iberia,Europe\n"
        "d23,District 23 — Andes,Americas\n"
    )

    preview = upload(admin_client, "district", text, name="districts.csv")

    content = preview.content.decode()
    assert "Preview" in content
    assert "Confirm import" in content
    assert "District 22 — Iberia" in content
    assert not District.objects.filter(code__in=["d21", "d22", "d23"]).exists()  # a preview saves nothing

    done = confirm(admin_client, "district", preview)

    assert done.status_code == 200
    assert done.redirect_chain[-1][0] == reverse("admin:sections_district_changelist")
    assert "Import finished: 3 new" in done.content.decode()
    assert {(d.code, d.name, d.region) for d in District.objects.filter(code__startswith="d2")} == {
        ("d21", "District 21 — Nordics", "Europe"),
        ("d22", "District 22 — Iberia", "Europe"),
        ("d23", "District 23 — Andes", "Americas"),
    }


def test_valid_sections_csv_imports_sections_with_district_languages_and_interests(admin_client, districts):
    before = Section.objects.count()

    done = confirm(admin_client, "section", upload(admin_client, "section", sections_csv(*GOOD_SECTION_ROWS)))

    assert "Import finished: 3 new" in done.content.decode()
    assert Section.objects.count() == before + 3
    amsterdam = Section.objects.get(slug="amsterdam")
    assert amsterdam.district.code == "nl"
    assert amsterdam.country.code == "NL"
    assert amsterdam.member_count == 120
    assert amsterdam.seeking_partner is True
    assert sorted(amsterdam.working_languages.values_list("code", flat=True)) == ["en", "nl"]
    assert sorted(amsterdam.interests.values_list("slug", flat=True)) == ["alarm-management", "process-control"]
    assert Section.objects.get(slug="gent-student").kind == Section.Kind.STUDENT


BAD_ROWS = {
    "unknown district code": (
        "leuven,Leuven Section,professional,no-such-district,BE,Leuven,Europe/Brussels,nl,2000,30,"
        "developing,process-control,0,2,,",
        "district",
        "no-such-district",
    ),
    "invalid country code": (
        "leuven,Leuven Section,professional,be,XX,Leuven,Europe/Brussels,nl,2000,30,developing,,0,2,,",
        "country",
        "XX",
    ),
    "negative member count": (
        "leuven,Leuven Section,professional,be,BE,Leuven,Europe/Brussels,nl,2000,-5,developing,,0,2,,",
        "member_count",
        "greater than or equal to 0",
    ),
    "unknown time zone": (
        "leuven,Leuven Section,professional,be,BE,Leuven,Europe/Leuven,nl,2000,30,developing,,0,2,,",
        "time_zone",
        "Unknown time zone: Europe/Leuven",
    ),
    "missing time zone": (
        "leuven,Leuven Section,professional,be,BE,Leuven,,nl,2000,30,developing,,0,2,,",
        "time_zone",
        "Enter a time zone",
    ),
    "unknown interest slug": (
        "leuven,Leuven Section,professional,be,BE,Leuven,Europe/Brussels,nl,2000,30,developing,"
        '"process-control,underwater-basket-weaving",0,2,,',
        "interests",
        "underwater-basket-weaving",
    ),
}


@pytest.mark.parametrize("bad_row, field, message", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_section_row_is_reported_by_row_and_field_and_nothing_is_imported(
    admin_client, districts, bad_row, field, message
):
    before = Section.objects.count()
    # The bad row is the third data row, between good ones.
    text = sections_csv(GOOD_SECTION_ROWS[0], GOOD_SECTION_ROWS[1], bad_row, GOOD_SECTION_ROWS[2])

    preview = upload(admin_client, "section", text)

    content = preview.content.decode()
    page = _Page(content)
    assert "Some rows failed to validate" in content
    errors = page.row_numbered(3)[1]
    assert field in errors
    assert message in errors
    # Only the bad row is listed as failing.
    assert [row[0] for row in page.rows if row and row[0].isdigit()] == ["3"]
    # No confirm step is offered, and nothing reached the database.
    assert "Confirm import" not in content
    assert page.hidden("import_file_name") is None
    assert Section.objects.count() == before
    assert not Section.objects.filter(slug__in=["amsterdam", "gent-student", "utrecht", "leuven"]).exists()


def test_every_bad_row_and_field_is_reported_together(admin_client, districts):
    text = sections_csv(
        GOOD_SECTION_ROWS[0],
        "leuven,Leuven Section,professional,no-such-district,XX,Leuven,Europe/Brussels,nl,2000,30,"
        "developing,,0,2,,",
        "namur,Namur Section,professional,be,BE,Namur,Europe/Brussels,fr,2000,-1,"
        "developing,no-such-topic,0,2,,",
    )

    page = _Page(upload(admin_client, "section", text).content.decode())

    leuven = page.row_numbered(2)[1]
    assert "district" in leuven and "no-such-district" in leuven
    assert "country" in leuven and "XX" in leuven
    namur = page.row_numbered(3)[1]
    assert "member_count" in namur
    assert "interests" in namur and "no-such-topic" in namur
    assert page.hidden("import_file_name") is None
    assert not Section.objects.filter(slug__in=["amsterdam", "leuven", "namur"]).exists()


def test_unknown_interest_slug_is_an_error_not_silently_dropped(admin_client, districts):
    text = sections_csv(
        "leuven,Leuven Section,professional,be,BE,Leuven,Europe/Brussels,nl,2000,30,developing,"
        '"process-control,no-such-topic",0,2,,'
    )

    preview = upload(admin_client, "section", text)

    content = preview.content.decode()
    errors = _Page(content).row_numbered(1)[1]
    assert "interests" in errors
    assert "Unknown value(s): no-such-topic" in errors
    assert "Confirm import" not in content
    # Not imported with only the interests it knew.
    assert not Section.objects.filter(slug="leuven").exists()


def test_confirm_imports_nothing_when_a_row_has_become_invalid_since_the_preview(admin_client, districts):
    TechnicalInterestFactory(slug="soon-retired", name="Soon retired")
    before = Section.objects.count()
    text = sections_csv(
        GOOD_SECTION_ROWS[0],
        "leuven,Leuven Section,professional,be,BE,Leuven,Europe/Brussels,nl,2000,30,developing,soon-retired,0,2,,",
        GOOD_SECTION_ROWS[2],
    )
    preview = upload(admin_client, "section", text)
    assert "Confirm import" in preview.content.decode()

    # Another admin retires the interest before this one confirms.
    TechnicalInterest.objects.filter(slug="soon-retired").delete()
    done = confirm(admin_client, "section", preview)

    page = done.content.decode()
    assert "Nothing was imported" in page
    assert "Import finished" not in page
    assert Section.objects.count() == before
    assert not Section.objects.filter(slug__in=["amsterdam", "leuven", "utrecht"]).exists()


def test_sections_export_as_csv_with_their_slugs(admin_client):
    interest = TechnicalInterestFactory(slug="alarm-management")
    SectionFactory(slug="export-me", name="Export Me Section", district=DistrictFactory(code="exp"),
                   interests=[interest])
    url = reverse("admin:sections_section_export")
    form = _Page(admin_client.get(url).content.decode())
    csv_value = next(value for value, title in form.options if title.lower() == "csv")
    field_boxes = {
        attrs["name"]: "on" for attrs in form.inputs if attrs.get("type") == "checkbox" and attrs.get("name")
    }
    assert "sectionresource_slug" in field_boxes

    response = admin_client.post(url, {"format": csv_value, "resource": "0", **field_boxes})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    exported = {row["slug"]: row for row in rows}
    assert "export-me" in exported
    assert exported["export-me"]["district"] == "exp"
    assert exported["export-me"]["interests"] == "alarm-management"


def test_oversized_file_is_refused_with_a_message_and_nothing_imported(admin_client, districts):
    before = Section.objects.count()
    padding = "x" * (CSV_IMPORT_MAX_BYTES + 1)
    response = upload(admin_client, "section", sections_csv(GOOD_SECTION_ROWS[0]) + padding)
    page = response.content.decode()
    assert "files up to 5.0\xa0MB can be imported" in page
    assert "Confirm import" not in page
    assert Section.objects.count() == before


def test_a_bad_time_zone_is_reported_with_the_rows_other_errors(admin_client, districts):
    text = sections_csv(
        "leuven,Leuven Section,professional,be,BE,Leuven,Europe/Nowhere,nl,2000,-5,developing,,0,2,,"
    )

    preview = upload(admin_client, "section", text)

    content = preview.content.decode()
    errors = _Page(content).row_numbered(1)[1]
    assert "time_zone" in errors and "Unknown time zone: Europe/Nowhere" in errors
    assert "member_count" in errors and "greater than or equal to 0" in errors
    assert "Confirm import" not in content
    assert not Section.objects.filter(slug="leuven").exists()


PROFILE_HEADER = SECTION_HEADER + ",description,offers_forms,offers_topics,offers_notes,needs_forms,needs_topics,needs_notes"


def test_a_sections_offers_and_needs_are_imported_with_its_description(admin_client, districts):
    text = "\n".join([
        PROFILE_HEADER,
        GOOD_SECTION_ROWS[2] + ',Automation people in Utrecht.,"technical-exchange,growing-section",'
        'process-control,Speakers for events,student-exchange,alarm-management,A venue',
    ]) + "\n"

    done = confirm(admin_client, "section", upload(admin_client, "section", text))

    assert "Import finished: 1 new" in done.content.decode()
    utrecht = Section.objects.get(slug="utrecht")
    assert utrecht.description == "Automation people in Utrecht."
    assert sorted(utrecht.offers_forms.values_list("code", flat=True)) == ["growing-section", "technical-exchange"]
    assert list(utrecht.offers_topics.values_list("slug", flat=True)) == ["process-control"]
    assert utrecht.offers_notes == "Speakers for events"
    assert list(utrecht.needs_forms.values_list("code", flat=True)) == ["student-exchange"]
    assert list(utrecht.needs_topics.values_list("slug", flat=True)) == ["alarm-management"]
    assert utrecht.needs_notes == "A venue"


def test_an_unknown_form_of_twinning_or_topic_in_offers_and_needs_is_reported(admin_client, districts):
    text = "\n".join([
        PROFILE_HEADER,
        GOOD_SECTION_ROWS[2] + ",,no-such-form,,,,no-such-topic,",
    ]) + "\n"

    content = upload(admin_client, "section", text).content.decode()

    errors = _Page(content).row_numbered(1)[1]
    assert "offers_forms" in errors and "no-such-form" in errors
    assert "needs_topics" in errors and "no-such-topic" in errors
    assert not Section.objects.filter(slug="utrecht").exists()


@pytest.mark.parametrize("action", ["import", "export"])
def test_staff_without_permissions_on_sections_cannot_import_or_export_them(client, action):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse(f"admin:sections_section_{action}"))

    assert response.status_code == 403


@pytest.mark.parametrize("action", ["import", "export"])
def test_a_superuser_may_import_and_export_sections(admin_client, action):
    assert admin_client.get(reverse(f"admin:sections_section_{action}")).status_code == 200


def test_staff_with_the_change_permission_may_import_sections(client):
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_section", content_type__app_label="sections"))
    client.force_login(user)

    assert client.get(reverse("admin:sections_section_import")).status_code == 200


def _export_sections(admin_client) -> dict[str, dict]:
    url = reverse("admin:sections_section_export")
    form = _Page(admin_client.get(url).content.decode())
    csv_value = next(value for value, title in form.options if title.lower() == "csv")
    boxes = {attrs["name"]: "on" for attrs in form.inputs if attrs.get("type") == "checkbox" and attrs.get("name")}
    response = admin_client.post(url, {"format": csv_value, "resource": "0", **boxes})
    assert response.status_code == 200
    return {row["slug"]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}


# The library's own escape drops one leading "=" and nothing else: "==HYPERLINK" kept a formula.
@pytest.mark.parametrize("name", [
    '=HYPERLINK("http://evil.example","click")', '==HYPERLINK("http://evil.example","click")',
    "+SUM(1)", "-2+3", "@x", "\tx", "\rx",
])
def test_exported_cells_that_start_with_a_formula_are_quoted(admin_client, name):
    SectionFactory(slug="formula", name=name, city="=1+1")

    rows = _export_sections(admin_client)

    assert rows["formula"]["name"] == f"'{name}"
    assert rows["formula"]["city"] == "'=1+1"


def test_exported_numbers_and_plain_text_are_unchanged(admin_client):
    SectionFactory(slug="plain", name="Plain Section", city="Delft", member_count=42, founded_year=1999)

    row = _export_sections(admin_client)["plain"]

    assert (row["name"], row["city"], row["member_count"], row["founded_year"]) == (
        "Plain Section", "Delft", "42", "1999")


def test_a_quoted_export_imported_back_keeps_the_text(admin_client, districts):
    rows = [GOOD_SECTION_ROWS[0].replace("Amsterdam Section", "'-Amsterdam Section", 1)]
    done = confirm(admin_client, "section", upload(admin_client, "section", sections_csv(*rows)))

    assert done.status_code == 200
    assert Section.objects.get(slug="amsterdam").name == "-Amsterdam Section"