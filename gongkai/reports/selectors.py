"""Reads of the annual report: the figures of tables 二, 三 and 四, a report's stage and content,
and the lists of reports.

Each table is one aggregate query over the organisations the report covers (``scope_ids``),
counted per applicant type or appeal kind with conditional counts, so that it stays fast over
millions of applications.

Table 三 (for year Y, 1 January to 31 December):

* 一 new: received in Y;
* 二 carried_in: received before Y and not closed before it (still open, or closed in Y or
  later) — the applications still open at the end of Y-1 are Y's row 二;
* 三 outcome rows: closed in Y, each under ``foi.selectors.report_row`` of its outcome (art.
  36(5), art. 36(7) and withdrawals under the row ``GONGKAI_FOI_OUTCOME_ROWS`` names);
  （七）总计: every application closed in Y;
* 四 carried_out: received by the end of Y and not closed by then.

Table 四: the appeals filed in Y, with their result as of 31 December of Y: one not decided by
then (or without a decision date) counts as 尚未审结, even if it was decided since.

Table 二: 规章 (documents of the genres ``rules_genres`` of the format file) and 行政规范性文件
(the normative genres of ``publishing``) among the public documents of the organisations:
本年制发 = first published in Y, 现行有效 = first published by the end of Y and still marked
现行有效 (the platform keeps a document's current validity, not its history: a report made
long after its year counts what is current now). 本年废止 is entered: ``publishing`` does not
record when a document was repealed. The other cells are entered. An entered value replaces
a computed one.
"""

from collections.abc import Collection
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.foi.models import Appeal, AppealResult, Application, Outcome
from gongkai.foi.selectors import ROWS, report_row
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import org_subtree_ids
from gongkai.publishing.models import Document, Status, Validity
from gongkai.publishing.permissions import is_public, public_q

from .content import NARRATIVE, Figures, ReportContent, Source, Table2Cell
from .layout import TABLE2_CELLS, TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_GROUPS, report_format
from .models import AnnualReport, Scope, Stage
from .permissions import AnyUser, reports_of

COMPUTED_CELLS = ("rules_issued", "rules_current", "normative_issued", "normative_current")
"""The cells of table 二 the platform counts; the others are entered."""


def scope_ids(organisation: Organisation, scope: str) -> set[int]:
    """The organisations whose figures a report of ``organisation`` counts."""
    if scope == Scope.JURISDICTION:
        return org_subtree_ids(organisation)
    return {organisation.pk}


def _year(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


# ---- Table 三 ---------------------------------------------------------------------------------


def _outcomes_by_row() -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {row: [] for row in ROWS}
    for outcome in Outcome.values:
        rows[report_row(outcome)].append(outcome)
    return rows


def table3_figures(org_ids: Collection[int], year: int) -> dict[str, tuple[int, ...]]:
    """Table 三 of ``year`` over the applications of ``org_ids``."""
    start, end = _year(year)
    closed = Q(closed_on__gte=start, closed_on__lte=end)
    measures = {
        "new": Q(received_on__gte=start, received_on__lte=end),
        "carried_in": Q(received_on__lt=start)
        & (Q(closed_on__isnull=True) | Q(closed_on__gte=start)),
        **{row: closed & Q(outcome__in=outcomes) for row, outcomes in _outcomes_by_row().items()},
        "total": closed,
        "carried_out": Q(received_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
    }
    # Only rows that can count anywhere: received in the year, closed in it or later, or open
    # (each an index range on (organisation, received_on) or (organisation, closed_on)).
    relevant = (
        Q(received_on__gte=start, received_on__lte=end)
        | Q(closed_on__gte=start)
        | Q(closed_on__isnull=True)
    )
    groups = (
        Application.objects.filter(relevant, organisation_id__in=sorted(org_ids))
        .order_by()
        .values("applicant_type")
        .annotate(**{f"n_{key}": Count("pk", filter=q) for key, q in measures.items()})
    )
    by_type: dict[str, dict[str, Any]] = {group["applicant_type"]: group for group in groups}
    table: dict[str, tuple[int, ...]] = {}
    for row in TABLE3_ROWS:
        applicants = [by_type.get(kind, {}).get(f"n_{row}", 0) for kind in TABLE3_COLUMNS[:-1]]
        # 总计 counts every application, an applicant type outside the six included.
        table[row] = (*applicants, sum(group[f"n_{row}"] for group in by_type.values()))
    return table


# ---- Table 四 ---------------------------------------------------------------------------------


def table4_figures(org_ids: Collection[int], year: int) -> dict[str, tuple[int, ...]]:
    """Table 四 of ``year`` over the appeals about applications of ``org_ids``."""
    start, end = _year(year)
    decided = Q(decided_on__isnull=False, decided_on__lte=end)
    measures = {
        result: Q(result=result) & decided
        for result in AppealResult.values
        if result != AppealResult.PENDING
    }
    measures[AppealResult.PENDING] = (
        Q(result=AppealResult.PENDING) | Q(decided_on__isnull=True) | Q(decided_on__gt=end)
    )
    groups = (
        Appeal.objects.filter(
            application__organisation_id__in=sorted(org_ids),
            filed_on__gte=start,
            filed_on__lte=end,
        )
        .order_by()
        .values("kind")
        .annotate(
            n_total=Count("pk"),
            **{f"n_{result}": Count("pk", filter=q) for result, q in measures.items()},
        )
    )
    by_kind = {group["kind"]: group for group in groups}
    return {
        kind: tuple(
            by_kind.get(kind, {}).get(f"n_{column}", 0)
            for column in (*AppealResult.values, "total")
        )
        for kind in TABLE4_GROUPS
    }


# ---- Table 二 ---------------------------------------------------------------------------------


def table2_computed(org_ids: Collection[int], year: int) -> dict[str, int]:
    """The cells of table 二 the platform counts (``COMPUTED_CELLS``)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=zone)
    after = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=zone)
    rules = Q(genre__name__in=report_format().rules_genres)
    normative = Q(genre__is_normative=True)
    issued = Q(published_at__gte=start, published_at__lt=after)
    current = Q(published_at__lt=after, validity=Validity.CURRENT)
    counts: dict[str, int] = Document.objects.filter(
        public_q(), organisation_id__in=sorted(org_ids)
    ).aggregate(
        rules_issued=Count("pk", filter=rules & issued),
        rules_current=Count("pk", filter=rules & current),
        normative_issued=Count("pk", filter=normative & issued),
        normative_current=Count("pk", filter=normative & current),
    )
    return counts


def table2_figures(report: AnnualReport, computed: dict[str, int]) -> dict[str, Table2Cell]:
    """Table 二: each cell as entered on ``report``, else as ``computed``, else missing."""
    cells = {}
    for key in TABLE2_CELLS:
        entered = getattr(report, key)
        if entered is not None:
            cells[key] = Table2Cell(entered, Source.ENTERED)
        elif key in computed:
            cells[key] = Table2Cell(computed[key], Source.COMPUTED)
        else:
            cells[key] = Table2Cell(None, Source.MISSING)
    return cells


# ---- A report ---------------------------------------------------------------------------------


def live_figures(report: AnnualReport) -> Figures:
    """The three tables of ``report`` as of now (the report need not be saved)."""
    ids = scope_ids(report.organisation, report.scope)
    return Figures(
        table2=table2_figures(report, table2_computed(ids, report.year)),
        table3=table3_figures(ids, report.year),
        table4=table4_figures(ids, report.year),
    )


def report_stage(report: AnnualReport) -> Stage:
    """Where ``report`` stands: from the status of the document it was submitted as."""
    document = report.document
    if document is None:
        return Stage.DRAFT
    if is_public(document):
        return Stage.PUBLISHED
    if document.status == Status.WITHDRAWN:
        return Stage.WITHDRAWN
    if document.status == Status.DRAFT:
        return Stage.RETURNED
    return Stage.IN_REVIEW


def report_figures(report: AnnualReport) -> Figures:
    """The tables a rendering shows: frozen at submission while the report is in review or
    published; computed now while it is being written."""
    if report.frozen is not None and report_stage(report) in (Stage.IN_REVIEW, Stage.PUBLISHED):
        return Figures.from_json(report.frozen)
    return live_figures(report)


def report_content(report: AnnualReport, figures: Figures | None = None) -> ReportContent:
    return ReportContent(
        organisation=report.organisation.name,
        year=report.year,
        texts={field: getattr(report, field) for field in NARRATIVE},
        figures=figures or report_figures(report),
    )


# ---- Lists ------------------------------------------------------------------------------------


def staff_reports(user: AnyUser) -> QuerySet[AnnualReport]:
    return reports_of(user).select_related("organisation", "document")


def published_reports(*, year: int | None = None, organisation: str = "") -> QuerySet[AnnualReport]:
    """The public reports (their document is public), newest year first; ``organisation``
    filters by a part of the organisation's name or by its code."""
    reports = AnnualReport.objects.filter(public_q("document__")).select_related(
        "organisation", "document"
    )
    if year is not None:
        reports = reports.filter(year=year)
    if organisation.strip():
        text = organisation.strip()
        reports = reports.filter(
            Q(organisation__name__icontains=text) | Q(organisation__code__iexact=text)
        )
    return reports


def published_report(code: str, year: int) -> AnnualReport | None:
    return published_reports(year=year).filter(organisation__code=code).first()


def published_years() -> list[int]:
    return sorted(set(published_reports().values_list("year", flat=True).order_by()), reverse=True)
