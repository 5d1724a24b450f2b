"""The admin pages (reference data through the services; documents read-only) and the
``gongkai publishing publish-due`` command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEvent
from gongkai.publishing import services
from gongkai.publishing.models import Document, ReviewTerm, Status

from .workflow_support import People, advance, draft, make_orgs, make_people, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people(make_orgs())


@pytest.fixture
def admin_client(people: People, client: Client) -> Client:
    client.force_login(make_staff("sysadmin", people.office.organisation, Role.SYSTEM_ADMIN))
    return client


def test_the_system_admin_adds_a_review_term_through_the_service(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/publishing/reviewterm/add/",
        {"term": "网上申办", "kind": "wrong", "suggestion": "网上办理"},
    )
    assert response.status_code == 302
    assert ReviewTerm.objects.get(term="网上申办").suggestion == "网上办理"
    event = AuditEvent.objects.get(action="publishing.reviewterm.save")
    assert event.actor_label == "sysadmin"


def test_the_system_admin_deletes_review_terms_through_the_service(admin_client: Client) -> None:
    term = ReviewTerm.objects.get(term="帐号")
    response = admin_client.post(f"/admin/publishing/reviewterm/{term.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ReviewTerm.objects.filter(term="帐号").exists()
    assert AuditEvent.objects.filter(action="publishing.reviewterm.delete").count() == 1


@pytest.mark.parametrize("model", ["topic", "genre", "legalbasis"])
def test_reference_data_is_edited_but_not_deleted(admin_client: Client, model: str) -> None:
    assert admin_client.get(f"/admin/publishing/{model}/").status_code == 200
    assert admin_client.get(f"/admin/publishing/{model}/add/").status_code == 200
    assert admin_client.get(f"/admin/publishing/{model}/1/delete/").status_code == 403


def test_documents_are_not_the_system_admins(admin_client: Client, people: People) -> None:
    document = draft(people.handler)
    assert admin_client.get("/admin/publishing/document/").status_code == 403
    assert admin_client.get(f"/admin/publishing/document/{document.pk}/change/").status_code == 403


def test_other_roles_do_not_reach_the_reference_data(client: Client, people: People) -> None:
    client.force_login(people.office)
    response = client.get("/admin/publishing/reviewterm/")
    assert response.status_code == 302  # the admin site sends non-admins to the login page


def test_publish_due_command_reports_the_count(people: People) -> None:
    document = advance(draft(people.handler), Status.APPROVED, people)
    services.document_publish(
        actor=people.reviewer, document=document, at=timezone.now() + timedelta(minutes=1)
    )
    Document.objects.filter(pk=document.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    out = StringIO()

    call_command("publishing", "publish-due", stdout=out)

    assert out.getvalue() == "已发布 1 件到达定时发布时间的政府信息。\n"
    document.refresh_from_db()
    assert document.status == Status.PUBLISHED
