"""Writes of the core app: the working-day calendar, and the saving of any app's reference data
edited in the admin (``reference_row_save``).

Each service runs in one transaction, records an audit event and, once committed, sends
``signals.calendar_changed`` with the affected years. It also renews the calendar revision
(``calendar.renew_revision``) so that every process reloads its cached calendar.
"""

import logging
from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from django.db import models, transaction
from django.utils.translation import gettext

from .audit import Actor, audit_record, diff_fields, field_values
from .calendar import renew_revision
from .calendar_data import DayOverride, check_year_days, seed_missing_years
from .errors import CalendarError, CalendarErrorCode
from .models import CalendarDay, CalendarYear, DayKind, YearSource
from .signals import calendar_changed

logger = logging.getLogger(__name__)

Row = TypeVar("Row", bound=models.Model)

_DAY_FIELDS = ("kind", "name", "notice")
_YEAR_FIELDS = ("notice", "source", "is_published")
_KIND_KEYS = {DayKind.HOLIDAY: "holidays", DayKind.WORKDAY: "workdays"}


def calendar_day_set(
    *, actor: Actor, day: date, kind: str, name: str = "", notice: str = ""
) -> CalendarDay:
    """Create or change the override of ``day`` (a holiday or a make-up workday)."""
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = field_values(entry, _DAY_FIELDS) if entry else {}
        entry = entry or CalendarDay(date=day)
        entry.kind, entry.name, entry.notice = kind, name.strip(), notice.strip()
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor,
            action="core.calendarday.set",
            target=entry,
            summary=gettext("将 %(date)s 设为%(kind)s")
            % {"date": day, "kind": entry.get_kind_display()},
            changes=diff_fields(before, field_values(entry, _DAY_FIELDS)),
        )
        _calendar_changed({day.year})
    return entry


def calendar_day_delete(*, actor: Actor, day: date) -> None:
    """Remove the override of ``day``: it follows the weekday rule again."""
    with transaction.atomic():
        entry = CalendarDay.objects.select_for_update().filter(date=day).first()
        if entry is None:
            raise CalendarError(CalendarErrorCode.DAY_NOT_FOUND, date=day)
        audit_record(
            actor=actor,
            action="core.calendarday.delete",
            target=entry,
            summary=gettext("取消 %(date)s 的%(kind)s设置")
            % {"date": day, "kind": entry.get_kind_display()},
            changes=diff_fields(field_values(entry, _DAY_FIELDS), {}),
        )
        entry.delete()
        _calendar_changed({day.year})


def calendar_year_set(*, actor: Actor, year: int, notice: str, is_published: bool) -> CalendarYear:
    """Create or change a year's record; an unpublished year is answered provisionally."""
    with transaction.atomic():
        entry = CalendarYear.objects.select_for_update().filter(year=year).first()
        before = field_values(entry, _YEAR_FIELDS) if entry else {}
        entry = entry or CalendarYear(year=year, source=YearSource.ADMIN)
        entry.notice, entry.is_published = notice.strip(), is_published
        entry.full_clean()
        entry.save()
        audit_record(
            actor=actor,
            action="core.calendaryear.set",
            target=entry,
            summary=gettext("修改 %(year)d 年度的节假日安排信息") % {"year": year},
            changes=diff_fields(before, field_values(entry, _YEAR_FIELDS)),
        )
        _calendar_changed({year})
    return entry


def calendar_import_year(
    *, actor: Actor, year: int, data: Iterable[DayOverride], notice: str
) -> CalendarYear:
    """Replace all overrides of ``year`` with ``data`` and mark the year published."""
    days = sorted(data)
    check_year_days(year, days)
    with transaction.atomic():
        entry = CalendarYear.objects.select_for_update().filter(year=year).first()
        before = _year_state(year, entry)
        entry = entry or CalendarYear(year=year)
        entry.notice, entry.source, entry.is_published = notice.strip(), YearSource.NOTICE, True
        entry.full_clean()
        entry.save()
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=d.day, kind=d.kind, name=d.name, notice=entry.notice) for d in days
        )
        counts = {kind: sum(d.kind == kind for d in days) for kind in DayKind}
        audit_record(
            actor=actor,
            action="core.calendaryear.import",
            target=entry,
            summary=gettext(
                "导入 %(year)d 年节假日安排：法定节假日 %(holidays)d 天，调休上班日 %(workdays)d 天"
            )
            % {"year": year, **{_KIND_KEYS[kind]: n for kind, n in counts.items()}},
            changes=diff_fields(before, _year_state(year, entry)),
        )
        _calendar_changed({year})
    return entry


def calendar_seed_builtin(*, actor: Actor = None) -> int:
    """Load the built-in years (2004 onward) that have no year record yet.

    Idempotent: a year already present (seeded, imported or entered by an admin) is left alone.
    Returns the number of day rows created.
    """
    with transaction.atomic():
        created, years = seed_missing_years(day_model=CalendarDay, year_model=CalendarYear)
        if years:
            audit_record(
                actor=actor,
                action="core.calendar.seed",
                summary=gettext(
                    "载入内置节假日数据：%(count)d 个年度（%(first)d–%(last)d 年），共 %(days)d 天"
                )
                % {"first": years[0], "last": years[-1], "count": len(years), "days": created},
                changes={"years": [[], years]},
            )
            _calendar_changed(years)
    return created


def _year_state(year: int, entry: CalendarYear | None) -> dict[str, object]:
    """The year's record and its days (``date name``), as compared in the import's audit event."""
    state = field_values(entry, _YEAR_FIELDS) if entry else {}
    for kind, key in _KIND_KEYS.items():
        state[key] = [
            f"{day.isoformat()} {name}".rstrip()
            for day, name in CalendarDay.objects.filter(date__year=year, kind=kind)
            .order_by("date")
            .values_list("date", "name")
        ]
    return state


def _calendar_changed(years: Iterable[int]) -> None:
    renew_revision()  # bulk_create sends no model signal
    affected = frozenset(years)
    transaction.on_commit(lambda: _send_calendar_changed(affected))


def _send_calendar_changed(years: frozenset[int]) -> None:
    for receiver, result in calendar_changed.send_robust(sender=CalendarDay, years=years):
        if isinstance(result, Exception):
            logger.error("calendar_changed receiver %r failed", receiver, exc_info=result)


@transaction.atomic
def reference_row_save(*, actor: Actor, row: Row) -> Row:
    """Add or change a row of an app's reference data (a topic, a time limit, a consultation
    type …), as the system administrator does in the admin: checked (``ValidationError``),
    saved, and audited as ``<app>.<model>.save`` with the fields that changed."""
    names = [field.name for field in row._meta.concrete_fields if not field.primary_key]
    stored = type(row)._default_manager.filter(pk=row.pk).first() if row.pk else None
    before = field_values(stored, names) if stored is not None else {}
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=f"{row._meta.app_label}.{row._meta.model_name}.save",
        target=row,
        summary=f"{'修改' if stored else '新增'}{row._meta.verbose_name}：{row}",
        changes=diff_fields(before, field_values(row, names)),
    )
    return row
