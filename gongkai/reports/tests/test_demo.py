"""The demo reports: published through the services, computed from the data at hand, and a
second run changes nothing."""

from datetime import date

import pytest

from gongkai.accounts.demo import load_demo_accounts
from gongkai.foi.models import Application
from gongkai.orgs.models import Organisation
from gongkai.publishing.models import Document
from gongkai.reports.demo import load_demo_reports
from gongkai.reports.models import AnnualReport, Scope, Stage
from gongkai.reports.selectors import published_reports, report_stage

from .support import application

pytestmark = pytest.mark.usefixtures("beijing")


def test_the_demo_publishes_three_2025_reports_once():
    load_demo_accounts()
    application(Organisation.objects.get(code="110000-FGW"), received_on=date(2025, 4, 1))
    application(Organisation.objects.get(code="110101"), received_on=date(2025, 5, 1))
    summary = load_demo_reports()
    reports = {report.organisation.code: report for report in AnnualReport.objects.all()}
    assert set(reports) == {"110000", "110000-FGW", "110000-JW"}, summary
    assert all(report_stage(report) == Stage.PUBLISHED for report in reports.values())
    assert set(published_reports()) == set(reports.values())
    city = reports["110000"]
    assert city.scope == Scope.JURISDICTION
    assert city.frozen["table3"]["rows"][0]["values"][-1] == Application.objects.count() == 2
    assert "全市各级行政机关本年新收政府信息公开申请2件" in city.overview_on_request
    assert reports["110000-FGW"].frozen["table3"]["rows"][0]["values"][-1] == 1
    documents = Document.objects.count()
    assert load_demo_reports() == summary
    assert (AnnualReport.objects.count(), Document.objects.count()) == (3, documents)
