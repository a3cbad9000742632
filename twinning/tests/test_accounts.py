"""The user's own account services: profile fields checked by the service as well as the
form, and an email change that needs the link sent to the new address."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from twinning.accounts import email_change_confirm, email_change_request, email_change_token, user_update_profile
from twinning.models import Notice, OutgoingMail

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("fields", "field"), [
    ({"language": "xx"}, "language"),
    ({"time_zone": "Nowhere/Atlantis"}, "time_zone"),
    ({"full_name": ""}, "full_name"),
])
def test_the_profile_service_refuses_what_the_form_would(fields, field):
    ann = UserFactory(full_name="Ann")
    with pytest.raises(ValidationError) as caught:
        user_update_profile(user=ann, **{"full_name": "Ann", "language": "", "time_zone": "", **fields})
    assert field in caught.value.error_dict


def test_an_email_change_is_mailed_to_the_new_address_only_and_confirmed_once():
    ann = UserFactory(email="ann@example.org")
    [row] = email_change_request(user=ann, new_email="ANN@Example.NET")
    assert row.to == "ann@example.net" and row.template_name == "twinning/email/email_change"
    # The new address has no account yet: no notice for anyone.
    assert not Notice.objects.exists()
    token = email_change_token(user=ann, new_email="ann@example.net")
    assert email_change_confirm(user=ann, token=token).email == "ann@example.net"
    with pytest.raises(ValidationError):
        email_change_confirm(user=ann, token=token)
    assert OutgoingMail.objects.count() == 1
