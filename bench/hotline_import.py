"""Throughput of ``gongkai hotline import`` (historical 12345 orders) on SQLite and PostgreSQL.

Target (the hotline issue): 100,000 rows "in reasonable time".

    flock /tmp/gk_bench.lock .venv/bin/python bench/hotline_import.py                 # both
    flock /tmp/gk_bench.lock .venv/bin/python bench/hotline_import.py --rows 100000 --backend sqlite

**Data**: ``--rows`` closed historical orders from the demo's generator
(``gongkai.hotline.demo.history_records``: the sample requests with made-up callers, routed by
the dispatch catalogue, dispatched, accepted, replied, called back and closed; about 9 % answered
at once, about 8 % with consent to publication, so the search indexes them), written to a UTF-8
CSV file with the column names as header, in a fresh database (SQLite in a temporary
directory; PostgreSQL ``gk_bench_import``, created and dropped) with Beijing's organisations,
the calendar and the category tree loaded.

**Measured**: the command end to end (``call_command("hotline", "import", FILE)``: reading,
checking every record, the bulk inserts of orders, assignments, events and call-backs,
``rates_rebuild`` of the months touched, indexing the published messages, the audit entry);
then the same file again (every row skipped as already present). Rows per second of each. It
prints a Markdown section for ``docs/benchmarks.md``.
"""

import argparse
import csv
import io
import random
import subprocess
import sys
import time
from pathlib import Path

from scratch import scratch_site

PG_DATABASE = "gk_bench_import"
SEED = 20261126
LOADERS = ("core.calendar", "orgs", "hotline.categories")


def measure(rows: int, var_dir: Path) -> list[tuple[str, int, float]]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from gongkai.core.demo import demo_loaders
    from gongkai.hotline.demo import history_records
    from gongkai.hotline.importing import COLUMNS
    from gongkai.hotline.models import WorkOrder

    call_command("migrate", verbosity=0)
    for loader in demo_loaders():
        if loader.key in LOADERS:
            loader.load()
    path = var_dir / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(history_records(random.Random(SEED), timezone.now(), rows))
    results = []
    for label in ("import", "re-import (all skipped)"):
        start = time.perf_counter()
        call_command("hotline", "import", str(path), stdout=io.StringIO())
        results.append((label, rows, time.perf_counter() - start))
    assert WorkOrder.objects.count() == rows, WorkOrder.objects.count()
    print(f"# {connection.vendor}", file=sys.stderr)
    return results


def run_backend(backend: str, rows: int) -> None:
    """In this process: one backend's measurement, printed as table rows."""
    with scratch_site("import", postgres=PG_DATABASE if backend == "postgres" else None) as var:
        for label, count, seconds in measure(rows, var):
            print(f"| {backend} | {label} | {count:,} | {seconds:.1f} | {count / seconds:,.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    if args.backend != "both":
        run_backend(args.backend, args.rows)
        return
    print(f"## 12345 import — `bench/hotline_import.py` ({args.rows:,} rows)\n")
    print("| database | run | rows | seconds | rows/s |")
    print("|---|---|---:|---:|---:|")
    for backend in ("sqlite", "postgres"):
        command = [sys.executable, __file__, "--rows", str(args.rows), "--backend", backend]
        subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
