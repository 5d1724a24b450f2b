"""Who may see or do what with work orders.

- 话务员 (operators) of the 12345 centre take orders and answer them at once, and call back.
- 派单员 (dispatchers) route orders, re-route sent-back ones, reopen and close them.
- 经办人 (handlers) of an organisation see only the orders dispatched to it: the lead
  organisation's accept, send back and reply; co-handling organisations add notes.
- 督办员 (supervisors) see every order of their jurisdiction.
- Supervisors and dispatchers see the hot topics and hot places of their area (诉求汇总).
Operators, dispatchers and supervisors act across their government's jurisdiction
(``accounts.permissions``). The caller's name, phone and e-mail are shown in full to the
handling chain only — the 12345 centre and the organisations the order was dispatched to.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import (
    OrgScope,
    can_act_for,
    org_scope,
    org_scope_any,
    user_roles,
)

from .models import Assignment, AssignmentRole, WorkOrder

AnyUser = User | AnonymousUser
CENTRE_ROLES = (Role.OPERATOR, Role.DISPATCHER, Role.SUPERVISOR)
TAKE_ROLES = (Role.OPERATOR, Role.DISPATCHER)
"""Take orders from callers, answer them at once, call back."""
QUEUES: dict[str, tuple[Role, ...]] = {
    "new": TAKE_ROLES,
    "dispatch": (Role.DISPATCHER,),
    "mine": (Role.HANDLER,),
    "call-backs": TAKE_ROLES,
    "extensions": (Role.DISPATCHER,),
    "supervisions": (Role.SUPERVISOR,),
    "topics": (Role.SUPERVISOR, Role.DISPATCHER),
}
"""The staff pages of lists (intake, queues, 诉求汇总) and the roles that work them."""


def has_hotline_role(user: AnyUser) -> bool:
    return bool(user_roles(user) & {*CENTRE_ROLES, Role.HANDLER})


def centre_orders(user: AnyUser, roles: tuple[Role, ...]) -> QuerySet[WorkOrder]:
    """The orders of the area where ``user`` holds one of ``roles``: their district lies in the
    roles' scope (an order whose district is not known is every centre's)."""
    scope = org_scope_any(user, roles=roles)
    if scope.everything:
        return WorkOrder.objects.all()
    if not scope.ids:
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(Q(district_id__in=scope.ids) | Q(district__isnull=True))


def _centre(user: AnyUser, order: WorkOrder, roles: tuple[Role, ...]) -> bool:
    """Whether ``order`` lies in the area where ``user`` holds one of ``roles``."""
    scope = org_scope_any(user, roles=roles)
    in_area = order.district_id is None or order.district_id in scope.ids
    return scope.everything or (bool(scope.ids) and in_area)


def can_work(user: AnyUser, queue: str) -> bool:
    """Open one of the staff list pages (``QUEUES``)."""
    return bool(user_roles(user) & set(QUEUES[queue]))


def can_take(user: AnyUser) -> bool:
    """Take orders from callers (and answer them at once)."""
    return can_work(user, "new")


def can_answer(user: AnyUser, order: WorkOrder) -> bool:
    return _centre(user, order, TAKE_ROLES)


def can_dispatch(user: AnyUser, order: WorkOrder) -> bool:
    """Route, re-route, reopen and close: the dispatchers of the order's area."""
    return _centre(user, order, (Role.DISPATCHER,))


def can_supervise(user: AnyUser, order: WorkOrder) -> bool:
    """督办 by hand: the supervisors of the order's area."""
    return _centre(user, order, (Role.SUPERVISOR,))


def can_call_back(user: AnyUser, order: WorkOrder) -> bool:
    return can_answer(user, order)


def _assignment(user: AnyUser, order: WorkOrder, role: AssignmentRole | None) -> bool:
    assignments = Assignment.objects.filter(order=order, active=True)
    if role is not None:
        assignments = assignments.filter(role=role)
    return any(
        can_act_for(user, a.organisation, role=Role.HANDLER)
        for a in assignments.select_related("organisation")
    )


def can_handle(user: AnyUser, order: WorkOrder) -> bool:
    """Accept, send back and reply: the handlers of the lead organisation."""
    return _assignment(user, order, AssignmentRole.LEAD)


def can_add_note(user: AnyUser, order: WorkOrder) -> bool:
    """Record what was done or a contact with the caller: lead and co-handling organisations."""
    return _assignment(user, order, None)


def visible_orders(user: AnyUser) -> QuerySet[WorkOrder]:
    """The orders ``user`` may see on the staff side: the centre's of its area, and those
    dispatched to its organisations."""
    handled = org_scope(user, role=Role.HANDLER).ids
    dispatched = Assignment.objects.filter(organisation_id__in=handled, active=True)
    return centre_orders(user, CENTRE_ROLES) | WorkOrder.objects.filter(
        pk__in=dispatched.values("order_id")
    )


def can_see_caller(user: AnyUser, order: WorkOrder) -> bool:
    """The caller's details in full: the 12345 centre and the organisations handling it."""
    return can_answer(user, order) or can_add_note(user, order)


def topic_scope(user: AnyUser) -> OrgScope:
    """The organisations whose orders ``user``'s hot topics count (their districts)."""
    return org_scope_any(user, roles=QUEUES["topics"])


def topic_orders(user: AnyUser) -> QuerySet[WorkOrder]:
    """The orders ``user``'s hot topics are drawn from: the area where they supervise or
    dispatch (``centre_orders``)."""
    return centre_orders(user, QUEUES["topics"])
