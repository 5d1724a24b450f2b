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
    ATTACHMENT_TOO_LARGE = "publishing.attachment_too_large"
    ATTACHMENT_PUBLISHED = "publishing.attachment_published"
    # The gazette and the archive import.
    GAZETTE_EXISTS = "publishing.gazette_exists"
    GAZETTE_BAD_NUMBER = "publishing.gazette_bad_number"
    GAZETTE_YEAR_MISMATCH = "publishing.gazette_year_mismatch"
    GAZETTE_DATE_MISMATCH = "publishing.gazette_date_mismatch"
    GAZETTE_BAD_PDF = "publishing.gazette_bad_pdf"
    GAZETTE_NOT_PUBLIC = "publishing.gazette_not_public"
    GAZETTE_ALREADY_LISTED = "publishing.gazette_already_listed"
    GAZETTE_BAD_POSITION = "publishing.gazette_bad_position"
    GAZETTE_POSITION_TAKEN = "publishing.gazette_position_taken"
    BAD_INDEX_NO = "publishing.bad_index_no"
    AUTHOR_NOT_STAFF = "publishing.author_not_staff"
    PUBLISHED_IN_FUTURE = "publishing.published_in_future"
    PUBLISHED_BEFORE_WRITTEN = "publishing.published_before_written"
    IMPORT_BAD_ENCODING = "publishing.import_bad_encoding"
    IMPORT_BAD_JSON = "publishing.import_bad_json"
    IMPORT_NOT_OBJECT = "publishing.import_not_object"
    IMPORT_MISSING_FIELDS = "publishing.import_missing_fields"
    IMPORT_UNKNOWN_FIELDS = "publishing.import_unknown_fields"
    IMPORT_BAD_TYPE = "publishing.import_bad_type"
    IMPORT_BAD_DATE = "publishing.import_bad_date"
    IMPORT_BAD_DATETIME = "publishing.import_bad_datetime"
    IMPORT_UNKNOWN_ORGANISATION = "publishing.import_unknown_organisation"
    IMPORT_AMBIGUOUS_ORGANISATION = "publishing.import_ambiguous_organisation"
    IMPORT_UNKNOWN_GENRE = "publishing.import_unknown_genre"
    IMPORT_UNKNOWN_TOPIC = "publishing.import_unknown_topic"
    IMPORT_AMBIGUOUS_TOPIC = "publishing.import_ambiguous_topic"
    IMPORT_BAD_CHOICE = "publishing.import_bad_choice"
    IMPORT_UNKNOWN_LEGAL_BASIS = "publishing.import_unknown_legal_basis"
    IMPORT_UNKNOWN_POLICY = "publishing.import_unknown_policy"


class PublishingError(CoreError):
    forbidden = frozenset({PublishingErrorCode.PERMISSION_DENIED, PublishingErrorCode.OWN_DRAFT})
    conflicts = frozenset({PublishingErrorCode.BAD_TRANSITION})
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
        PublishingErrorCode.ATTACHMENT_TOO_LARGE: _("附件“%(name)s”超过 %(limit)d MB，不能上传。"),
        PublishingErrorCode.ATTACHMENT_PUBLISHED: _(
            "“%(title)s”已经发布过，公开页面上的附件不区分版本，修订时不能增删附件。"
        ),
        PublishingErrorCode.GAZETTE_EXISTS: _("政府公报%(year)d年第%(number)d期已经存在。"),
        PublishingErrorCode.GAZETTE_BAD_NUMBER: _(
            "公报期号应为 1 至 %(limit)d 的整数（收到 %(number)s）。"
        ),
        PublishingErrorCode.GAZETTE_YEAR_MISMATCH: _(
            "公报出版日期 %(date)s 不在 %(year)d 年内，请核对年份和出版日期。"
        ),
        PublishingErrorCode.GAZETTE_DATE_MISMATCH: _(
            "政府公报%(issue)s已存在，出版日期为 %(existing)s，与所给的 %(date)s 不一致。"
        ),
        PublishingErrorCode.GAZETTE_BAD_PDF: _("公报文件“%(name)s”不是 PDF 文件。"),
        PublishingErrorCode.GAZETTE_NOT_PUBLIC: _(
            "“%(title)s”不是已主动公开的政府信息，不能刊登在政府公报目录中。"
        ),
        PublishingErrorCode.GAZETTE_ALREADY_LISTED: _(
            "“%(title)s”已列在政府公报%(issue)s的目录中。"
        ),
        PublishingErrorCode.GAZETTE_BAD_POSITION: _(
            "公报目录序号应为正整数（收到 %(position)s）。"
        ),
        PublishingErrorCode.GAZETTE_POSITION_TAKEN: _(
            "政府公报%(issue)s目录的第 %(position)d 篇已有文件“%(title)s”。"
        ),
        PublishingErrorCode.BAD_INDEX_NO: _(
            "索引号“%(value)s”格式不正确：应由字母、数字、“-”“_”和“/”组成，"
            "不以“/”开头或结尾，最长 %(limit)d 个字符。"
        ),
        PublishingErrorCode.AUTHOR_NOT_STAFF: _("起草人“%(user)s”不是在用的工作人员账户。"),
        PublishingErrorCode.PUBLISHED_IN_FUTURE: _(
            "发布日期 %(published)s 晚于当前时间：导入的只能是已经发布的政府信息。"
        ),
        PublishingErrorCode.PUBLISHED_BEFORE_WRITTEN: _(
            "发布日期 %(published)s 早于成文日期 %(written)s。"
        ),
        PublishingErrorCode.IMPORT_BAD_ENCODING: _("不是有效的 UTF-8 文本。"),
        PublishingErrorCode.IMPORT_BAD_JSON: _("不是有效的 JSON：%(problem)s。"),
        PublishingErrorCode.IMPORT_NOT_OBJECT: _("每行应是一个 JSON 对象（{…}）。"),
        PublishingErrorCode.IMPORT_MISSING_FIELDS: _("缺少必填字段：%(fields)s。"),
        PublishingErrorCode.IMPORT_UNKNOWN_FIELDS: _("有无法识别的字段：%(fields)s。"),
        PublishingErrorCode.IMPORT_BAD_TYPE: _("字段 %(field)s应为%(expected)s。"),
        PublishingErrorCode.IMPORT_BAD_DATE: _(
            "字段 %(field)s的值“%(value)s”不是有效日期，应为 YYYY-MM-DD 格式，例如 2018-05-11。"
        ),
        PublishingErrorCode.IMPORT_BAD_DATETIME: _(
            "字段 %(field)s的值“%(value)s”不是有效的日期或时间，"
            "应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM 格式（北京时间）。"
        ),
        PublishingErrorCode.IMPORT_UNKNOWN_ORGANISATION: _(
            "无法识别机构“%(value)s”：请使用机构代码，或机构的全称、简称（含曾用名）。"
        ),
        PublishingErrorCode.IMPORT_AMBIGUOUS_ORGANISATION: _(
            "“%(value)s”可能指多个机构（%(candidates)s），请改用机构代码。"
        ),
        PublishingErrorCode.IMPORT_UNKNOWN_GENRE: _("没有名为“%(value)s”的体裁。"),
        PublishingErrorCode.IMPORT_UNKNOWN_TOPIC: _("没有名为“%(value)s”的主题分类。"),
        PublishingErrorCode.IMPORT_AMBIGUOUS_TOPIC: _(
            "主题分类“%(value)s”有多个（%(candidates)s），请写成“一级分类/二级分类”。"
        ),
        PublishingErrorCode.IMPORT_BAD_CHOICE: _(
            "字段 %(field)s的值“%(value)s”无效，可选：%(choices)s。"
        ),
        PublishingErrorCode.IMPORT_UNKNOWN_LEGAL_BASIS: _(
            "没有代码为“%(value)s”的公开属性依据，可选：%(choices)s。"
        ),
        PublishingErrorCode.IMPORT_UNKNOWN_POLICY: _(
            "所解读的政策“%(value)s”不存在：须先导入或发布该索引号的文件。"
        ),
    }
