"""Foundation benchmarks, each a ratio against a baseline measured in the same run.

Run with ``make bench`` (or ``.venv/bin/python bench/run.py``). It migrates a fresh SQLite
database in a temporary directory (or uses ``DATABASE_URL``), loads the reference data and
prints one line per measurement; docs/benchmarks.md records the numbers.

- calendar: ``add_workdays(d, 20)`` (the statutory 20-working-day limit, calendar data from the
  database, cached per process) against counting 20 weekdays in plain Python.
- audit: ``audit_record`` (hash-chained append) against a plain insert of one row.
- resolver: ``org_resolve`` of a historical short name against a lookup by primary key.
"""

import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def per_call(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm up
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def report(name: str, measured: float, baseline: float, baseline_name: str) -> None:
    print(
        f"{name:<42} {measured * 1e6:9.1f} µs/call   "
        f"baseline {baseline_name} {baseline * 1e6:8.1f} µs   ratio {measured / baseline:6.1f}×"
    )


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.development")
    os.environ.setdefault("GONGKAI_VAR_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    import django

    django.setup()
    from django.contrib.sessions.models import Session
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from gongkai.core.audit import audit_record
    from gongkai.core.calendar import add_workdays
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.selectors import org_resolve
    from gongkai.orgs.services import org_load_reference_data

    call_command("migrate", verbosity=0)
    org_load_reference_data()
    print(f"database: {connection.vendor}; python {sys.version.split()[0]}")

    start = date(2025, 9, 26)

    def weekdays_only() -> date:
        day, left = start, 20
        while left:
            day += timedelta(days=1)
            left -= day.weekday() < 5
        return day

    report(
        "calendar add_workdays(d, 20)",
        per_call(lambda: add_workdays(start, 20), 2000),
        per_call(weekdays_only, 2000),
        "20 weekdays",
    )

    org = Organisation.objects.get(code="110000-FGW")
    counter = iter(range(10**9))

    def plain_insert() -> None:
        with transaction.atomic():
            Session.objects.create(
                session_key=f"bench{next(counter)}", session_data="x", expire_date=timezone.now()
            )

    def audited() -> None:
        with transaction.atomic():
            audit_record(actor=None, action="bench.append", target=org, summary="基准测试")

    report(
        "audit_record (hash-chained append)",
        per_call(audited, 300),
        per_call(plain_insert, 300),
        "plain insert",
    )

    report(
        "org_resolve('市卫生计生委')",
        per_call(lambda: org_resolve("市卫生计生委"), 500),
        per_call(lambda: Organisation.objects.get(pk=org.pk), 500),
        "get by pk",
    )


if __name__ == "__main__":
    main()
