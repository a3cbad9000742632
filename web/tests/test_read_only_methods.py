"""The web layer's pages only read: like the district dashboard and the profile, they answer
GET and HEAD and refuse other methods (405), rather than rendering for a POST or a DELETE."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

READ_ONLY = [
    ("staff", "/dashboard/society/"),
    ("staff", "/dashboard/society/export/districts.csv"),
    ("officer_a", "/"),
    ("officer_a", "/partnerships/"),
]


@pytest.mark.parametrize(("role", "url"), READ_ONLY)
def test_read_only_pages_refuse_other_methods(client, world, role, url):
    client.force_login(getattr(world, role))
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    for method in (client.post, client.put, client.delete):
        assert method(url).status_code == 405, (method.__name__, url)
