"""Every write to government information: drafting, the review workflow, publication,
interpretations, attachments, the reference data edited in the admin, the 政府公报 and the
import of documents published before (archives).

Each service is one transaction, checks ``permissions`` (``PERMISSION_DENIED``; which rule
guards which action: ``workflow.ACTION_PERMISSIONS``) and the transition table
(``workflow.TRANSITIONS``, ``BAD_TRANSITION``), saves with ``full_clean()``, records a
``ReviewEvent`` for each status change and an audit event. A service re-reads the document it
is given under a row lock: unsaved changes on the instance are discarded.

Publication: ``published_at`` is the first publication (发布日期) and stays through revisions;
every publication, the first included, snapshots the document into a ``DocumentVersion``.
"""

import logging
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from types import MappingProxyType
from typing import TypedDict, TypeVar, Unpack

import nh3
from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import User
from gongkai.accounts.permissions import is_staff_user
from gongkai.core.audit import Actor, audit_record, diff_fields, field_values
from gongkai.core.privacy import KIND_LABELS, Kind, mask, scan
from gongkai.orgs.models import Organisation

from . import permissions
from .body import rewrite_text
from .checks import PERSONAL_DATA_CHECK, check_label, personal_data_check, run_checks
from .errors import PublishingError, PublishingErrorCode
from .identifiers import check_index_no, format_index_no, normalise_doc_no, parse_index_no
from .models import (
    GAZETTE_NUMBER_MAX,
    Attachment,
    CheckResult,
    Disclosure,
    Document,
    DocumentVersion,
    GazetteEntry,
    GazetteIssue,
    Genre,
    IndexSequence,
    Interpretation,
    InterpretationForm,
    LegalBasis,
    ReviewEvent,
    ReviewTerm,
    Status,
    Topic,
    Validity,
)
from .workflow import (
    ACTION_PERMISSIONS,
    TRANSITIONS,
    Action,
    disclosure_error,
    next_status,
    sync_satisfied,
)

logger = logging.getLogger(__name__)

BODY_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ol", "ul", "li", "table", "thead", "tbody"}
    | {"tr", "th", "td", "strong", "em", "a", "img", "br", "blockquote", "span"}
)
BODY_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
_AUDITED = (
    "title",
    "doc_no",
    "genre",
    "topic",
    "written_on",
    "formed_on",
    "validity",
    "summary",
    "keywords",
    "disclosure",
    "legal_basis",
    "disclosure_reason",
    "interpretation_exempt_reason",
)
_EMPTY: Mapping[str, str] = MappingProxyType({})

M = TypeVar("M", bound=models.Model)


class DocumentFields(TypedDict, total=False):
    """The fields a handler sets on a draft (``document_update``, ``interpretation_create``)."""

    title: str
    genre: Genre
    topic: Topic
    written_on: date
    formed_on: date | None
    summary: str
    body: str
    keywords: str
    doc_no: str
    disclosure: str
    legal_basis: LegalBasis | None
    disclosure_reason: str
    co_issuers: Sequence[Organisation]
    validity: str
    interpretation_exempt_reason: str


def sanitise_body(html: str) -> str:
    """Keep the usual document markup; drop scripts, styles, event attributes and the like."""
    return nh3.clean(
        html,
        tags=set(BODY_TAGS),
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
    )


# Drafting.


@transaction.atomic
def document_create(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    genre: Genre,
    topic: Topic,
    written_on: date,
    formed_on: date | None = None,
    summary: str,
    body: str = "",
    keywords: str = "",
    doc_no: str = "",
    disclosure: str,
    legal_basis: LegalBasis | None = None,
    disclosure_reason: str = "",
    co_issuers: Sequence[Organisation] = (),
    validity: str = Validity.CURRENT,
) -> Document:
    """Draft a document for ``organisation``; its 索引号 is allocated from the organisation's
    sequence for the year of ``written_on``. ``formed_on`` defaults to ``written_on``."""
    _require(permissions.can_draft(actor, organisation), Action.CREATE)
    fields: DocumentFields = {
        "title": title,
        "genre": genre,
        "topic": topic,
        "written_on": written_on,
        "formed_on": formed_on,
        "summary": summary,
        "body": body,
        "keywords": keywords,
        "doc_no": doc_no,
        "disclosure": disclosure,
        "legal_basis": legal_basis,
        "disclosure_reason": disclosure_reason,
        "co_issuers": co_issuers,
        "validity": validity,
    }
    return _document_new(
        actor=actor, organisation=organisation, fields=fields, interpretation=False
    )


@transaction.atomic
def document_update(
    *, actor: User, document: Document, **fields: Unpack[DocumentFields]
) -> Document:
    """Change a draft; the same rules as at creation apply."""
    status = _begin(actor=actor, document=document, action=Action.EDIT)
    before = _audited(document)
    _assign(document, fields)
    _check_genre(document, interpretation=Interpretation.objects.filter(document=document).exists())
    _check_disclosure(document)
    _commit(
        actor=actor,
        document=document,
        action=Action.EDIT,
        before=status,
        changes=diff_fields(before, _audited(document)),
    )
    return document


@transaction.atomic
def document_exempt_from_interpretation(
    *, actor: User, document: Document, reason: str
) -> Document:
    """Record why a 规范性文件 may be published without an interpretation (reviewers)."""
    status = _begin(actor=actor, document=document, action=Action.EXEMPT)
    if not document.genre.is_normative:
        raise PublishingError(PublishingErrorCode.NOT_NORMATIVE, title=document.title)
    before = field_values(document, ["interpretation_exempt_reason"])
    document.interpretation_exempt_reason = _required_text(reason, _("免于同步解读的理由"))
    _commit(
        actor=actor,
        document=document,
        action=Action.EXEMPT,
        before=status,
        note=document.interpretation_exempt_reason,
        changes=diff_fields(before, field_values(document, ["interpretation_exempt_reason"])),
    )
    return document


# Review.


@transaction.atomic
def document_submit(*, actor: User, document: Document) -> list[CheckResult]:
    """Submit a draft for review; runs the checks and stores their results for the current
    version (replacing those of an earlier submission of the same version)."""
    status = _begin(actor=actor, document=document, action=Action.SUBMIT)
    CheckResult.objects.filter(document=document, version=document.version).delete()
    results = [
        _save(
            CheckResult(
                document=document,
                version=document.version,
                code=check.code,
                passed=outcome.passed,
                message=outcome.message,
            )
        )
        for check, outcome in run_checks(document)
    ]
    failed = "、".join(check_label(result.code) for result in results if not result.passed)
    note = f"未通过的检查：{failed}" if failed else ""
    _commit(actor=actor, document=document, action=Action.SUBMIT, before=status, note=note)
    return results


@transaction.atomic
def document_recall(*, actor: User, document: Document) -> Document:
    """The drafter takes a submitted document back before review starts."""
    status = _begin(actor=actor, document=document, action=Action.RECALL)
    _commit(actor=actor, document=document, action=Action.RECALL, before=status)
    return document


@transaction.atomic
def document_start_review(*, actor: User, document: Document) -> Document:
    status = _begin(actor=actor, document=document, action=Action.START_REVIEW)
    _commit(actor=actor, document=document, action=Action.START_REVIEW, before=status)
    return document


@transaction.atomic
def document_return(*, actor: User, document: Document, note: str) -> Document:
    """Send a document under review back to its drafter (退回) with the reviewer's note."""
    status = _begin(actor=actor, document=document, action=Action.RETURN)
    note = _required_text(note, _("退回意见"))
    _commit(actor=actor, document=document, action=Action.RETURN, before=status, note=note)
    return document


@transaction.atomic
def document_approve(
    *, actor: User, document: Document, overrides: Mapping[str, str] = _EMPTY
) -> Document:
    """Approve a document under review. Its drafter may not; every check of the current
    version that failed needs a reason in ``overrides`` (check code → reason), which is kept
    on its ``CheckResult``."""
    if actor.pk == document.created_by_id:
        raise PublishingError(PublishingErrorCode.OWN_DRAFT, title=document.title)
    status = _begin(actor=actor, document=document, action=Action.APPROVE)
    failing = {
        result.code: result
        for result in CheckResult.objects.filter(
            document=document, version=document.version, passed=False
        )
    }
    unknown = sorted(set(overrides) - set(failing))
    if unknown:
        raise PublishingError(PublishingErrorCode.UNKNOWN_OVERRIDE, checks="、".join(unknown))
    reasons = {code: overrides.get(code, "").strip() for code in failing}
    missing = [check_label(code) for code, reason in reasons.items() if not reason]
    if missing:
        raise PublishingError(PublishingErrorCode.OVERRIDE_REQUIRED, checks="、".join(missing))
    for code, result in failing.items():
        result.override_reason = reasons[code]
        _save(result)
    _commit(
        actor=actor,
        document=document,
        action=Action.APPROVE,
        before=status,
        changes=diff_fields({}, {f"override_reason[{code}]": r for code, r in reasons.items()}),
    )
    return document


@transaction.atomic
def document_mask_personal_data(
    *, actor: User, document: Document, kinds: Collection[Kind] | None = None
) -> int:
    """Replace the personal information (``core.privacy.scan``) of the chosen ``kinds`` (all
    when None) in the title, the summary and each text node of the body by its masked form,
    keeping the body's markup; returns how many were masked. Allowed in a draft to its handlers
    and under review to its reviewers (``permissions.can_mask_personal_data``).

    The ``personal_data`` check of the current version is run again, so that its result shows
    what is left (the other checks' results are kept); it is stored only once the checks have
    run for this version. The review history and the audit log record how many of each kind
    were masked, never the values.
    """
    status = _begin(actor=actor, document=document, action=Action.MASK)
    chosen = frozenset(Kind(kind) for kind in kinds) if kinds is not None else None
    counts: Counter[Kind] = Counter()
    changed: list[str] = []

    def masked(text: str) -> str:
        found = [item for item in scan(text) if chosen is None or item.kind in chosen]
        counts.update(item.kind for item in found)
        return mask(text, found) if found else text

    for name in ("title", "summary", "body"):
        before = getattr(document, name)
        after = rewrite_text(before, masked) if name == "body" else masked(before)
        if after != before:
            setattr(document, name, sanitise_body(after) if name == "body" else after)
            changed.append(name)
    total = sum(counts.values())
    if total:
        document.full_clean()
        document.save()
        by_kind = [(kind, counts[kind]) for kind in Kind if counts[kind]]
        note = "遮盖个人信息：" + "、".join(
            f"{KIND_LABELS[kind]} {count} 处" for kind, count in by_kind
        )
        _save(
            ReviewEvent(
                document=document, from_status=status, to_status=status, actor=actor, note=note
            )
        )
        audit_record(
            actor=actor,
            action="publishing.document.mask_personal_data",
            target=document,
            summary=note,
            changes={
                **{f"masked[{kind.value}]": [None, count] for kind, count in by_kind},
                "masked_fields": [None, changed],
            },
        )
    _recheck_personal_data(document)
    return total


def _recheck_personal_data(document: Document) -> None:
    """Run the ``personal_data`` check again for the current version if the checks have run."""
    results = CheckResult.objects.filter(document=document, version=document.version)
    if not results.exists():
        return
    outcome = personal_data_check(document)
    result = results.filter(code=PERSONAL_DATA_CHECK).first() or CheckResult(
        document=document, version=document.version, code=PERSONAL_DATA_CHECK
    )
    result.passed, result.message = outcome.passed, outcome.message
    _save(result)


# Publication.


@transaction.atomic
def document_publish(
    *,
    actor: User,
    document: Document,
    at: datetime | None = None,
    interpretations: Sequence[Document] = (),
) -> Document:
    """Publish an approved document now, or schedule it when ``at`` is in the future.

    The 同步 rule: a 规范性文件 needs a linked interpretation that is public already, or one of
    ``interpretations`` (approved, linked to it) published or scheduled with it, unless an
    exemption reason is recorded.
    """
    interpretations = list(dict.fromkeys(interpretations))
    for item in (document, *interpretations):
        _begin(actor=actor, document=item, action=Action.PUBLISH)
    for interpretation in interpretations:
        if not Interpretation.objects.filter(document=interpretation, policies=document).exists():
            raise PublishingError(
                PublishingErrorCode.INTERPRETATION_NOT_LINKED,
                title=interpretation.title,
                policy=document.title,
            )
    _check_sync(document, together=interpretations)
    now = timezone.now()
    for item in (*interpretations, document):
        if at is not None and at > now:
            _schedule(actor=actor, document=item, at=at)
        else:
            _publish(actor=actor, document=item, now=now)
    return document


def publish_due(*, now: datetime) -> int:
    """Publish the scheduled documents whose time has come; returns how many were published.

    Interpretations go first, so that the policies scheduled with them meet the 同步 rule.
    Each document is published in its own transaction; one that no longer meets the rule stays
    scheduled and is logged.
    """
    due = Document.objects.filter(status=Status.APPROVED, scheduled_at__lte=now).order_by(
        "-genre__is_interpretation", "scheduled_at", "pk"
    )
    published = 0
    for document in due:
        try:
            published += _publish_if_due(document, now=now)
        except PublishingError as error:
            logger.warning("Scheduled publication of document %s refused: %s", document.pk, error)
    return published


@transaction.atomic
def _publish_if_due(document: Document, *, now: datetime) -> bool:
    _lock(document)
    due = document.scheduled_at is not None and document.scheduled_at <= now
    if document.status != Status.APPROVED or not due:
        return False  # published or rescheduled meanwhile
    _check_sync(document)
    _publish(actor=None, document=document, now=now)
    return True


@transaction.atomic
def document_start_revision(*, actor: User, document: Document, change_note: str) -> Document:
    """Reopen a published document as the draft of its next version; the published version
    stays public (``DocumentVersion``) until the new one is published."""
    status = _begin(
        actor=actor,
        document=document,
        action=Action.START_REVISION,
    )
    document.change_note = _required_text(change_note, _("修订说明"))
    document.version += 1
    _commit(
        actor=actor,
        document=document,
        action=Action.START_REVISION,
        before=status,
        note=document.change_note,
        changes={"version": [document.version - 1, document.version]},
    )
    return document


@transaction.atomic
def document_withdraw(*, actor: User, document: Document, reason: str) -> Document:
    """Withdraw a published document; the reason is shown to the public."""
    status = _begin(actor=actor, document=document, action=Action.WITHDRAW)
    document.withdrawn_reason = _required_text(reason, _("撤回理由"))
    document.withdrawn_at = timezone.now()
    _commit(
        actor=actor,
        document=document,
        action=Action.WITHDRAW,
        before=status,
        note=document.withdrawn_reason,
    )
    return document


@transaction.atomic
def document_set_validity(
    *, actor: User, document: Document, validity: str, replaced_by: Document | None = None
) -> Document:
    """Mark a published document 现行有效 / 已修改 / 失效 / 废止; 已修改 and 废止 may name the
    document that replaces it."""
    status = _begin(actor=actor, document=document, action=Action.SET_VALIDITY)
    if replaced_by is not None and (
        validity not in (Validity.AMENDED, Validity.REPEALED) or replaced_by.pk == document.pk
    ):
        raise PublishingError(PublishingErrorCode.BAD_REPLACEMENT)
    fields = ["validity", "replaced_by"]
    before = field_values(document, fields)
    document.validity, document.replaced_by = validity, replaced_by
    _commit(
        actor=actor,
        document=document,
        action=Action.SET_VALIDITY,
        before=status,
        changes=diff_fields(before, field_values(document, fields)),
    )
    return document


# Attachments.


@transaction.atomic
def attachment_add(*, actor: User, document: Document, name: str, file: File) -> Attachment:
    """Attach a file to a draft; ``name`` (附件名称) defaults to the file's name. Files over
    ``GONGKAI_ATTACHMENT_MAX_MB`` are refused, and so is a document published before: the
    public page shows the document's attachments, which have no versions, so a change during a
    revision would be public before it is reviewed."""
    _begin(actor=actor, document=document, action=Action.EDIT)
    _check_attachments_editable(document)
    filename = PurePath(file.name or "").name
    limit = settings.GONGKAI_ATTACHMENT_MAX_MB
    if file.size is None or file.size > limit * 1024 * 1024:
        raise PublishingError(PublishingErrorCode.ATTACHMENT_TOO_LARGE, name=filename, limit=limit)
    last = document.attachments.aggregate(last=Max("sort_order"))["last"]
    attachment = _save(
        Attachment(
            document=document,
            name=(name.strip() or filename)[: Attachment._meta.get_field("name").max_length],
            file=file,
            sort_order=0 if last is None else last + 1,
        )
    )
    audit_record(
        actor=actor,
        action="publishing.attachment.add",
        target=document,
        summary=f"添加附件：{attachment.name}",
        changes={"attachment": [None, attachment.file.name]},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, attachment: Attachment) -> None:
    """Remove an attachment of a draft (the same rules as ``attachment_add``); its file is
    deleted from storage once the transaction has committed."""
    document = attachment.document
    _begin(actor=actor, document=document, action=Action.EDIT)
    _check_attachments_editable(document)
    stored = attachment.file.name
    storage = attachment.file.storage
    audit_record(
        actor=actor,
        action="publishing.attachment.remove",
        target=document,
        summary=f"删除附件：{attachment.name}",
        changes={"attachment": [stored, None]},
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))


def _check_attachments_editable(document: Document) -> None:
    if document.published_at is not None:
        raise PublishingError(PublishingErrorCode.ATTACHMENT_PUBLISHED, title=document.title)


# Interpretations.


@transaction.atomic
def interpretation_create(
    *,
    actor: User,
    organisation: Organisation,
    policies: Sequence[Document],
    form: str,
    leader_name: str = "",
    **fields: Unpack[DocumentFields],
) -> Interpretation:
    """Draft a 政策解读: a document of the interpretation genre linked to ``policies``.
    ``fields`` are those of ``document_create``; the genre is set here."""
    _require(permissions.can_draft(actor, organisation), Action.CREATE)
    _check_policies(policies)
    _check_leader(form, leader_name)
    genre = Genre.objects.filter(is_interpretation=True).earliest("sort_order", "pk")
    document = _document_new(
        actor=actor,
        organisation=organisation,
        fields={**fields, "genre": genre},
        interpretation=True,
    )
    interpretation = _save(
        Interpretation(document=document, form=form, leader_name=leader_name.strip())
    )
    interpretation.policies.set(policies)
    audit_record(
        actor=actor,
        action="publishing.interpretation.create",
        target=interpretation,
        summary=f"新建政策解读：{document.title}（{document.index_no}）",
        changes=diff_fields(
            {},
            {
                "form": form,
                "leader_name": interpretation.leader_name,
                "policies": [policy.index_no for policy in policies],
            },
        ),
    )
    return interpretation


@transaction.atomic
def interpretation_link(
    *, actor: User, interpretation: Interpretation, policies: Sequence[Document]
) -> Interpretation:
    """Link an interpretation to further policies it explains."""
    document = interpretation.document
    status = _begin(
        actor=actor,
        document=document,
        action=Action.LINK,
    )
    _check_policies(policies)
    before = sorted(interpretation.policies.values_list("index_no", flat=True))
    interpretation.policies.add(*policies)
    after = sorted(interpretation.policies.values_list("index_no", flat=True))
    _commit(
        actor=actor,
        document=document,
        action=Action.LINK,
        before=status,
        changes=diff_fields({"policies": before}, {"policies": after}),
    )
    return interpretation


# Reference data (edited in the admin by the system administrator; saved by
# ``core.services.reference_row_save``).


@transaction.atomic
def reference_delete(*, actor: Actor, row: ReviewTerm) -> None:
    """Remove a review term. Topics, genres and legal bases are referenced by documents and
    are renamed rather than deleted."""
    audit_record(
        actor=actor,
        action="publishing.reviewterm.delete",
        target=row,
        summary=f"删除审核词语：{row}",
    )
    row.delete()


# Helpers.


def _require(allowed: bool, action: Action) -> None:
    if not allowed:
        raise PublishingError(PublishingErrorCode.PERMISSION_DENIED, action=action.label)


def _lock(document: Document) -> None:
    document.refresh_from_db(from_queryset=Document.objects.select_for_update())


def _begin(*, actor: User, document: Document, action: Action) -> str:
    """Lock the document, check the permission (``workflow.ACTION_PERMISSIONS``) and the
    transition; the status before."""
    _lock(document)
    _require(ACTION_PERMISSIONS[action](actor, document), action)
    next_status(document, action)
    return document.status


def _commit(
    *,
    actor: User | None,
    document: Document,
    action: Action,
    before: str,
    note: str = "",
    changes: Mapping[str, object] = _EMPTY,
) -> None:
    """Move the document as the table says, save it, record the step and the audit event."""
    document.status = TRANSITIONS[(Status(before), action)]
    document.full_clean()
    document.save()
    moved = {"status": [before, document.status]} if document.status != before else {}
    if moved:
        _save(
            ReviewEvent(
                document=document,
                from_status=before,
                to_status=document.status,
                actor=actor,
                note=note,
            )
        )
    audit_record(
        actor=actor,
        action=f"publishing.document.{action.value}",
        target=document,
        summary=f"{action.label}：{note}" if note else str(action.label),
        changes={**moved, **changes},
    )


def _snapshot(document: Document, *, published_at: datetime) -> None:
    """Write the document's current text as its published version (what the public reads)."""
    _save(
        DocumentVersion(
            document=document,
            version=document.version,
            title=document.title,
            doc_no=document.doc_no,
            summary=document.summary,
            body=document.body,
            change_note=document.change_note,
            published_at=published_at,
        )
    )


def _publish(*, actor: User | None, document: Document, now: datetime) -> None:
    """Publish an approved, locked document now: snapshot its version, keep the first date."""
    document.scheduled_at = None
    document.published_at = document.published_at or now
    _snapshot(document, published_at=now)
    _commit(
        actor=actor,
        document=document,
        action=Action.PUBLISH,
        before=Status.APPROVED,
        note=f"第{document.version}版",
    )


def _schedule(*, actor: User, document: Document, at: datetime) -> None:
    """Keep an approved, locked document approved until ``at`` (then ``publish_due``)."""
    before = field_values(document, ["scheduled_at"])
    document.scheduled_at = at
    document.full_clean()
    document.save()
    note = f"定时发布：{date_format(timezone.localtime(at), 'Y-m-d H:i')}"
    _save(
        ReviewEvent(
            document=document,
            from_status=document.status,
            to_status=document.status,
            actor=actor,
            note=note,
        )
    )
    audit_record(
        actor=actor,
        action="publishing.document.schedule",
        target=document,
        summary=note,
        changes=diff_fields(before, field_values(document, ["scheduled_at"])),
    )


def _check_sync(document: Document, *, together: Collection[Document] = ()) -> None:
    if not sync_satisfied(document, together=together):
        raise PublishingError(PublishingErrorCode.INTERPRETATION_REQUIRED, title=document.title)


def _document_new(
    *, actor: User, organisation: Organisation, fields: DocumentFields, interpretation: bool
) -> Document:
    document = Document(organisation=organisation, created_by=actor)
    _assign(document, fields)
    _check_genre(document, interpretation=interpretation)
    _check_disclosure(document)
    document.full_clean(exclude=["index_no"])
    document.index_no = _next_index_no(organisation, document.written_on.year)
    document.save()
    document.co_issuers.set(fields.get("co_issuers", ()))
    audit_record(
        actor=actor,
        action="publishing.document.create",
        target=document,
        summary=f"新建政府信息：{document.title}（{document.index_no}）",
        changes=diff_fields(
            {},
            {"index_no": document.index_no, "organisation": organisation.code} | _audited(document),
        ),
    )
    return document


def _assign(document: Document, fields: DocumentFields) -> None:
    """Set ``fields`` on ``document``: 发文字号 normalised, body sanitised, ``formed_on``
    defaulting to ``written_on``; co-issuers only once the document is saved."""
    for name, value in fields.items():
        if name == "doc_no":
            value = normalise_doc_no(str(value))
        elif name == "body":
            value = sanitise_body(str(value))
        if name != "co_issuers":
            setattr(document, name, value)
    if document.formed_on is None:
        document.formed_on = document.written_on
    if "co_issuers" in fields and document.pk is not None:
        document.co_issuers.set(fields["co_issuers"])


def _audited(document: Document) -> dict[str, object]:
    values = field_values(document, _AUDITED)
    if document.pk is not None:
        values["co_issuers"] = sorted(document.co_issuers.values_list("code", flat=True))
    return values


def _check_genre(document: Document, *, interpretation: bool) -> None:
    """The interpretation genre is for interpretations only, and they keep it."""
    if document.genre_id is not None and document.genre.is_interpretation != interpretation:
        raise PublishingError(PublishingErrorCode.INTERPRETATION_GENRE)


def _check_disclosure(document: Document) -> None:
    error = disclosure_error(
        disclosure=document.disclosure,
        legal_basis=document.legal_basis,
        reason=document.disclosure_reason,
    )
    if error is not None:
        raise error


def _check_leader(form: str, leader_name: str) -> None:
    if form == InterpretationForm.LEADER and not leader_name.strip():
        raise PublishingError(PublishingErrorCode.LEADER_NAME_REQUIRED)


def _check_policies(policies: Sequence[Document]) -> None:
    if not policies:
        raise PublishingError(PublishingErrorCode.POLICY_REQUIRED)
    for policy in policies:
        if policy.genre.is_interpretation:
            raise PublishingError(PublishingErrorCode.BAD_POLICY, title=policy.title)


def _next_index_no(organisation: Organisation, year: int) -> str:
    """The next free 索引号 of ``organisation`` for ``year``.

    The sequence row is UPDATEd first, which locks it until the transaction ends (a row lock on
    PostgreSQL, the write lock on SQLite), so concurrent drafts get different numbers. The
    first number of a year creates the row; if a concurrent transaction created it first, the
    insert fails on the unique constraint (in a savepoint) and the row is updated instead.
    Numbers already taken (by imported documents) are skipped.
    """
    sequence = IndexSequence.objects.filter(organisation=organisation, year=year)
    while True:
        if not sequence.update(last=F("last") + 1) and not _sequence_created(organisation, year):
            continue
        seq = sequence.values_list("last", flat=True).get()
        index_no = format_index_no(org_code=organisation.code, year=year, seq=seq)
        if not Document.objects.filter(index_no=index_no).exists():
            return index_no


def _sequence_created(organisation: Organisation, year: int) -> bool:
    try:
        with transaction.atomic():
            IndexSequence.objects.create(organisation=organisation, year=year, last=1)
    except IntegrityError:
        return False
    return True


def _required_text(value: str, what: object) -> str:
    text = value.strip()
    if not text:
        raise PublishingError(PublishingErrorCode.TEXT_REQUIRED, what=what)
    return text


def _save(instance: M) -> M:
    instance.full_clean()
    instance.save()
    return instance


# Gazette and archive import.
#
# The 政府公报 (``GazetteIssue``) lists public documents in the order of its table of contents;
# it is compiled by the city's openness office. Documents published before the platform existed
# come in through ``document_import_published`` (``gongkai publishing import``, the demo): they
# arrive published, with their own 索引号 and 发布日期, and are otherwise held to the same rules
# as drafted ones. ``actor`` None is the system (the command line).

_IMPORT_ACTION = _("导入已发布的政府信息")
_GAZETTE_ACTION = _("编辑政府公报")


@dataclass(frozen=True)
class GazettePlacement:
    """Where an imported document appears in the gazette: the issue (created when missing) and
    its number in the issue's table of contents (after the last one when None)."""

    year: int
    number: int
    published_on: date
    position: int | None = None


@dataclass(frozen=True)
class InterpretationLink:
    """What makes an imported document of the interpretation genre a 政策解读."""

    policies: Sequence[Document]
    form: str
    leader_name: str = ""


@transaction.atomic
def gazette_issue_create(
    *, actor: User | None, year: int, number: int, published_on: date, pdf: File | None = None
) -> GazetteIssue:
    """Add an issue of the 政府公报 with its PDF (``pdf``, optional)."""
    _allow(actor is None or permissions.can_compile_gazette(actor), _GAZETTE_ACTION)
    _check_issue(year=year, number=number, published_on=published_on)
    if GazetteIssue.objects.filter(year=year, number=number).exists():
        raise PublishingError(PublishingErrorCode.GAZETTE_EXISTS, year=year, number=number)
    issue = GazetteIssue(year=year, number=number, published_on=published_on)
    if pdf is not None:
        _check_pdf(pdf)
        issue.pdf.save(f"{year}-{number:03d}.pdf", pdf, save=False)
    _save(issue)
    audit_record(
        actor=actor,
        action="publishing.gazette.create",
        target=issue,
        summary=f"新建政府公报：{issue}",
        changes=diff_fields(
            {},
            {
                "year": year,
                "number": number,
                "published_on": published_on.isoformat(),
                "pdf": issue.pdf.name or None,
            },
        ),
    )
    return issue


@transaction.atomic
def gazette_entry_add(
    *, actor: User | None, issue: GazetteIssue, document: Document, position: int | None = None
) -> GazetteEntry:
    """List a public document in ``issue`` as number ``position`` of its table of contents, or
    after the last one. A number is used once per issue; a document is listed once."""
    _allow(actor is None or permissions.can_compile_gazette(actor), _GAZETTE_ACTION)
    issue = GazetteIssue.objects.select_for_update().get(pk=issue.pk)  # one addition at a time
    document = Document.objects.get(pk=document.pk)
    if not permissions.is_public(document):
        raise PublishingError(PublishingErrorCode.GAZETTE_NOT_PUBLIC, title=document.title)
    entries = {entry.sort_order: entry for entry in issue.entries.select_related("document")}
    if any(entry.document_id == document.pk for entry in entries.values()):
        raise PublishingError(
            PublishingErrorCode.GAZETTE_ALREADY_LISTED, title=document.title, issue=str(issue)
        )
    if position is None:
        position = max(entries, default=0) + 1
    elif position < 1:
        raise PublishingError(PublishingErrorCode.GAZETTE_BAD_POSITION, position=position)
    elif position in entries:
        raise PublishingError(
            PublishingErrorCode.GAZETTE_POSITION_TAKEN,
            issue=str(issue),
            position=position,
            title=entries[position].document.title,
        )
    entry = _save(GazetteEntry(issue=issue, document=document, sort_order=position))
    audit_record(
        actor=actor,
        action="publishing.gazette.add_entry",
        target=issue,
        summary=f"政府公报{issue}目录第{position}篇：{document.title}（{document.index_no}）",
        changes={f"entries[{position}]": [None, document.index_no]},
    )
    return entry


@transaction.atomic
def document_import_published(
    *,
    actor: User | None,
    author: User,
    organisation: Organisation,
    index_no: str,
    title: str,
    genre: Genre,
    topic: Topic,
    written_on: date,
    published_at: datetime,
    summary: str,
    body: str = "",
    keywords: str = "",
    doc_no: str = "",
    disclosure: str = Disclosure.PROACTIVE,
    legal_basis: LegalBasis | None = None,
    disclosure_reason: str = "",
    co_issuers: Sequence[Organisation] = (),
    validity: str = Validity.CURRENT,
    interpretation: InterpretationLink | None = None,
    gazette: GazettePlacement | None = None,
) -> tuple[Document, bool]:
    """Record a document published before, as version 1 published at ``published_at`` (an
    aware datetime, not in the future, not before ``written_on``); ``author`` is recorded as
    its 起草人. Returns the document and whether it was created: an existing ``index_no`` is
    left as it is (``False``), so an import can be run again.

    The rules of drafting apply (发文字号 normalised, body sanitised, the attribute rule, the
    interpretation genre only with ``interpretation``); the 同步 rule does not, as it governs
    publishing on this platform. A 索引号 written with the configured template moves the
    organisation's sequence past it. ``gazette`` lists the document in that issue.
    """
    _allow(actor is None or permissions.can_import(actor, organisation), _IMPORT_ACTION)
    index_no = check_index_no(index_no)
    existing = Document.objects.filter(index_no=index_no).first()
    if existing is not None:
        return existing, False
    if not is_staff_user(author):
        raise PublishingError(PublishingErrorCode.AUTHOR_NOT_STAFF, user=author.username)
    published_on = timezone.localdate(published_at)
    if published_at > timezone.now():
        raise PublishingError(
            PublishingErrorCode.PUBLISHED_IN_FUTURE, published=published_on.isoformat()
        )
    if published_on < written_on:
        raise PublishingError(
            PublishingErrorCode.PUBLISHED_BEFORE_WRITTEN,
            published=published_on.isoformat(),
            written=written_on.isoformat(),
        )
    document = Document(
        organisation=organisation,
        created_by=author,
        index_no=index_no,
        status=Status.PUBLISHED,
        published_at=published_at,
    )
    fields: DocumentFields = {
        "title": title,
        "genre": genre,
        "topic": topic,
        "written_on": written_on,
        "summary": summary,
        "body": body,
        "keywords": keywords,
        "doc_no": doc_no,
        "disclosure": disclosure,
        "legal_basis": legal_basis,
        "disclosure_reason": disclosure_reason,
        "validity": validity,
    }
    _assign(document, fields)
    _check_genre(document, interpretation=interpretation is not None)
    _check_disclosure(document)
    if interpretation is not None:
        _check_policies(interpretation.policies)
        _check_leader(interpretation.form, interpretation.leader_name)
    _save(document)
    document.co_issuers.set(co_issuers)
    _snapshot(document, published_at=published_at)
    _save(
        ReviewEvent(
            document=document, to_status=Status.PUBLISHED, actor=actor, note="导入已发布的文件"
        )
    )
    if interpretation is not None:
        made = _save(
            Interpretation(
                document=document,
                form=interpretation.form,
                leader_name=interpretation.leader_name.strip(),
            )
        )
        made.policies.set(interpretation.policies)
    _move_sequence_past(organisation, index_no)
    audit_record(
        actor=actor,
        action="publishing.document.import",
        target=document,
        summary=f"导入已发布的政府信息：{document.title}（{index_no}）",
        changes=diff_fields(
            {},
            {
                "index_no": index_no,
                "organisation": organisation.code,
                "published_at": published_at.isoformat(),
                "status": Status.PUBLISHED.value,
                "author": author.username,
                "policies": (
                    [policy.index_no for policy in interpretation.policies]
                    if interpretation
                    else None
                ),
            }
            | _audited(document),
        ),
    )
    if gazette is not None:
        _place_in_gazette(actor=actor, document=document, placement=gazette)
    return document, True


def _allow(allowed: bool, action: Promise) -> None:
    if not allowed:
        raise PublishingError(PublishingErrorCode.PERMISSION_DENIED, action=action)


def _check_issue(*, year: int, number: int, published_on: date) -> None:
    if not 1 <= number <= GAZETTE_NUMBER_MAX:
        raise PublishingError(
            PublishingErrorCode.GAZETTE_BAD_NUMBER, number=number, limit=GAZETTE_NUMBER_MAX
        )
    if published_on.year != year:
        raise PublishingError(
            PublishingErrorCode.GAZETTE_YEAR_MISMATCH, date=published_on.isoformat(), year=year
        )


def _check_pdf(pdf: File) -> None:
    name = PurePath(pdf.name or "").name
    pdf.seek(0)
    head = pdf.read(5)
    pdf.seek(0)
    if not name.lower().endswith(".pdf") or head != b"%PDF-":
        raise PublishingError(PublishingErrorCode.GAZETTE_BAD_PDF, name=name)


def _move_sequence_past(organisation: Organisation, index_no: str) -> None:
    """Let ``_next_index_no`` continue after an imported 索引号 of the organisation's own
    template form (it skips taken numbers in any case; this spares it the search)."""
    parsed = parse_index_no(index_no)
    if parsed is None or parsed.org_code != organisation.code:
        return
    sequence, _created = IndexSequence.objects.get_or_create(
        organisation=organisation, year=parsed.year
    )
    IndexSequence.objects.filter(pk=sequence.pk, last__lt=parsed.seq).update(last=parsed.seq)


def _place_in_gazette(
    *, actor: User | None, document: Document, placement: GazettePlacement
) -> None:
    _check_issue(year=placement.year, number=placement.number, published_on=placement.published_on)
    issue = GazetteIssue.objects.filter(year=placement.year, number=placement.number).first()
    if issue is None:
        issue = gazette_issue_create(
            actor=actor,
            year=placement.year,
            number=placement.number,
            published_on=placement.published_on,
        )
    elif issue.published_on != placement.published_on:
        raise PublishingError(
            PublishingErrorCode.GAZETTE_DATE_MISMATCH,
            issue=str(issue),
            existing=issue.published_on.isoformat(),
            date=placement.published_on.isoformat(),
        )
    gazette_entry_add(actor=actor, issue=issue, document=document, position=placement.position)
