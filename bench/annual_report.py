"""The annual report over 1,000,000 applications on PostgreSQL.

Target (the reports issue): the three tables of an organisation's annual report in < 2 s over
1,000,000 applications.

    .venv/bin/python bench/annual_report.py                        # 1,000,000 applications
    .venv/bin/python bench/annual_report.py --applications 50000   # a quick run

**Data**, generated with a fixed seed and loaded with COPY into the database
``gk_bench_reports`` (created, migrated, dropped at the end): Beijing's organisations (the
reference data); applications spread over 2018 to 26 November 2026, more each year, over the
organisations with Zipf-like weights (a few departments and districts receive most); applicant
types about 85 % 自然人; closing 1–60 days after receipt with the outcomes' usual mix (art.
36(5)/(7) and withdrawals included), those received in the last weeks still open and 0.3 %
left open for years (carried over); 1.5 % of the closed ones appealed (复议, 诉讼 with or
without 复议 first), decided or pending.

**Measured**, for 2025: ``selectors.live_figures`` of an unsaved report — the organisations of
its scope, table 二 from publishing, table 三 and table 四 — for the organisation with the most
applications, for a district government with every organisation in its jurisdiction, and for
the city government with its whole jurisdiction (every application); the first run, then the
median and the maximum of ``--runs`` more. The tables are vacuumed and analysed after the load,
as autovacuum would do soon after it.

It prints a Markdown section for ``docs/benchmarks.md``.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from typing import Any

from scratch import postgres_version, scratch_site

PG_DATABASE = "gk_bench_reports"
SEED = 20261126
YEAR = 2025
TODAY = date(2026, 11, 26)
TARGET_SECONDS = 2.0
FIRST_DAY = date(2018, 1, 1)
YEAR_WEIGHTS = {
    2018: 5,
    2019: 6,
    2020: 7,
    2021: 9,
    2022: 10,
    2023: 11,
    2024: 12,
    2025: 13,
    2026: 12,
}
APPLICANT_TYPES = {
    "natural": 85,
    "commercial": 7,
    "research": 1,
    "social_welfare": 1,
    "legal_services": 3,
    "other": 3,
}
OUTCOMES = {
    "granted": 40,
    "partial": 10,
    **{f"d{i}": 1 for i in range(1, 9)},
    "u1": 15,
    "u2": 3,
    "u3": 2,
    **{f"n{i}": 1 for i in range(1, 6)},
    "o1": 4,
    "o2": 0.5,
    "o3": 2,
    "not_this_agency": 6,
    "special_rules": 1,
    "withdrawn": 3.5,
}
APPEAL_KINDS = {"reconsideration": 70, "litigation_direct": 20, "litigation_after": 10}
APPEAL_RESULTS = {"upheld": 70, "corrected": 15, "other": 15}
APPEAL_SHARE = 0.015
LONG_OPEN_SHARE = 0.003
CHUNK = 20_000


def say(text: str) -> None:
    """Progress, on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def chooser(rng: random.Random, weights: dict[Any, float]) -> Any:
    """A function drawing a key of ``weights`` (fast: cumulative weights drawn in bulk)."""
    keys = list(weights)
    cumulative = []
    total = 0.0
    for key in keys:
        total += weights[key]
        cumulative.append(total)
    return lambda: rng.choices(keys, cum_weights=cumulative)[0]


def application_rows(count: int, org_ids: list[int]) -> tuple[list[str], list[tuple]]:
    """The applications as COPY text lines (in id order) and the appeals as tuples of
    (application index, kind, filed_on, result, decided_on)."""
    rng = random.Random(SEED)
    weights = {org: 1 / (rank + 1) ** 0.9 for rank, org in enumerate(org_ids)}
    pick_org = chooser(rng, weights)
    pick_year = chooser(rng, YEAR_WEIGHTS)
    pick_type = chooser(rng, APPLICANT_TYPES)
    pick_outcome = chooser(rng, OUTCOMES)
    pick_kind = chooser(rng, APPEAL_KINDS)
    pick_result = chooser(rng, APPEAL_RESULTS)
    lines: list[str] = []
    appeals: list[tuple] = []
    for index in range(count):
        year = pick_year()
        start = date(year, 1, 1)
        last = min(date(year, 12, 31), TODAY)
        received = start + timedelta(days=rng.randrange((last - start).days + 1))
        closed = received + timedelta(days=rng.randrange(1, 61))
        long_open = rng.random() < LONG_OPEN_SHARE
        if closed > TODAY or long_open:
            closed_text, outcome, status = "\\N", "", "running"
        else:
            closed_text, outcome, status = closed.isoformat(), pick_outcome(), "replied"
            if rng.random() < APPEAL_SHARE:
                filed = closed + timedelta(days=rng.randrange(10, 61))
                decided = filed + timedelta(days=rng.randrange(30, 200))
                if filed <= TODAY:
                    done = decided <= TODAY
                    appeals.append(
                        (
                            index,
                            pick_kind(),
                            filed,
                            pick_result() if done else "pending",
                            decided if done else None,
                        )
                    )
        lines.append(
            "\t".join(
                (
                    f"YSQ{year}{index + 1:08d}",
                    str(pick_org()),
                    pick_type(),
                    received.isoformat(),
                    received.isoformat(),
                    closed_text,
                    outcome,
                    status,
                )
            )
        )
    return lines, appeals


def load(count: int) -> dict[str, int]:
    """Generate and COPY the applications and appeals; returns counts."""
    from django.db import connection

    from gongkai.foi.models import Application
    from gongkai.orgs.models import Organisation

    org_ids = list(Organisation.objects.order_by("code").values_list("pk", flat=True))
    random.Random(SEED).shuffle(org_ids)  # the first ones receive the most
    say(f"generating {count:,} applications over {len(org_ids)} organisations")
    lines, appeals = application_rows(count, org_ids)
    generated = [
        "receipt_no",
        "organisation_id",
        "applicant_type",
        "submitted_on",
        "received_on",
        "closed_on",
        "outcome",
        "status",
    ]
    # Every other column: its default, or a constant of the right kind.
    constants: dict[str, str] = {}
    for field in Application._meta.concrete_fields:
        if field.primary_key or field.column in generated:
            continue
        if field.null:
            constants[field.column] = "\\N"
        elif field.get_internal_type() == "BooleanField":
            constants[field.column] = "f"
        elif field.get_internal_type() == "DateTimeField":
            constants[field.column] = "2026-01-01 00:00:00+08"
        elif field.has_default():
            constants[field.column] = str(field.get_default())
        else:
            constants[field.column] = {
                "query_code_hash": "-",
                "name": "张三",
                "id_type": "id_card",
                "id_number": "110101199003071233",
                "phone": "13800138000",
                "information": "某项目的批复文件",
                "form": "electronic",
                "delivery": "online",
                "channel": "online",
            }.get(field.column, "")
    columns = generated + list(constants)
    tail = "\t" + "\t".join(constants.values()) + "\n"
    say(f"COPY {len(lines):,} applications")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY foi_application ({', '.join(columns)}) FROM STDIN") as copy:
            for start in range(0, len(lines), CHUNK):
                copy.write("".join(line + tail for line in lines[start : start + CHUNK]))
        cursor.execute("SELECT min(id) FROM foi_application")
        first_id = cursor.fetchone()[0]
        say(f"COPY {len(appeals):,} appeals")
        with cursor.cursor.copy(
            "COPY foi_appeal (application_id, kind, case_no, body, filed_on, result, "
            "decided_on, note) FROM STDIN"
        ) as copy:
            for index, kind, filed, result, decided in appeals:
                copy.write_row((first_id + index, kind, "", "", filed, result, decided, ""))
    say("VACUUM ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE foi_application")
        cursor.execute("VACUUM ANALYZE foi_appeal")
    return {"applications": len(lines), "appeals": len(appeals)}


def measure(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    from gongkai.foi.models import Application
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.services import org_load_reference_data
    from gongkai.reports.models import AnnualReport, Scope
    from gongkai.reports.selectors import live_figures, scope_ids

    call_command("migrate", verbosity=0)
    org_load_reference_data()
    server = postgres_version()
    started = time.perf_counter()
    loaded = load(args.applications)
    load_seconds = time.perf_counter() - started

    largest_id = (
        Application.objects.values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organisation_id", flat=True)
        .first()
    )
    largest = Organisation.objects.get(pk=largest_id)
    # The district government with the most organisations in its jurisdiction.
    district = max(
        Organisation.objects.filter(level="district", kind="government"),
        key=lambda org: (len(scope_ids(org, Scope.JURISDICTION)), org.code),
    )
    city = Organisation.objects.get(code="110000")
    cases = [
        ("the organisation with most applications", largest, Scope.ORGANISATION),
        ("a district government with its jurisdiction", district, Scope.JURISDICTION),
        ("the city government with its jurisdiction", city, Scope.JURISDICTION),
    ]
    rows = []
    for label, organisation, scope in cases:
        report = AnnualReport(organisation=organisation, year=YEAR, scope=scope)
        ids = scope_ids(organisation, scope)
        total = Application.objects.filter(organisation_id__in=ids).count()
        timings = []
        for _ in range(args.runs + 1):
            start = time.perf_counter()
            figures = live_figures(report)
            timings.append(time.perf_counter() - start)
        failures = figures.table3_failures() + figures.table4_failures()
        first, rest = timings[0], timings[1:]
        rows.append(
            (
                f"{label}: {organisation.name}",
                len(ids),
                total,
                figures.table3["new"][-1],
                first,
                statistics.median(rest),
                max(rest),
                len(failures),
            )
        )
        say(f"{label}: median {statistics.median(rest):.3f} s")
    worst = max(row[6] for row in rows)
    command = " ".join([".venv/bin/python bench/annual_report.py", *sys.argv[1:]])
    print(f"### PostgreSQL — {server}, {loaded['applications']:,} applications\n")
    print(f"Command: `{command}`\n")
    print(
        f"- data: {loaded['applications']:,} applications and {loaded['appeals']:,} appeals "
        f"over {Organisation.objects.count()} organisations, loaded with COPY in "
        f"{load_seconds:.0f} s (generation included)"
    )
    print(
        f"- the three tables of {YEAR}: **max {worst:.2f} s** over every case and run "
        f"(target < {TARGET_SECONDS:.0f} s: {'met' if worst < TARGET_SECONDS else 'NOT met'})"
        f"; {os.cpu_count()} cores\n"
    )
    print(
        "| report | organisations | applications (all years) | new in 2025 | first run s "
        f"| median of {args.runs} s | max s | failed checks |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, orgs, total, new, first, median, most, failed in rows:
        print(
            f"| {label} | {orgs} | {total:,} | {new:,} | {first:.3f} | {median:.3f} "
            f"| {most:.3f} | {failed} |"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with scratch_site("reports", postgres=PG_DATABASE):
        measure(args)


if __name__ == "__main__":
    main()
