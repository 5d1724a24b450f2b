"""The workbench to-do section "政府信息发布期限" (registered in ``PublishingConfig.ready``)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.portal.workbench import TodoItem

from .permissions import has_publishing_role
from .selectors import documents_due


def publication_todos(user: User) -> list[TodoItem] | None:
    """For handlers, reviewers and the openness office: documents overdue or due soon."""
    if not has_publishing_role(user):
        return None
    due = documents_due(user=user, today=timezone.localdate())
    todos = []
    for item in [*due.overdue, *due.due_soon]:
        title = _("公开“%(title)s”（%(index_no)s）") % {
            "title": item.document.title,
            "index_no": item.document.index_no,
        }
        if item.provisional:
            title += _("，节假日安排尚未公布，期限为临时推算")
        todos.append(
            TodoItem(
                title=title,
                url=reverse("publishing:staff-document", args=[item.document.pk]),
                due_on=item.due_on,
                overdue=item.overdue,
            )
        )
    return todos
