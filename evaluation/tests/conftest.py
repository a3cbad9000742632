"""The evaluation tests run on the partnerships tests' world: two sections, their
officers and coordinators."""

from partnerships.tests.conftest import world  # noqa: F401 - the fixture, shared
