"""Writing the calendar: services, the import command, the admin pages, the seed."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from gongkai.core import calendar
from gongkai.core.audit import audit_verify_chain
from gongkai.core.calendar_data import DayOverride
from gongkai.core.errors import CalendarError, CalendarErrorCode
from gongkai.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind
from gongkai.core.services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_import_year,
    calendar_seed_builtin,
    calendar_year_set,
)
from gongkai.core.signals import calendar_changed

pytestmark = pytest.mark.usefixtures("builtin_calendar")

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-import.yaml"


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.fixture
def signals():
    """The ``years`` of every calendar_changed sent during the test."""
    received: list[frozenset[int]] = []

    def receiver(sender, years, **kwargs):
        received.append(years)

    calendar_changed.connect(receiver)
    yield received
    calendar_changed.disconnect(receiver)


class TestImportYear:
    def test_import_command_changes_answers_audits_and_signals(
        self, cli, signals, django_capture_on_commit_callbacks
    ):
        assert calendar.add_workdays_explained(d("2027-02-05"), 1).provisional is True
        with django_capture_on_commit_callbacks(execute=True):
            status, out, err = cli("calendar", "import-year", str(EXAMPLE))
        assert (status, err) == (0, "")
        assert out == "已导入 2027 年的节假日安排（18 天），该年度已标记为已公布。\n"
        assert signals == [frozenset({2027})]
        assert cli("calendar", "is-workday", "2027-02-06") == (0, "true\n", "")  # Sat make-up
        assert cli("calendar", "is-workday", "2027-02-08") == (0, "false\n", "")
        assert cli("calendar", "add-workdays", "2027-02-05", "1") == (0, "2027-02-06\n", "")
        year = CalendarYear.objects.get(year=2027)
        assert (year.source, year.is_published, year.notice) == (
            "notice",
            True,
            "示例通知（非真实数据）",
        )
        event = AuditEvent.objects.get(action="core.calendaryear.import")
        assert event.actor is None
        assert event.summary == "导入 2027 年节假日安排：法定节假日 14 天，调休上班日 4 天"
        assert event.changes["workdays"] == [
            [],
            ["2027-02-06 春节", "2027-02-20 春节", "2027-09-26 国庆节", "2027-10-09 国庆节"],
        ]

    def test_import_replaces_the_year(self):
        calendar_import_year(
            actor=None,
            year=2027,
            data=[DayOverride(d("2027-03-01"), DayKind.HOLIDAY, "测试")],
            notice="第一版",
        )
        calendar_import_year(
            actor=None,
            year=2027,
            data=[DayOverride(d("2027-03-02"), DayKind.HOLIDAY)],
            notice="第二版",
        )
        assert list(CalendarDay.objects.filter(date__year=2027).values_list("date", "notice")) == [
            (d("2027-03-02"), "第二版")
        ]
        assert calendar.is_workday(d("2027-03-01")) is True
        assert calendar.is_workday(d("2027-03-02")) is False
        second = AuditEvent.objects.filter(action="core.calendaryear.import").first()
        assert second.changes == {
            "holidays": [["2027-03-01 测试"], ["2027-03-02"]],
            "notice": ["第一版", "第二版"],
        }

    def test_json_file(self, cli, tmp_path):
        path = tmp_path / "2028.json"
        document = {"2028": {"notice": "示例", "holidays": {"元旦": ["2028-01-03"]}}}
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        assert cli("calendar", "import-year", str(path))[0] == 0
        assert CalendarDay.objects.get(date=d("2028-01-03")).name == "元旦"
        assert calendar.is_workday_explained(d("2028-01-03")) == calendar.WorkdayAnswer(
            False, False
        )

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("2027:\n  holidays: [2027-01-01\n", "无法解析：第 3 行第 1 列附近有误"),
            ("2027:\n  holidays: [2028-01-03]\n", "日期 2028-01-03 不在 2027 年内"),
            (
                "2027:\n  holidays: [2027-01-04]\n  workdays: [2027-01-04]\n",
                "2027-01-04 出现了不止一次",
            ),
            ("2027:\n  holidays: [2027-01-04, 2027-01-04]\n", "2027-01-04 出现了不止一次"),
            ("2027:\n  holidays: [2027-13-01]\n", "日期“2027-13-01”无效"),
            ("2027:\n  holidays: [明天]\n", "日期“明天”无效"),
            ("2027:\n  holiday: [2027-01-04]\n", "2027 年含有未知字段：holiday"),
            ("2027:\n  holidays: 2027-01-04\n", "2027 年的 holidays 应为日期列表"),
            ("2027: [2027-01-04]\n", "2027 年的内容应为包含 notice、holidays、workdays 字段的映射"),
            ("二〇二七:\n  holidays: []\n", "“二〇二七”不是有效的年份"),
            ("[2027-01-04]\n", "文件内容应为“年份: 安排”的映射"),
            ("", "文件内容应为“年份: 安排”的映射"),
            ("2027:\n  holidays: []\n2028:\n  holidays: []\n", "此文件包含 2 个年度"),
            (
                "2027:\n  holidays:\n    春节: [2027-02-08]\n    春节: [2027-02-09]\n",
                "duplicate key '春节'",
            ),
            ("2027:\n  notice: [1, 2]\n", "2027 年的 notice 应为不超过 200 个字的文字"),
        ],
    )
    def test_bad_files_are_refused_without_changing_anything(self, cli, tmp_path, text, message):
        path = tmp_path / "bad.yaml"
        path.write_text(text, encoding="utf-8")
        days_before = CalendarDay.objects.count()
        status, out, err = cli("calendar", "import-year", str(path))
        assert (status, out) == (1, "")
        assert message in err
        assert "Traceback" not in err
        assert CalendarDay.objects.count() == days_before
        assert not CalendarYear.objects.filter(year=2027).exists()

    def test_repeated_json_keys_are_refused(self, cli, tmp_path):
        path = tmp_path / "bad.json"
        path.write_text('{"2027": {"holidays": [], "holidays": ["2027-01-04"]}}', encoding="utf-8")
        status, _, err = cli("calendar", "import-year", str(path))
        assert status == 1
        assert "duplicate key 'holidays'" in err

    def test_bad_json_names_line_and_column(self, cli, tmp_path):
        path = tmp_path / "bad.json"
        path.write_text('{"2027": {"holidays": ["2027-01-04",]}}', encoding="utf-8")
        status, _, err = cli("calendar", "import-year", str(path))
        assert status == 1
        assert "第 1 行第 37 列附近有误" in err

    def test_a_rolled_back_import_leaves_no_stale_answers(self):
        def import_then_fail():
            with transaction.atomic():
                calendar_import_year(
                    actor=None,
                    year=2027,
                    data=[DayOverride(d("2027-03-01"), DayKind.HOLIDAY)],
                    notice="",
                )
                answer = calendar.is_workday_explained(d("2027-03-01"))
                assert answer == calendar.WorkdayAnswer(False, False)  # cached inside
                raise RuntimeError

        assert calendar.is_workday_explained(d("2027-03-01")).provisional is True
        with pytest.raises(RuntimeError):
            import_then_fail()
        assert calendar.is_workday_explained(d("2027-03-01")) == calendar.WorkdayAnswer(True, True)


class TestDays:
    def test_rows_written_without_the_services_are_seen_at_once(self):
        assert calendar.is_workday(d("2025-10-09")) is True
        entry = CalendarDay.objects.create(date=d("2025-10-09"), kind=DayKind.HOLIDAY)
        assert calendar.is_workday(d("2025-10-09")) is False
        entry.delete()
        assert calendar.is_workday(d("2025-10-09")) is True
        CalendarYear.objects.filter(year=2025).delete()
        assert calendar.is_workday_explained(d("2025-10-09")).provisional is True

    def test_set_and_delete_a_day(self, make_user, signals, django_capture_on_commit_callbacks):
        admin = make_user(role="system_admin")
        with django_capture_on_commit_callbacks(execute=True):
            calendar_day_set(actor=admin, day=d("2025-10-09"), kind="holiday", name="测试")
        assert calendar.is_workday(d("2025-10-09")) is False
        with django_capture_on_commit_callbacks(execute=True):
            calendar_day_delete(actor=admin, day=d("2025-10-09"))
        assert calendar.is_workday(d("2025-10-09")) is True
        assert signals == [frozenset({2025}), frozenset({2025})]
        deleted, created = AuditEvent.objects.filter(action__startswith="core.calendarday")[:2]
        assert (created.action, created.actor_id, created.object_type) == (
            "core.calendarday.set",
            admin.pk,
            "core.calendarday",
        )
        assert created.summary == "将 2025-10-09 设为法定节假日"
        assert created.changes == {
            "kind": [None, "holiday"],
            "name": [None, "测试"],
            "notice": [None, ""],
        }
        assert deleted.action == "core.calendarday.delete"
        assert deleted.changes == {
            "kind": ["holiday", None],
            "name": ["测试", None],
            "notice": ["", None],
        }
        assert audit_verify_chain() == 2

    def test_change_an_existing_day(self):
        calendar_day_set(actor=None, day=d("2025-09-28"), kind="holiday")
        assert calendar.is_workday(d("2025-09-28")) is False
        entry = CalendarDay.objects.get(date=d("2025-09-28"))
        assert (entry.kind, entry.name) == ("holiday", "")
        event = AuditEvent.objects.get(action="core.calendarday.set")
        assert event.changes == {
            "kind": ["workday", "holiday"],
            "name": ["国庆节、中秋节", ""],
            "notice": ["国办发明电〔2024〕12号", ""],
        }

    def test_bad_kind_is_refused(self):
        with pytest.raises(ValidationError):
            calendar_day_set(actor=None, day=d("2025-10-09"), kind="weekend")
        assert not AuditEvent.objects.exists()

    def test_deleting_a_day_without_override(self):
        with pytest.raises(CalendarError) as caught:
            calendar_day_delete(actor=None, day=d("2025-10-09"))
        assert caught.value.code == CalendarErrorCode.DAY_NOT_FOUND
        assert caught.value.message == "2025-10-09 没有设置节假日或调休上班日。"

    def test_unpublishing_a_year_makes_it_provisional(self):
        calendar_year_set(
            actor=None, year=2025, notice="国办发明电〔2024〕12号", is_published=False
        )
        assert calendar.is_workday_explained(d("2025-09-28")) == calendar.WorkdayAnswer(True, True)
        assert calendar.is_workday_explained(d("2025-02-03")) == calendar.WorkdayAnswer(False, True)
        event = AuditEvent.objects.get(action="core.calendaryear.set")
        assert event.changes == {"is_published": [True, False]}


class TestSeed:
    def test_seeding_again_changes_nothing(self):
        assert calendar_seed_builtin() == 0
        assert (
            CalendarYear.objects.filter(year__range=(2004, 2026), is_published=True).count() == 23
        )
        assert not AuditEvent.objects.exists()

    def test_seeding_restores_a_missing_year_only(
        self, signals, django_capture_on_commit_callbacks
    ):
        CalendarYear.objects.filter(year=2025).delete()
        CalendarDay.objects.filter(date__year=2025).delete()
        calendar_day_set(actor=None, day=d("2025-03-03"), kind="holiday")  # kept
        with django_capture_on_commit_callbacks(execute=True):
            assert calendar_seed_builtin() == 23
        assert calendar_seed_builtin() == 0
        assert signals == [frozenset({2025})]
        assert calendar.workdays_between(date(2024, 12, 31), date(2025, 12, 31)) == 247
        assert CalendarYear.objects.get(year=2025).source == "notice"
        event = AuditEvent.objects.get(action="core.calendar.seed")
        assert event.summary == "载入内置节假日数据：1 个年度（2025–2025 年），共 23 天"


class TestAdmin:
    @pytest.fixture
    def admin_client(self, admin_client_for):
        return admin_client_for("system_admin")

    def test_adding_a_day_goes_through_the_service(
        self, admin_client, signals, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                reverse("admin:core_calendarday_add"),
                {"date": "2025-10-09", "kind": "holiday", "name": "测试", "notice": ""},
            )
        assert response.status_code == 302
        assert calendar.is_workday(d("2025-10-09")) is False
        assert AuditEvent.objects.get().action == "core.calendarday.set"
        assert signals == [frozenset({2025})]

    def test_deleting_days_goes_through_the_service(self, admin_client):
        ids = CalendarDay.objects.filter(date__in=[d("2025-09-28"), d("2025-10-11")])
        response = admin_client.post(
            reverse("admin:core_calendarday_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": list(ids.values_list("pk", flat=True)),
                "post": "yes",
            },
        )
        assert response.status_code == 302
        assert calendar.is_workday(d("2025-09-28")) is False
        assert AuditEvent.objects.filter(action="core.calendarday.delete").count() == 2

    def test_list_filters_by_year_and_kind_and_searches(self, admin_client):
        url = reverse("admin:core_calendarday_changelist")
        response = admin_client.get(url, {"year": "2025", "kind__exact": "workday", "q": "劳动节"})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list.values_list("date", flat=True)) == [
            d("2025-04-27")
        ]

    def test_pages_render_and_years_cannot_be_deleted(self, admin_client):
        day = CalendarDay.objects.get(date=d("2025-09-28"))
        year = CalendarYear.objects.get(year=2025)
        for url in (
            reverse("admin:core_calendarday_add"),
            reverse("admin:core_calendarday_change", args=[day.pk]),
            reverse("admin:core_calendaryear_changelist"),
            reverse("admin:core_calendaryear_add"),
            reverse("admin:core_calendaryear_change", args=[year.pk]),
        ):
            assert admin_client.get(url).status_code == 200, url
        delete = reverse("admin:core_calendaryear_delete", args=[year.pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
        assert CalendarYear.objects.filter(year=2025).exists()

    def test_year_page_goes_through_the_service(self, admin_client):
        year = CalendarYear.objects.get(year=2026)
        response = admin_client.post(
            reverse("admin:core_calendaryear_change", args=[year.pk]),
            {"notice": "国务院办公厅通知", "is_published": ""},
        )
        assert response.status_code == 302
        assert calendar.is_workday_explained(d("2026-01-02")).provisional is True
        assert AuditEvent.objects.get().action == "core.calendaryear.set"
