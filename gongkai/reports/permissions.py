"""Who may see or do what with annual reports.

- A 经办人 (handler) writes the report of their own organisation: the narrative, the entered
  cells of table 二, the preview with its checks and the exports. Submitting it for publication
  drafts a document in their name, so it needs the right to draft for the organisation
  (``publishing.permissions.can_draft``: the organisation's handlers).
- The 公开办 (openness office) of a government writes and checks the reports of every
  organisation in its government's jurisdiction.
- Publishing is the document's review: whoever may approve it (``publishing.permissions.
  can_approve``: the organisation's 审核人 and the openness office over it, never the person
  who submitted it) publishes it, from the report's page or from the document's.
- Everyone sees the published reports (``selectors.published_reports``).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import can_act_for, org_scope, user_roles
from gongkai.orgs.models import Organisation
from gongkai.publishing.permissions import can_approve, can_draft

from .models import AnnualReport

AnyUser = User | AnonymousUser
REPORT_ROLES = (Role.HANDLER, Role.OPENNESS_OFFICE)


def has_report_role(user: AnyUser) -> bool:
    return bool(user_roles(user) & set(REPORT_ROLES))


def can_manage(user: AnyUser, organisation: Organisation) -> bool:
    """Create, edit, preview and export ``organisation``'s reports."""
    return any(can_act_for(user, organisation, role=role) for role in REPORT_ROLES)


def can_submit(user: AnyUser, report: AnnualReport) -> bool:
    """Submit the report for publication (it becomes a document drafted by ``user``)."""
    return can_draft(user, report.organisation)


def can_publish(user: AnyUser, report: AnnualReport) -> bool:
    """Approve and publish the report's document."""
    return report.document is not None and can_approve(user, report.document)


def reports_of(user: AnyUser) -> QuerySet[AnnualReport]:
    """The reports ``user`` manages (none for the public)."""
    condition = Q(pk__in=[])
    for role in REPORT_ROLES:
        scope = org_scope(user, role=role)
        if scope.everything:
            return AnnualReport.objects.all()
        if scope.ids:
            condition |= Q(organisation_id__in=scope.ids)
    return AnnualReport.objects.filter(condition)


def manageable_organisations(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations ``user`` may create reports for, in directory order."""
    condition = Q(pk__in=[])
    for role in REPORT_ROLES:
        scope = org_scope(user, role=role)
        if scope.everything:
            return Organisation.objects.order_by("level", "sort_order", "code")
        condition |= Q(pk__in=scope.ids)
    return Organisation.objects.filter(condition).order_by("level", "sort_order", "code")
