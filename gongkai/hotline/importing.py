"""Historical work orders from another system: reading CSV and JSON Lines files and checking
each record (``gongkai hotline import FILE``; written by ``services.orders_import``).

One record per CSV row or JSON line. Columns (a CSV header may use the column names or the
Chinese labels of ``COLUMNS``; JSON objects use the column names):

=============== ======== ================================================================
column          required value
=============== ======== ================================================================
number                   the old system's order number: 1–20 letters, digits or hyphens.
                         An order with that number already in the database is the same
                         order and is skipped (re-importing a file adds nothing). Empty: a
                         number is derived from the receipt date and a hash of the record
                         (receipt time, contact, content), so a re-import skips it too.
received_at     yes      ISO 8601 (``2026-05-01 08:30``, ``2026-05-01T08:30:00+08:00``)
                         or Excel's ``2026/5/1 8:30``; without an offset: the site's time.
channel                  电话/网站留言/移动端/接口/电子邮件 or phone/web/api/email; default
                         phone
caller_name              up to 50 characters
caller_phone             up to 30 characters; a phone or an e-mail is required
caller_email             an e-mail address
title                    up to 100 characters
content         yes      the request
request_type    yes      咨询/求助/投诉/举报/建议/表扬 or consult/help/complaint/report/
                         suggestion/praise
category                 a code or the name of the category tree (a name shared by several
                         categories must be given as a code)
urgency                  一般/紧急/特急 or normal/urgent/emergency; default: the category's
district                 the district (an organisation name or code; org_resolve)
street                   the street or township, within the district
address                  up to 200 characters
lead                     the lead organisation it was dispatched to (name or code, resolved
                         within the district)
co                       co-handling organisations, separated by 、 ; or , (JSON: a list)
dispatched_at            required with lead, and only with it
accepted_at              the lead organisation's acceptance
replied_at               with reply
reply                    the reply to the caller
callback_at              the call-back (回访); with resolved and satisfaction
resolved                 是/否
satisfaction             满意/基本满意/不满意
closed_at                办结; an order dispatched to an organisation is closed only after a
                         call-back; closed without lead: answered at once (直接办结)
status                   待派单/已派单/办理中/已答复/已办结 or the codes; empty: derived from
                         the times (closed_at → 已办结, replied_at → 已答复, accepted_at →
                         办理中, dispatched_at → 已派单, else 待派单); given, it must agree
publish_consent          是/否 (default 否): the caller consented to publication; a replied
                         order with consent appears on the public message board
=============== ======== ================================================================

The times must follow each other (受理 ≤ 派单 ≤ 签收 ≤ 答复 ≤ 回访 ≤ 办结) and lie in the past.
A record with any problem is rejected as a whole, with every problem reported (column and a
Chinese reason); the others are imported.

``parse_record`` is pure apart from ``Reference``, which resolves categories and organisations
(cached per run).
"""

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import TextChoices
from django.utils import timezone

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import Outcome, org_resolve_code_or_name

from .models import Category, Channel, RequestType, Satisfaction, Status, Urgency

T = TypeVar("T")

COLUMNS: dict[str, str] = {
    "number": "工单编号",
    "received_at": "受理时间",
    "channel": "来源渠道",
    "caller_name": "来电人",
    "caller_phone": "联系电话",
    "caller_email": "电子邮箱",
    "title": "标题",
    "content": "诉求内容",
    "request_type": "诉求类型",
    "category": "诉求类别",
    "urgency": "紧急程度",
    "district": "区",
    "street": "街道（乡镇）",
    "address": "详细地址",
    "lead": "主办单位",
    "co": "协办单位",
    "dispatched_at": "派单时间",
    "accepted_at": "签收时间",
    "replied_at": "答复时间",
    "reply": "答复内容",
    "callback_at": "回访时间",
    "resolved": "是否解决",
    "satisfaction": "满意度",
    "closed_at": "办结时间",
    "status": "状态",
    "publish_consent": "同意公开",
}
"""Every column and its Chinese label (accepted as a CSV header too)."""

_BY_LABEL = {label: column for column, label in COLUMNS.items()}
NUMBER = re.compile(r"[0-9A-Za-z][0-9A-Za-z-]{0,19}")
IMPORTABLE = (Status.RECEIVED, Status.DISPATCHED, Status.IN_PROGRESS, Status.REPLIED, Status.CLOSED)
_LENGTHS = {"caller_name": 50, "caller_phone": 30, "title": 100, "address": 200}
_TRUE, _FALSE = {"是", "已解决", "true", "yes", "y", "1"}, {"否", "未解决", "false", "no", "n", "0"}
_EXCEL_TIME = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_CO_SEPARATORS = re.compile(r"[、;；,，]")


@dataclass(frozen=True)
class Problem:
    column: str
    """The column the problem is in ("" for the whole record)."""
    message: str

    def __str__(self) -> str:
        if not self.column:
            return self.message
        return f"{self.column}（{COLUMNS.get(self.column, '')}）：{self.message}"


class BadValue(ValueError):
    """A value that cannot be read; the message is the Chinese reason."""


@dataclass(frozen=True)
class OrderRecord:
    """A checked record, ready to be written."""

    number: str
    received_at: datetime
    channel: str
    caller_name: str
    caller_phone: str
    caller_email: str
    title: str
    content: str
    request_type: str
    category: Category | None
    urgency: str
    complex: bool
    district: Organisation | None
    street: Organisation | None
    address: str
    lead: Organisation | None
    co: tuple[Organisation, ...]
    dispatched_at: datetime | None
    accepted_at: datetime | None
    replied_at: datetime | None
    reply: str
    callback_at: datetime | None
    resolved: bool | None
    satisfaction: str
    closed_at: datetime | None
    status: str
    publish_consent: bool

    @property
    def answered_directly(self) -> bool:
        return self.status == Status.CLOSED and self.lead is None


# ---- Reading files ----------------------------------------------------------------------------

Row = tuple[int, Mapping[str, Any] | str]
"""A line number and the record read there, or why nothing could be read."""


def decode(data: bytes, encoding: str | None = None) -> str:
    """The text of a file: ``encoding`` if given, else UTF-8 (with or without the byte-order
    mark Excel writes), else GB18030."""
    if encoding:
        return data.decode(encoding)
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def column_of(header: str) -> str | None:
    """The column a CSV header stands for (its name or its Chinese label), None if unknown."""
    header = header.strip()
    return header if header in COLUMNS else _BY_LABEL.get(header)


def csv_rows(text: str) -> tuple[list[str], Iterator[Row]]:
    """The unknown headers of a CSV text, and its rows keyed by column (line numbers count the
    header as line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    headers = next(reader, [])
    columns = [column_of(h) for h in headers]
    unknown = [h for h, c in zip(headers, columns, strict=True) if c is None]

    def rows() -> Iterator[Row]:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(columns):
                yield reader.line_num, f"该行有 {len(cells)} 列，多于表头的 {len(columns)} 列"
                continue
            yield reader.line_num, {c: v for c, v in zip(columns, cells, strict=False) if c}

    return unknown, rows()


def jsonl_rows(text: str) -> Iterator[Row]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, f"不是有效的 JSON：{error.msg}（第 {error.colno} 个字符）"
            continue
        yield number, value if isinstance(value, dict) else "每行须是一个 JSON 对象"


# ---- Reading values ---------------------------------------------------------------------------


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (or Excel's ``2026/5/1 8:30``); without an offset, the site's time
    zone (``GONGKAI_TIME_ZONE``, Asia/Shanghai by default)."""
    text = text.strip()
    excel = _EXCEL_TIME.fullmatch(text)
    try:
        if excel:
            year, month, day, hour, minute, second = (int(g or 0) for g in excel.groups())
            value = datetime(year, month, day, hour, minute, second)
        else:
            value = datetime.fromisoformat(text)
    except ValueError:
        raise BadValue(
            f"“{text}”不是有效的时间，请使用 ISO 8601 格式，例如 2026-05-01 08:30"
        ) from None
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    return value


def parse_choice(text: str, choices: type[TextChoices]) -> str:
    """A choice given by its code (any case) or its Chinese label."""
    key = text.strip()
    for value, label in choices.choices:
        if key.lower() == value or key == str(label):
            return str(value)
    allowed = "、".join(str(label) for _value, label in choices.choices)
    raise BadValue(f"“{key}”无效，可填：{allowed}")


def parse_bool(text: str) -> bool:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue(f"“{text.strip()}”无效，请填“是”或“否”")


def derived_number(received_at: datetime, content: str, contact: str) -> str:
    """The number of a record that has none: its local receipt date and 12 digits of a hash,
    20 characters (never a number ``order_create`` gives, which has 16)."""
    key = f"{received_at.isoformat()}|{contact}|{content}".encode()
    digits = str(int(hashlib.sha256(key).hexdigest(), 16))[-12:].rjust(12, "0")
    return f"{timezone.localtime(received_at):%Y%m%d}{digits}"


# ---- Resolving names --------------------------------------------------------------------------


@dataclass
class Reference:
    """Categories and organisations by the names a file gives, looked up once per run."""

    _categories: dict[str, list[Category]] = field(default_factory=dict)
    _organisations: dict[tuple[str, int | None], Organisation | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for category in Category.objects.all():
            self._categories.setdefault(category.code, []).append(category)
            if category.name != category.code:
                self._categories.setdefault(category.name, []).append(category)

    def category(self, text: str) -> Category:
        found = self._categories.get(text.strip(), [])
        if not found:
            raise BadValue(f"没有编码或名称为“{text.strip()}”的诉求类别")
        if len(found) > 1:
            raise BadValue(f"名称为“{text.strip()}”的诉求类别有多个，请填写类别编码")
        return found[0]

    def organisation(self, text: str, context: Organisation | None = None) -> Organisation:
        key = (text.strip(), context.pk if context else None)
        if key not in self._organisations:
            self._organisations[key] = self._resolve(key[0], context)
        found = self._organisations[key]
        if isinstance(found, str):
            raise BadValue(found)
        return found

    @staticmethod
    def _resolve(name: str, context: Organisation | None) -> Organisation | str:
        resolution = org_resolve_code_or_name(name, context_org=context)
        if resolution.organisation is not None:
            return resolution.organisation
        if resolution.outcome is Outcome.UNRESOLVED:
            return f"未能识别机构“{name}”"
        return f"“{name}”可指多个机构，请填写全称或机构代码"


# ---- Checking a record ------------------------------------------------------------------------

_STAGES = ("received_at", "dispatched_at", "accepted_at", "replied_at", "callback_at", "closed_at")


def parse_record(
    values: Mapping[str, Any], reference: Reference, *, now: datetime | None = None
) -> OrderRecord | list[Problem]:
    """Check one record completely: the order to write, or every problem found."""
    problems: list[Problem] = [
        Problem(str(key), "未知的列") for key in values if str(key) not in COLUMNS
    ]
    now = now or timezone.now()

    def text(column: str) -> str:
        value = values.get(column)
        if value is None:
            return ""
        if isinstance(value, list):
            return "、".join(str(v) for v in value)
        value = str(value).strip()
        limit = _LENGTHS.get(column)
        if limit and len(value) > limit:
            problems.append(Problem(column, f"超过 {limit} 个字符"))
        return value

    def read(column: str, parse: Callable[[str], T], default: T, raw: str | None = None) -> T:
        raw = text(column) if raw is None else raw.strip()
        if not raw:
            return default
        try:
            return parse(raw)
        except BadValue as error:
            problems.append(Problem(column, str(error)))
            return default

    def required(column: str) -> None:
        problems.append(Problem(column, "必须填写"))

    times = {column: read(column, parse_time, None) for column in _STAGES}
    received_at = times["received_at"]
    channel = read("channel", lambda t: parse_choice(t, Channel), str(Channel.PHONE))
    content = text("content")
    request_type = read("request_type", lambda t: parse_choice(t, RequestType), "")
    category = read("category", reference.category, None)
    urgency = read("urgency", lambda t: parse_choice(t, Urgency), "")
    district = read("district", reference.organisation, None)

    def in_district(name: str) -> Organisation | None:
        return reference.organisation(name, district)

    street = read("street", in_district, None)
    lead = read("lead", in_district, None)
    found_co = [read("co", in_district, None, name) for name in _CO_SEPARATORS.split(text("co"))]
    co = tuple(organisation for organisation in found_co if organisation is not None)
    reply = text("reply")
    resolved = read("resolved", parse_bool, None)
    satisfaction = read("satisfaction", lambda t: parse_choice(t, Satisfaction), "")
    consent = read("publish_consent", parse_bool, False)
    caller_email = text("caller_email")
    caller_phone = text("caller_phone")
    number = text("number")
    if caller_email:
        try:
            validate_email(caller_email)
        except ValidationError:
            problems.append(Problem("caller_email", f"“{caller_email}”不是有效的电子邮箱"))
    if number and not NUMBER.fullmatch(number):
        problems.append(Problem("number", "格式不正确：须为 1–20 位字母、数字或连字符"))
    if received_at is None and not text("received_at"):
        required("received_at")
    if not content:
        required("content")
    if not request_type and not text("request_type"):
        required("request_type")
    if not (caller_phone or caller_email):
        problems.append(Problem("caller_phone", "联系电话和电子邮箱至少填写一项"))
    if street and district and street.parent_id != district.pk:
        problems.append(Problem("street", f"“{street.name}”不在“{district.name}”内"))
    if lead and lead in co:
        problems.append(Problem("co", "主办单位不能同时是协办单位"))
    problems += _stages(times, lead=bool(text("lead")), co=bool(text("co")), reply=reply, now=now)
    callback = times["callback_at"] is not None
    if callback and resolved is None and not text("resolved"):
        required("resolved")
    if callback and not satisfaction and not text("satisfaction"):
        required("satisfaction")
    for column in ("resolved", "satisfaction"):
        if not callback and text(column):
            problems.append(Problem(column, "没有回访时间，不能填写回访结果"))
    plain = {column: text(column) for column in ("caller_name", "title", "address")}
    status = read("status", lambda t: parse_choice(t, Status), "")
    derived = _derived_status(times)
    if status and status not in IMPORTABLE:
        allowed = "、".join(str(s.label) for s in IMPORTABLE)
        problems.append(Problem("status", f"不能导入该状态的工单，只能导入：{allowed}"))
    elif status and status != derived:
        label = Status(derived).label
        problems.append(Problem("status", f"与各时间列不符：按所填时间应为“{label}”"))
    if problems or received_at is None:
        return problems
    return OrderRecord(
        number=number or derived_number(received_at, content, caller_phone or caller_email),
        received_at=received_at,
        channel=channel,
        caller_name=plain["caller_name"],
        caller_phone=caller_phone,
        caller_email=caller_email,
        title=plain["title"],
        content=content,
        request_type=request_type,
        category=category,
        urgency=urgency or (category.default_urgency if category else str(Urgency.NORMAL)),
        complex=bool(category and category.complex),
        district=district,
        street=street,
        address=plain["address"],
        lead=lead,
        co=co,
        dispatched_at=times["dispatched_at"],
        accepted_at=times["accepted_at"],
        replied_at=times["replied_at"] or (times["closed_at"] if reply and not lead else None),
        reply=reply,
        callback_at=times["callback_at"],
        resolved=resolved,
        satisfaction=satisfaction,
        closed_at=times["closed_at"],
        status=derived,
        publish_consent=consent,
    )


def _stages(
    times: Mapping[str, datetime | None], *, lead: bool, co: bool, reply: str, now: datetime
) -> list[Problem]:
    """The problems of the order's times: in the past, in the order of the workflow, and each
    with what it needs."""
    problems = [Problem(c, "晚于当前时间") for c in _STAGES if (t := times[c]) and t > now]
    last: tuple[str, datetime] | None = None
    for column in _STAGES:
        current = times[column]
        if current is None:
            continue
        if last is not None and current < last[1]:
            problems.append(Problem(column, f"早于{COLUMNS[last[0]]}"))
        last = (column, current)
    has = {column: times[column] is not None for column in _STAGES}
    needs = [
        (lead and not has["dispatched_at"], "dispatched_at", "填写了主办单位，须填写派单时间"),
        (has["dispatched_at"] and not lead, "lead", "填写了派单时间，须填写主办单位"),
        (co and not lead, "lead", "填写了协办单位，须填写主办单位"),
        (has["accepted_at"] and not lead, "accepted_at", "没有派单，不能签收"),
        (has["replied_at"] and not reply, "reply", "填写了答复时间，须填写答复内容"),
        (lead and reply and not has["replied_at"], "replied_at", "填写了答复内容，须填写答复时间"),
        (lead and has["replied_at"] and not has["accepted_at"], "accepted_at", "答复前须签收"),
        (has["callback_at"] and not has["replied_at"], "callback_at", "没有答复，不能回访"),
        (lead and has["closed_at"] and not has["callback_at"], "callback_at", "办结前须回访"),
        (not lead and has["closed_at"] and not reply, "reply", "直接办结须填写答复内容"),
        (not lead and reply and not has["closed_at"], "closed_at", "未派单的工单答复即办结"),
    ]
    return problems + [Problem(column, message) for wrong, column, message in needs if wrong]


def _derived_status(times: Mapping[str, datetime | None]) -> Status:
    """Where the times say the order is."""
    for column, status in (
        ("closed_at", Status.CLOSED),
        ("replied_at", Status.REPLIED),
        ("accepted_at", Status.IN_PROGRESS),
        ("dispatched_at", Status.DISPATCHED),
    ):
        if times[column] is not None:
            return status
    return Status.RECEIVED
