"""Holiday data outside the tables: the file format, the built-in data, and seeding it.

File format (YAML; JSON with the same structure when the file name ends in ``.json``)::

    2027:                                   # the year
      notice: 国办发明电〔2026〕N号           # optional: the State Council notice
      holidays:                             # weekday days off (法定节假日)
        元旦: [2027-01-01]                   #   either "name: [dates]" ...
      workdays: [2027-02-06, 2027-02-20]    #   ... or a plain list of dates (调休上班日)

Dates are ``YYYY-MM-DD``. Every date lies in its year and appears once in the year (not both
as a holiday and as a workday). Weekend days off need not be listed. The machine-readable
block of the State Council notices in the project's research notes is valid input.
``data/example-import.yaml`` is a commented example; ``data/holidays.yaml`` is the built-in data.
"""

import json
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import chinese_calendar
import yaml
from django.db import models

from .errors import CalendarError, CalendarErrorCode
from .models import CalendarDay, CalendarYear, DayKind, YearSource

BUILTIN_FILE = Path(__file__).parent / "data" / "holidays.yaml"
PACKAGE_YEARS = range(2004, 2024)
"""Years seeded from the chinesecalendar package; later years come from ``BUILTIN_FILE``."""

YEAR_RANGE = range(1900, 2101)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEYS = ("notice", "holidays", "workdays")
_LIST_KEYS = {DayKind.HOLIDAY: "holidays", DayKind.WORKDAY: "workdays"}
_NAME_MAX = CalendarDay._meta.get_field("name").max_length or 0
_NOTICE_MAX = CalendarYear._meta.get_field("notice").max_length or 0

_PACKAGE_NAMES = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
    chinese_calendar.Holiday.anti_fascist_70th_day.value: (
        "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日"
    ),
}


@dataclass(frozen=True, order=True)
class DayOverride:
    day: date
    kind: DayKind
    name: str = ""


@dataclass(frozen=True)
class YearData:
    year: int
    notice: str
    source: YearSource
    days: tuple[DayOverride, ...]


def parse_date(value: object) -> date:
    """A date from a ``YYYY-MM-DD`` string; ``CalendarError`` otherwise."""
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CalendarError(CalendarErrorCode.BAD_DATE, value=value)


def check_year_days(year: int, days: Iterable[DayOverride]) -> None:
    """Every day lies in ``year``, appears once, and has a name that fits the table."""
    seen: set[date] = set()
    for override in days:
        if override.day.year != year:
            raise CalendarError(CalendarErrorCode.DAY_OUTSIDE_YEAR, date=override.day, year=year)
        if override.day in seen:
            raise CalendarError(CalendarErrorCode.DAY_REPEATED, date=override.day)
        if len(override.name) > _NAME_MAX:
            raise CalendarError(CalendarErrorCode.BAD_TEXT, year=year, key="name", limit=_NAME_MAX)
        seen.add(override.day)


def parse_years(document: object, *, source: YearSource) -> list[YearData]:
    """The years of a loaded YAML/JSON document in the format described above."""
    if not isinstance(document, Mapping) or not document:
        raise CalendarError(CalendarErrorCode.BAD_DOCUMENT)
    return [_parse_year(key, block, source) for key, block in document.items()]


def read_years_file(path: Path) -> list[YearData]:
    """Read and parse a file in the import format; every problem is a ``CalendarError``."""
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        raise CalendarError(CalendarErrorCode.FILE_MISSING, path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CalendarError(CalendarErrorCode.FILE_UNREADABLE, path=path, problem=exc) from exc
    try:
        is_json = path.suffix.lower() == ".json"
        document = json.loads(text, object_pairs_hook=_unique_keys) if is_json else _load_yaml(text)
    except json.JSONDecodeError as exc:
        raise _malformed(path, exc.lineno, exc.colno, exc.msg) from exc
    except _DuplicateKey as exc:
        raise _malformed(path, "?", "?", exc) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else ("?", "?")
        raise _malformed(path, line, column, getattr(exc, "problem", None) or exc) from exc
    return parse_years(document, source=YearSource.NOTICE)


@cache
def builtin_years() -> tuple[YearData, ...]:
    """The built-in years: 2004–2023 from chinesecalendar, then ``BUILTIN_FILE``."""
    from_file = parse_years(_load_yaml(BUILTIN_FILE.read_text("utf-8")), source=YearSource.NOTICE)
    return (*_package_years(), *from_file)


def seed_missing_years(
    *, day_model: type[models.Model], year_model: type[models.Model]
) -> tuple[int, list[int]]:
    """Store each built-in year that has no year row yet; existing day rows are kept.

    Takes the model classes so that a data migration can pass its historical models.
    Returns (number of day rows created, years seeded).
    """
    existing = set(year_model._default_manager.values_list("year", flat=True))
    created, seeded = 0, []
    for data in builtin_years():
        if data.year in existing:
            continue
        year_model._default_manager.create(
            year=data.year, notice=data.notice, source=data.source, is_published=True
        )
        taken = set(
            day_model._default_manager.filter(date__year=data.year).values_list("date", flat=True)
        )
        rows = [
            day_model(date=d.day, kind=d.kind, name=d.name, notice=data.notice)
            for d in data.days
            if d.day not in taken
        ]
        day_model._default_manager.bulk_create(rows)
        created += len(rows)
        seeded.append(data.year)
    return created, seeded


def _parse_year(key: object, block: object, source: YearSource) -> YearData:
    year = _parse_year_number(key)
    if not isinstance(block, Mapping):
        raise CalendarError(CalendarErrorCode.BAD_YEAR_BLOCK, year=year)
    unknown = [str(k) for k in block if k not in _KEYS]
    if unknown:
        raise CalendarError(CalendarErrorCode.UNKNOWN_KEYS, year=year, keys="、".join(unknown))
    notice = block.get("notice") or ""
    if not isinstance(notice, str) or len(notice.strip()) > _NOTICE_MAX:
        raise CalendarError(CalendarErrorCode.BAD_TEXT, year=year, key="notice", limit=_NOTICE_MAX)
    days = [
        DayOverride(day=parse_date(value), kind=kind, name=name)
        for kind, list_key in _LIST_KEYS.items()
        for name, value in _entries(year, list_key, block.get(list_key) or [])
    ]
    check_year_days(year, days)
    return YearData(year=year, notice=notice.strip(), source=source, days=tuple(sorted(days)))


def _parse_year_number(key: object) -> int:
    if isinstance(key, str) and key.strip().isdigit():
        key = int(key)
    if isinstance(key, bool) or not isinstance(key, int) or key not in YEAR_RANGE:
        raise CalendarError(CalendarErrorCode.BAD_YEAR, value=key)
    return key


def _entries(year: int, key: str, value: object) -> Iterator[tuple[str, object]]:
    """(name, date value) pairs of a plain list of dates or of a ``name: [dates]`` mapping."""
    if isinstance(value, list):
        yield from (("", item) for item in value)
    elif isinstance(value, Mapping) and all(
        isinstance(name, str) and isinstance(items, list) for name, items in value.items()
    ):
        for name, items in value.items():
            yield from ((name.strip(), item) for item in items)
    else:
        raise CalendarError(CalendarErrorCode.BAD_DAY_LIST, year=year, key=key)


def _package_years() -> list[YearData]:
    by_year: defaultdict[int, list[DayOverride]] = defaultdict(list)
    for kind, package_days, on_weekend in (
        (DayKind.HOLIDAY, chinese_calendar.holidays, False),
        (DayKind.WORKDAY, chinese_calendar.workdays, True),
    ):
        for day, name in package_days.items():
            if day.year in PACKAGE_YEARS and (day.weekday() >= 5) == on_weekend:
                by_year[day.year].append(DayOverride(day, kind, _PACKAGE_NAMES[name]))
    return [
        YearData(year=year, notice="", source=YearSource.PACKAGE, days=tuple(sorted(days)))
        for year, days in sorted(by_year.items())
    ]


def _malformed(path: Path, line: object, column: object, problem: object) -> CalendarError:
    return CalendarError(
        CalendarErrorCode.FILE_MALFORMED, path=path, line=line, column=column, problem=problem
    )


class _DuplicateKey(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, refusing repeated keys (``json`` would keep the last one)."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(f"duplicate key {key!r}")
        result[key] = value
    return result


def _load_yaml(text: str) -> object:
    return yaml.load(text, Loader=_StrictLoader)


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses repeated keys instead of silently keeping the last one, and
    leaves dates as text for ``parse_date`` (PyYAML would raise on 2027-13-01)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the base class reports it
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _timestamp_as_text(loader: _StrictLoader, node: yaml.Node) -> str:
    return str(node.value)


_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
