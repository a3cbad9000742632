"""The gunicorn `bench_pages` measures, and the requests it sends to it.

The site is served by gunicorn with 2 sync workers on a loopback port, with the settings of
devtools/bench_settings.py, over the database being measured. Each request opens its own
connection (gunicorn's sync workers close it after each answer, as behind a proxy) and reads
the whole body; the query count comes back in a header (devtools/middleware.py).
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from devtools.middleware import QUERIES_HEADER

WORKERS = 2
SETTINGS = "devtools.bench_settings"
# The signed-in pages people open most, for the load run: (role, URL name) as in the table.
MIX = [
    ("officer", "home"), ("coordinator", "home"), ("staff", "home"),
    ("officer", "partnerships:list"), ("staff", "partnerships:list"),
    ("officer", "partnerships:detail"), ("officer", "sections:detail"), ("officer", "sections:partners"),
    ("officer", "sections:directory"), ("coordinator", "dashboard"),
]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


@dataclass
class Answer:
    status: int
    ms: float
    queries: int | None


def fetch(port: int, path: str, cookie: str = "") -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    headers = {"Cookie": cookie} if cookie else {}
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    ms = (time.perf_counter() - started) * 1000
    queries = response.getheader(QUERIES_HEADER)
    return Answer(response.status, ms, int(queries) if queries is not None else None)


def free_port(wanted: int = 0) -> int:
    """`wanted` if it is free on loopback (0: any free port the system gives)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", wanted))
        except OSError as exc:
            raise OSError(f"Port {wanted} on 127.0.0.1 is taken.") from exc
        return probe.getsockname()[1]


class Server:
    """gunicorn over one database, started and stopped by `with`."""

    def __init__(self, database_url: str, log: Path, port: int = 0, secret_key: str = "") -> None:
        self.database_url, self.log, self.wanted, self.secret_key = database_url, log, port, secret_key
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.cache_dir = ""

    def __enter__(self) -> Server:
        self.port = free_port(self.wanted)
        # The workers' shared cache, new for each server: nothing kept from another run or database.
        self.cache_dir = tempfile.mkdtemp(prefix="bench-cache-")
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DATABASE_URL": self.database_url,
               "SECRET_KEY": self.secret_key, "LOG_LEVEL": "WARNING", "BENCH_CACHE_DIR": self.cache_dir}
        command = [
            sys.executable, "-m", "gunicorn", "twinning.wsgi:application", "--workers", str(WORKERS),
            "--bind", f"127.0.0.1:{self.port}", "--timeout", "300", "--log-level", "warning",
        ]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # Timed once both workers run (each answers a share of the requests).
                healthy = fetch(self.port, "/healthz").status == 200
                if healthy and (len(self.workers()) == WORKERS or sys.platform != "linux"):
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer /healthz with 200; the end of its log:\n"
                           f"{self.log.read_text(errors='replace')[-3000:]}")

    def __exit__(self, *exc_info) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.cache_dir:
            shutil.rmtree(self.cache_dir, ignore_errors=True)

    def workers(self) -> list[int]:
        """The worker processes: the children of gunicorn's master."""
        assert self.process is not None
        pid = self.process.pid
        try:
            return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []  # not Linux, or a kernel without the children file: no peak memory then

    def peak_memory(self) -> dict[int, int]:
        """Each worker's peak resident memory (VmHWM) in KiB."""
        peaks = {}
        for pid in self.workers():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1])
        return peaks


@dataclass
class Row:
    role: str
    name: str
    path: str
    status: int = 0
    queries: int | None = None
    timings: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.timings)

    @property
    def p95(self) -> float:
        return percentile(self.timings, 0.95)


def measure(port: int, target: dict, cookie: str, requests: int, healthz: list[float]) -> Row:
    """A warm-up request (its status and queries are the row's), then `requests` timed ones,
    each followed by a /healthz whose time joins `healthz`. With one request (a smoke run, as in
    the tests) there is no warm-up: that request is the row's."""
    row = Row(target["role"], target["name"], target["path"])
    first = fetch(port, row.path, cookie)
    row.status, row.queries = first.status, first.queries
    if first.status == 405:
        return row
    for _request in range(requests):
        row.timings.append(first.ms if requests == 1 else fetch(port, row.path, cookie).ms)
        healthz.append(fetch(port, "/healthz").ms)
    return row


@dataclass
class Level:
    concurrency: int
    seconds: float
    timings: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rate(self) -> float:
        return len(self.timings) / self.seconds if self.seconds else 0.0

    @property
    def p95(self) -> float:
        return percentile(self.timings, 0.95) if self.timings else 0.0


def load(port: int, mix: list[tuple[str, str]], concurrency: int, seconds: float) -> Level:
    """`concurrency` threads, each asking the pages of `mix` ((path, cookie)) in turn from its own
    place in it, for `seconds`. An error is an answer other than 200, or no answer."""
    level = Level(concurrency, seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset: int) -> None:
        index = offset
        while time.monotonic() < deadline:
            path, cookie = mix[index % len(mix)]
            index += 1
            try:
                answer = fetch(port, path, cookie)
            except OSError:
                with lock:
                    level.errors += 1
                continue
            with lock:
                level.timings.append(answer.ms)
                level.errors += answer.status != 200

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(number * 3,)) for number in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    level.seconds = time.monotonic() - started
    return level
