"""Who may see or do what with government information.

Roles and their organisation scopes come from ``accounts.permissions``: a 经办人 (handler)
drafts for their own organisation; a 审核人 (reviewer) reviews their own organisation's
documents, the 公开办 (openness office) those of every organisation in its government's
jurisdiction. Whether the document's *status* allows an action is not decided here but in
``workflow.TRANSITIONS``; the services ask both. (Who may mask personal data depends on the
stage the text is at, ``can_mask_personal_data``; whether it may be masked at all is the
table's.)

What the public sees is decided here too (``public_q``): only 主动公开 documents that have been
published and not withdrawn. A document under revision stays public with its last published
version (``DocumentVersion``).
"""

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import BUSINESS_ROLES, can_act_for, org_scope, user_roles
from gongkai.orgs.models import Level, Organisation
from gongkai.orgs.selectors import org_government

from .models import Disclosure, Document, Status

PUBLISHING_ROLES = frozenset({Role.HANDLER, Role.REVIEWER, Role.OPENNESS_OFFICE})
REVIEW_ROLES = (Role.REVIEWER, Role.OPENNESS_OFFICE)

AnyUser = User | AnonymousUser


def has_publishing_role(user: AnyUser) -> bool:
    return bool(user_roles(user) & PUBLISHING_ROLES)


def can_draft(user: AnyUser, organisation: Organisation) -> bool:
    """Create a document for ``organisation``: its handlers."""
    return can_act_for(user, organisation, role=Role.HANDLER)


def can_edit(user: AnyUser, document: Document) -> bool:
    """Edit and submit a draft: the handlers of its organisation."""
    return can_draft(user, document.organisation)


def can_recall(user: AnyUser, document: Document) -> bool:
    """Take a submitted document back: the handler who drafted it."""
    return _is_drafter(user, document) and can_edit(user, document)


def can_review(user: AnyUser, document: Document) -> bool:
    """Review, return, publish, withdraw, exempt from 同步解读, change validity:
    the reviewers of its organisation and the openness office over it."""
    return any(can_act_for(user, document.organisation, role=role) for role in REVIEW_ROLES)


def can_start_revision(user: AnyUser, document: Document) -> bool:
    """Reopen a published document as the draft of its next version: its handlers (who then
    edit it) and its reviewers. The public keeps the published version until the next one is
    reviewed and published."""
    return can_edit(user, document) or can_review(user, document)


def can_mask_personal_data(user: AnyUser, document: Document) -> bool:
    """Mask the personal information found in a document (``workflow.Action.MASK``, allowed in
    a draft and under review): whoever holds the text at that stage — while it is a draft its
    handlers, who may edit it anyway; otherwise its reviewers, not the handlers (the text under
    review is the reviewers')."""
    if document.status == Status.DRAFT:
        return can_edit(user, document)
    return can_review(user, document)


def can_approve(user: AnyUser, document: Document) -> bool:
    """Approve: a reviewer of it who did not draft it."""
    return can_review(user, document) and not _is_drafter(user, document)


def can_link_interpretation(user: AnyUser, interpretation: Document) -> bool:
    """Link an interpretation to the policies it explains: its handlers and reviewers."""
    return can_edit(user, interpretation) or can_review(user, interpretation)


def can_view_staff_list(user: AnyUser, organisation: Organisation) -> bool:
    """See ``organisation``'s documents in the staff lists: anyone with a business role over it."""
    return any(can_act_for(user, organisation, role=Role(role)) for role in BUSINESS_ROLES)


def staff_documents(user: AnyUser) -> QuerySet[Document]:
    """Every document (any status, any attribute) ``user`` may see in the staff lists."""
    return _documents_of(user, user_roles(user) & BUSINESS_ROLES)


def reviewable_documents(user: AnyUser) -> QuerySet[Document]:
    """The documents ``user`` may review (``can_review``), in any status."""
    return _documents_of(user, user_roles(user) & set(REVIEW_ROLES))


def draftable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations ``user`` may draft for (``can_draft``), active ones only."""
    return org_scope(user, role=Role.HANDLER).filter(Organisation.objects.filter(is_active=True))


def _documents_of(user: AnyUser, roles: Iterable[str]) -> QuerySet[Document]:
    """The documents of the organisations ``user`` acts for in any of ``roles``."""
    scopes = [org_scope(user, role=Role(role)) for role in roles]
    if any(scope.everything for scope in scopes):
        return Document.objects.all()
    ids = set().union(*(scope.ids for scope in scopes))
    return Document.objects.filter(organisation_id__in=ids)


def public_q(prefix: str = "", *, include_withdrawn: bool = False) -> Q:
    """The one rule for a document to be public: 主动公开, published at least once (services
    set ``published_at`` exactly when they write the first ``DocumentVersion``) and not
    withdrawn. ``prefix`` reaches it through a relation (``"document__"`` from an
    ``Interpretation``); ``include_withdrawn`` is for the withdrawal notice page only."""
    condition = Q(
        **{f"{prefix}disclosure": Disclosure.PROACTIVE, f"{prefix}published_at__isnull": False}
    )
    return (
        condition if include_withdrawn else condition & ~Q(**{f"{prefix}status": Status.WITHDRAWN})
    )


def is_public(document: Document) -> bool:
    """``public_q`` for one document in memory."""
    return (
        document.disclosure == Disclosure.PROACTIVE
        and document.published_at is not None
        and document.status != Status.WITHDRAWN
    )


def can_import(user: AnyUser, organisation: Organisation) -> bool:
    """Import ``organisation``'s archive of documents published before (``gongkai publishing
    import``): the openness office over it. The command line itself acts as the system."""
    return can_act_for(user, organisation, role=Role.OPENNESS_OFFICE)


def can_compile_gazette(user: AnyUser) -> bool:
    """Add 政府公报 issues and list documents in them: the openness office of the city
    government, whose gazette it is."""
    if Role.OPENNESS_OFFICE not in user_roles(user) or not isinstance(user, User):
        return False
    organisation = user.organisation
    return organisation is not None and org_government(organisation).level == Level.CITY


def _is_drafter(user: AnyUser, document: Document) -> bool:
    return isinstance(user, User) and user.pk == document.created_by_id
