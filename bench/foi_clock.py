"""Speed of the statutory clock of disclosure requests (``gongkai.foi.clock.compute``).

Target (issue 5): deadline computation ≥ 100,000 per second.

Generates CASES requests received over 2024–2026 (the official holiday calendar, built without
a database as the tests do), each with a realistic history drawn from its own seeded generator:
most simply running, others with a 补正 (answered or not), consultations, an extension, a fee,
a reply. Every request's state is computed as of a day after its last event, without the
day-by-day explanation (``lines=False``: what queues and nightly refreshes use), then again with
it (what a detail page shows). The baseline, measured in the same run, is the same computation
for the same receipt dates without any event (the due date alone): the ratio says what the
histories cost on top of it.

    .venv/bin/python bench/foi_clock.py
    CASES=200000 .venv/bin/python bench/foi_clock.py
"""

import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.test")

import django  # noqa: E402

django.setup()

from gongkai.core.calendar import _Snapshot  # noqa: E402
from gongkai.core.calendar_data import builtin_years  # noqa: E402
from gongkai.core.models import DayKind  # noqa: E402
from gongkai.foi.clock import ClockEvent, EventKind, Party, compute  # noqa: E402

CASES = int(os.environ.get("CASES", "100000"))
TARGET = 100_000.0  # computations per second
SEED = 20261126
YEARS = frozenset({2024, 2025, 2026})
CALENDAR = _Snapshot(
    token=None,
    published_years=YEARS,
    overrides={
        override.day: override.kind == DayKind.WORKDAY
        for year in builtin_years()
        if year.year in YEARS
        for override in year.days
    },
)


def history(rng: random.Random) -> tuple[date, list[ClockEvent], date]:
    """A receipt date, its events in order, and the day to compute the state on."""
    received = date(2024, 1, 2) + timedelta(days=rng.randrange(950))
    day = received
    events: list[ClockEvent] = []

    def later(most: int) -> date:
        nonlocal day
        day += timedelta(days=rng.randint(1, most))
        return day

    if rng.random() < 0.15:
        events.append(ClockEvent(EventKind.CORRECTION_REQUESTED, later(6), days=15))
        if rng.random() < 0.3:  # never corrected: the period lapses
            return received, events, later(40)
        events.append(ClockEvent(EventKind.CORRECTION_RECEIVED, later(12)))
    if rng.random() < 0.1:
        party = rng.choice([Party.THIRD_PARTY, Party.AGENCY])
        events.append(ClockEvent(EventKind.CONSULTATION_SENT, later(5), key="C1", party=party))
        if rng.random() < 0.7:
            events.append(ClockEvent(EventKind.CONSULTATION_ANSWERED, later(15), key="C1"))
    if rng.random() < 0.1:
        events.append(ClockEvent(EventKind.EXTENSION_GRANTED, later(10), days=rng.randint(5, 20)))
    if rng.random() < 0.03:
        events.append(ClockEvent(EventKind.FEE_NOTIFIED, later(5)))
        events.append(ClockEvent(EventKind.FEE_PAID, later(10)))
    if rng.random() < 0.7:
        events.append(ClockEvent(EventKind.REPLIED, later(10)))
    return received, events, later(10)


def rate(label: str, work: list, run) -> float:
    start = time.perf_counter()
    for case in work:
        run(case)
    seconds = time.perf_counter() - start
    per_second = len(work) / seconds
    print(f"| {label} | {len(work):,} | {seconds:.2f} | {per_second:,.0f} |")
    return per_second


def main() -> None:
    cases = [history(random.Random(SEED + i)) for i in range(CASES)]
    baseline_cases = [received for received, _events, _today in cases]
    # The first call of each builds the calendar's per-year tables: warm both up.
    compute(received_on=cases[0][0], events=cases[0][1], today=cases[0][2], calendar=CALENDAR)
    print(f"Command: `CASES={CASES} .venv/bin/python bench/foi_clock.py`\n")
    print("| computation | n | seconds | per second |")
    print("|---|---:|---:|---:|")
    base = rate(
        "baseline: a request without events (the due date alone), `lines=False`",
        baseline_cases,
        lambda received: compute(
            received_on=received, events=(), today=received, calendar=CALENDAR, lines=False
        ),
    )
    plain = rate(
        "clock state, `lines=False`",
        cases,
        lambda case: compute(
            received_on=case[0], events=case[1], today=case[2], calendar=CALENDAR, lines=False
        ),
    )
    explained = rate(
        "clock state with the day-by-day explanation",
        cases[: CASES // 10],
        lambda case: compute(received_on=case[0], events=case[1], today=case[2], calendar=CALENDAR),
    )
    print()
    print(
        f"- deadline computations: **{plain:,.0f} per second** (target ≥ {TARGET:,.0f}); "
        f"{base / plain:.1f}× the time of a request without events; with the explanation "
        f"{explained:,.0f} per second"
    )


if __name__ == "__main__":
    main()
