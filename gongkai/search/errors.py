"""Error codes of the search app and their Chinese messages."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError


class SearchErrorCode(StrEnum):
    UNKNOWN_SOURCE = "search.unknown_source"
    EMPTY_QUERY = "search.empty_query"
    QUERY_TOO_LONG = "search.query_too_long"
    PERMISSION_DENIED = "search.permission_denied"


class SearchError(CoreError, ValueError):
    messages = {
        SearchErrorCode.UNKNOWN_SOURCE: _("没有名为“%(source)s”的搜索来源。"),
        SearchErrorCode.EMPTY_QUERY: _("请输入要搜索的关键词。"),
        SearchErrorCode.QUERY_TOO_LONG: _(
            "搜索关键词不能超过 %(limit)d 个字（收到 %(length)d 个）。"
        ),
        SearchErrorCode.PERMISSION_DENIED: _("您没有权限%(action)s。"),
    }
