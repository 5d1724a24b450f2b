"""Import documents published before (an archive) from JSON Lines: ``gongkai publishing import``.

The file is UTF-8 text with one JSON object per line (blank lines are ignored)::

    {"index_no": "110000-BGT/2018-00016", "title": "北京市2018年政务公开工作要点",
     "organisation": "市政府办公厅", "doc_no": "京政办发[2018]16号", "genre": "通知",
     "topic": "综合政务/政务公开", "written_on": "2018-05-11", "published_at": "2018-05-14 09:30",
     "summary": "部署2018年全市政务公开工作。", "body": "<p>各区人民政府……</p>",
     "gazette": {"year": 2018, "number": 11, "published_on": "2018-06-05", "position": 2}}

(shown wrapped here; in the file each object is on one line). Fields:

=====================  ========  ==============================================================
field                  required  value
=====================  ========  ==============================================================
``index_no``           yes       索引号, kept as given: letters, digits, ``-``, ``_`` and ``/``;
                                 the key that makes the import idempotent
``title``              yes       标题
``organisation``       yes       发布机构: its code (``110000-BGT``) or a name the directory
                                 knows — full, short, alias or a former name in use on
                                 ``written_on`` (``市农委`` in 2017 means 北京市农村工作委员会)
``genre``              yes       体裁, by name (``通知``, ``规范性文件``, ``解读`` …)
``topic``              yes       主题分类: a name that occurs once (``政务公开``) or
                                 ``一级/二级`` (``综合政务/其他``)
``written_on``         yes       成文日期, ``YYYY-MM-DD``
``published_at``       yes       发布日期, ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM[:SS]``, Beijing time
                                 unless an offset is given; not in the future, not before
                                 ``written_on``
``summary``            yes       内容概述
``doc_no``             no        发文字号; wrong brackets are accepted and normalised
                                 (``京政办发[2018]16号`` → ``京政办发〔2018〕16号``)
``body``               no        正文 (HTML; sanitised as drafted documents are)
``keywords``           no        主题词
``validity``           no        有效性: ``现行有效`` (default), ``已修改``, ``失效``, ``废止``
``disclosure``         no        公开属性: ``主动公开`` (default), ``依申请公开``, ``不予公开``
``legal_basis``        (yes)     the code of the legal basis (``art27-on-request``,
                                 ``art16-process`` …); required unless 主动公开
``disclosure_reason``  (yes)     理由; required unless 主动公开
``co_issuers``         no        联合发文机构: a list of codes or names
``interpretation``     (yes)     for the genre 解读 only, and then required:
                                 ``{"policies": [索引号, …], "form": "负责人解读",
                                 "leader_name": "…"}``; the policies must exist already
                                 (earlier in the file or in the database); ``form`` is one of
                                 文字解读, 图解, 音视频解读, 专家解读, 负责人解读 (which needs
                                 ``leader_name``)
``gazette``            no        ``{"year", "number", "published_on", "position"}``: list the
                                 document in that 政府公报 issue (created when missing) as
                                 number ``position`` of its contents (after the last when
                                 omitted); only 主动公开 documents
=====================  ========  ==============================================================

Choice fields take the Chinese label or the stored value (``proactive``, ``repealed`` …). An
unknown field is an error, so that a misspelt one is not silently dropped.

Each line is imported in its own transaction: a bad line is reported with its number and a
Chinese reason, and the others are imported. A line whose 索引号 exists already is skipped, so
running the same file again changes nothing. A dry run imports every line inside one
transaction that is rolled back at the end, so it reports exactly what a real run would.
"""

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypedDict, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.accounts.models import User
from gongkai.core.errors import CoreError
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import Outcome, org_resolve_code_or_name

from . import services
from .errors import PublishingError, PublishingErrorCode
from .models import (
    Disclosure,
    Document,
    Genre,
    InterpretationForm,
    LegalBasis,
    Topic,
    Validity,
)
from .services import GazettePlacement, InterpretationLink

REQUIRED = (
    "index_no",
    "title",
    "organisation",
    "genre",
    "topic",
    "written_on",
    "published_at",
    "summary",
)
OPTIONAL = (
    "doc_no",
    "body",
    "keywords",
    "validity",
    "disclosure",
    "legal_basis",
    "disclosure_reason",
    "co_issuers",
    "interpretation",
    "gazette",
)
INTERPRETATION_FIELDS = ("policies", "form", "leader_name")
GAZETTE_FIELDS = ("year", "number", "published_on", "position")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?:Z|[+-]\d{2}:\d{2})?")
_TOPIC_SEPARATOR = re.compile(r"\s*[/／]\s*")
_CANDIDATES_SHOWN = 5

C = TypeVar("C", bound=models.TextChoices)


class ImportFields(TypedDict):
    """One line, parsed: the arguments of ``services.document_import_published``."""

    index_no: str
    title: str
    organisation: Organisation
    genre: Genre
    topic: Topic
    written_on: date
    published_at: datetime
    summary: str
    doc_no: str
    body: str
    keywords: str
    validity: str
    disclosure: str
    legal_basis: LegalBasis | None
    disclosure_reason: str
    co_issuers: list[Organisation]
    interpretation: InterpretationLink | None
    gazette: GazettePlacement | None


def parse_line(text: str) -> ImportFields:
    """Read one line; ``PublishingError`` with the reason when it cannot be imported as is.

    Only the form is checked here (fields, types, dates) and names are looked up; the rules a
    document must meet are the service's."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PublishingError(PublishingErrorCode.IMPORT_BAD_JSON, problem=error.msg) from None
    except RecursionError:
        problem = _("嵌套层级过深")
        raise PublishingError(PublishingErrorCode.IMPORT_BAD_JSON, problem=problem) from None
    if not isinstance(data, dict):
        raise PublishingError(PublishingErrorCode.IMPORT_NOT_OBJECT)
    _check_keys(data, REQUIRED, OPTIONAL)
    written_on = _date(data, "written_on")
    organisation = _organisation(_text(data, "organisation"), on=written_on)
    disclosure = _choice(data, "disclosure", Disclosure, Disclosure.PROACTIVE)
    basis = _optional_text(data, "legal_basis")
    return {
        "index_no": _text(data, "index_no"),
        "title": _text(data, "title"),
        "organisation": organisation,
        "genre": _genre(_text(data, "genre")),
        "topic": _topic(_text(data, "topic")),
        "written_on": written_on,
        "published_at": _datetime(data, "published_at"),
        "summary": _text(data, "summary"),
        "doc_no": _optional_text(data, "doc_no"),
        "body": _optional_text(data, "body"),
        "keywords": _optional_text(data, "keywords"),
        "validity": _choice(data, "validity", Validity, Validity.CURRENT),
        "disclosure": disclosure,
        "legal_basis": _legal_basis(basis) if basis else None,
        "disclosure_reason": _optional_text(data, "disclosure_reason"),
        "co_issuers": [
            _organisation(name, on=written_on, context=organisation)
            for name in _text_list(data, "co_issuers")
        ],
        "interpretation": _interpretation(data["interpretation"])
        if data.get("interpretation") is not None
        else None,
        "gazette": _gazette(data["gazette"]) if data.get("gazette") is not None else None,
    }


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("第 %(line)d 行：%(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ImportReport:
    imported: int = 0
    skipped: int = 0  # the 索引号 exists already
    errors: list[LineError] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return _("导入 %(imported)d 件，跳过已存在 %(skipped)d 件，错误 %(errors)d 行") % {
            "imported": self.imported,
            "skipped": self.skipped,
            "errors": len(self.errors),
        }


def import_lines(
    lines: Iterable[bytes | str],
    *,
    author: User,
    actor: User | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import each line in its own transaction (see the module docstring); ``author`` is
    recorded as the 起草人 of every document. ``dry_run`` writes nothing."""
    if not dry_run:
        return _import(lines, author=author, actor=actor)
    with transaction.atomic():
        report = _import(lines, author=author, actor=actor)
        transaction.set_rollback(True)
    return report


def _import(lines: Iterable[bytes | str], *, author: User, actor: User | None) -> ImportReport:
    report = ImportReport()
    for number, raw in enumerate(lines, start=1):
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            error = PublishingError(PublishingErrorCode.IMPORT_BAD_ENCODING)
            report.errors.append(LineError(number, error.message))
            continue
        text = text.removeprefix("\ufeff") if number == 1 else text
        if not text.strip():
            continue
        try:
            with transaction.atomic():
                _document, created = services.document_import_published(
                    actor=actor, author=author, **parse_line(text)
                )
        except CoreError as error:
            report.errors.append(LineError(number, error.message))
        except ValidationError as error:
            report.errors.append(LineError(number, _validation_reason(error)))
        else:
            if created:
                report.imported += 1
            else:
                report.skipped += 1
    return report


def _validation_reason(error: ValidationError) -> str:
    """The messages of a failed ``full_clean``, each after the field it concerns."""
    if not hasattr(error, "error_dict"):
        return "；".join(error.messages)
    return "；".join(
        f"{_label(name) if name in FIELD_LABELS else name}：{message}"
        if name != NON_FIELD_ERRORS
        else message
        for name, messages in error.message_dict.items()
        for message in messages
    )


# Reading the fields.

FIELD_LABELS = {
    "index_no": gettext_lazy("索引号"),
    "title": gettext_lazy("标题"),
    "organisation": gettext_lazy("发布机构"),
    "genre": gettext_lazy("体裁"),
    "topic": gettext_lazy("主题分类"),
    "written_on": gettext_lazy("成文日期"),
    "published_at": gettext_lazy("发布日期"),
    "summary": gettext_lazy("内容概述"),
    "doc_no": gettext_lazy("发文字号"),
    "body": gettext_lazy("正文"),
    "keywords": gettext_lazy("主题词"),
    "validity": gettext_lazy("有效性"),
    "disclosure": gettext_lazy("公开属性"),
    "legal_basis": gettext_lazy("公开属性依据"),
    "disclosure_reason": gettext_lazy("理由"),
    "co_issuers": gettext_lazy("联合发文机构"),
    "interpretation": gettext_lazy("政策解读"),
    "gazette": gettext_lazy("政府公报"),
    "interpretation.policies": gettext_lazy("所解读的政策"),
    "interpretation.form": gettext_lazy("解读形式"),
    "interpretation.leader_name": gettext_lazy("解读负责人"),
    "gazette.year": gettext_lazy("公报年份"),
    "gazette.number": gettext_lazy("公报期号"),
    "gazette.published_on": gettext_lazy("公报出版日期"),
    "gazette.position": gettext_lazy("公报目录序号"),
}


def _label(key: str) -> str:
    """How messages name a field: ``written_on（成文日期）``."""
    return f"{key}（{FIELD_LABELS[key]}）"


def _check_keys(
    data: Mapping[str, Any], required: Iterable[str], optional: Iterable[str], prefix: str = ""
) -> None:
    known = {*required, *optional}
    unknown = sorted(f"{prefix}{key}" for key in data if key not in known)
    if unknown:
        raise PublishingError(PublishingErrorCode.IMPORT_UNKNOWN_FIELDS, fields="、".join(unknown))
    missing = [
        _label(f"{prefix}{key}")
        for key in required
        if data.get(key) is None or (isinstance(data[key], str) and not data[key].strip())
    ]
    if missing:
        raise PublishingError(PublishingErrorCode.IMPORT_MISSING_FIELDS, fields="、".join(missing))


def _bad_type(key: str, expected: str) -> PublishingError:
    return PublishingError(
        PublishingErrorCode.IMPORT_BAD_TYPE, field=_label(key), expected=expected
    )


def _text(data: Mapping[str, Any], key: str, prefix: str = "") -> str:
    value = data[key]
    if not isinstance(value, str):
        raise _bad_type(f"{prefix}{key}", _("文本"))
    return value.strip()


def _optional_text(data: Mapping[str, Any], key: str, prefix: str = "") -> str:
    return "" if data.get(key) is None else _text(data, key, prefix)


def _text_list(data: Mapping[str, Any], key: str, prefix: str = "") -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _bad_type(f"{prefix}{key}", _("文本列表"))
    return [item.strip() for item in value if item.strip()]


def _integer(data: Mapping[str, Any], key: str, prefix: str) -> int:
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad_type(f"{prefix}{key}", _("整数"))
    return value


def _date(data: Mapping[str, Any], key: str, prefix: str = "") -> date:
    value = _text(data, key, prefix)
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise PublishingError(
        PublishingErrorCode.IMPORT_BAD_DATE, field=_label(f"{prefix}{key}"), value=value
    )


def _datetime(data: Mapping[str, Any], key: str) -> datetime:
    value = _text(data, key)
    try:
        if _DATETIME.fullmatch(value):
            moment = datetime.fromisoformat(value)
            return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    except ValueError:
        pass
    raise PublishingError(PublishingErrorCode.IMPORT_BAD_DATETIME, field=_label(key), value=value)


def _choice(
    data: Mapping[str, Any], key: str, choices: type[C], default: str, prefix: str = ""
) -> str:
    """A choice by its value or its Chinese label."""
    if data.get(key) is None:
        return default
    value = _text(data, key, prefix)
    by_label = {str(label): stored for stored, label in choices.choices}
    if value in choices.values:
        return value
    if value in by_label:
        return by_label[value]
    raise PublishingError(
        PublishingErrorCode.IMPORT_BAD_CHOICE,
        field=_label(f"{prefix}{key}"),
        value=value,
        choices="、".join(by_label),
    )


def _organisation(value: str, *, on: date, context: Organisation | None = None) -> Organisation:
    """By code, else by a name in use on ``on`` (former names included)."""
    resolution = org_resolve_code_or_name(value, on=on, context_org=context)
    if resolution.outcome is Outcome.SINGLE:
        return resolution.single()
    if resolution.outcome is Outcome.UNRESOLVED:
        raise PublishingError(PublishingErrorCode.IMPORT_UNKNOWN_ORGANISATION, value=value)
    raise PublishingError(
        PublishingErrorCode.IMPORT_AMBIGUOUS_ORGANISATION,
        value=value,
        candidates=_some(org.name for org in resolution.organisations),
    )


def _some(names: Iterable[str]) -> str:
    listed = list(names)
    shown = "、".join(listed[:_CANDIDATES_SHOWN])
    if len(listed) > _CANDIDATES_SHOWN:
        shown += _("等 %(count)d 个") % {"count": len(listed)}
    return shown


def _genre(value: str) -> Genre:
    genre = Genre.objects.filter(name=value).first()
    if genre is None:
        raise PublishingError(PublishingErrorCode.IMPORT_UNKNOWN_GENRE, value=value)
    return genre


def _topic(value: str) -> Topic:
    parts = _TOPIC_SEPARATOR.split(value)
    if len(parts) == 2:
        topics = Topic.objects.filter(parent__name=parts[0], name=parts[1])
    else:
        topics = Topic.objects.filter(name=value)
    found = sorted(topics.select_related("parent"), key=_tree_order)
    if not found:
        raise PublishingError(PublishingErrorCode.IMPORT_UNKNOWN_TOPIC, value=value)
    if len(found) > 1:
        raise PublishingError(
            PublishingErrorCode.IMPORT_AMBIGUOUS_TOPIC,
            value=value,
            candidates=_some(str(topic) for topic in found),
        )
    return found[0]


def _tree_order(topic: Topic) -> tuple[int, int, int]:
    """Topics in the order of the tree: each top-level topic, then its children."""
    root = topic.parent or topic
    return (root.sort_order, topic.parent_id is not None, topic.sort_order)


def _legal_basis(code: str) -> LegalBasis:
    basis = LegalBasis.objects.filter(code=code).first()
    if basis is None:
        codes = LegalBasis.objects.values_list("code", flat=True)
        raise PublishingError(
            PublishingErrorCode.IMPORT_UNKNOWN_LEGAL_BASIS, value=code, choices="、".join(codes)
        )
    return basis


def _interpretation(value: object) -> InterpretationLink:
    prefix = "interpretation."
    if not isinstance(value, dict):
        raise _bad_type("interpretation", _("JSON 对象"))
    _check_keys(value, ("policies", "form"), ("leader_name",), prefix)
    index_nos = _text_list(value, "policies", prefix)
    policies = []
    for index_no in index_nos:
        policy = Document.objects.filter(index_no=index_no).first()
        if policy is None:
            raise PublishingError(PublishingErrorCode.IMPORT_UNKNOWN_POLICY, value=index_no)
        policies.append(policy)
    form = _choice(value, "form", InterpretationForm, "", prefix)
    return InterpretationLink(
        policies=policies, form=form, leader_name=_optional_text(value, "leader_name", prefix)
    )


def _gazette(value: object) -> GazettePlacement:
    prefix = "gazette."
    if not isinstance(value, dict):
        raise _bad_type("gazette", _("JSON 对象"))
    _check_keys(value, ("year", "number", "published_on"), ("position",), prefix)
    return GazettePlacement(
        year=_integer(value, "year", prefix),
        number=_integer(value, "number", prefix),
        published_on=_date(value, "published_on", prefix),
        position=_integer(value, "position", prefix) if value.get("position") is not None else None,
    )
