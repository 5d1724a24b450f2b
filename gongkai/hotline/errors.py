"""Error codes of the hotline and their Chinese messages."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class HotlineErrorCode(StrEnum):
    PERMISSION_DENIED = "hotline.permission_denied"
    BAD_TRANSITION = "hotline.bad_transition"
    INVALID = "hotline.invalid"
    CONTENT_REQUIRED = "hotline.content_required"
    CONTACT_REQUIRED = "hotline.contact_required"
    REASON_REQUIRED = "hotline.reason_required"
    NO_TIME_LIMIT = "hotline.no_time_limit"
    LEAD_REQUIRED = "hotline.lead_required"
    LEAD_ALSO_CO = "hotline.lead_also_co"
    ORGANISATION_CLOSED = "hotline.organisation_closed"
    STREET_OUTSIDE_DISTRICT = "hotline.street_outside_district"
    CALL_BACK_FIRST = "hotline.call_back_first"
    MERGE_INTO_SELF = "hotline.merge_into_self"
    MERGE_TARGET_CLOSED = "hotline.merge_target_closed"
    EXTENSION_PENDING = "hotline.extension_pending"
    EXTENSION_DECIDED = "hotline.extension_decided"
    EXTENSION_NOT_LATER = "hotline.extension_not_later"
    ORDER_NOT_OPEN = "hotline.order_not_open"
    ALREADY_SUPERVISED = "hotline.already_supervised"


class HotlineError(CoreError):
    forbidden = frozenset({HotlineErrorCode.PERMISSION_DENIED})
    conflicts = frozenset(
        {
            HotlineErrorCode.BAD_TRANSITION,
            HotlineErrorCode.ORDER_NOT_OPEN,
            HotlineErrorCode.EXTENSION_PENDING,
            HotlineErrorCode.EXTENSION_DECIDED,
            HotlineErrorCode.ALREADY_SUPERVISED,
            HotlineErrorCode.CALL_BACK_FIRST,
        }
    )
    messages = {
        HotlineErrorCode.PERMISSION_DENIED: _("您没有权限办理该工单。"),
        HotlineErrorCode.BAD_TRANSITION: _("工单当前状态为“%(status)s”，不能“%(action)s”。"),
        HotlineErrorCode.INVALID: _("%(field)s：%(message)s"),
        HotlineErrorCode.CONTENT_REQUIRED: _("请填写诉求内容。"),
        HotlineErrorCode.CONTACT_REQUIRED: _("请留下联系电话或电子邮箱，以便回复和回访。"),
        HotlineErrorCode.REASON_REQUIRED: _("请填写理由。"),
        HotlineErrorCode.NO_TIME_LIMIT: _("没有适用于“%(urgency)s”的办理时限，请系统管理员设置。"),
        HotlineErrorCode.LEAD_REQUIRED: _("请指定主办单位。"),
        HotlineErrorCode.LEAD_ALSO_CO: _("主办单位不能同时是协办单位。"),
        HotlineErrorCode.ORGANISATION_CLOSED: _("“%(name)s”已撤销或合并，不能派单。"),
        HotlineErrorCode.STREET_OUTSIDE_DISTRICT: _("“%(street)s”不属于“%(district)s”。"),
        HotlineErrorCode.CALL_BACK_FIRST: _("请先完成回访，再办结工单。"),
        HotlineErrorCode.MERGE_INTO_SELF: _("不能把工单并入它自己。"),
        HotlineErrorCode.MERGE_TARGET_CLOSED: _("只能并入尚未办结的工单。"),
        HotlineErrorCode.EXTENSION_PENDING: _("该工单已有待审批的延期申请。"),
        HotlineErrorCode.EXTENSION_DECIDED: _("该延期申请已审批。"),
        HotlineErrorCode.EXTENSION_NOT_LATER: _("延期后的时间应晚于当前办结时限 %(due)s。"),
        HotlineErrorCode.ORDER_NOT_OPEN: _("工单已办结或已并单。"),
        HotlineErrorCode.ALREADY_SUPERVISED: _("该工单已因“%(reason)s”在督办中。"),
    }
