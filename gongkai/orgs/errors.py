"""Error codes of the orgs app, each with the Chinese message shown to people."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class OrgErrorCode(StrEnum):
    INACTIVE = "orgs.inactive"
    NOTHING_TO_RENAME = "orgs.nothing_to_rename"
    RENAME_TOO_EARLY = "orgs.rename_too_early"
    NOTICE_REQUIRED = "orgs.notice_required"
    MERGE_NO_SOURCES = "orgs.merge_no_sources"
    MERGE_INTO_SOURCE = "orgs.merge_into_source"
    MERGE_TOO_EARLY = "orgs.merge_too_early"
    HAS_ACTIVE_CHILDREN = "orgs.has_active_children"
    ALIAS_TAKEN = "orgs.alias_taken"
    ALIAS_NOT_FOUND = "orgs.alias_not_found"
    NOT_SINGLE = "orgs.not_single"
    BAD_REFERENCE_DATA = "orgs.bad_reference_data"


class OrgError(CoreError, ValueError):
    """A refused organisation operation; ``code`` for programs, ``message`` for people."""

    messages = {
        OrgErrorCode.INACTIVE: _("“%(name)s”已撤并，不能再变更。"),
        OrgErrorCode.NOTHING_TO_RENAME: _("新名称与“%(name)s”的现用名称相同。"),
        OrgErrorCode.RENAME_TOO_EARLY: _(
            "更名日期 %(date)s 应晚于现用名称“%(name)s”的启用日期 %(since)s。"
        ),
        OrgErrorCode.NOTICE_REQUIRED: _("请填写变更依据（如机构改革方案或批复文件）。"),
        OrgErrorCode.MERGE_NO_SOURCES: _("请选择要并入的机构。"),
        OrgErrorCode.MERGE_INTO_SOURCE: _("“%(name)s”不能并入自身。"),
        OrgErrorCode.MERGE_TOO_EARLY: _(
            "撤并日期 %(date)s 早于“%(name)s”的设立或启用日期 %(since)s。"
        ),
        OrgErrorCode.HAS_ACTIVE_CHILDREN: _(
            "“%(name)s”仍有存续的下级机构（%(children)s），请先调整其上级机构。"
        ),
        OrgErrorCode.ALIAS_TAKEN: _("“%(name)s”已有别名“%(alias)s”。"),
        OrgErrorCode.ALIAS_NOT_FOUND: _("“%(name)s”没有别名“%(alias)s”。"),
        OrgErrorCode.NOT_SINGLE: _("“%(text)s”没有对应到唯一的机构（%(outcome)s）。"),
        OrgErrorCode.BAD_REFERENCE_DATA: _("机构参考数据文件“%(path)s”有误：%(problem)s"),
    }
