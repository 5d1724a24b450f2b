"""The workbench to-do section "搜索索引" (registered in ``SearchConfig.ready``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.portal.workbench import TodoItem

from .permissions import can_manage_index
from .selectors import index_status


def index_todos(user: User) -> list[TodoItem] | None:
    """For system administrators: rebuild the index after the dictionary changed."""
    if not can_manage_index(user):
        return None
    if not index_status().outdated:
        return []
    return [
        TodoItem(
            title=_("机构名称或别名已变更，请重建搜索索引，使检索与新词典一致"),
            url=reverse("search:index"),
        )
    ]
