"""Error codes of public participation and their Chinese messages."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class ParticipationErrorCode(StrEnum):
    PERMISSION_DENIED = "participation.permission_denied"
    INVALID = "participation.invalid"
    ORGANISATION_CLOSED = "participation.organisation_closed"
    TYPE_INACTIVE = "participation.type_inactive"
    NO_PARAGRAPHS = "participation.no_paragraphs"
    CLOSES_BEFORE_OPENS = "participation.closes_before_opens"
    NOT_DRAFT = "participation.not_draft"
    ALREADY_CLOSED = "participation.already_closed"
    PERIOD_TOO_SHORT = "participation.period_too_short"
    NOT_OPEN = "participation.not_open"
    UNKNOWN_PARAGRAPH = "participation.unknown_paragraph"
    ALREADY_HIDDEN = "participation.already_hidden"
    REASON_REQUIRED = "participation.reason_required"


class ParticipationError(CoreError):
    forbidden = frozenset({ParticipationErrorCode.PERMISSION_DENIED})
    conflicts = frozenset(
        {
            ParticipationErrorCode.NOT_DRAFT,
            ParticipationErrorCode.ALREADY_CLOSED,
            ParticipationErrorCode.NOT_OPEN,
            ParticipationErrorCode.ALREADY_HIDDEN,
        }
    )
    messages = {
        ParticipationErrorCode.PERMISSION_DENIED: _("您没有权限办理该意见征集事项。"),
        ParticipationErrorCode.INVALID: _("%(field)s：%(message)s"),
        ParticipationErrorCode.ORGANISATION_CLOSED: _("“%(name)s”已撤销，不能再发起意见征集。"),
        ParticipationErrorCode.TYPE_INACTIVE: _("征求意见类型“%(name)s”已停用。"),
        ParticipationErrorCode.NO_PARAGRAPHS: _("草案正文不能为空。"),
        ParticipationErrorCode.CLOSES_BEFORE_OPENS: _("截止时间应晚于开始时间。"),
        ParticipationErrorCode.NOT_DRAFT: _("该意见征集已发布，不能再修改或重复发布。"),
        ParticipationErrorCode.ALREADY_CLOSED: _("截止时间（%(closes_at)s）已过，不能发布。"),
        ParticipationErrorCode.PERIOD_TOO_SHORT: _(
            "“%(type)s”的征求意见期一般不少于 %(minimum)d%(unit)s，本次仅 %(days)d%(unit)s"
            "（截止时间最早为 %(earliest)s）。缩短期限的，须填写理由并向社会公开。"
        ),
        ParticipationErrorCode.NOT_OPEN: _("该意见征集%(phase)s，不能提交意见。"),
        ParticipationErrorCode.UNKNOWN_PARAGRAPH: _("草案没有第 %(number)s 段。"),
        ParticipationErrorCode.ALREADY_HIDDEN: _("该意见已被屏蔽。"),
        ParticipationErrorCode.REASON_REQUIRED: _("请填写屏蔽理由。"),
    }
