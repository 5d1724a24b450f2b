"""Who may see or do what with applications for disclosure.

- A 经办人 (handler) handles the applications made to their own organisation.
- The 公开办 (openness office) sees and handles every application in its government's
  jurisdiction, and approves extensions (art. 33(2): the head of the openness office).
- An applicant sees their own applications: those filed from their account, or one proven with
  its receipt number and query code in this session (``session_grants``).
- Identity numbers, phones and addresses are shown in full to the handling staff only.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import can_act_for, org_scope_any, user_roles
from gongkai.orgs.models import Organisation

from .models import Application

AnyUser = User | AnonymousUser
HANDLING_ROLES = (Role.HANDLER, Role.OPENNESS_OFFICE)
SESSION_KEY = "foi.applications"


def has_foi_role(user: AnyUser) -> bool:
    return bool(user_roles(user) & set(HANDLING_ROLES))


def can_register(user: AnyUser, organisation: Organisation) -> bool:
    """Register an application that arrived on paper, in person or by fax."""
    return organisation in org_scope_any(user, roles=HANDLING_ROLES)


def can_handle(user: AnyUser, application: Application) -> bool:
    """Record events, letters, the reply and appeals."""
    return can_register(user, application.organisation)


def can_see_personal_data(user: AnyUser, application: Application) -> bool:
    """See the applicant's identity number, phone and address in full on the staff side: the
    handlers of the application's organisation only (the openness office sees them masked)."""
    return can_act_for(user, application.organisation, role=Role.HANDLER)


def can_approve_extension(user: AnyUser, application: Application) -> bool:
    return can_act_for(user, application.organisation, role=Role.OPENNESS_OFFICE)


def handled_applications(user: AnyUser) -> QuerySet[Application]:
    """The applications ``user`` handles (none for the public)."""
    return org_scope_any(user, roles=HANDLING_ROLES).filter(
        Application.objects.all(), "organisation_id"
    )


def own_applications(user: AnyUser, granted: frozenset[int] = frozenset()) -> QuerySet[Application]:
    """An applicant's applications: from their account, plus those ``granted`` by query code."""
    condition = Q(pk__in=sorted(granted))
    if isinstance(user, User) and user.is_active:
        condition |= Q(account=user)
    return Application.objects.filter(condition)


def session_grants(session: object) -> frozenset[int]:
    """The applications proven with a query code in this session."""
    get = getattr(session, "get", None)
    return frozenset(get(SESSION_KEY, ())) if get else frozenset()


def can_follow(user: AnyUser, application: Application, granted: frozenset[int]) -> bool:
    """See an application's status, timeline and letters as its applicant."""
    owner = isinstance(user, User) and user.is_active and application.account_id == user.pk
    return owner or application.pk in granted
