"""The audit log pages: only for holders of core.view_auditevent; search and detail."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.audit import audit_record
from gongkai.core.models import AuditEvent

LIST = reverse("core:audit-list")


@pytest.fixture
def auditor_client(client, make_user):
    client.force_login(make_user("auditor", role="audit_admin"))
    return client


@pytest.fixture
def events(make_user):
    actor = make_user("li")
    return [
        audit_record(
            actor=actor,
            action="orgs.organisation.rename",
            summary="机构更名：东城区发改委 → 东城区发展改革委",
            changes={"name": ["东城区发改委", "东城区发展改革委"]},
        ),
        audit_record(actor=None, action="core.calendaryear.import", summary="导入 2027 年"),
        audit_record(
            actor=None, action="core.calendarday.set", summary="将 2027-01-04 设为法定节假日"
        ),
    ]


def listed(response) -> list[int]:
    return [event.seq for event in response.context["page"]]


class TestAccess:
    def test_anonymous_is_sent_to_login(self, client, db):
        for url in (LIST, reverse("core:audit-detail", args=[1])):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"] == f"{reverse('accounts:login')}?next={url}"

    def test_without_the_permission_is_forbidden(self, client, make_user, events):
        client.force_login(make_user("public"))
        assert client.get(LIST).status_code == 403
        assert client.get(reverse("core:audit-detail", args=[events[0].pk])).status_code == 403

    def test_system_admin_is_forbidden(self, client, make_user, events):
        client.force_login(make_user("sysadmin", role="system_admin"))
        assert client.get(LIST).status_code == 403

    def test_audit_admin_sees_the_log(self, auditor_client, events):
        response = auditor_client.get(LIST)
        assert response.status_code == 200
        assert listed(response) == [3, 2, 1]
        html = response.content.decode()
        assert "<caption>审计记录（共 3 条，按时间倒序）</caption>" in html
        assert '<th scope="col">操作人</th>' in html
        assert "王五（li）" in html


class TestSearch:
    @pytest.mark.parametrize(
        ("query", "seqs"),
        [
            ({"text": "王五"}, [1]),
            ({"text": "2027"}, [3, 2]),
            ({"text": "calendarday"}, [3]),
            ({"action": "core."}, [3, 2]),
            ({"action": "orgs.organisation.rename"}, [1]),
            ({"organisation": "无此机构"}, []),
            ({"text": "导入", "action": "core."}, [2]),
        ],
    )
    def test_filters(self, auditor_client, events, query, seqs):
        assert listed(auditor_client.get(LIST, query)) == seqs

    def test_date_range(self, auditor_client, events):
        today = timezone.localdate()
        yesterday = today - timedelta(days=1)
        assert listed(auditor_client.get(LIST, {"date_from": today, "date_to": today})) == [3, 2, 1]
        assert listed(auditor_client.get(LIST, {"date_to": yesterday})) == []
        assert listed(auditor_client.get(LIST, {"date_from": today + timedelta(days=1)})) == []

    def test_bad_dates_show_a_message(self, auditor_client, events):
        response = auditor_client.get(LIST, {"date_from": "2025-10-08", "date_to": "2025-10-01"})
        assert response.status_code == 200
        assert listed(response) == []
        assert "起始日期不能晚于截止日期。" in response.content.decode()
        response = auditor_client.get(LIST, {"date_from": "明天"})
        assert response.status_code == 200
        assert "输入一个有效的日期。" in response.content.decode()

    def test_pages_keep_the_filters(self, auditor_client, db):
        for i in range(51):
            audit_record(actor=None, action="core.test.page", summary=f"第{i}条")
        response = auditor_client.get(LIST, {"action": "core.test"})
        assert len(listed(response)) == 50
        assert 'href="?action=core.test&amp;page=2"' in response.content.decode()
        assert listed(auditor_client.get(LIST, {"action": "core.test", "page": 2})) == [1]
        assert listed(auditor_client.get(LIST, {"action": "core.test", "page": "x"}))[0] == 51


class TestDetail:
    def test_shows_changes_and_hashes(self, auditor_client, events):
        event = events[0]
        response = auditor_client.get(reverse("core:audit-detail", args=[event.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert (
            '<tr><th scope="row"><code>name</code></th><td>东城区发改委</td>'
            "<td>东城区发展改革委</td></tr>"
        ) in html
        assert event.hash in html
        assert event.prev_hash in html
        assert "一致：记录内容与哈希相符。" in html

    def test_flags_a_tampered_event(self, auditor_client, events):
        AuditEvent.objects.filter(pk=events[1].pk).update(summary="改过")
        response = auditor_client.get(reverse("core:audit-detail", args=[events[1].pk]))
        assert "不一致：记录内容与哈希不符，可能被改动过。" in response.content.decode()

    def test_unknown_event(self, auditor_client, db):
        assert auditor_client.get(reverse("core:audit-detail", args=[999])).status_code == 404


class TestAdmin:
    @pytest.fixture
    def admin_client(self, admin_client_for):
        return admin_client_for("audit_admin")

    def test_audit_events_are_read_only(self, admin_client, events):
        assert admin_client.get(reverse("admin:core_auditevent_changelist")).status_code == 200
        change = reverse("admin:core_auditevent_change", args=[events[0].pk])
        assert admin_client.get(change).status_code == 200
        assert admin_client.post(change, {"summary": "改"}).status_code == 403
        assert admin_client.get(reverse("admin:core_auditevent_add")).status_code == 403
        delete = reverse("admin:core_auditevent_delete", args=[events[0].pk])
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
        assert AuditEvent.objects.get(pk=events[0].pk).summary == events[0].summary
