"""Error codes of the publishing app and their Chinese messages."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class PublishingErrorCode(StrEnum):
    BAD_DOC_NO = "publishing.bad_doc_no"
    BAD_REFERENCE_DATA = "publishing.bad_reference_data"
    PERMISSION_DENIED = "publishing.permission_denied"
    BAD_TRANSITION = "publishing.bad_transition"
    DISCLOSURE_REQUIRED = "publishing.disclosure_required"
    LEGAL_BASIS_REQUIRED = "publishing.legal_basis_required"
    LEGAL_BASIS_MISMATCH = "publishing.legal_basis_mismatch"
    DISCLOSURE_REASON_REQUIRED = "publishing.disclosure_reason_required"
    LEGAL_BASIS_NOT_ALLOWED = "publishing.legal_basis_not_allowed"
    INTERPRETATION_GENRE = "publishing.interpretation_genre"
    TEXT_REQUIRED = "publishing.text_required"
    OWN_DRAFT = "publishing.own_draft"
    OVERRIDE_REQUIRED = "publishing.override_required"
    UNKNOWN_OVERRIDE = "publishing.unknown_override"
    INTERPRETATION_REQUIRED = "publishing.interpretation_required"
    INTERPRETATION_NOT_LINKED = "publishing.interpretation_not_linked"
    NOT_NORMATIVE = "publishing.not_normative"
    BAD_REPLACEMENT = "publishing.bad_replacement"
    LEADER_NAME_REQUIRED = "publishing.leader_name_required"
    POLICY_REQUIRED = "publishing.policy_required"
    BAD_POLICY = "publishing.bad_policy"


class PublishingError(CoreError):
    """A refused publishing operation; ``message`` is the Chinese text for the user."""

    messages = {
        PublishingErrorCode.BAD_DOC_NO: _(
            "发文字号“%(value)s”格式不正确，应为“机关代字〔年份〕序号号”，例如：京政办发〔2018〕16号。"
        ),
        PublishingErrorCode.BAD_REFERENCE_DATA: _("参考数据文件 %(file)s 有误：%(problem)s"),
        PublishingErrorCode.PERMISSION_DENIED: _("您没有权限执行“%(action)s”操作。"),
        PublishingErrorCode.BAD_TRANSITION: _(
            "“%(title)s”当前状态为“%(status)s”，不能执行“%(action)s”操作。"
        ),
        PublishingErrorCode.DISCLOSURE_REQUIRED: _(
            "请选择公开属性：主动公开、依申请公开或不予公开。"
        ),
        PublishingErrorCode.LEGAL_BASIS_REQUIRED: _(
            "公开属性为“%(disclosure)s”的政府信息须选择依据（政府信息公开条例的条款）。"
        ),
        PublishingErrorCode.LEGAL_BASIS_MISMATCH: _(
            "所选依据“%(basis)s”适用于“%(expected)s”，与公开属性“%(disclosure)s”不符。"
        ),
        PublishingErrorCode.DISCLOSURE_REASON_REQUIRED: _(
            "公开属性为“%(disclosure)s”的政府信息须填写理由。"
        ),
        PublishingErrorCode.LEGAL_BASIS_NOT_ALLOWED: _(
            "主动公开的政府信息不填写不公开或依申请公开的依据和理由。"
        ),
        PublishingErrorCode.INTERPRETATION_GENRE: _(
            "解读体裁专用于政策解读：政策解读请通过“新建政策解读”创建，"
            "其他政府信息不能使用解读体裁，政策解读也不能改用其他体裁。"
        ),
        PublishingErrorCode.TEXT_REQUIRED: _("请填写%(what)s。"),
        PublishingErrorCode.OWN_DRAFT: _("审核人不能审核通过自己起草的政府信息“%(title)s”。"),
        PublishingErrorCode.OVERRIDE_REQUIRED: _(
            "以下发布前检查未通过，审核通过须逐项填写放行理由：%(checks)s。"
        ),
        PublishingErrorCode.UNKNOWN_OVERRIDE: _(
            "以下检查项不是本版本未通过的检查，不能填写放行理由：%(checks)s。"
        ),
        PublishingErrorCode.INTERPRETATION_REQUIRED: _(
            "“%(title)s”是规范性文件，须有已发布或同时发布的政策解读，"
            "或由审核人记录免于同步解读的理由后才能发布。"
        ),
        PublishingErrorCode.INTERPRETATION_NOT_LINKED: _(
            "“%(title)s”不是“%(policy)s”的政策解读，不能与其同时发布。"
        ),
        PublishingErrorCode.NOT_NORMATIVE: _(
            "“%(title)s”不是规范性文件，无须记录免于同步解读的理由。"
        ),
        PublishingErrorCode.BAD_REPLACEMENT: _(
            "只有“已修改”或“废止”的文件可以关联替代文件，且替代文件不能是其本身。"
        ),
        PublishingErrorCode.LEADER_NAME_REQUIRED: _("负责人解读须填写解读负责人姓名。"),
        PublishingErrorCode.POLICY_REQUIRED: _("政策解读须关联至少一件所解读的政策文件。"),
        PublishingErrorCode.BAD_POLICY: _("“%(title)s”本身是政策解读，不能作为被解读的政策。"),
    }
