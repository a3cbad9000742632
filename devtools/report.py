"""The tables `bench_pages` prints, in Markdown so that the README can carry them as they are."""

from __future__ import annotations

import datetime
import os
from collections import defaultdict

# The goals of issue 15: every page within 5× /healthz's p95 at scale, none slower at scale than
# 1.5× its time at demo size, and the load mix at scale at least 80% of its demo-size rate.
HEALTHZ_GOAL = 5.0
GROWTH_GOAL = 1.5
THROUGHPUT_GOAL = 0.8


def _ratio(value: float, base: float) -> float:
    return value / base if base else float("inf")


def _key(row) -> tuple[str, str]:
    return row.role, row.name


def failures(run) -> list[str]:
    """The pages over the /healthz goal, or answering a server error, at this run's size."""
    return [
        f"{row.name} ({row.role})" for row in run.rows
        if row.status >= 500 or (row.timings and _ratio(row.p95, run.healthz_p95) > HEALTHZ_GOAL)
    ]


def _page_table(run) -> list[str]:
    lines = [
        f"### Every page at {run.label} size ({run.sections} sections, {run.partnerships} partnerships)",
        "",
        f"/healthz p95 over {len(run.healthz)} requests interleaved with the pages: {run.healthz_p95:.1f} ms.",
        "",
        "| role | page | path | status | queries | p50 ms | p95 ms | p95 ÷ healthz | over goal |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in run.rows:
        ratio = _ratio(row.p95, run.healthz_p95)
        flags = []
        if row.status >= 500:
            flags.append("SERVER ERROR")
        if ratio > HEALTHZ_GOAL:
            flags.append(f"> {HEALTHZ_GOAL:g}× healthz")
        queries = "" if row.queries is None else str(row.queries)
        lines.append(
            f"| {row.role} | {row.name} | `{row.path}` | {row.status} | {queries} | {row.p50:.1f} | {row.p95:.1f} "
            f"| {ratio:.1f} | {', '.join(flags)} |"
        )
    return lines


def _growth_table(demo, scale) -> list[str]:
    before = {_key(row): row for row in demo.rows}
    lines = [
        f"### Growth with data: demo size ({demo.sections} sections, {demo.partnerships} partnerships) "
        f"against scale ({scale.sections} sections, {scale.partnerships} partnerships)",
        "",
        f"/healthz p95: demo {demo.healthz_p95:.1f} ms, scale {scale.healthz_p95:.1f} ms.",
        "",
        "| role | page | queries demo → scale | demo p95 ms | scale p95 ms | scale ÷ demo | scale p95 ÷ healthz "
        "| over goal |",
        "|---|---|---|---:|---:|---:|---:|---|",
    ]
    for row in scale.rows:
        small = before.get(_key(row))
        if small is None or not small.timings:
            continue
        growth, ratio = _ratio(row.p95, small.p95), _ratio(row.p95, scale.healthz_p95)
        flags = []
        if row.status >= 500 or small.status >= 500:
            flags.append("SERVER ERROR")
        if ratio > HEALTHZ_GOAL:
            flags.append(f"> {HEALTHZ_GOAL:g}× healthz")
        if growth > GROWTH_GOAL:
            flags.append(f"> {GROWTH_GOAL:g}× demo")
        lines.append(
            f"| {row.role} | {row.name} | {small.queries} → {row.queries} | {small.p95:.1f} | {row.p95:.1f} "
            f"| {growth:.2f} | {ratio:.1f} | {', '.join(flags)} |"
        )
    return lines


def _load_table(demo, scale) -> list[str]:
    lines = [
        "### Load: the signed-in mix (homes, partnership list and page, section page, finder, directory, "
        "dashboard)",
        "",
        "| concurrency | demo req/s | demo p95 ms | demo errors | scale req/s | scale p95 ms | scale errors "
        "| scale ÷ demo req/s | over goal |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for small, large in zip(demo.levels, scale.levels, strict=True):
        share = _ratio(large.rate, small.rate)
        flags = []
        if share < THROUGHPUT_GOAL:
            flags.append(f"< {THROUGHPUT_GOAL:.0%} of demo")
        if small.errors or large.errors:
            flags.append("errors")
        lines.append(
            f"| {large.concurrency} | {small.rate:.1f} | {small.p95:.1f} | {small.errors} | {large.rate:.1f} "
            f"| {large.p95:.1f} | {large.errors} | {share:.0%} | {', '.join(flags)} |"
        )
    return lines


def _memory(runs) -> list[str]:
    lines = []
    for run in runs:
        if run.worker_peaks:
            peaks = ", ".join(f"{kib / 1024:.0f} MiB" for _pid, kib in sorted(run.worker_peaks.items()))
            when = "after the load run" if run.levels else "after the page run"
            lines.append(f"- gunicorn workers' peak memory (VmHWM) at {run.label} size, {when}: {peaks}.")
        if run.seed_peak_mib is not None:
            lines.append(f"- seed_scale's peak memory at {run.label} size: {run.seed_peak_mib:.0f} MiB "
                         "(only what was missing was created).")
    return lines


def _skipped(runs) -> list[str]:
    """What was not measured, once per pattern and reason, with the roles it concerns."""
    grouped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for run in runs:
        for item in run.skipped:
            name, _space, role = item["name"].partition(" (")
            grouped[(name, item["reason"])].add(role.rstrip(")") or "all")
    lines = ["### Not measured", ""]
    for (name, reason), roles in sorted(grouped.items()):
        lines.append(f"- {name} ({', '.join(sorted(roles))}): {reason}")
    return lines


def report(demo, scale, *, requests: int, pages: str | None = None) -> str:
    today = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    users = ", ".join(f"{role} {email}" for role, email in scale.users.items())
    lines = [
        "",
        f"bench_pages, {today}, {os.cpu_count()} CPU(s): gunicorn with 2 workers on loopback, {requests} requests "
        f"per page after one untimed request (its status and queries are shown), each followed by a /healthz. "
        f"Users: {users}." + (f" Only the pages matching `{pages}`." if pages else ""),
        "",
        *_page_table(scale),
        "",
        *_growth_table(demo, scale),
    ]
    if scale.levels:
        lines += ["", *_load_table(demo, scale)]
    lines += ["", *_memory([demo, scale])]
    if not pages:
        lines += ["", *_skipped([demo, scale])]
    lines.append("")
    return "\n".join(lines)
