"""The workbench to-do section "12345工单" (registered in ``HotlineConfig.ready``)."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.portal.workbench import TodoItem

from . import selectors
from .models import CallBack, Status, WorkOrder
from .permissions import has_hotline_role
from .workflow import AT_ORGANISATION

DUE_SOON = timedelta(hours=24)


def _url(order: WorkOrder) -> str:
    return reverse("hotline_staff:order", args=[order.number])


def _item(title: str, order: WorkOrder, *, overdue: bool = False) -> TodoItem:
    due = timezone.localtime(order.due_at).date()
    return TodoItem(title=title, url=_url(order), due_on=due, overdue=overdue)


def hotline_todos(user: User) -> list[TodoItem] | None:
    """For the hotline roles: orders of the user's organisations overdue or due within 24
    hours, send-backs waiting for dispatch, supervisions under way, extensions to decide and
    call-backs due."""
    if not has_hotline_role(user):
        return None
    now = timezone.now()
    todos = []
    for assignment in selectors.handler_queue(user).filter(
        order__status__in=AT_ORGANISATION,
        order__due_at__lt=now + DUE_SOON,
    ):
        order = assignment.order
        overdue = order.due_at < now
        title = (
            _("工单 %(number)s 已超期（%(organisation)s）")
            if overdue
            else _("工单 %(number)s 将在24小时内到期（%(organisation)s）")
        ) % {"number": order.number, "organisation": assignment.organisation.name}
        todos.append(_item(title, order, overdue=overdue))
    for order in selectors.dispatch_queue(user).filter(status=Status.RETURNED):
        title = _("重新派单：工单 %(number)s 被退单") % {"number": order.number}
        todos.append(_item(title, order))
    for supervision in selectors.open_supervisions(user):
        title = _("督办工单 %(number)s：%(reason)s") % {
            "number": supervision.order.number,
            "reason": supervision.get_reason_display(),
        }
        todos.append(_item(title, supervision.order, overdue=supervision.deadline < now))
    for request in selectors.pending_extensions(user):
        title = _("审批工单 %(number)s 的延期申请") % {"number": request.order.number}
        todos.append(_item(title, request.order))
    called_back = CallBack.objects.filter(order=OuterRef("pk"), at__gte=OuterRef("replied_at"))
    for order in selectors.call_back_queue(user).exclude(Exists(called_back)):
        title = _("回访工单 %(number)s") % {"number": order.number}
        todos.append(_item(title, order))
    return todos
