"""A backup of the demo society, restored with `make restore` into a fresh database, holds
every row the site's database holds."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a backup is a PostgreSQL dump"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed (postgresql-client)"),
]


def row_counts(cursor) -> dict[str, int]:
    """Rows in every table of every model, many-to-many tables included."""
    tables = sorted({
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    })
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
        [counts[table]] = cursor.fetchone()
    return counts


def url_of(config: dict, name: str) -> str:
    credentials = quote(config["USER"] or "", safe="")
    if config["PASSWORD"]:
        credentials += f":{quote(config['PASSWORD'], safe='')}"
    return f"postgres://{credentials}@{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}/{name}"


@pytest.fixture
def fresh_name():
    """The name of a database that does not exist yet, dropped after the test."""
    config = connection.settings_dict
    name = f"{config['NAME']}_restored"
    drop = ["dropdb", "--if-exists", f"--host={config['HOST'] or 'localhost'}", f"--port={config['PORT'] or 5432}"]
    if config["USER"]:
        drop.append(f"--username={config['USER']}")
    env = {"PGPASSWORD": config["PASSWORD"]} if config["PASSWORD"] else {}
    subprocess.run([*drop, name], check=True, env={**os.environ, **env})
    yield name
    subprocess.run([*drop, name], check=True, env={**os.environ, **env})


def test_a_dump_of_the_demo_restores_into_a_fresh_database_with_the_same_rows(tmp_path, fresh_name):
    call_command("seed_demo", allow_production=True, stdout=io.StringIO())
    with connection.cursor() as cursor:
        seeded = row_counts(cursor)
    assert seeded["partnerships_partnership"] > 0 and seeded["sections_section"] >= 12

    out = io.StringIO()
    call_command("backup_database", output=tmp_path / "demo.dump", stdout=out)
    assert f"Database dumped to {tmp_path / 'demo.dump'}" in out.getvalue()
    assert "Uploaded files are not in the dump" in out.getvalue()

    target = url_of(connection.settings_dict, fresh_name)
    restore = subprocess.run(
        ["make", "--no-print-directory", "restore", f"BIN={Path(sys.executable).parent}",
         f"DUMP={tmp_path / 'demo.dump'}", f"TARGET_DATABASE_URL={target}"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300,
        # Under `make test`, not the outer make's flags and job server.
        env={key: value for key, value in os.environ.items() if key not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
    )
    assert restore.returncode == 0, restore.stderr
    assert f"into the new database {fresh_name}; every migration is applied" in restore.stdout

    config = connection.settings_dict
    restored = psycopg2.connect(
        dbname=fresh_name, host=config["HOST"] or "localhost", port=config["PORT"] or 5432,
        user=config["USER"] or None, password=config["PASSWORD"] or None,
    )
    try:
        with restored.cursor() as cursor:
            assert row_counts(cursor) == seeded
    finally:
        restored.close()

    # A restore never lands in a database that exists.
    with pytest.raises(CommandError, match="already exists"):
        call_command("restore_database", tmp_path / "demo.dump", target=target, stdout=io.StringIO())
