"""Error codes and their Chinese messages for the core app.

Each error carries a stable ``code`` (for programs and tests) and a ``message`` (for people).
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CoreError(Exception):
    """Base class: ``code`` picks a message template that is filled with ``params``."""

    messages: ClassVar[Mapping[str, Promise]] = {}
    forbidden: ClassVar[frozenset[str]] = frozenset()
    """Codes that refuse the user rather than the input (HTTP 403)."""
    conflicts: ClassVar[frozenset[str]] = frozenset()
    """Codes that refuse because of the object's state, which may have moved meanwhile (409)."""

    def __init__(self, code: StrEnum, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return str(self.messages[self.code]) % self.params

    @property
    def http_status(self) -> int:
        """The status a page answers this refusal with: 403, 409, else 400 (bad input)."""
        if self.code in self.forbidden:
            return 403
        return 409 if self.code in self.conflicts else 400


def first_problem(instance: Model, error: ValidationError) -> tuple[str, str]:
    """The first problem ``instance.full_clean()`` found: the field's Chinese name (the field
    name when it is not a field, e.g. ``__all__``) and the message, for an app's own error."""
    field, messages = next(iter(error.message_dict.items()))
    names = {f.name: str(f.verbose_name) for f in instance._meta.fields}
    return names.get(field, field), messages[0]


class CalendarErrorCode(StrEnum):
    BAD_DATE = "calendar.bad_date"
    BAD_COUNT = "calendar.bad_count"
    NEGATIVE_COUNT = "calendar.negative_count"
    COUNT_TOO_LARGE = "calendar.count_too_large"
    DATE_OUT_OF_RANGE = "calendar.date_out_of_range"
    BAD_KIND = "calendar.bad_kind"
    DAY_NOT_FOUND = "calendar.day_not_found"
    FILE_MISSING = "calendar.file_missing"
    FILE_UNREADABLE = "calendar.file_unreadable"
    FILE_MALFORMED = "calendar.file_malformed"
    BAD_DOCUMENT = "calendar.bad_document"
    ONE_YEAR_ONLY = "calendar.one_year_only"
    BAD_YEAR = "calendar.bad_year"
    BAD_YEAR_BLOCK = "calendar.bad_year_block"
    UNKNOWN_KEYS = "calendar.unknown_keys"
    BAD_DAY_LIST = "calendar.bad_day_list"
    BAD_TEXT = "calendar.bad_text"
    DAY_OUTSIDE_YEAR = "calendar.day_outside_year"
    DAY_REPEATED = "calendar.day_repeated"


class CalendarError(CoreError, ValueError):
    messages = {
        CalendarErrorCode.BAD_DATE: _(
            "日期“%(value)s”无效，请使用 YYYY-MM-DD 格式，例如 2025-09-28。"
        ),
        CalendarErrorCode.BAD_COUNT: _("工作日数“%(value)s”无效，应为不小于 0 的整数。"),
        CalendarErrorCode.NEGATIVE_COUNT: _("工作日数不能为负数（收到 %(value)s）。"),
        CalendarErrorCode.COUNT_TOO_LARGE: _("工作日数不能超过 %(limit)d（收到 %(value)s）。"),
        CalendarErrorCode.DATE_OUT_OF_RANGE: _("计算结果超出了可表示的日期范围。"),
        CalendarErrorCode.BAD_KIND: _(
            "日期类型“%(value)s”无效，应为 holiday（法定节假日）或 workday（调休上班日）。"
        ),
        CalendarErrorCode.DAY_NOT_FOUND: _("%(date)s 没有设置节假日或调休上班日。"),
        CalendarErrorCode.FILE_MISSING: _("找不到文件“%(path)s”。"),
        CalendarErrorCode.FILE_UNREADABLE: _(
            "无法读取文件“%(path)s”（%(problem)s），文件应为 UTF-8 编码的文本。"
        ),
        CalendarErrorCode.FILE_MALFORMED: _(
            "文件“%(path)s”无法解析：第 %(line)s 行第 %(column)s 列附近有误（%(problem)s）。"
        ),
        CalendarErrorCode.BAD_DOCUMENT: _(
            "文件内容应为“年份: 安排”的映射，例如 2027: {holidays: [2027-01-01], workdays: []}。"
        ),
        CalendarErrorCode.ONE_YEAR_ONLY: _(
            "一个文件只能导入一个年度，此文件包含 %(count)d 个年度。"
        ),
        CalendarErrorCode.BAD_YEAR: _("“%(value)s”不是有效的年份，应为 1900 至 2100 之间的整数。"),
        CalendarErrorCode.BAD_YEAR_BLOCK: _(
            "%(year)s 年的内容应为包含 notice、holidays、workdays 字段的映射。"
        ),
        CalendarErrorCode.UNKNOWN_KEYS: _(
            "%(year)s 年含有未知字段：%(keys)s。允许的字段为 notice、holidays、workdays。"
        ),
        CalendarErrorCode.BAD_DAY_LIST: _(
            "%(year)s 年的 %(key)s 应为日期列表，或“名称: 日期列表”的映射。"
        ),
        CalendarErrorCode.BAD_TEXT: _("%(year)s 年的 %(key)s 应为不超过 %(limit)d 个字的文字。"),
        CalendarErrorCode.DAY_OUTSIDE_YEAR: _("日期 %(date)s 不在 %(year)s 年内。"),
        CalendarErrorCode.DAY_REPEATED: _(
            "日期 %(date)s 出现了不止一次：同一天只能列一次，不能既是节假日又是调休上班日。"
        ),
    }


class AuditErrorCode(StrEnum):
    IMMUTABLE = "audit.immutable"
    BAD_ACTION = "audit.bad_action"


class AuditError(CoreError):
    messages = {
        AuditErrorCode.IMMUTABLE: _("审计记录只能追加，不能修改或删除。"),
        AuditErrorCode.BAD_ACTION: _(
            "审计动作“%(value)s”无效，应为以点分隔的小写标识（应用.对象.动作），"
            "例如 orgs.organisation.rename。"
        ),
    }


class ChainProblem(StrEnum):
    TAMPERED = "audit.chain.tampered"
    BROKEN_LINK = "audit.chain.broken_link"
    GAP = "audit.chain.gap"
    TAIL_MISSING = "audit.chain.tail_missing"
    BEYOND_HEAD = "audit.chain.beyond_head"
    HEAD_MISMATCH = "audit.chain.head_mismatch"
    HEAD_MISSING = "audit.chain.head_missing"


class AuditChainBroken(CoreError):
    """Raised by the chain verification; ``params`` name the first bad event (seq, id)."""

    messages = {
        ChainProblem.TAMPERED: _(
            "第 %(seq)d 条审计记录（id=%(id)d）的内容与其哈希不符，记录被改动过。"
        ),
        ChainProblem.BROKEN_LINK: _(
            "第 %(seq)d 条审计记录（id=%(id)d）的前序哈希与上一条记录不符，记录被插入或改动过。"
        ),
        ChainProblem.GAP: _(
            "第 %(seq)d 条审计记录（id=%(id)d）之前缺少第 %(expected)d 条，记录被删除过。"
        ),
        ChainProblem.TAIL_MISSING: _(
            "链头登记共有 %(head)d 条审计记录，但最后一条是第 %(last)d 条，末尾记录被删除过。"
        ),
        ChainProblem.BEYOND_HEAD: _(
            "第 %(seq)d 条审计记录（id=%(id)d）超出了链头登记的 %(head)d 条，"
            "记录是在审计链之外插入的。"
        ),
        ChainProblem.HEAD_MISMATCH: _(
            "第 %(seq)d 条审计记录（id=%(id)d）的哈希与链头登记的不符，记录或链头被改动过。"
        ),
        ChainProblem.HEAD_MISSING: _("审计链头记录缺失，但已有 %(count)d 条审计记录。"),
    }
