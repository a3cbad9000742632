"""`python manage.py bench_pages`: every GET page of the site, served by gunicorn over the data of
`seed_scale`, timed against `/healthz`, at society scale and at demo size side by side.

For each of two databases (the demo-size one first, then the one at scale) it:
1. creates the database when it is missing (PostgreSQL: CREATE DATABASE; then `migrate`);
2. runs `seed_scale` at that size (it creates only what is missing, so a second run reuses the
   data) and reads the peak memory it prints;
3. picks the officer, the coordinator and the society admin and signs them in, and lists the
   pages from the URLconf with real ids (devtools/pages.py), in a child process with gunicorn's
   settings;
4. serves the site with gunicorn, 2 workers on a loopback port (devtools/load.py), asks each page
   once (its status and query count), then `--requests` times, each followed by a /healthz;
5. with `--load`, runs the load mix at concurrency 1, 4 and 16, and reads each worker's peak memory.

The demo-size database is a small `seed_scale` (50 sections, 100 partnerships by default) rather
than `seed_demo`: the same kind of records and the same rule for the users, so each row is the
same page about the same kind of section or partnership, and only the amount of data differs.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools import load as bench
from devtools import pages
from devtools import report as tables

LEVELS = (1, 4, 16)
PEAK_MEMORY = re.compile(r"Peak memory: ([\d.]+) MiB")


@dataclass
class Run:
    """What one database gave."""

    label: str
    url: str
    sections: int
    partnerships: int
    seed_peak_mib: float | None = None
    users: dict[str, str] = field(default_factory=dict)
    rows: list[bench.Row] = field(default_factory=list)
    healthz: list[float] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    levels: list[bench.Level] = field(default_factory=list)
    worker_peaks: dict[int, int] = field(default_factory=dict)

    @property
    def healthz_p95(self) -> float:
        return bench.percentile(self.healthz, 0.95) if self.healthz else 0.0


def database_url(database: dict) -> str:
    """The URL of a Django database's settings, for a child process."""
    if database["ENGINE"].endswith("sqlite3"):
        if str(database["NAME"]) in ("", ":memory:") or "mode=memory" in str(database["NAME"]):
            raise CommandError("bench_pages needs a database that gunicorn can open too, not SQLite in memory.")
        return f"sqlite:///{database['NAME']}"
    credentials = quote(database.get("USER") or "", safe="")
    if database.get("PASSWORD"):
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = f"{credentials}@" if credentials else ""
    return f"postgres://{host}{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}/{database['NAME']}"


def demo_url(url: str) -> str:
    """The same database server, the database's name with "_demo" appended."""
    head, _slash, name = url.rpartition("/")
    if url.startswith("sqlite:"):
        path = Path(url.removeprefix("sqlite://"))
        return f"sqlite://{path.with_name(path.stem + '_demo' + path.suffix)}"
    return f"{head}/{name}_demo"


def ensure_database(url: str) -> bool:
    """Create the database when it is missing; True when it was."""
    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        return not Path(config["NAME"]).exists()
    import psycopg2
    from psycopg2 import sql

    server = psycopg2.connect(
        dbname="postgres", user=config.get("USER") or None, password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None, port=config.get("PORT") or None,
    )
    try:
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        server.close()


class Command(BaseCommand):
    help = (
        "Time every GET page of the site (from the URLconf, with real ids) as an officer, a coordinator "
        "and a society admin, served by gunicorn (2 workers) over seed_scale data: p50, p95, p95 ÷ /healthz "
        "p95 (measured interleaved), queries and status, at scale and at demo size side by side; "
        "--load adds a throughput run at concurrency 1, 4 and 16 and the workers' peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sections", type=int, default=5000, help="Sections at scale (default 5000).")
        parser.add_argument("--partnerships", type=int, default=20000, help="Partnerships at scale (default 20000).")
        parser.add_argument("--years", type=int, default=3, help="seed_scale's --years (default 3).")
        parser.add_argument("--demo-sections", type=int, default=50, help="Sections at demo size (default 50).")
        parser.add_argument("--demo-partnerships", type=int, default=100,
                            help="Partnerships at demo size (default 100).")
        parser.add_argument("--requests", type=int, default=30, help="Timed requests per page (default 30).")
        parser.add_argument("--database-url", help="The database at scale (default: this process's database).")
        parser.add_argument("--demo-database-url",
                            help="The database at demo size (default: the scale database's name + _demo). It may "
                                 "be the scale database itself when that starts smaller than the demo size: the "
                                 "demo size is seeded and measured first.")
        parser.add_argument("--migrate", action="store_true",
                            help="Apply the migrations to both databases first (a missing one is always migrated).")
        parser.add_argument("--pages", metavar="REGEX",
                            help="Only the pages whose \"role page\" matches (e.g. 'partnerships:list|home').")
        parser.add_argument("--load", action="store_true", help="Add the load run at concurrency 1, 4 and 16.")
        parser.add_argument("--load-seconds", type=float, default=30, help="Seconds per load level (default 30).")
        parser.add_argument("--port", type=int, default=0, help="gunicorn's loopback port (default: any free one).")
        parser.add_argument("--check", action="store_true",
                            help=f"Exit non-zero when a page answers 500 or its p95 is over {tables.HEALTHZ_GOAL:g}× "
                                 "/healthz's at scale.")
        # Internal: the child process that lists the pages over one database writes them here.
        parser.add_argument("--prepare", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["prepare"]:
            Path(options["prepare"]).write_text(json.dumps(pages.prepare()))
            return
        if options["requests"] < 1:
            raise CommandError("--requests must be at least 1.")
        scale_url = options["database_url"] or database_url(connection.settings_dict)
        runs = [
            Run("demo", options["demo_database_url"] or demo_url(scale_url), options["demo_sections"],
                options["demo_partnerships"]),
            Run("scale", scale_url, options["sections"], options["partnerships"]),
        ]
        if runs[0].url == runs[1].url and (runs[0].sections > runs[1].sections
                                           or runs[0].partnerships > runs[1].partnerships):
            raise CommandError("One database for both sizes: the demo size must not be larger than the scale.")
        self.secret_key = secrets.token_hex(32)
        self.options = options
        with tempfile.TemporaryDirectory(prefix="bench-pages-") as scratch:
            for run in runs:
                self._run(run, Path(scratch))
        self.stdout.write(tables.report(*runs, requests=options["requests"], pages=options["pages"]))
        if options["check"] and (failures := tables.failures(runs[1])):
            raise CommandError(f"Over {tables.HEALTHZ_GOAL:g}× /healthz's p95, or answering 500: {', '.join(failures)}.")

    def _child(self, url: str, *arguments: str) -> str:
        """A management command run over `url`, with gunicorn's settings and secret key."""
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": bench.SETTINGS, "DATABASE_URL": url,
               "SECRET_KEY": self.secret_key, "LOG_LEVEL": "WARNING"}
        done = subprocess.run(
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False,
        )
        if done.returncode:
            raise CommandError(f"manage.py {' '.join(arguments)} failed over {url}:\n{done.stderr[-3000:]}")
        return done.stdout

    def _say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def _run(self, run: Run, scratch: Path) -> None:
        options = self.options
        if ensure_database(run.url) or options["migrate"]:
            self._say(f"[{run.label}] migrate …")
            self._child(run.url, "migrate", "--noinput")
        self._say(f"[{run.label}] seed_scale --sections {run.sections} --partnerships {run.partnerships} …")
        seeded = self._child(run.url, "seed_scale", "--sections", str(run.sections), "--partnerships",
                             str(run.partnerships), "--years", str(options["years"]), "--allow-production")
        if match := PEAK_MEMORY.search(seeded):
            run.seed_peak_mib = float(match[1])
        listing = scratch / f"{run.label}.json"
        self._child(run.url, "bench_pages", "--prepare", str(listing))
        data = json.loads(listing.read_text())
        run.users, run.skipped, cookies = data["users"], data["skipped"], data["cookies"]
        if options["pages"]:
            wanted = re.compile(options["pages"])
            data["targets"] = [one for one in data["targets"] if wanted.search(f"{one['role']} {one['name']}")]
            run.skipped = []
        self._say(f"[{run.label}] {len(data['targets'])} pages × {options['requests']} requests on gunicorn …")
        try:
            with bench.Server(run.url, scratch / f"gunicorn-{run.label}.log", options["port"], self.secret_key) as server:
                self._measure(run, server, data["targets"], cookies)
        except (OSError, RuntimeError) as exc:
            raise CommandError(f"[{run.label}] {exc}") from exc

    def _measure(self, run: Run, server: bench.Server, targets: list[dict], cookies: dict[str, str]) -> None:
        options = self.options
        for number, target in enumerate(targets, start=1):
            row = bench.measure(server.port, target, cookies[target["role"]], options["requests"], run.healthz)
            if options["verbosity"] > 1 and row.timings:
                self._say(f"[{run.label}] {number}/{len(targets)} {row.role} {row.name}: {row.status}, "
                          f"p95 {row.p95:.1f} ms")
            if row.status == 405:
                run.skipped.append({"route": row.path, "name": f"{row.name} ({row.role})",
                                    "reason": "POST only (GET answers 405)"})
            else:
                run.rows.append(row)
        if options["load"]:
            mix = [
                (row.path, cookies[row.role]) for role, name in bench.MIX for row in run.rows
                if (row.role, row.name) == (role, name) and row.status == 200
            ]
            for concurrency in LEVELS:
                self._say(f"[{run.label}] load at concurrency {concurrency} for {options['load_seconds']:g} s …")
                run.levels.append(bench.load(server.port, mix, concurrency, options["load_seconds"]))
        run.worker_peaks = server.peak_memory()
