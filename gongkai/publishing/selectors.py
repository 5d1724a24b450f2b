"""Reads of government information that encode rules."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from gongkai.accounts.models import User
from gongkai.core.calendar import add_workdays

from .checks import check_label
from .deadlines import PUBLICATION_WORKDAYS, publication_due_on
from .models import (
    Attachment,
    CheckResult,
    Disclosure,
    Document,
    DocumentVersion,
    Interpretation,
    InterpretationForm,
    ReviewEvent,
    Status,
)
from .permissions import public_q, reviewable_documents, staff_documents


@dataclass(frozen=True)
class DueDocument:
    document: Document
    due_on: date
    provisional: bool  # the due date depends on a year whose holiday notice is not entered
    overdue: bool


@dataclass(frozen=True)
class DueDocuments:
    overdue: list[DueDocument]
    due_soon: list[DueDocument]


def document_deadline(document: Document, *, today: date) -> DueDocument | None:
    """The art. 26 publication limit of a 主动公开 document that was never published; None
    for any other document."""
    if document.disclosure != Disclosure.PROACTIVE or document.published_at is not None:
        return None
    due = publication_due_on(document)
    return DueDocument(document, due.date, due.provisional, overdue=due.date < today)


def documents_due(*, user: User, today: date, soon_days: int = 5) -> DueDocuments:
    """主动公开 documents in ``user``'s staff lists that were never published, whose art. 26
    limit has passed (``overdue``) or ends within ``soon_days`` working days of ``today``
    (``due_soon``, today included); each list by due date."""
    horizon = add_workdays(today, soon_days)
    # n working days after a day are at least n calendar days after it.
    candidates = (
        staff_documents(user)
        .filter(
            disclosure=Disclosure.PROACTIVE,
            published_at__isnull=True,
            formed_on__lte=horizon - timedelta(days=PUBLICATION_WORKDAYS),
        )
        .select_related("organisation")
        .order_by("formed_on", "pk")
    )
    overdue: list[DueDocument] = []
    due_soon: list[DueDocument] = []
    for document in candidates:
        item = document_deadline(document, today=today)
        if item is not None and item.due_on <= horizon:
            (overdue if item.overdue else due_soon).append(item)
    return DueDocuments(overdue=overdue, due_soon=due_soon)


# The staff pages (政府信息管理).


def staff_document_list(*, user: User, status: str = "") -> QuerySet[Document]:
    """The documents of ``user``'s staff lists, the most recently changed first; ``status``
    keeps those in one status."""
    documents = staff_documents(user).select_related("organisation", "genre")
    if status:
        documents = documents.filter(status=status)
    return documents.order_by("-updated_at", "-pk")


def review_queue(*, user: User) -> QuerySet[Document]:
    """待我审核: the submitted documents and those under review that ``user`` may review, the
    longest waiting first."""
    return (
        reviewable_documents(user)
        .filter(status__in=(Status.SUBMITTED, Status.IN_REVIEW))
        .select_related("organisation", "genre")
        .order_by("updated_at", "pk")
    )


def policies_lacking_interpretation(*, user: User) -> QuerySet[Document]:
    """规范性文件 of ``user``'s staff lists, not withdrawn and without a recorded exemption,
    that no interpretation (but a withdrawn one) is linked to: the 同步 rule stops them at
    publication, or they were published without one (imported, or from before the rule)."""
    linked = Interpretation.objects.filter(policies=OuterRef("pk")).exclude(
        document__status=Status.WITHDRAWN
    )
    return (
        staff_documents(user)
        .filter(genre__is_normative=True, interpretation_exempt_reason="")
        .exclude(status=Status.WITHDRAWN)
        .exclude(Exists(linked))
        .select_related("organisation", "genre")
        .order_by("formed_on", "pk")
    )


@dataclass(frozen=True)
class LeaderInterpretations:
    year: int
    organisation: str
    leader_name: str
    count: int


def leader_interpretation_counts(*, user: User) -> list[LeaderInterpretations]:
    """How many 负责人解读 each leader gave a year (《要点》: the principal leader at least once
    a year): published, not withdrawn, of ``user``'s staff lists, counted by the year of first
    publication; the latest year first."""
    rows = (
        Interpretation.objects.filter(
            form=InterpretationForm.LEADER,
            document__in=staff_documents(user).filter(published_at__isnull=False),
        )
        .exclude(document__status=Status.WITHDRAWN)
        .values(
            "leader_name",
            year=ExtractYear("document__published_at"),
            organisation=F("document__organisation__name"),
        )
        .annotate(count=Count("pk"))
        .order_by("-year", "organisation", "leader_name")
    )
    return [LeaderInterpretations(**row) for row in rows]


def publishable_interpretations(*, user: User, policy: Document) -> QuerySet[Document]:
    """The approved interpretations of ``policy`` that ``user`` may publish together with it
    (同步)."""
    return (
        reviewable_documents(user)
        .filter(status=Status.APPROVED, interpretation__policies=policy)
        .order_by("pk")
    )


def policy_choices(*, user: User) -> QuerySet[Document]:
    """The documents ``user`` may name as policies an interpretation explains: those of the
    staff lists that are not interpretations themselves and not withdrawn."""
    return (
        staff_documents(user)
        .filter(genre__is_interpretation=False)
        .exclude(status=Status.WITHDRAWN)
        .order_by("-written_on", "-pk")
    )


def replacement_document(*, user: User, index_no: str) -> Document | None:
    """The published, not withdrawn document with 索引号 ``index_no`` that ``user`` may name as
    replacing another: one of the staff lists, or a public one."""
    visible = Q(pk__in=staff_documents(user).values("pk")) | public_q()
    return (
        Document.objects.filter(visible, index_no=index_no, published_at__isnull=False)
        .exclude(status=Status.WITHDRAWN)
        .first()
    )


@dataclass(frozen=True)
class StaffDocumentPage:
    """Everything the staff page of a document shows besides its own fields."""

    deadline: DueDocument | None
    checks: list[tuple[CheckResult, str]]  # of the current version, with the check's label
    events: list[ReviewEvent]
    interpretation: Interpretation | None  # when the document is itself an interpretation
    policies: list[Document]  # the policies it interprets
    interpretations: list[Interpretation]  # those linked to it, when it is a policy
    attachments: list[Attachment]
    versions: list[DocumentVersion]  # published versions, newest first


def staff_document_page(document: Document, *, today: date) -> StaffDocumentPage:
    interpretation = (
        Interpretation.objects.filter(document=document).first()
        if document.genre.is_interpretation
        else None
    )
    return StaffDocumentPage(
        deadline=document_deadline(document, today=today),
        checks=[
            (result, check_label(result.code))
            for result in document.checks.filter(version=document.version)
        ],
        events=list(document.events.select_related("actor")),
        interpretation=interpretation,
        policies=(
            list(interpretation.policies.select_related("organisation").order_by("pk"))
            if interpretation is not None
            else []
        ),
        interpretations=list(
            Interpretation.objects.filter(policies=document)
            .select_related("document__organisation")
            .order_by("document__pk")
        ),
        attachments=list(document.attachments.all()),
        versions=list(document.versions.order_by("-version")),
    )
