"""Error codes of the annual report and their Chinese messages."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class ReportErrorCode(StrEnum):
    PERMISSION_DENIED = "reports.permission_denied"
    INVALID = "reports.invalid"
    BAD_YEAR = "reports.bad_year"
    EXISTS = "reports.exists"
    UNKNOWN_ORGANISATION = "reports.unknown_organisation"
    LOCKED = "reports.locked"
    YEAR_NOT_OVER = "reports.year_not_over"
    CHECKS_FAILED = "reports.checks_failed"
    NOT_IN_REVIEW = "reports.not_in_review"
    PUBLICATION_SETUP = "reports.publication_setup"


class ReportError(CoreError):
    forbidden = frozenset({ReportErrorCode.PERMISSION_DENIED})
    conflicts = frozenset(
        {ReportErrorCode.LOCKED, ReportErrorCode.NOT_IN_REVIEW, ReportErrorCode.EXISTS}
    )
    messages = {
        ReportErrorCode.PERMISSION_DENIED: _("您没有权限%(action)s。"),
        ReportErrorCode.INVALID: _("%(field)s：%(message)s"),
        ReportErrorCode.BAD_YEAR: _("年度“%(value)s”无效，应为 %(first)d 至 %(last)d 之间的年份。"),
        ReportErrorCode.EXISTS: _("%(organisation)s%(year)s年的年度报告已经存在。"),
        ReportErrorCode.UNKNOWN_ORGANISATION: _("找不到机构代码为“%(value)s”的机构。"),
        ReportErrorCode.LOCKED: _("年度报告%(stage)s，不能修改或再次提交。"),
        ReportErrorCode.YEAR_NOT_OVER: _("%(year)s年尚未结束，年度报告须在次年提交发布。"),
        ReportErrorCode.CHECKS_FAILED: _("年度报告未通过检查，不能提交：%(failures)s"),
        ReportErrorCode.NOT_IN_REVIEW: _("年度报告当前%(stage)s，没有待发布的内容。"),
        ReportErrorCode.PUBLICATION_SETUP: _(
            "找不到发布年度报告所用的体裁“%(genre)s”或主题分类“%(topic)s”，"
            "请系统管理员在参考数据中恢复，或修改 reports/data/format.yaml。"
        ),
    }
