"""Tests of the foi app.

``CALENDAR`` is the official calendar of 2024–2026 (regulatory-facts.md §10, shipped in
``core/data/holidays.yaml``), built without a database; later years are provisional.
"""

from gongkai.core.calendar import _Snapshot
from gongkai.core.calendar_data import builtin_years
from gongkai.core.models import DayKind

PUBLISHED_YEARS = frozenset({2024, 2025, 2026})

CALENDAR = _Snapshot(
    token=None,
    published_years=PUBLISHED_YEARS,
    overrides={
        override.day: override.kind == DayKind.WORKDAY
        for year in builtin_years()
        if year.year in PUBLISHED_YEARS
        for override in year.days
    },
)
