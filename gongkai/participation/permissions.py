"""Who may do what with consultations.

- A 经办人 (handler) of the organiser drafts a consultation and changes it while it is a draft.
- A 审核人 (reviewer) of the organiser, or the 公开办 (openness office) whose jurisdiction covers
  the organiser, publishes it and moderates its comments.
- Those three see the organiser's consultations on the staff side, drafts included, and the
  comments as written (personal data unmasked: they are the handling staff).
- A logged-in public user comments; staff comment as the public only with a public account.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.accounts.permissions import can_act_for, org_scope_any
from gongkai.orgs.models import Organisation

from .models import Consultation

AnyUser = User | AnonymousUser
DRAFTING_ROLES = (Role.HANDLER,)
PUBLISHING_ROLES = (Role.REVIEWER, Role.OPENNESS_OFFICE)
STAFF_ROLES = DRAFTING_ROLES + PUBLISHING_ROLES


def can_draft(user: AnyUser, organisation: Organisation) -> bool:
    """Create a consultation organised by ``organisation``."""
    return can_act_for(user, organisation, role=Role.HANDLER)


def can_edit(user: AnyUser, consultation: Consultation) -> bool:
    """Change a draft consultation."""
    return can_draft(user, consultation.organiser)


def can_publish(user: AnyUser, consultation: Consultation) -> bool:
    return consultation.organiser in org_scope_any(user, roles=PUBLISHING_ROLES)


def can_moderate(user: AnyUser, consultation: Consultation) -> bool:
    """Hide a comment (with a reason)."""
    return can_publish(user, consultation)


def can_manage(user: AnyUser, consultation: Consultation) -> bool:
    """See the consultation on the staff side, drafts included, and its comments as written."""
    return consultation.organiser in org_scope_any(user, roles=STAFF_ROLES)


def can_comment(user: AnyUser) -> bool:
    return isinstance(user, User) and user.is_active and user.kind == AccountKind.PUBLIC


def managed_consultations(user: AnyUser) -> QuerySet[Consultation]:
    """The consultations ``user`` works on as staff (none for the public)."""
    return org_scope_any(user, roles=STAFF_ROLES).filter(Consultation.objects.all(), "organiser_id")
