"""The staff pages (allowed and denied) and the public pages and downloads."""

from datetime import date

import pytest
from django.urls import reverse

from gongkai.reports import services
from gongkai.reports.models import AnnualReport

from .support import NARRATIVE, application, complete_report, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def published(people):
    application(people.orgs["fgw"], received_on=date(2025, 3, 1))
    report = complete_report(people.handler, people.orgs["fgw"])
    report = services.report_submit(actor=people.handler, report=report)
    return services.report_publish(actor=people.office, report=report)


def test_staff_pages_need_a_login_and_a_report_role(client, people):
    url = reverse("reports:staff-list")
    assert client.get(url).status_code == 302
    client.force_login(people.public)
    assert client.get(url).status_code == 403
    client.force_login(people.reviewer)
    assert client.get(url).status_code == 403


def test_a_handler_creates_a_report_of_their_organisation(client, people):
    client.force_login(people.handler)
    page = client.get(reverse("reports:staff-list"))
    assert page.status_code == 200
    assert list(page.context["form"].fields["organisation"].queryset) == [people.orgs["fgw"]]
    response = client.post(
        reverse("reports:staff-list"), {"organisation": people.orgs["fgw"].pk, "year": "2025"}
    )
    report = AnnualReport.objects.get()
    assert response.url == reverse("reports:staff-edit", args=[report.pk])


def test_creating_refuses_a_bad_year_and_another_organisation(client, people):
    client.force_login(people.handler)
    url = reverse("reports:staff-list")
    response = client.post(url, {"organisation": people.orgs["fgw"].pk, "year": "2019"})
    assert response.status_code == 400
    assert "年度“2019”无效" in response.content.decode()
    response = client.post(url, {"organisation": people.orgs["czj"].pk, "year": "2025"})
    assert response.status_code == 400
    assert not AnnualReport.objects.exists()


def test_editing_saves_and_a_bad_number_is_a_400(client, people):
    report = services.report_create(
        actor=people.handler, organisation=people.orgs["fgw"], year=2025
    )
    client.force_login(people.handler)
    url = reverse("reports:staff-edit", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "规章：本年制发件数" in page.content.decode()
    data = {
        "scope": "organisation",
        **NARRATIVE,
        "licensing_decisions": "12",
        "fees_amount": "3.25",
    }
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert (report.licensing_decisions, str(report.fees_amount)) == (12, "3.2500")
    response = client.post(url, {**data, "penalty_decisions": "-3"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.penalty_decisions is None


def test_another_organisations_report_is_not_found(client, people):
    report = complete_report(people.outsider, people.orgs["czj"])
    client.force_login(people.handler)
    for name in ("reports:staff-preview", "reports:staff-edit"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:staff-submit", args=[report.pk])).status_code == 404


def test_preview_shows_the_checks_and_exports_in_four_formats(client, people):
    report = services.report_create(
        actor=people.handler, organisation=people.orgs["fgw"], year=2025
    )
    client.force_login(people.handler)
    page = client.get(reverse("reports:staff-preview", args=[report.pk]))
    assert page.status_code == 200
    assert "表二“行政许可”的“本年处理决定数量”尚未填报。" in page.context["failures"]
    for fmt, start in (
        ("html", b"<!DOCTYPE html>"),
        ("docx", b"PK"),
        ("xlsx", b"PK"),
        ("pdf", b"%PDF"),
    ):
        response = client.get(reverse("reports:staff-export", args=[report.pk, fmt]))
        assert response.status_code == 200
        assert response.content.startswith(start)
        assert "attachment" in response["Content-Disposition"]
    assert client.get(reverse("reports:staff-export", args=[report.pk, "odt"])).status_code == 404


def test_submit_and_publish_from_the_preview(client, people):
    report = complete_report(people.handler, people.orgs["fgw"])
    client.force_login(people.handler)
    response = client.post(reverse("reports:staff-submit", args=[report.pk]))
    assert response.status_code == 302
    # The submitter may not publish.
    response = client.post(reverse("reports:staff-publish", args=[report.pk]))
    assert response.status_code == 403
    assert "您没有权限发布该机关的年度报告。" in response.content.decode()
    client.force_login(people.office)
    assert client.post(reverse("reports:staff-publish", args=[report.pk])).status_code == 302
    client.force_login(people.handler)
    response = client.post(reverse("reports:staff-submit", args=[report.pk]))
    assert response.status_code == 409


def test_an_incomplete_report_is_refused_with_the_failures(client, people):
    report = services.report_create(
        actor=people.handler, organisation=people.orgs["fgw"], year=2025
    )
    client.force_login(people.handler)
    response = client.post(reverse("reports:staff-submit", args=[report.pk]))
    assert response.status_code == 400
    assert "年度报告未通过检查，不能提交" in response.content.decode()


def test_the_public_list_page_and_downloads(client, published):
    page = client.get(reverse("reports:index"))
    assert published.organisation.name in page.content.decode()
    assert (
        client.get(reverse("reports:index"), {"year": "2024"}).context["page"].paginator.count == 0
    )
    assert (
        client.get(reverse("reports:index"), {"q": "发展和改革"}).context["page"].paginator.count
        == 1
    )
    detail = client.get(reverse("reports:detail", args=["110000-FGW", 2025]))
    html = detail.content.decode()
    assert "<h1>北京市发展和改革委员会2025年政府信息公开工作年度报告</h1>" in html
    assert "三、收到和处理政府信息公开申请情况" in html
    for fmt, content_type in (
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ):
        response = client.get(reverse("reports:download", args=["110000-FGW", 2025, fmt]))
        assert (response.status_code, response["Content-Type"]) == (200, content_type)
    assert (
        client.get(reverse("reports:download", args=["110000-FGW", 2025, "html"])).status_code
        == 404
    )


def test_a_report_not_published_is_not_public(client, people):
    complete_report(people.handler, people.orgs["fgw"])
    assert client.get(reverse("reports:detail", args=["110000-FGW", 2025])).status_code == 404
    assert (
        client.get(reverse("reports:download", args=["110000-FGW", 2025, "pdf"])).status_code == 404
    )
    assert client.get(reverse("reports:index")).context["page"].paginator.count == 0
