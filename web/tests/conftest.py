"""The web layer composes every app, so its tests use the partnerships tests' world."""

from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared
