"""The working-day calendar against the State Council notices for 2024–2026 (regulatory facts
§10), the chinesecalendar package for 2004–2023, and provisional answers for later years."""

from datetime import date, timedelta

import chinese_calendar
import pytest
import yaml

from gongkai.core import calendar
from gongkai.core.calendar_data import builtin_years
from gongkai.core.errors import CalendarError, CalendarErrorCode

pytestmark = pytest.mark.usefixtures("builtin_calendar")

# The machine-readable block of the notices, copied from the spec as the test oracle.
SPEC = yaml.safe_load(
    """
2024:
  holidays: [2024-01-01, 2024-02-12, 2024-02-13, 2024-02-14, 2024-02-15, 2024-02-16,
             2024-04-04, 2024-04-05, 2024-05-01, 2024-05-02, 2024-05-03, 2024-06-10,
             2024-09-16, 2024-09-17, 2024-10-01, 2024-10-02, 2024-10-03, 2024-10-04, 2024-10-07]
  workdays:  [2024-02-04, 2024-02-18, 2024-04-07, 2024-04-28, 2024-05-11, 2024-09-14, 2024-09-29,
              2024-10-12]
2025:
  holidays: [2025-01-01, 2025-01-28, 2025-01-29, 2025-01-30, 2025-01-31, 2025-02-03, 2025-02-04,
             2025-04-04, 2025-05-01, 2025-05-02, 2025-05-05, 2025-06-02,
             2025-10-01, 2025-10-02, 2025-10-03, 2025-10-06, 2025-10-07, 2025-10-08]
  workdays:  [2025-01-26, 2025-02-08, 2025-04-27, 2025-09-28, 2025-10-11]
2026:
  holidays: [2026-01-01, 2026-01-02, 2026-02-16, 2026-02-17, 2026-02-18, 2026-02-19, 2026-02-20,
             2026-02-23, 2026-04-06, 2026-05-01, 2026-05-04, 2026-05-05, 2026-06-19, 2026-09-25,
             2026-10-01, 2026-10-02, 2026-10-05, 2026-10-06, 2026-10-07]
  workdays:  [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]
"""
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days)]


class TestCommandLine:
    @pytest.mark.parametrize(
        ("day", "expected"),
        [
            ("2025-09-28", "true"),  # Sunday, make-up workday for 国庆节、中秋节
            ("2025-10-01", "false"),
            ("2025-10-08", "false"),  # Wednesday, the 8th day of the 2025 Golden Week
            ("2025-10-11", "true"),  # Saturday make-up workday
            ("2024-02-09", "true"),  # Friday, 除夕 2024 was not an official day off
            ("2024-02-10", "false"),  # Saturday inside the 春节 range: an ordinary rest day
            ("2024-02-04", "true"),
            ("2025-01-28", "false"),  # 除夕 2025: statutory from 2025 on
            ("2025-05-31", "false"),
            ("2025-06-02", "false"),
            ("2026-01-02", "false"),
            ("2026-01-04", "true"),
            ("2026-02-23", "false"),
            ("2026-02-24", "true"),
            ("2026-09-20", "true"),
            ("2026-10-08", "true"),  # Thursday after the 2026 Golden Week
            ("2023-01-28", "true"),  # from the chinesecalendar package
            ("2015-09-03", "false"),  # 抗战胜利70周年纪念日
        ],
    )
    def test_is_workday(self, cli, day, expected):
        assert cli("calendar", "is-workday", day) == (0, f"{expected}\n", "")

    @pytest.mark.parametrize(
        ("start", "n", "expected"),
        [
            ("2025-09-26", "20", "2025-10-30"),
            ("2025-09-26", "0", "2025-09-26"),
            ("2025-10-01", "0", "2025-10-01"),  # n = 0 is the day itself, even a holiday
            ("2024-02-08", "1", "2024-02-09"),
            ("2024-02-09", "1", "2024-02-18"),  # over 春节 to the Sunday make-up workday
            ("2025-01-24", "1", "2025-01-26"),
            ("2025-01-24", "3", "2025-02-05"),
            ("2025-04-30", "1", "2025-05-06"),
            ("2025-12-31", "1", "2026-01-04"),
            ("2026-09-30", "1", "2026-10-08"),
            ("2026-12-30", "1", "2026-12-31"),
        ],
    )
    def test_add_workdays(self, cli, start, n, expected):
        assert cli("calendar", "add-workdays", start, n) == (0, f"{expected}\n", "")

    @pytest.mark.parametrize(
        ("start", "n", "expected"),
        [
            ("2026-12-31", "1", "2027-01-04"),  # 2027-01-01 assumed off, then a weekend
            ("2027-09-30", "1", "2027-10-04"),  # 10-01 assumed off, then a weekend
            ("2028-04-28", "1", "2028-05-03"),  # 05-01 and 05-02 (Mon, Tue) assumed off
        ],
    )
    def test_add_workdays_into_an_unpublished_year_is_provisional(self, cli, start, n, expected):
        assert cli("calendar", "add-workdays", start, n) == (0, f"{expected} provisional\n", "")

    def test_is_workday_in_an_unpublished_year_notes_it_on_stderr(self, cli):
        status, out, err = cli("calendar", "is-workday", "2027-10-01")
        assert (status, out) == (0, "false\n")
        assert "2027 年的节假日安排尚未公布" in err

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("is-workday", "2025/13/01"), "日期“2025/13/01”无效，请使用 YYYY-MM-DD 格式"),
            (("is-workday", "tomorrow"), "日期“tomorrow”无效"),
            (("is-workday", "2025-02-30"), "日期“2025-02-30”无效"),
            (("is-workday", "20250928"), "日期“20250928”无效"),
            (("add-workdays", "2025-13-01", "1"), "日期“2025-13-01”无效"),
            (("add-workdays", "2025-09-26", "-1"), "工作日数不能为负数（收到 -1）"),
            (("add-workdays", "2025-09-26", "1.5"), "工作日数“1.5”无效，应为不小于 0 的整数"),
            (("add-workdays", "2025-09-26", "二十"), "工作日数“二十”无效"),
            (("add-workdays", "2025-09-26", "10001"), "工作日数不能超过 10000（收到 10001）"),
            (("add-workdays", "9999-12-30", "5"), "计算结果超出了可表示的日期范围"),
            (("import-year", "/nonexistent/2027.yaml"), "找不到文件“/nonexistent/2027.yaml”"),
        ],
    )
    def test_bad_input_is_a_chinese_message_and_exit_status_1(self, cli, args, message):
        status, out, err = cli("calendar", *args)
        assert (status, out) == (1, "")
        assert message in err
        assert "Traceback" not in err

    def test_missing_subcommand_is_a_usage_error(self, cli):
        status, out, err = cli("calendar")
        assert (status, out) == (2, "")
        assert "请指定子命令：is-workday、add-workdays 或 import-year。" in err


class TestNotices:
    @pytest.mark.parametrize(("year", "total"), [(2024, 251), (2025, 248), (2026, 248)])
    def test_year_totals(self, year, total):
        result = calendar.workdays_between_explained(date(year - 1, 12, 31), date(year, 12, 31))
        assert result == calendar.WorkdayCount(days=total, provisional=False)

    @pytest.mark.parametrize("year", [2024, 2025, 2026])
    def test_every_day_follows_the_notice(self, year):
        holidays, workdays = set(SPEC[year]["holidays"]), set(SPEC[year]["workdays"])
        for day in days_of(year):
            expected = day in workdays or (day.weekday() < 5 and day not in holidays)
            assert calendar.is_workday_explained(day) == calendar.WorkdayAnswer(expected, False)

    def test_shipped_file_is_the_spec_block_with_names_and_notices(self):
        shipped = {y.year: y for y in builtin_years() if y.year >= 2024}
        assert set(shipped) == set(SPEC)
        for year, data in shipped.items():
            assert [o.day for o in data.days if o.kind == "holiday"] == SPEC[year]["holidays"]
            assert [o.day for o in data.days if o.kind == "workday"] == SPEC[year]["workdays"]
            assert all(o.name for o in data.days)
        assert shipped[2025].notice == "国办发明电〔2024〕12号"
        assert {o.day: o.name for o in shipped[2024].days}[d("2024-02-18")] == "春节"

    @pytest.mark.parametrize("year", [2004, 2008, 2015, 2020, 2023])
    def test_package_years_agree_with_chinesecalendar(self, year):
        for day in days_of(year):
            assert calendar.is_workday(day) == chinese_calendar.is_workday(day), day


class TestFunctions:
    def test_explained_results(self):
        assert calendar.add_workdays_explained(d("2025-09-26"), 20) == calendar.WorkdayResult(
            d("2025-10-30"), provisional=False
        )
        assert calendar.add_workdays_explained(d("2026-12-31"), 1) == calendar.WorkdayResult(
            d("2027-01-04"), provisional=True
        )
        assert calendar.is_workday_explained(d("2027-01-01")) == calendar.WorkdayAnswer(
            is_workday=False, provisional=True
        )

    def test_provisional_year_rules(self):
        # 2027: weekends plus 1/1, 5/1–5/2, 10/1–10/3 are days off; nothing else is known.
        expected_off_weekdays = {d("2027-01-01"), d("2027-10-01")}  # 5/1-5/2, 10/2-3: weekend
        weekdays = [day for day in days_of(2027) if day.weekday() < 5]
        assert {day for day in weekdays if not calendar.is_workday(day)} == expected_off_weekdays
        assert calendar.workdays_between(date(2026, 12, 31), date(2027, 12, 31)) == 259

    def test_workdays_between(self):
        assert calendar.workdays_between(d("2025-09-26"), d("2025-10-30")) == 20
        assert calendar.workdays_between(d("2025-10-30"), d("2025-09-26")) == -20
        assert calendar.workdays_between(d("2025-10-01"), d("2025-10-08")) == 0
        assert calendar.workdays_between(d("2025-10-08"), d("2025-10-08")) == 0
        assert calendar.workdays_between_explained(d("2026-12-30"), d("2027-01-04")) == (
            calendar.WorkdayCount(days=2, provisional=True)
        )

    @pytest.mark.parametrize(
        ("n", "code"),
        [
            (-1, CalendarErrorCode.NEGATIVE_COUNT),
            (1.0, CalendarErrorCode.BAD_COUNT),
            ("3", CalendarErrorCode.BAD_COUNT),
            (True, CalendarErrorCode.BAD_COUNT),
            (calendar.MAX_WORKDAYS + 1, CalendarErrorCode.COUNT_TOO_LARGE),
        ],
    )
    def test_bad_counts_raise_a_clear_error(self, n, code):
        with pytest.raises(CalendarError) as caught:
            calendar.add_workdays(d("2025-01-01"), n)
        assert caught.value.code == code
        assert isinstance(caught.value, ValueError)

    def test_negative_count_message(self):
        with pytest.raises(CalendarError, match="工作日数不能为负数（收到 -3）"):
            calendar.add_workdays(d("2025-01-01"), -3)
