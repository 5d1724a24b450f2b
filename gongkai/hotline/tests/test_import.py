"""Importing historical orders: the parser (``importing``), the service (``orders_import``) and
``gongkai hotline import``."""

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.models import AuditEvent
from gongkai.hotline import importing, selectors, services
from gongkai.hotline.models import (
    Assignment,
    CallBack,
    Channel,
    EventKind,
    OrderEvent,
    RequestType,
    Satisfaction,
    Status,
    Urgency,
    WorkOrder,
)
from gongkai.orgs.models import OrganisationName
from gongkai.search.models import Entry

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
HEADER = (
    "number,received_at,caller_name,caller_phone,content,request_type,category,district,street,"
    "lead,dispatched_at,accepted_at,replied_at,reply,callback_at,resolved,satisfaction,closed_at"
)
CLOSED_ROW = (
    "OLD-1,2026-10-12 09:00,王先生,100-0000-0001,东华门大街垃圾无人清运,投诉,0101,110101,"
    "东华门街道,东华门街道,2026-10-12 09:30,2026-10-12 10:00,2026-10-14 10:00,已清运,"
    "2026-10-15 10:00,是,满意,2026-10-15 11:00"
)
LATE_ROW = (
    "OLD-2,2026/10/13 9:00,李女士,100-0000-0002,东华门大街夜市噪音,complaint,0103,110101,"
    "东华门街道,东华门街道,2026/10/13 9:30,2026/10/15 9:30,2026/10/16 9:30,已整治,"
    "2026/10/17 9:30,否,不满意,2026/10/17 10:00"
)
BAD_ROW = "OLD-3,昨天,张先生,100-0000-0003,内容,投拆,0101,110101,,,,,,,,,,"


@pytest.fixture
def reference(world):
    """The categories, and names for the organisations of ``world`` (as the directory has)."""
    services.category_load_reference_data()
    for org in (world.city, world.district, world.street, world.department):
        name = OrganisationName(organisation=org, name=org.name, short_name=org.short_name)
        name.full_clean()
        name.save()
    return importing.Reference()


def record(**changes):
    """A good record of a received order (times in October 2026)."""
    values = {
        "received_at": "2026-10-12 09:00",
        "caller_phone": "100-0000-0009",
        "content": "东华门大街12号门前占道经营。",
        "request_type": "投诉",
        "category": "0103",
        "district": "110101",
        "street": "110101001",
    }
    return {key: value for key, value in (values | changes).items() if value is not None}


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("hotline", "import", str(path), *args, stdout=out, stderr=err)
        code = 0
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return code, out.getvalue(), err.getvalue()


# ---- Values ---------------------------------------------------------------------------------

moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))


@given(moments, st.sampled_from(["T", " "]))
def test_times_without_offset_are_beijing_time(moment, separator):
    moment = moment.replace(microsecond=0)
    parsed = importing.parse_time(moment.isoformat(sep=separator))
    assert parsed == moment.replace(tzinfo=SHANGHAI)


@given(moments, st.integers(min_value=-12, max_value=14))
def test_times_with_offset_keep_it(moment, hours):
    moment = moment.replace(tzinfo=ZoneInfo("UTC")) + timedelta(hours=hours)
    text = moment.astimezone(SHANGHAI).isoformat()
    assert importing.parse_time(text) == moment


@given(moments)
def test_excel_times(moment):
    text = f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment.minute:02d}"
    assert importing.parse_time(text) == moment.replace(second=0, microsecond=0, tzinfo=SHANGHAI)


@pytest.mark.parametrize("text", ["昨天", "2026-13-01", "2026/2/30 8:00", "12:00", ""])
def test_bad_times_are_explained(text):
    with pytest.raises(importing.BadValue, match="不是有效的时间"):
        importing.parse_time(text)


CHOICES = [Channel, RequestType, Urgency, Satisfaction, Status]


@given(st.sampled_from([(c, v, str(label)) for c in CHOICES for v, label in c.choices]))
def test_choices_by_code_or_label(choice):
    choices, value, label = choice
    assert importing.parse_choice(label, choices) == value
    assert importing.parse_choice(f" {value.upper()} ", choices) == value


@given(st.text(min_size=1, max_size=8))
def test_unknown_choices_list_the_allowed_ones(text):
    known = {v for v, _l in RequestType.choices} | {str(label) for _v, label in RequestType.choices}
    if text.strip() in known or text.strip().lower() in known:
        return
    with pytest.raises(importing.BadValue, match="可填：咨询、求助、投诉、举报、建议、表扬"):
        importing.parse_choice(text, RequestType)


@pytest.mark.parametrize(
    ("text", "value"), [("是", True), ("否", False), ("Yes", True), ("0", False)]
)
def test_yes_and_no(text, value):
    assert importing.parse_bool(text) is value


def test_derived_numbers_are_stable_and_distinct():
    moment = datetime(2026, 10, 12, 23, 30, tzinfo=ZoneInfo("UTC"))
    number = importing.derived_number(moment, "内容", "100")
    assert number == importing.derived_number(moment, "内容", "100")
    assert number != importing.derived_number(moment, "内容2", "100")
    assert len(number) == 20
    assert number.startswith("20261013")


# ---- Records --------------------------------------------------------------------------------


def test_a_good_record(reference, world):
    parsed = importing.parse_record(record(channel="网站留言", urgency="紧急"), reference)
    assert isinstance(parsed, importing.OrderRecord)
    assert (parsed.channel, parsed.request_type, parsed.urgency) == ("web", "complaint", "urgent")
    assert (parsed.district, parsed.street, parsed.status) == (
        world.district,
        world.street,
        Status.RECEIVED,
    )
    assert parsed.received_at == datetime(2026, 10, 12, 9, tzinfo=SHANGHAI)


def test_names_resolve_like_codes(reference, world):
    parsed = importing.parse_record(
        record(district="东城区政府", street="东华门街道", category="占道经营"), reference
    )
    assert isinstance(parsed, importing.OrderRecord)
    assert (parsed.district, parsed.street, parsed.category.code) == (
        world.district,
        world.street,
        "0103",
    )


DISPATCHED = {"lead": "110101001", "dispatched_at": "2026-10-12 09:30"}
REPLIED = DISPATCHED | {
    "accepted_at": "2026-10-12 10:00",
    "replied_at": "2026-10-13 10:00",
    "reply": "已处理",
}
CALLED_BACK = REPLIED | {
    "callback_at": "2026-10-14 10:00",
    "resolved": "是",
    "satisfaction": "满意",
}


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"number": "一二三"}, "number", "格式不正确"),
        ({"received_at": None}, "received_at", "必须填写"),
        ({"received_at": "2026-10-32"}, "received_at", "不是有效的时间"),
        ({"received_at": "2099-01-01"}, "received_at", "晚于当前时间"),
        ({"channel": "传真"}, "channel", "“传真”无效，可填：电话"),
        ({"caller_name": "王" * 51}, "caller_name", "超过 50 个字符"),
        ({"caller_phone": None}, "caller_phone", "至少填写一项"),
        ({"caller_email": "not-an-address"}, "caller_email", "不是有效的电子邮箱"),
        ({"title": "标" * 101}, "title", "超过 100 个字符"),
        ({"content": " "}, "content", "必须填写"),
        ({"request_type": "投拆"}, "request_type", "“投拆”无效"),
        ({"request_type": None}, "request_type", "必须填写"),
        ({"category": "9999"}, "category", "没有编码或名称为“9999”的诉求类别"),
        ({"urgency": "很急"}, "urgency", "“很急”无效"),
        ({"district": "火星区"}, "district", "未能识别机构“火星区”"),
        ({"street": "110000"}, "street", "不在“北京市东城区人民政府”内"),
        ({"address": "路" * 201}, "address", "超过 200 个字符"),
        ({"lead": "110101001"}, "dispatched_at", "须填写派单时间"),
        ({"dispatched_at": "2026-10-12 10:00"}, "lead", "须填写主办单位"),
        (DISPATCHED | {"co": "110101001"}, "co", "不能同时是协办单位"),
        (DISPATCHED | {"co": "不存在的局"}, "co", "未能识别机构"),
        (DISPATCHED | {"dispatched_at": "2026-10-12 08:00"}, "dispatched_at", "早于受理时间"),
        (DISPATCHED | {"accepted_at": "2026-10-12 09:00"}, "accepted_at", "早于派单时间"),
        (REPLIED | {"reply": None}, "reply", "须填写答复内容"),
        (REPLIED | {"replied_at": None}, "replied_at", "须填写答复时间"),
        (REPLIED | {"accepted_at": None}, "accepted_at", "答复前须签收"),
        (
            {"callback_at": "2026-10-14 10:00", "resolved": "是", "satisfaction": "满意"},
            "callback_at",
            "没有答复，不能回访",
        ),
        (CALLED_BACK | {"resolved": None}, "resolved", "必须填写"),
        (CALLED_BACK | {"resolved": "也许"}, "resolved", "请填“是”或“否”"),
        (CALLED_BACK | {"satisfaction": "还行"}, "satisfaction", "“还行”无效"),
        (REPLIED | {"satisfaction": "满意"}, "satisfaction", "没有回访时间"),
        (REPLIED | {"closed_at": "2026-10-15 10:00"}, "callback_at", "办结前须回访"),
        ({"closed_at": "2026-10-12 10:00"}, "reply", "直接办结须填写答复内容"),
        ({"reply": "已解答"}, "closed_at", "未派单的工单答复即办结"),
        ({"status": "已退单"}, "status", "不能导入该状态的工单"),
        (DISPATCHED | {"status": "已办结"}, "status", "按所填时间应为“已派单”"),
        ({"publish_consent": "可以"}, "publish_consent", "请填“是”或“否”"),
        ({"colour": "红"}, "colour", "未知的列"),
    ],
)
def test_each_bad_value_is_reported_with_its_column(reference, changes, column, message):
    problems = importing.parse_record(record(**changes), reference)
    assert isinstance(problems, list)
    assert [p.column for p in problems] == [column], problems
    assert message in problems[0].message


def test_every_problem_of_a_record_is_reported(reference):
    problems = importing.parse_record(
        record(received_at="x", request_type="y", urgency="z"), reference
    )
    assert isinstance(problems, list)
    assert [p.column for p in problems] == ["received_at", "request_type", "urgency"]
    assert str(problems[0]).startswith("received_at（受理时间）：")


# ---- The command ----------------------------------------------------------------------------


def write_csv(tmp_path, rows, *, encoding="utf-8-sig", name="orders.csv"):
    path = tmp_path / name
    path.write_bytes("\n".join([HEADER, *rows]).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_good_rows_imported_bad_rows_reported(reference, world, tmp_path, encoding):
    path = write_csv(tmp_path, [CLOSED_ROW, BAD_ROW, LATE_ROW], encoding=encoding)
    code, out, err = run(path)
    assert code == 1
    assert "导入 2 件，已有而跳过 0 件，有误未导入 1 件" in out
    assert "第 3 行 received_at（受理时间）：“昨天”不是有效的时间" in err
    assert "第 3 行 request_type（诉求类型）：“投拆”无效" in err
    assert set(WorkOrder.objects.values_list("number", flat=True)) == {"OLD-1", "OLD-2"}
    # Again: nothing new.
    code, out, _err = run(path)
    assert "导入 0 件，已有而跳过 2 件，有误未导入 1 件" in out
    assert WorkOrder.objects.count() == 2


def test_chinese_headers_and_a_clean_file(reference, tmp_path):
    header = ",".join(importing.COLUMNS[c] for c in HEADER.split(","))
    path = tmp_path / "orders.csv"
    path.write_text(f"{header}\n{CLOSED_ROW}\n", encoding="utf-8")
    assert run(path)[:2] == (0, "导入 1 件，已有而跳过 0 件，有误未导入 0 件。\n")


def test_unknown_csv_headers_stop_the_import(reference, tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("received_at,colour\n2026-10-12,红\n", encoding="utf-8")
    code, _out, err = run(path)
    assert code == 1
    assert "未知的列：colour" in err


def test_jsonl_with_good_and_bad_lines(reference, world, tmp_path):
    good = record(number="J-1", **CALLED_BACK, closed_at="2026-10-14 11:00", co=["110101"])
    lines = [json.dumps(good, ensure_ascii=False), "{not json", "[1]", "", json.dumps(record())]
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = run(path)
    assert code == 1
    assert "导入 2 件，已有而跳过 0 件，有误未导入 2 件" in out
    assert "第 2 行 不是有效的 JSON" in err
    assert "第 3 行 每行须是一个 JSON 对象" in err
    order = WorkOrder.objects.get(number="J-1")
    assert order.status == Status.CLOSED
    assert list(order.assignments.values_list("organisation", "role")) == [
        (world.street.pk, "lead"),
        (world.district.pk, "co"),
    ]
    assert run(path)[1].startswith("导入 0 件，已有而跳过 2 件")


def test_standard_input_and_dry_run(reference, tmp_path, monkeypatch):
    data = "\n".join([HEADER, CLOSED_ROW]).encode("utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _err = run("-", "--format", "csv", "--dry-run")
    assert (code, out) == (0, "（试运行，未写入）导入 1 件，已有而跳过 0 件，有误未导入 0 件。\n")
    assert not WorkOrder.objects.exists()
    assert (
        run(tmp_path / "orders.txt")[2]
        == "无法从文件名判断格式，请用 --format csv 或 --format jsonl 指明。"
    )


# ---- What is written ------------------------------------------------------------------------


def test_imported_order_looks_like_one_from_the_workflow(reference, world, tmp_path):
    run(write_csv(tmp_path, [CLOSED_ROW]))
    order = WorkOrder.objects.get(number="OLD-1")
    assert (order.status, order.lead, order.reply) == (Status.CLOSED, world.street, "已清运")
    assert order.closed_at == datetime(2026, 10, 15, 11, tzinfo=SHANGHAI)
    rule = selectors.time_limit(urgency=order.urgency, complex=False, request_type="complaint")
    assert order.due_at == selectors.due_at(order.received_at, rule)
    kinds = list(OrderEvent.objects.filter(order=order).values_list("kind", "text"))
    assert kinds == [
        (EventKind.RECEIVED, "电话"),
        (EventKind.DISPATCHED, world.street.name),
        (EventKind.ACCEPTED, ""),
        (EventKind.REPLIED, "已清运"),
        (EventKind.CALLED_BACK, "已解决，满意"),
        (EventKind.CLOSED, ""),
    ]
    assignment = Assignment.objects.get(order=order)
    assert assignment.accepted_at == datetime(2026, 10, 12, 10, tzinfo=SHANGHAI)
    assert CallBack.objects.get(order=order).satisfaction == Satisfaction.SATISFIED
    client = Client()
    client.force_login(world.dispatcher)
    page = client.get(reverse("hotline_staff:order", args=[order.number])).content.decode()
    for text in (
        "已办结",
        "2026-10-12 09:30",
        "2026-10-12 10:00",
        "已清运",
        "已解决，满意",
        "王先生",
    ):
        assert text in page


def test_answered_directly(reference, tmp_path):
    path = tmp_path / "orders.jsonl"
    path.write_text(json.dumps(record(reply="已解答", closed_at="2026-10-12 09:10")))
    run(path)
    order = WorkOrder.objects.get()
    assert (order.status, order.answered_directly, order.lead) == (Status.CLOSED, True, None)
    assert order.replied_at == order.closed_at
    assert list(order.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.ANSWERED,
    ]


def test_rates_count_imported_orders(reference, world, tmp_path):
    run(write_csv(tmp_path, [CLOSED_ROW, LATE_ROW]))
    (street,) = selectors.monthly_rates(datetime(2026, 10, 1).date())
    assert street.organisation == world.street
    assert (street.orders, street.responded, street.called_back, street.resolved) == (2, 1, 2, 1)
    assert street.satisfaction_rate == 0.5


def test_one_audit_entry_per_run(reference, tmp_path):
    run(write_csv(tmp_path, [CLOSED_ROW, LATE_ROW, BAD_ROW]))
    event = AuditEvent.objects.get(action="hotline.order.import")
    assert not AuditEvent.objects.filter(object_type__icontains="workorder").exists()
    assert (
        event.summary == "导入历史工单（orders.csv）：导入 2 件，已有而跳过 0 件，有误未导入 1 件"
    )


def test_published_messages_are_indexed_without_the_caller(reference, tmp_path):
    published = record(
        number="P-1",
        caller_name="赵先生",
        publish_consent="是",
        **CALLED_BACK,
        closed_at="2026-10-14 11:00",
    )
    private = record(number="P-2", **CALLED_BACK, closed_at="2026-10-14 11:00")
    path = tmp_path / "orders.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (published, private)))
    run(path)
    entry = Entry.objects.get(source="message")
    assert entry.key == str(WorkOrder.objects.get(number="P-1").pk)
    assert "赵先生" not in entry.title + entry.body
    assert "100-0000-0009" not in entry.body


def test_service_skips_numbers_repeated_in_one_file(reference):
    rows = [(1, record(number="X-1")), (2, record(number="X-1", content="另一件"))]
    result = services.orders_import(actor=None, rows=rows, source="t")
    assert (result.imported, result.skipped, result.rejected) == (1, 1, ())
    assert WorkOrder.objects.get().content == "东华门大街12号门前占道经营。"
