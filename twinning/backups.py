"""Backing up the database and restoring a backup into a fresh database, with PostgreSQL's
own tools (pg_dump, createdb, pg_restore), for `manage.py backup_database` and
`manage.py restore_database` (`make backup`, `make restore`).

Uploaded files are not in the dump: they live in MEDIA_ROOT or in the object storage
bucket, and are copied with that storage's own tools (see the README's production section).
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connections


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


def _libpq_env(config: dict) -> dict[str, str]:
    """The environment PostgreSQL's tools read a connection from: the password stays out of
    the command line, which other users of the machine can read."""
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if config.get(key):
            env[variable] = str(config[key])
    if (config.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = config["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools (Debian: postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _postgresql(config: dict, what: str) -> None:
    if "postgresql" not in config.get("ENGINE", ""):
        raise BackupError(f"{what} is not a PostgreSQL database: backups and restores need PostgreSQL.")


def default_dump_path(now: datetime.datetime | None = None) -> Path:
    now = now or datetime.datetime.now(datetime.UTC)
    return Path(settings.VAR_DIR) / "backups" / f"{now:%Y%m%dT%H%M%SZ}.dump"


def database_backup(*, output: Path | None = None) -> Path:
    """Dump the site's database in PostgreSQL's custom format to `output` (by default
    var/backups/<UTC time>.dump); return the path. The file appears only once complete."""
    config = connections["default"].settings_dict
    _postgresql(config, "The site's database (DATABASE_URL)")
    output = Path(output) if output else default_dump_path()
    # A dump holds every member's name and address: only its owner may read the folder.
    output.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = output.with_name(f"{output.name}.partial")
    _run(["pg_dump", "--format=custom", f"--file={partial}", config["NAME"]], _libpq_env(config))
    partial.replace(output)
    return output


def database_restore(*, dump: Path, target_url: str) -> str:
    """Create the database `target_url` names, which must not exist yet, restore `dump`
    into it (objects owned by the target's user) and check every migration of this code
    is applied. Returns the database's name."""
    dump = Path(dump)
    if not dump.is_file():
        raise BackupError(f"No dump at {dump}.")
    try:
        config = dj_database_url.parse(target_url)
    except ValueError as exc:
        raise BackupError(f"The target is not a usable database URL: {exc}") from None
    _postgresql(config, "The target")
    name = config["NAME"]
    if not name:
        raise BackupError("The target URL names no database: postgres://user@host:5432/<name>.")
    env = _libpq_env(config)
    # createdb refuses a database that exists: a restore never mixes into live data.
    _run(["createdb", name], env)
    try:
        _run(
            ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", f"--dbname={name}", str(dump)], env
        )
    except BackupError:
        # Half a restore is no use to anyone, and its name is wanted for the next try.
        _run(["dropdb", name], env)
        raise
    check = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "migrate", "--check", "--no-input"],
        env={**os.environ, "DATABASE_URL": target_url, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE},
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        raise BackupError(
            f"The dump is restored into {name}, but it predates migrations of this code: run "
            f"`DATABASE_URL=… python manage.py migrate` against it before serving it.\n{check.stdout}{check.stderr}"
        )
    return name
