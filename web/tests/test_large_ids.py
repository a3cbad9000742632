"""An id larger than the database's integers, in a link or a posted form, is a page not found
or a field error, never a server error."""

from __future__ import annotations

import pytest

from partnerships.models import Partnership
from partnerships.tests.conftest import propose
from sections.models import TwinningForm

pytestmark = pytest.mark.django_db

HUGE = [str(2**31), str(2**63), str(10**20), "9" * 40]


@pytest.mark.parametrize("pk", HUGE)
@pytest.mark.parametrize(
    "path",
    [
        "/partnerships/{pk}/",
        "/partnerships/{pk}/answer/",
        "/partnerships/{pk}/agreement/",
        "/partnerships/{pk}/report/",
        "/partnerships/{own}/plan/goal/{pk}/",
        "/partnerships/{own}/conflicts/{pk}/",
        "/partnerships/{own}/give-take/{pk}/",
    ],
)
def test_a_huge_id_in_a_link_is_not_found(client, world, path, pk):
    own = propose(world).pk
    client.force_login(world.officer_a)

    assert client.get(path.format(pk=pk, own=own)).status_code == 404


@pytest.mark.parametrize("pk", HUGE)
def test_a_huge_id_in_a_posted_choice_is_a_field_error(client, world, pk):
    client.force_login(world.officer_a)
    data = {
        "partner": pk,
        "title": "Alpha and Beta",
        "purpose": "Grow both sections.",
        "twinning_forms": [TwinningForm.objects.get(code="student-exchange").pk],
        "start_date": "2026-03-01",
        "planned_end_date": "2027-03-01",
        "our_gives": "Hosting",
        "our_gains": "Speakers",
        "facilitator_kind": "section",
        "facilitator_section": pk,
        "more_partners": [pk],
    }

    response = client.post("/partnerships/propose/alpha/", data)

    assert response.status_code == 200
    assert {"partner", "facilitator_section", "more_partners"} <= set(response.context["form"].errors)
    assert not Partnership.objects.exists()


@pytest.mark.parametrize("pk", HUGE)
def test_a_huge_id_in_a_prefill_link_is_ignored(client, world, pk):
    client.force_login(world.officer_a)

    assert client.get(f"/partnerships/propose/alpha/?partner={pk}&form={pk}").status_code == 200


@pytest.mark.parametrize("pk", HUGE)
def test_a_huge_objective_id_in_a_plan_form_is_a_field_error(client, world, pk):
    partnership = propose(world)
    client.force_login(world.officer_a)

    response = client.post(
        f"/partnerships/{partnership.pk}/plan/objective/add/",
        {"goal": pk, "title": "More members", "description": ""},
    )

    assert response.status_code == 200
    assert "goal" in response.context["form"].errors


@pytest.mark.parametrize("pk", HUGE)
@pytest.mark.parametrize("query", ["/partnerships/?form={pk}", "/lessons/?form={pk}&challenge={pk}"])
def test_a_huge_id_in_a_list_filter_is_not_a_server_error(client, world, query, pk):
    client.force_login(world.officer_a)

    assert client.get(query.format(pk=pk)).status_code == 200


# Digits to str.isdigit that int() refuses ("²"), beside the huge ones.
NOT_IDS = [*HUGE, "²", "٣²"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_a_typed_section_that_is_no_id_is_a_filter_message_not_a_server_error(client, world, value):
    client.force_login(world.officer_a)

    response = client.get("/partnerships/", {"section": value})

    assert response.status_code == 200
    assert "Some filters were not understood" in response.content.decode()


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize("name", ["form", "district"])
def test_an_admin_partnership_filter_that_is_no_id_lists_nothing(admin_client, world, name, value):
    propose(world)

    response = admin_client.get("/admin/partnerships/partnership/", {name: value})

    assert response.status_code == 200
    assert "0 partnerships" in response.content.decode()
