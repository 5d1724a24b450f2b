"""Error codes of disclosure on request and their Chinese messages (the clock's are in
``clock.ClockError``)."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class FoiErrorCode(StrEnum):
    PERMISSION_DENIED = "foi.permission_denied"
    INVALID = "foi.invalid"
    BAD_ID_NUMBER = "foi.bad_id_number"
    BAD_CREDIT_CODE = "foi.bad_credit_code"
    ID_TYPE_MISMATCH = "foi.id_type_mismatch"
    CONTACT_REQUIRED = "foi.contact_required"
    ADDRESS_REQUIRED = "foi.address_required"
    EMAIL_REQUIRED = "foi.email_required"
    ORGANISATION_CLOSED = "foi.organisation_closed"
    FUTURE_DATE = "foi.future_date"
    CLOSED = "foi.closed"
    NOT_CLOSED = "foi.not_closed"
    NOT_AWAITING_CORRECTION = "foi.not_awaiting_correction"
    REFERRAL_REQUIRED = "foi.referral_required"
    REASON_REQUIRED = "foi.reason_required"
    EXTENSION_PENDING = "foi.extension_pending"
    EXTENSION_DECIDED = "foi.extension_decided"
    OWN_EXTENSION = "foi.own_extension"
    ATTACHMENT_TOO_LARGE = "foi.attachment_too_large"
    TOO_MANY_ATTACHMENTS = "foi.too_many_attachments"
    BAD_QUERY_CODE = "foi.bad_query_code"
    APPEAL_DECIDED = "foi.appeal_decided"
    DECIDED_BEFORE_FILED = "foi.decided_before_filed"
    LETTER_EVENT_MISSING = "foi.letter_event_missing"
    LETTER_EVENT_MISMATCH = "foi.letter_event_mismatch"
    TEMPLATE_MISSING = "foi.template_missing"
    TEMPLATE_PLACEHOLDER = "foi.template_placeholder"
    TEMPLATE_SYNTAX = "foi.template_syntax"
    ENCLOSURES_REPLY_ONLY = "foi.enclosures_reply_only"
    ENCLOSURE_TYPE = "foi.enclosure_type"
    ENCLOSURE_UNREADABLE = "foi.enclosure_unreadable"
    DELIVERED_BEFORE_ISSUED = "foi.delivered_before_issued"
    FEE_METHOD = "foi.fee_method"
    FEE_PAGES_REQUIRED = "foi.fee_pages_required"
    FEE_NOT_DUE = "foi.fee_not_due"
    LINK_UNKNOWN = "foi.link_unknown"
    LINK_USED = "foi.link_used"
    LINK_EXPIRED = "foi.link_expired"


class FoiError(CoreError):
    forbidden = frozenset({FoiErrorCode.PERMISSION_DENIED, FoiErrorCode.OWN_EXTENSION})
    conflicts = frozenset(
        {
            FoiErrorCode.CLOSED,
            FoiErrorCode.NOT_AWAITING_CORRECTION,
            FoiErrorCode.EXTENSION_PENDING,
            FoiErrorCode.EXTENSION_DECIDED,
            FoiErrorCode.APPEAL_DECIDED,
        }
    )
    messages = {
        FoiErrorCode.PERMISSION_DENIED: _("您没有权限办理该申请。"),
        FoiErrorCode.INVALID: _("%(field)s：%(message)s"),
        FoiErrorCode.BAD_ID_NUMBER: _("居民身份证号码无效（应为 18 位，出生日期和校验码须正确）。"),
        FoiErrorCode.BAD_CREDIT_CODE: _("统一社会信用代码无效（应为 18 位，校验码须正确）。"),
        FoiErrorCode.ID_TYPE_MISMATCH: _("%(applicant)s应提供%(expected)s。"),
        FoiErrorCode.CONTACT_REQUIRED: _("法人或其他组织申请的，请填写联系人。"),
        FoiErrorCode.ADDRESS_REQUIRED: _("选择邮寄方式获取信息的，请填写通信地址和邮政编码。"),
        FoiErrorCode.EMAIL_REQUIRED: _("选择电子邮件方式获取信息的，请填写电子邮箱。"),
        FoiErrorCode.ORGANISATION_CLOSED: _("“%(name)s”已不再受理申请，请向其承继机关提出。"),
        FoiErrorCode.FUTURE_DATE: _("%(field)s（%(date)s）不能晚于今天。"),
        FoiErrorCode.CLOSED: _("该申请已办结（%(status)s），不能再登记办理事项。"),
        FoiErrorCode.NOT_CLOSED: _("该申请尚未办结。"),
        FoiErrorCode.NOT_AWAITING_CORRECTION: _("该申请当前不需要补正。"),
        FoiErrorCode.REFERRAL_REQUIRED: _(
            "告知申请人向其他机关申请的，须写明该机关的名称和联系方式。"
        ),
        FoiErrorCode.REASON_REQUIRED: _("请填写理由。"),
        FoiErrorCode.EXTENSION_PENDING: _("该申请已有待审批的延期申请。"),
        FoiErrorCode.EXTENSION_DECIDED: _("该延期申请已审批。"),
        FoiErrorCode.OWN_EXTENSION: _("不能审批本人提出的延期申请。"),
        FoiErrorCode.ATTACHMENT_TOO_LARGE: _("附件“%(name)s”超过 %(limit)s MB。"),
        FoiErrorCode.TOO_MANY_ATTACHMENTS: _("附件最多 %(limit)s 个。"),
        FoiErrorCode.BAD_QUERY_CODE: _("申请编号或查询码不正确。"),
        FoiErrorCode.APPEAL_DECIDED: _("该复议或诉讼已审结。"),
        FoiErrorCode.DECIDED_BEFORE_FILED: _("审结日期不能早于提起日期。"),
        FoiErrorCode.LETTER_EVENT_MISSING: _("尚未记录“%(event)s”，不能出具%(letter)s。"),
        FoiErrorCode.LETTER_EVENT_MISMATCH: _("%(letter)s应依据本申请的“%(event)s”出具。"),
        FoiErrorCode.TEMPLATE_MISSING: _(
            "尚未设置“%(name)s”的文书模板，请系统管理员在管理后台补充。"
        ),
        FoiErrorCode.TEMPLATE_PLACEHOLDER: _(
            "文书模板中的占位符“{%(name)s}”不存在。可用的占位符：%(names)s。"
        ),
        FoiErrorCode.TEMPLATE_SYNTAX: _(
            "文书模板的花括号不配对（%(problem)s）。占位符应写作 {applicant} 的形式；"
            "正文中要显示花括号的，请写作 {{ 和 }}。"
        ),
        FoiErrorCode.ENCLOSURES_REPLY_ONLY: _("只有答复告知书可以附送政府信息。"),
        FoiErrorCode.ENCLOSURE_TYPE: _(
            "附件“%(name)s”的格式不支持：为遮盖其中的个人信息，答复附件只能是 .txt 或 .docx 文件。"
        ),
        FoiErrorCode.ENCLOSURE_UNREADABLE: _("附件“%(name)s”无法读取，请检查文件是否完好。"),
        FoiErrorCode.DELIVERED_BEFORE_ISSUED: _(
            "送达日期（%(date)s）不能早于文书日期（%(issued)s）。"
        ),
        FoiErrorCode.FEE_METHOD: _("收费方式应为“按件计收”或“按量计收”。"),
        FoiErrorCode.FEE_PAGES_REQUIRED: _("按量计收的，请填写所提供信息的页数（正整数）。"),
        FoiErrorCode.FEE_NOT_DUE: _("按%(method)s，本申请不需收取信息处理费：%(detail)s"),
        FoiErrorCode.LINK_UNKNOWN: _("该链接无效，请使用申请编号和查询码查询。"),
        FoiErrorCode.LINK_USED: _(
            "该链接已经使用过，每个链接只能使用一次。请使用申请编号和查询码查询。"
        ),
        FoiErrorCode.LINK_EXPIRED: _("该链接已过期，请使用申请编号和查询码查询。"),
    }
