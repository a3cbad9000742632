"""Each person reads the site in their language and sees times in their zone.

The language: a signed-in user's preferred one (profile, or the footer's switcher, which
saves it), then the switcher's cookie, then the browser's Accept-Language, then English. The
zone: the user's own, then their section's, then the site's (UTC); every time is shown with
its zone named."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from evaluation.services.health import Reason, reason_words

from sections.tests.factories import OfficerFactory, SectionFactory
from twinning.models import Delivery, Notice, NoticeKind
from twinning.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 12, 4, 1, 30, tzinfo=datetime.UTC)


def inbox_with_a_notice(client, user) -> str:
    notice = Notice.objects.create(user=user, kind=NoticeKind.TRANSITIONS, subject="Beta accepted",
                                   link="/partnerships/", delivery=Delivery.IMMEDIATE)
    Notice.objects.filter(pk=notice.pk).update(created_at=AT)
    client.force_login(user)
    return client.get(reverse("inbox")).content.decode()


def test_a_visitor_gets_the_browsers_language(client):
    response = client.get(reverse("login"), headers={"accept-language": "es-MX,es;q=0.9,en;q=0.5"})

    assert response["Content-Language"] == "es"
    page = response.content.decode()
    assert '<html lang="es">' in page
    assert "Iniciar sesión" in page


def test_portuguese_from_brazil_or_portugal_is_the_one_portuguese(client):
    for asked in ("pt-BR", "pt-PT"):
        assert client.get(reverse("login"), headers={"accept-language": asked})["Content-Language"] == "pt"


def test_an_unknown_language_gets_english(client):
    response = client.get(reverse("login"), headers={"accept-language": "ja,zh;q=0.8"})
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()


def test_the_users_preferred_language_wins_over_the_browser(client):
    client.force_login(UserFactory(language="fr"))

    response = client.get(reverse("inbox"), headers={"accept-language": "es"})

    assert response["Content-Language"] == "fr"
    assert "Boîte de réception" in response.content.decode()


def test_the_switcher_sets_a_visitors_language_and_sends_them_back(client):
    response = client.post(reverse("language"), {"language": "pt", "next": "/accounts/login/?next=/partnerships/"},
                           headers={"accept-language": "es"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/partnerships/"
    page = client.get(response["Location"], headers={"accept-language": "es"})
    assert page["Content-Language"] == "pt"
    assert "Entrar" in page.content.decode()


def test_the_switcher_saves_a_signed_in_users_choice_on_their_profile(client):
    user = UserFactory(language="")
    client.force_login(user)

    client.post(reverse("language"), {"language": "es", "next": "/accounts/profile/"})

    user.refresh_from_db()
    assert user.language == "es"
    # On another device, with no cookie: still Spanish.
    other = type(client)()
    other.force_login(user)
    assert other.get(reverse("profile"))["Content-Language"] == "es"


def test_the_switcher_refuses_an_unknown_language_and_changes_nothing(client):
    user = UserFactory(language="fr")
    client.force_login(user)

    response = client.post(reverse("language"), {"language": "xx", "next": "/"})

    assert response.status_code == 400
    assert "Choisissez une langue dans la liste." in response.content.decode()
    user.refresh_from_db()
    assert user.language == "fr"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_the_switcher_sends_nobody_to_another_site(client):
    response = client.post(reverse("language"), {"language": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_every_page_offers_the_languages_each_named_in_itself(client):
    page = client.get(reverse("login")).content.decode()
    for code, name in [("es", "Español"), ("fr", "Français"), ("pt", "Português")]:
        assert f'name="language" value="{code}" lang="{code}"' in page
        assert f">{name}</button>" in page
    assert '<span class="fw-semibold" lang="en" aria-current="true">English</span>' in page


def test_saving_the_profile_in_a_new_language_says_so_in_that_language(client):
    user = UserFactory(language="")
    client.force_login(user)

    response = client.post(reverse("profile_details"), {
        "profile-full_name": user.full_name, "profile-language": "pt", "profile-time_zone": "",
    }, follow=True)

    assert response["Content-Language"] == "pt"
    assert "Seu perfil foi salvo." in response.content.decode()


def test_times_are_shown_in_the_users_own_zone_with_the_zone_named(client):
    page = inbox_with_a_notice(client, UserFactory(time_zone="Asia/Tokyo"))
    assert "4 Dec 2026, 10:30 JST" in page


def test_without_a_zone_of_their_own_an_officer_sees_their_sections_zone(client):
    officer = OfficerFactory(section=SectionFactory(time_zone="America/Sao_Paulo"), user__time_zone="")
    page = inbox_with_a_notice(client, officer.user)
    # 01:30 UTC on the 4th is the evening of the 3rd in São Paulo.
    assert "3 Dec 2026, 22:30 -03" in page


def test_without_any_zone_times_are_the_sites_and_say_so(client):
    page = inbox_with_a_notice(client, UserFactory(time_zone=""))
    assert "4 Dec 2026, 01:30 UTC" in page


def test_the_dates_follow_the_language(client):
    user = UserFactory(time_zone="Europe/Paris", language="fr")
    page = inbox_with_a_notice(client, user)
    assert "4 déc. 2026, 02:30 CET" in page


def test_a_page_showing_no_time_asks_nothing_for_the_zone(client, django_assert_num_queries):
    officer = OfficerFactory(user__time_zone="")
    client.force_login(officer.user)
    # Session and user: the section's zone is looked up only when a time is shown.
    with django_assert_num_queries(2):
        client.get(reverse("password_change"))


def test_a_partnerships_health_reason_is_written_in_the_readers_language():
    # The nightly job records why, as data; each reader gets it in their own words.
    stored = Reason("overdue", date=datetime.date(2026, 4, 30)).stored()
    with translation.override("fr"):
        assert reason_words(stored) == "Un point d'étape est en retard (échéance le 30 avr. 2026)."
    with translation.override("en"):
        assert reason_words(stored) == "A check-in is overdue (due 30 Apr 2026)."
    # One recorded as words before reasons were data reads as it was written.
    assert reason_words("Nothing recorded for 40 days.") == "Nothing recorded for 40 days."


def test_the_switcher_on_a_page_a_post_showed_goes_back_to_the_form_page(client):
    user = UserFactory(language="")
    client.force_login(user)
    refused = client.post(reverse("profile_details"), {"profile-full_name": "", "profile-language": "xx"})
    assert refused.status_code == 200
    assert 'name="next"' not in refused.content.decode()

    # Without a next, Django's set_language goes back to where the form was shown from.
    response = client.post(reverse("language"), {"language": "es"}, headers={"referer": "http://testserver/accounts/profile/"})

    assert response.status_code == 302
    assert response["Location"] == "http://testserver/accounts/profile/"


def test_a_time_kept_in_a_cache_keeps_its_zone_not_the_user():
    import pickle

    from web.middleware import SectionZone

    officer = OfficerFactory(section=SectionFactory(time_zone="Asia/Kolkata"), user__time_zone="")
    moment = AT.astimezone(SectionZone(officer.user))
    kept = pickle.loads(pickle.dumps(moment))
    assert kept == moment and kept.tzname() == "IST"
