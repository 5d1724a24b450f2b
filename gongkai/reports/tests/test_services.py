"""Writing, submitting and publishing a report; table 二 from publishing and as entered; who may
do what (allowed and denied, a denial changing nothing)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from gongkai.core.models import AuditEvent
from gongkai.publishing import services as publishing
from gongkai.publishing.models import Disclosure, Document, Genre, Status, Topic, Validity
from gongkai.publishing.permissions import is_public
from gongkai.reports import services
from gongkai.reports.content import Source
from gongkai.reports.errors import ReportError, ReportErrorCode
from gongkai.reports.models import AnnualReport, Scope, Stage
from gongkai.reports.selectors import (
    live_figures,
    published_reports,
    report_figures,
    report_stage,
    table2_computed,
)

from .support import ENTERED, NARRATIVE, application, complete_report, make_people

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def people():
    return make_people()


def refused(code: ReportErrorCode, call, *args, **kwargs) -> None:
    with pytest.raises(ReportError) as error:
        call(*args, **kwargs)
    assert error.value.code == code


# ---- Table 二 ---------------------------------------------------------------------------------


def imported(people, organisation, genre: str, published: date, validity=Validity.CURRENT):
    number = Document.objects.count() + 1
    document, _created = publishing.document_import_published(
        actor=None,
        author=people.handler,
        organisation=organisation,
        index_no=f"{organisation.code}/T-{number:05d}",
        title=f"测试文件{number}",
        genre=Genre.objects.get(name=genre),
        topic=Topic.objects.get(name="政务公开"),
        written_on=published,
        published_at=datetime(published.year, published.month, published.day, 10, tzinfo=ZONE),
        summary="测试。",
        validity=validity,
    )
    return document


def test_table_2_counts_rules_and_normative_documents_and_takes_entered_cells(people):
    fgw = people.orgs["fgw"]
    imported(people, fgw, "规范性文件", date(2025, 3, 1))  # issued, current
    imported(people, fgw, "规范性文件", date(2025, 1, 1))  # issued (first day), current
    imported(people, fgw, "规范性文件", date(2024, 5, 1))  # current
    imported(people, fgw, "规范性文件", date(2024, 6, 1), Validity.EXPIRED)  # neither
    imported(people, fgw, "规范性文件", date(2026, 1, 1))  # after the year
    imported(people, fgw, "命令（令）", date(2025, 6, 1))  # a 规章: issued, current
    imported(people, fgw, "通知", date(2025, 6, 1))  # neither
    imported(people, people.orgs["czj"], "规范性文件", date(2025, 6, 1))  # another organisation
    assert table2_computed({fgw.pk}, 2025) == {
        "rules_issued": 1,
        "rules_current": 1,
        "normative_issued": 2,
        "normative_current": 3,
    }
    report = services.report_create(actor=people.handler, organisation=fgw, year=2025)
    cells = live_figures(report).table2
    assert cells["normative_current"].value == 3
    assert cells["normative_current"].source == Source.COMPUTED
    assert cells["licensing_decisions"].source == Source.MISSING
    report = services.report_update(
        actor=people.handler, report=report, normative_current=4, fees_amount=Decimal("0.35")
    )
    figures = live_figures(report)
    assert (
        figures.table2["normative_current"].value,
        figures.table2["normative_current"].source,
    ) == (4, Source.ENTERED)
    assert figures.table2["fees_amount"].value == Decimal("0.35")
    assert figures.table2_failures() == [
        "表二“规章”的“本年废止件数”尚未填报。",
        "表二“行政规范性文件”的“本年废止件数”尚未填报。",
        "表二“行政许可”的“本年处理决定数量”尚未填报。",
        "表二“行政处罚”的“本年处理决定数量”尚未填报。",
        "表二“行政强制”的“本年处理决定数量”尚未填报。",
    ]  # fmt: skip


def test_the_figures_survive_their_json_form(people):
    application(people.orgs["fgw"], received_on=date(2025, 3, 1))
    report = complete_report(people.handler, people.orgs["fgw"])
    figures = live_figures(report)
    assert type(figures).from_json(figures.as_json()) == figures


# ---- Writing ----------------------------------------------------------------------------------


def test_handlers_and_the_openness_office_over_them_create_reports(people):
    fgw = people.orgs["fgw"]
    report = services.report_create(actor=people.handler, organisation=fgw, year=2025)
    assert (report.organisation, report.year, report.scope) == (fgw, 2025, Scope.ORGANISATION)
    assert report_stage(report) == Stage.DRAFT
    assert AuditEvent.objects.filter(action="reports.report.create").count() == 1
    city = services.report_create(actor=people.office, organisation=people.orgs["city"], year=2025)
    assert city.created_by == people.office
    refused(
        ReportErrorCode.EXISTS,
        services.report_create,
        actor=people.office,
        organisation=fgw,
        year=2025,
    )


@pytest.mark.parametrize(
    ("actor", "org"),
    [("outsider", "fgw"), ("district_office", "fgw"), ("reviewer", "fgw"), ("public", "fgw")],
)
def test_others_may_not_create_a_report(people, actor, org):
    refused(
        ReportErrorCode.PERMISSION_DENIED,
        services.report_create,
        actor=getattr(people, actor),
        organisation=people.orgs[org],
        year=2025,
    )
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize("year", [2020, timezone.localdate().year + 1, "二〇二五"])
def test_a_year_outside_the_format_is_refused(people, year):
    refused(
        ReportErrorCode.BAD_YEAR,
        services.report_create,
        actor=people.handler,
        organisation=people.orgs["fgw"],
        year=year,
    )


def test_the_narrative_and_cells_are_saved_and_audited(people):
    report = complete_report(people.handler, people.orgs["fgw"])
    report.refresh_from_db()
    assert report.problems == NARRATIVE["problems"]
    assert report.fees_amount == Decimal("12.5")
    event = AuditEvent.objects.get(action="reports.report.update")
    assert event.changes["licensing_decisions"] == [None, 1236]


def test_an_outsider_may_not_edit_and_nothing_changes(people):
    report = complete_report(people.handler, people.orgs["fgw"])
    refused(
        ReportErrorCode.PERMISSION_DENIED,
        services.report_update,
        actor=people.outsider,
        report=report,
        problems="改掉",
    )
    report.refresh_from_db()
    assert report.problems == NARRATIVE["problems"]


def test_a_negative_count_is_refused_with_the_cells_name(people):
    report = services.report_create(
        actor=people.handler, organisation=people.orgs["fgw"], year=2025
    )
    with pytest.raises(ReportError) as error:
        services.report_update(actor=people.handler, report=report, penalty_decisions=-1)
    assert error.value.code == ReportErrorCode.INVALID
    assert "行政处罚本年处理决定数量" in error.value.message


# ---- Submitting and publishing ----------------------------------------------------------------


def test_an_incomplete_report_is_not_submitted(people):
    report = services.report_create(
        actor=people.handler, organisation=people.orgs["fgw"], year=2025
    )
    with pytest.raises(ReportError) as error:
        services.report_submit(actor=people.handler, report=report)
    assert error.value.code == ReportErrorCode.CHECKS_FAILED
    assert "表二“行政许可”的“本年处理决定数量”尚未填报。" in error.value.message
    assert "“五、存在的主要问题及改进情况”尚未填写。" in error.value.message
    report.refresh_from_db()
    assert (report.document, report.frozen) == (None, None)
    assert not Document.objects.exists()


def test_a_report_on_inconsistent_records_is_not_submitted(people):
    application(people.orgs["fgw"], received_on=date(2025, 3, 1), closed_on=date(2025, 3, 9))
    report = complete_report(people.handler, people.orgs["fgw"])
    refused(
        ReportErrorCode.CHECKS_FAILED, services.report_submit, actor=people.handler, report=report
    )


def test_a_report_of_the_current_year_waits_for_the_year_to_end(people):
    year = timezone.localdate().year
    report = complete_report(people.handler, people.orgs["fgw"], year=year)
    refused(
        ReportErrorCode.YEAR_NOT_OVER, services.report_submit, actor=people.handler, report=report
    )


def test_submitting_freezes_the_tables_and_submits_a_proactive_document(people):
    application(
        people.orgs["fgw"],
        received_on=date(2025, 3, 1),
        closed_on=date(2025, 3, 20),
        outcome="granted",
    )
    report = complete_report(people.handler, people.orgs["fgw"])
    report = services.report_submit(actor=people.handler, report=report)
    document = report.document
    assert document is not None
    assert report_stage(report) == Stage.IN_REVIEW
    assert document.title == "北京市发展和改革委员会2025年政府信息公开工作年度报告"
    assert (document.organisation, document.genre.name, document.topic.name) == (
        people.orgs["fgw"], "报告", "政务公开",
    )  # fmt: skip
    assert (document.disclosure, document.status) == (Disclosure.PROACTIVE, Status.SUBMITTED)
    assert document.created_by == people.handler
    assert "一、本年新收政府信息公开申请数量" in document.body
    assert 'rowspan="22"' in document.body  # 三、本年度办理结果 over its rows
    assert report.frozen == live_figures(report).as_json()
    assert AuditEvent.objects.filter(action="reports.report.submit").count() == 1
    # In review the report is locked and shows its frozen figures.
    refused(
        ReportErrorCode.LOCKED,
        services.report_update,
        actor=people.handler,
        report=report,
        problems="改掉",
    )
    application(people.orgs["fgw"], received_on=date(2025, 4, 1))
    assert report_figures(report).table3["new"][-1] == 1
    assert live_figures(report).table3["new"][-1] == 2


def test_only_a_handler_of_the_organisation_submits(people):
    report = complete_report(people.office, people.orgs["fgw"])
    refused(
        ReportErrorCode.PERMISSION_DENIED,
        services.report_submit,
        actor=people.office,
        report=report,
    )
    refused(
        ReportErrorCode.PERMISSION_DENIED,
        services.report_submit,
        actor=people.outsider,
        report=report,
    )
    report.refresh_from_db()
    assert report.document is None


def test_the_openness_office_publishes_a_submitted_report(people):
    report = complete_report(people.handler, people.orgs["fgw"])
    refused(
        ReportErrorCode.NOT_IN_REVIEW, services.report_publish, actor=people.office, report=report
    )
    report = services.report_submit(actor=people.handler, report=report)
    report = services.report_publish(actor=people.office, report=report)
    assert report_stage(report) == Stage.PUBLISHED
    assert is_public(report.document)
    assert list(published_reports()) == [report]
    assert AuditEvent.objects.filter(action="reports.report.publish").count() == 1
    refused(
        ReportErrorCode.NOT_IN_REVIEW, services.report_publish, actor=people.office, report=report
    )
    refused(ReportErrorCode.LOCKED, services.report_submit, actor=people.handler, report=report)


@pytest.mark.parametrize("actor", ["handler", "outsider", "district_office"])
def test_the_submitter_and_outsiders_may_not_publish(people, actor):
    report = complete_report(people.handler, people.orgs["fgw"])
    report = services.report_submit(actor=people.handler, report=report)
    refused(
        ReportErrorCode.PERMISSION_DENIED,
        services.report_publish,
        actor=getattr(people, actor),
        report=report,
    )
    report.refresh_from_db()
    assert report.document.status == Status.SUBMITTED
    assert not published_reports().exists()


def test_a_returned_report_is_edited_and_submitted_again_as_the_same_document(people):
    report = complete_report(people.handler, people.orgs["fgw"])
    report = services.report_submit(actor=people.handler, report=report)
    document = report.document
    publishing.document_start_review(actor=people.reviewer, document=document)
    publishing.document_return(actor=people.reviewer, document=document, note="请补充解读情况。")
    report.refresh_from_db()
    assert report_stage(report) == Stage.RETURNED
    services.report_update(
        actor=people.handler,
        report=report,
        overview_proactive="全年制发规范性文件2件，均同步解读。",
    )
    report = services.report_submit(actor=people.handler, report=report)
    assert report.document == document
    document.refresh_from_db()
    assert document.status == Status.SUBMITTED
    assert "全年制发规范性文件2件，均同步解读。" in document.body
    services.report_publish(actor=people.reviewer, report=report)
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED


def test_a_government_report_over_its_jurisdiction(people):
    application(people.orgs["fgw"], received_on=date(2025, 3, 1))
    application(people.orgs["dc_fgw"], received_on=date(2025, 3, 1))
    report = complete_report(people.city_handler, people.orgs["city"])
    assert live_figures(report).table3["new"][-1] == 0
    report = services.report_update(actor=people.office, report=report, scope=Scope.JURISDICTION)
    assert live_figures(report).table3["new"][-1] == 2
    report = services.report_submit(actor=people.city_handler, report=report)
    services.report_publish(actor=people.office, report=report)
    assert report.frozen["table3"]["rows"][0]["values"][-1] == 2
    assert ENTERED["licensing_decisions"] == report.frozen["table2"]["licensing_decisions"]["value"]
