"""Every write to annual reports: creating one, editing its narrative, its entered cells and its
scope, submitting it for publication and publishing it.

Each service is one transaction, checks ``permissions`` (``PERMISSION_DENIED``), saves with
``full_clean()`` and records an audit event. A report is published as a 主动公开 document of its
organisation through the services of ``publishing``, whose rules apply unchanged:

* ``report_submit`` (the organisation's 经办人) runs the checks of the format
  (``content.ReportContent.failures``; any failure refuses), freezes the three tables into the
  report, renders the report as the document's body and drafts the document — or updates it,
  when a reviewer had returned it — and submits it for review (the review's own checks run);
* the report is then in the document's review: a reviewer publishes it with ``report_publish``
  (start the review if needed, approve, publish now) or through the document's pages, or
  returns it, which lets staff edit the report and submit it again. A report whose document
  was withdrawn can be submitted again as a new document.

While a report is in review or published its narrative and figures are those of its
submission; edits are refused (``LOCKED``).
"""

from datetime import date
from decimal import Decimal
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import User
from gongkai.core.audit import audit_record, diff_fields, field_values
from gongkai.core.errors import first_problem
from gongkai.orgs.models import Organisation
from gongkai.publishing import services as publishing
from gongkai.publishing.models import Disclosure, Genre, Status, Topic

from . import permissions
from .content import NARRATIVE
from .errors import ReportError, ReportErrorCode
from .exports import report_body_html
from .layout import TABLE2_CELLS, report_format
from .models import EDITABLE_STAGES, FIRST_YEAR, AnnualReport, Stage
from .selectors import live_figures, report_content, report_stage

EDITABLE_FIELDS = ("scope", *NARRATIVE, *TABLE2_CELLS)
KEYWORDS = "政府信息公开 年度报告"


class ReportFields(TypedDict, total=False):
    """What staff set on a report (``report_update``)."""

    scope: str
    overview: str
    overview_proactive: str
    overview_on_request: str
    overview_management: str
    overview_platform: str
    overview_supervision: str
    problems: str
    other_matters: str
    rules_issued: int | None
    rules_repealed: int | None
    rules_current: int | None
    normative_issued: int | None
    normative_repealed: int | None
    normative_current: int | None
    licensing_decisions: int | None
    penalty_decisions: int | None
    enforcement_decisions: int | None
    fees_amount: Decimal | None


def check_year(value: object, *, today: date | None = None) -> int:
    """A year a report can be made for: from ``FIRST_YEAR`` to the current year."""
    last = (today or timezone.localdate()).year
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= last:
        raise ReportError(ReportErrorCode.BAD_YEAR, value=value, first=FIRST_YEAR, last=last)
    return year


@transaction.atomic
def report_create(*, actor: User, organisation: Organisation, year: int) -> AnnualReport:
    """Start ``organisation``'s report for ``year`` (covering the organisation alone)."""
    _allow(permissions.can_manage(actor, organisation), _("编写该机关的年度报告"))
    year = check_year(year)
    if AnnualReport.objects.filter(organisation=organisation, year=year).exists():
        raise ReportError(ReportErrorCode.EXISTS, organisation=organisation.name, year=year)
    report = AnnualReport(organisation=organisation, year=year, created_by=actor)
    _save(report)
    audit_record(
        actor=actor,
        action="reports.report.create",
        target=report,
        summary=f"新建年度报告：{report}",
        changes={"organisation": [None, organisation.code], "year": [None, year]},
    )
    return report


@transaction.atomic
def report_update(
    *, actor: User, report: AnnualReport, **fields: Unpack[ReportFields]
) -> AnnualReport:
    """Change the scope, the narrative or the entered cells of a report being written."""
    report = _lock(report)
    _allow(permissions.can_manage(actor, report.organisation), _("编写该机关的年度报告"))
    _require_editable(report)
    before = field_values(report, EDITABLE_FIELDS)
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    _save(report)
    changes = diff_fields(before, field_values(report, EDITABLE_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="reports.report.update",
            target=report,
            summary=f"修改年度报告：{report}",
            changes=changes,
        )
    return report


@transaction.atomic
def report_submit(*, actor: User, report: AnnualReport) -> AnnualReport:
    """Freeze the figures and submit the report, as its document, for review."""
    report = _lock(report)
    _allow(permissions.can_submit(actor, report), _("提交该机关的年度报告"))
    _require_editable(report)
    today = timezone.localdate()
    if today.year <= report.year:
        raise ReportError(ReportErrorCode.YEAR_NOT_OVER, year=report.year)
    figures = live_figures(report)
    content = report_content(report, figures)
    failures = content.failures()
    if failures:
        raise ReportError(ReportErrorCode.CHECKS_FAILED, failures="".join(failures))
    layout = report_format()
    genre, topic = _publication_reference()
    fields: publishing.DocumentFields = {
        "title": content.title,
        "genre": genre,
        "topic": topic,
        "written_on": today,
        "summary": _("依据《中华人民共和国政府信息公开条例》编制，内容包括：%(sections)s。")
        % {"sections": "；".join(layout.sections.values())},
        "body": report_body_html(content),
        "keywords": KEYWORDS,
    }
    document = report.document
    if document is None or document.status == Status.WITHDRAWN:
        document = publishing.document_create(
            actor=actor,
            organisation=report.organisation,
            disclosure=Disclosure.PROACTIVE,
            **fields,  # type: ignore[misc]
        )
    else:
        publishing.document_update(actor=actor, document=document, **fields)
    publishing.document_submit(actor=actor, document=document)
    previous = report.document_id
    report.frozen = figures.as_json()
    report.document = document
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    _save(report)
    audit_record(
        actor=actor,
        action="reports.report.submit",
        target=report,
        summary=f"提交发布年度报告：{report}（索引号 {document.index_no}）",
        changes={"document": [previous, document.pk]},
    )
    return report


@transaction.atomic
def report_publish(*, actor: User, report: AnnualReport) -> AnnualReport:
    """Publish a submitted report now: its document's review is started if need be, the
    document approved (its failed review checks need reasons, given on its page) and
    published."""
    report = _lock(report)
    stage = report_stage(report)
    if stage != Stage.IN_REVIEW or report.document is None:
        raise ReportError(ReportErrorCode.NOT_IN_REVIEW, stage=stage.label)
    _allow(permissions.can_publish(actor, report), _("发布该机关的年度报告"))
    document = report.document
    if document.status == Status.SUBMITTED:
        publishing.document_start_review(actor=actor, document=document)
    if document.status == Status.IN_REVIEW:
        publishing.document_approve(actor=actor, document=document)
    publishing.document_publish(actor=actor, document=document)
    audit_record(
        actor=actor,
        action="reports.report.publish",
        target=report,
        summary=f"发布年度报告：{report}（索引号 {document.index_no}）",
    )
    return report


def _publication_reference() -> tuple[Genre, Topic]:
    layout = report_format()
    parent, name = layout.topic
    genre = Genre.objects.filter(name=layout.genre).first()
    topic = Topic.objects.filter(parent__name=parent, name=name).first()
    if genre is None or topic is None:
        raise ReportError(
            ReportErrorCode.PUBLICATION_SETUP, genre=layout.genre, topic=f"{parent}/{name}"
        )
    return genre, topic


def _lock(report: AnnualReport) -> AnnualReport:
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("organisation", "document")
        .get(pk=report.pk)
    )


def _require_editable(report: AnnualReport) -> None:
    stage = report_stage(report)
    if stage not in EDITABLE_STAGES:
        raise ReportError(ReportErrorCode.LOCKED, stage=stage.label)


def _allow(allowed: bool, action: str) -> None:
    if not allowed:
        raise ReportError(ReportErrorCode.PERMISSION_DENIED, action=action)


def _save(report: AnnualReport) -> None:
    """``full_clean`` with its first message as a ``ReportError`` (a 400, not a 500)."""
    try:
        report.full_clean()
    except ValidationError as error:
        field, message = first_problem(report, error)
        raise ReportError(ReportErrorCode.INVALID, field=field, message=message) from error
    report.save()
