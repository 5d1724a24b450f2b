"""Who may manage, submit and publish reports, and which reports each user's lists show."""

import pytest

from gongkai.reports import permissions, services

from .support import complete_report, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_people()


def test_manage_own_organisation_or_the_jurisdiction_of_the_office(people):
    fgw, city, dc_fgw = people.orgs["fgw"], people.orgs["city"], people.orgs["dc_fgw"]
    assert permissions.can_manage(people.handler, fgw)
    assert permissions.can_manage(people.office, fgw)
    assert permissions.can_manage(people.office, dc_fgw)
    assert permissions.can_manage(people.district_office, dc_fgw)
    assert not permissions.can_manage(people.handler, city)
    assert not permissions.can_manage(people.outsider, fgw)
    assert not permissions.can_manage(people.district_office, fgw)
    assert not permissions.can_manage(people.reviewer, fgw)
    assert not permissions.can_manage(people.public, fgw)


def test_submit_needs_the_right_to_draft_for_the_organisation(people):
    report = complete_report(people.handler, people.orgs["fgw"])
    assert permissions.can_submit(people.handler, report)
    assert not permissions.can_submit(people.office, report)
    assert not permissions.can_submit(people.outsider, report)


def test_publish_needs_the_right_to_approve_the_document(people):
    report = complete_report(people.handler, people.orgs["fgw"])
    assert not permissions.can_publish(people.office, report)  # nothing submitted yet
    report = services.report_submit(actor=people.handler, report=report)
    assert permissions.can_publish(people.office, report)
    assert permissions.can_publish(people.reviewer, report)
    assert not permissions.can_publish(people.handler, report)  # the submitter
    assert not permissions.can_publish(people.district_office, report)
    assert not permissions.can_publish(people.public, report)


def test_the_lists_show_the_reports_a_user_manages(people):
    fgw_report = complete_report(people.handler, people.orgs["fgw"])
    czj_report = complete_report(people.outsider, people.orgs["czj"])
    district = complete_report(people.district_office, people.orgs["dc_fgw"])
    assert set(permissions.reports_of(people.handler)) == {fgw_report}
    assert set(permissions.reports_of(people.outsider)) == {czj_report}
    assert set(permissions.reports_of(people.office)) == {fgw_report, czj_report, district}
    assert set(permissions.reports_of(people.district_office)) == {district}
    assert not permissions.reports_of(people.reviewer).exists()
    assert not permissions.reports_of(people.public).exists()
    assert list(permissions.manageable_organisations(people.handler)) == [people.orgs["fgw"]]
    assert set(permissions.manageable_organisations(people.district_office)) == {
        people.orgs["dongcheng"],
        people.orgs["dc_fgw"],
    }
