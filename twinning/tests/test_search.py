"""The folding every search shares: SQLite's `twinning_fold` is `unaccented`, registered on each
connection (the suite runs on PostgreSQL, whose function the migration creates)."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import pytest
from django.db import connection

from twinning.search import register_fold, unaccented


def test_unaccented_folds_case_marks_and_letters_unicode_does_not_decompose():
    assert unaccented("São Paulo, Zürich, ÅLESUND, Łódź, Tromsø, Straße") == "sao paulo, zurich, alesund, lodz, tromso, strasse"


def test_sqlite_learns_twinning_fold_when_it_connects():
    raw = sqlite3.connect(":memory:")
    register_fold(sender=None, connection=SimpleNamespace(vendor="sqlite", connection=raw))

    rows = raw.execute("SELECT twinning_fold('Bogotá'), twinning_fold(NULL), 'x' WHERE twinning_fold('ŁÓDŹ') LIKE '%lodz%'")

    assert rows.fetchall() == [("bogota", None, "x")]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL function")
def test_postgresql_folds_as_sqlite_does():
    with connection.cursor() as cursor:
        cursor.execute("SELECT twinning_fold(%s)", ["São Paulo, Zürich, ÅLESUND, Łódź, Tromsø"])
        assert cursor.fetchone()[0] == unaccented("São Paulo, Zürich, ÅLESUND, Łódź, Tromsø")
