"""The workbench to-do section "依申请公开办理期限" (registered in ``FoiConfig.ready``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.portal.workbench import TodoItem

from . import selectors, services
from .models import Application
from .permissions import has_foi_role


def _url(application: Application) -> str:
    return reverse("foi:staff-application", args=[application.pk])


def foi_todos(user: User) -> list[TodoItem] | None:
    """For handlers and the openness office: replies overdue or due soon, 补正 that must be
    requested soon (art. 30: within 7 working days of receipt), extensions to decide."""
    if not has_foi_role(user):
        return None
    today = services.local_today()
    queues = selectors.staff_queues(user, today=today)
    todos = []
    for application in [*queues.overdue, *queues.due_soon]:
        title = _("答复申请 %(receipt_no)s（%(organisation)s）") % {
            "receipt_no": application.receipt_no,
            "organisation": application.organisation.name,
        }
        if application.provisional:
            title += _("，节假日安排尚未公布，期限为暂定")
        todos.append(
            TodoItem(
                title=title,
                url=_url(application),
                due_on=application.due_on,
                overdue=application.due_on is not None and application.due_on < today,
            )
        )
    for application in queues.correction_deadline:
        title = _("申请 %(receipt_no)s 如需补正，须在期限前一次性告知申请人") % {
            "receipt_no": application.receipt_no
        }
        todos.append(
            TodoItem(title=title, url=_url(application), due_on=application.correction_request_by)
        )
    for request in selectors.pending_extensions(user):
        title = _("审批申请 %(receipt_no)s 的延期答复申请（%(days)d 个工作日）") % {
            "receipt_no": request.application.receipt_no,
            "days": request.days,
        }
        todos.append(
            TodoItem(title=title, url=_url(request.application), due_on=request.application.due_on)
        )
    return todos
