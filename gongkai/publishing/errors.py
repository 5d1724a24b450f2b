"""Error codes of the publishing app and their Chinese messages."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class PublishingErrorCode(StrEnum):
    BAD_DOC_NO = "publishing.bad_doc_no"
    BAD_REFERENCE_DATA = "publishing.bad_reference_data"


class PublishingError(CoreError):
    """A refused publishing operation; ``message`` is the Chinese text for the user."""

    messages = {
        PublishingErrorCode.BAD_DOC_NO: _(
            "发文字号“%(value)s”格式不正确，应为“机关代字〔年份〕序号号”，例如：京政办发〔2018〕16号。"
        ),
        PublishingErrorCode.BAD_REFERENCE_DATA: _("参考数据文件 %(file)s 有误：%(problem)s"),
    }
