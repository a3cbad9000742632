"""Fixtures shared by every app's tests: factories' users by role, and a real browser."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM beside it
# must be told that this is intended.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait longer than axe may hold a navigation (twinning/tests/axe.py,
    # CHECK_TIMEOUT_MS: 20 s at most while the page being left is checked; measured at well
    # under a second), so that a slow check on a busy 2-core machine reads as axe's report, not
    # as a missing page. A passing assertion waits no longer for it.
    expect.set_options(timeout=30_000)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _checked_tab(browser, live_server, **options):
    """A fresh browser tab against the live server, navigating by relative URLs. axe-core checks
    every page it loads, and the page it ends on, against WCAG 2.1 AA: a violation fails the test
    (twinning/tests/axe.py)."""
    from twinning.tests.axe import AxeWatch

    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    axe = AxeWatch(context)
    axe.install()
    tab = context.new_page()
    try:
        yield tab
        axe.finish()
    finally:
        context.close()


PHONE_VIEWPORT = {"width": 390, "height": 844}
WINDOWS = {"desktop": {}, "phone": {"viewport": PHONE_VIEWPORT}}


def pytest_generate_tests(metafunc):
    """A journey marked `on_a_phone_too` runs twice: in a desktop window and in a phone's."""
    if metafunc.definition.get_closest_marker("on_a_phone_too"):
        metafunc.parametrize("window", list(WINDOWS), indirect=True)


@pytest.fixture
def window(request):
    """The window `page` opens in: the desktop's (Playwright's 1280 by 720) unless the test is
    parametrized by `on_a_phone_too`."""
    return getattr(request, "param", "desktop")


@pytest.fixture
def page(browser, live_server, window):
    yield from _checked_tab(browser, live_server, **WINDOWS[window])


@pytest.fixture
def phone_page(browser, live_server):
    """A tab as `page`, in a phone's window of 390 by 844 CSS pixels, axe checking it too. (Not
    Chromium's mobile emulation: it widens the window to fit a page that overflows, which would
    hide the sideways scroll the tests look for.)"""
    yield from _checked_tab(browser, live_server, viewport=PHONE_VIEWPORT)


@pytest.fixture(autouse=True)
def _english_in_utc():
    """Each test starts in English and in UTC, as a process does: a request leaves its
    language active in its thread (LocaleMiddleware and web.middleware activate one for every
    request and reset none), and a test that renders without a request would inherit it."""
    from django.conf import settings as django_settings
    from django.utils import timezone, translation

    translation.activate(django_settings.LANGUAGE_CODE)
    timezone.deactivate()
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible HTTP server on a free loopback port (moto's server mode), for the
    tests of uploads in an object store: the storage code talks to it over HTTP as it would to
    the production store. Its address is yielded."""
    import logging
    import socket

    from moto.server import ThreadedMotoServer

    # The server logs every request it answers; the tests read what it holds instead.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class S3Bucket:
    """The test's bucket on the moto server, and what it holds."""

    def __init__(self, client, name: str) -> None:
        self.client, self.name = client, name

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.name, Key=key)


@pytest.fixture
def s3_bucket(s3_server, settings):
    """Uploads go, for this test, to a bucket of its own on the moto server, through the
    settings production uses (twinning/settings/storage.py)."""
    import uuid

    import boto3

    from twinning.settings.storage import s3_options

    name = f"twinning-test-{uuid.uuid4().hex[:16]}"
    credentials = {"access_key": "testing", "secret_key": "testing"}  # noqa: S106 - moto's, on loopback
    options = s3_options(
        bucket_name=name, endpoint_url=s3_server, region_name="us-east-1", addressing_style="path",
        location="", **credentials,
    )
    client = boto3.client(
        "s3", endpoint_url=s3_server, region_name="us-east-1",
        aws_access_key_id=credentials["access_key"], aws_secret_access_key=credentials["secret_key"],
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}
    return S3Bucket(client, name)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test counts afresh: figures a page keeps in the cache (the society dashboard's)
    never carry over from one test's data to another's."""
    from django.core.cache import cache

    cache.clear()


# Migrations that load reference data, and the function of each that does it (idempotent,
# `(apps, schema_editor)`): the beat schedule counts, since a transactional test empties it too.
REFERENCE_DATA_MIGRATIONS = [
    ("sections.migrations.0003_reference_data", "load"),
    ("sections.migrations.0007_finder_weights", "load"),
    ("evaluation.migrations.0002_default_questionnaire", "load"),
    ("evaluation.migrations.0008_challenges_and_search", "load"),
    ("recognition.migrations.0002_default_rules", "load"),
    ("twinning.migrations.0003_mail_sweep", "create"),
    ("twinning.migrations.0005_form_submission", "create"),
    ("evaluation.migrations.0004_periodic_tasks", "create"),
    ("recognition.migrations.0003_pts_reconcile_beat", "create"),
    ("web.migrations.0002_society_admins_group", "create"),
    ("partnerships.migrations.0009_growth", "load_default_kinds"),
    ("partnerships.migrations.0010_form_intents", "describe"),
]


def _load_reference_data() -> None:
    import importlib

    from django.apps import apps

    for migration, function in REFERENCE_DATA_MIGRATIONS:
        getattr(importlib.import_module(migration), function)(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused test database may have been left empty by the last transactional test of
    an earlier run: load the reference data once at the start of every run."""
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests empty every table when they end, reference data too (the forms
    of twinning, languages, starter interests that a migration loads). Load it again for
    each of them, the way the migration does, so test order cannot matter."""
    marker = request.node.get_closest_marker("django_db")
    if not marker or not (marker.kwargs.get("transaction") or "live_server" in request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    _load_reference_data()
