"""An acknowledgement sent twice (a double click, a reload) thanks the person once, and
mails them once: the form's one-time token is claimed in the transaction that saves."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.messages import get_messages

from partnerships.tests.conftest import endorsed, world  # noqa: F401 - the fixture, shared
from recognition.models import Acknowledgement
from twinning.models import OutgoingMail

pytestmark = pytest.mark.django_db


def test_an_acknowledgement_sent_twice_is_made_and_mailed_once(client, world):
    partnership = endorsed(world)
    url = f"/recognition/partnerships/{partnership.pk}/acknowledge/"
    client.force_login(world.officer_a)
    assert '<input type="hidden" name="once"' in client.get(url).content.decode()
    data = {
        "section": world.a.pk, "name": "Vera Volunteer", "email": "vera@example.org", "role": "Host",
        "contribution": "Hosted two students.", "hours": "12", "once": str(uuid.uuid4()),
    }

    client.post(url, data)
    again = client.post(url, data)

    acknowledgement = Acknowledgement.objects.get()
    assert again["Location"] == f"/recognition/certificates/{acknowledgement.pk}/"
    assert [str(m) for m in get_messages(again.wsgi_request)][-1] == (
        "This was already saved; sending the form again saved nothing more."
    )
    assert OutgoingMail.objects.filter(to="vera@example.org").count() == 1
