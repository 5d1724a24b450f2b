"""Who may do what: every permission function allowed and denied; services refuse with
PERMISSION_DENIED and change nothing."""

import pytest
from django.contrib.auth.models import AnonymousUser

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.core.models import AuditEvent
from gongkai.publishing import permissions, services
from gongkai.publishing.errors import PublishingError, PublishingErrorCode
from gongkai.publishing.models import Disclosure, Document, LegalBasis, ReviewEvent, Status

from .workflow_support import (
    People,
    advance,
    draft,
    genre,
    interpretation,
    make_orgs,
    make_people,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return make_orgs()


@pytest.fixture
def people(orgs) -> People:
    return make_people(orgs)


@pytest.fixture
def document(people: People) -> Document:
    return draft(people.handler)


def test_handlers_draft_for_their_own_organisation(people: People, orgs) -> None:
    assert permissions.can_draft(people.handler, orgs["fgw"])
    assert not permissions.can_draft(people.handler, orgs["czj"])
    assert not permissions.can_draft(people.reviewer, orgs["fgw"])
    assert not permissions.can_draft(people.office, orgs["fgw"])
    assert not permissions.can_draft(AnonymousUser(), orgs["fgw"])


def test_an_inactive_handler_drafts_nothing(people: People, orgs) -> None:
    people.handler.is_active = False
    assert not permissions.can_draft(people.handler, orgs["fgw"])


def test_handlers_of_the_organisation_edit(people: People, document: Document) -> None:
    assert permissions.can_edit(people.handler, document)
    assert permissions.can_edit(people.colleague, document)
    assert not permissions.can_edit(people.outsider, document)
    assert not permissions.can_edit(people.reviewer, document)


def test_only_the_drafter_recalls(people: People, document: Document) -> None:
    assert permissions.can_recall(people.handler, document)
    assert not permissions.can_recall(people.colleague, document)
    assert not permissions.can_recall(people.reviewer, document)


def test_reviewers_and_the_openness_office_over_it_review(
    people: People, document: Document
) -> None:
    assert permissions.can_review(people.reviewer, document)
    assert permissions.can_review(people.office, document)
    assert not permissions.can_review(people.district_office, document)
    assert not permissions.can_review(people.outsider, document)
    assert not permissions.can_review(people.handler, document)
    assert not permissions.can_review(AnonymousUser(), document)


def test_a_district_openness_office_reviews_its_district(people: People, orgs) -> None:
    district_handler = make_staff("dc-handler", orgs["dc_fgw"], Role.HANDLER)
    document = draft(district_handler)
    assert permissions.can_review(people.district_office, document)
    assert permissions.can_review(people.office, document)
    assert not permissions.can_review(people.reviewer, document)


def test_reviewers_approve_what_they_did_not_draft(people: People, document: Document) -> None:
    both = make_staff("both", document.organisation, Role.HANDLER, Role.REVIEWER)
    own = draft(both)
    assert permissions.can_approve(people.reviewer, document)
    assert permissions.can_approve(both, document)
    assert not permissions.can_approve(both, own)
    assert not permissions.can_approve(people.handler, document)


def test_handlers_and_reviewers_link_interpretations(people: People, document: Document) -> None:
    explained = interpretation(people.handler, document).document
    assert permissions.can_link_interpretation(people.colleague, explained)
    assert permissions.can_link_interpretation(people.office, explained)
    assert not permissions.can_link_interpretation(people.outsider, explained)
    assert not permissions.can_link_interpretation(people.dispatcher, explained)


def test_any_business_role_over_an_organisation_sees_its_lists(people: People, orgs) -> None:
    assert permissions.can_view_staff_list(people.dispatcher, orgs["fgw"])
    assert permissions.can_view_staff_list(people.office, orgs["fgw"])
    assert not permissions.can_view_staff_list(people.outsider, orgs["fgw"])
    assert not permissions.can_view_staff_list(people.district_office, orgs["fgw"])
    public = User.objects.create_user(username="13800138000", kind=AccountKind.PUBLIC)
    assert not permissions.can_view_staff_list(public, orgs["fgw"])


def test_staff_documents_are_those_of_the_scope(people: People, orgs) -> None:
    own = draft(people.handler)
    other = draft(people.outsider)
    district = draft(make_staff("dc-handler", orgs["dc_fgw"], Role.HANDLER))

    assert set(permissions.staff_documents(people.reviewer)) == {own}
    assert set(permissions.staff_documents(people.dispatcher)) == {own, other, district}
    assert set(permissions.staff_documents(people.outsider)) == {other}
    assert set(permissions.staff_documents(people.district_office)) == {district}
    assert set(permissions.staff_documents(people.office)) == {own, other, district}
    assert not permissions.staff_documents(AnonymousUser()).exists()


def test_the_publishing_roles(people: People) -> None:
    assert permissions.has_publishing_role(people.handler)
    assert permissions.has_publishing_role(people.office)
    assert not permissions.has_publishing_role(people.dispatcher)
    assert not permissions.has_publishing_role(AnonymousUser())


def test_only_published_proactive_documents_are_public(people: People) -> None:
    published = advance(draft(people.handler), Status.PUBLISHED, people)
    approved = advance(draft(people.handler), Status.APPROVED, people)
    internal = advance(
        draft(
            people.handler,
            disclosure=Disclosure.WITHHELD,
            legal_basis=LegalBasis.objects.get(code="art16-internal"),
            disclosure_reason="内部管理",
        ),
        Status.PUBLISHED,
        people,
    )
    withdrawn = advance(draft(people.handler), Status.WITHDRAWN, people)
    revised = advance(draft(people.handler), Status.PUBLISHED, people)
    services.document_start_revision(actor=people.reviewer, document=revised, change_note="更正")

    assert set(Document.objects.filter(permissions.public_q())) == {published, revised}
    assert [permissions.is_public(d) for d in (published, approved, internal, withdrawn)] == [
        True,
        False,
        False,
        False,
    ]
    assert permissions.is_public(revised)


def test_a_service_refuses_without_permission_and_changes_nothing(
    people: People, document: Document
) -> None:
    audit = AuditEvent.objects.count()
    with pytest.raises(PublishingError) as error:
        services.document_update(actor=people.outsider, document=document, title="改")
    assert error.value.code == PublishingErrorCode.PERMISSION_DENIED
    assert error.value.message == "您没有权限执行“修改草稿”操作。"
    document.refresh_from_db()
    assert document.title == "关于做好2025年政务公开工作的通知"
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize(
    ("status", "attempt"),
    [
        (Status.DRAFT, lambda d, p: services.document_submit(actor=p.reviewer, document=d)),
        (Status.SUBMITTED, lambda d, p: services.document_recall(actor=p.colleague, document=d)),
        (
            Status.SUBMITTED,
            lambda d, p: services.document_start_review(actor=p.handler, document=d),
        ),
        (
            Status.IN_REVIEW,
            lambda d, p: services.document_return(actor=p.outsider, document=d, note="退"),
        ),
        (Status.IN_REVIEW, lambda d, p: services.document_approve(actor=p.colleague, document=d)),
        (
            Status.APPROVED,
            lambda d, p: services.document_publish(actor=p.district_office, document=d),
        ),
        (
            Status.PUBLISHED,
            lambda d, p: services.document_withdraw(actor=p.handler, document=d, reason="撤"),
        ),
        (
            Status.PUBLISHED,
            lambda d, p: services.document_start_revision(
                actor=p.dispatcher, document=d, change_note="改"
            ),
        ),
        (
            Status.PUBLISHED,
            lambda d, p: services.document_set_validity(
                actor=p.handler, document=d, validity="expired"
            ),
        ),
    ],
)
def test_each_step_is_refused_to_the_wrong_people(
    status: Status, attempt, people: People, document: Document
) -> None:
    advance(document, status, people)
    events = ReviewEvent.objects.count()
    with pytest.raises(PublishingError) as error:
        attempt(document, people)
    assert error.value.code == PublishingErrorCode.PERMISSION_DENIED
    document.refresh_from_db()
    assert (document.status, document.validity) == (status, "current")
    assert ReviewEvent.objects.count() == events


def test_creation_is_refused_outside_the_handlers_organisation(people: People, orgs) -> None:
    with pytest.raises(PublishingError) as error:
        draft(people.handler, organisation=orgs["czj"])
    assert error.value.code == PublishingErrorCode.PERMISSION_DENIED
    with pytest.raises(PublishingError) as error:
        interpretation(people.reviewer, draft(people.handler))
    assert error.value.code == PublishingErrorCode.PERMISSION_DENIED
    assert Document.objects.count() == 1


def test_exemption_is_refused_to_handlers(people: People) -> None:
    document = draft(people.handler, genre=genre("规范性文件"))
    with pytest.raises(PublishingError) as error:
        services.document_exempt_from_interpretation(
            actor=people.handler, document=document, reason="无须解读"
        )
    assert error.value.code == PublishingErrorCode.PERMISSION_DENIED
    services.document_exempt_from_interpretation(
        actor=people.office, document=document, reason="无须解读"
    )


def test_linking_is_refused_outside_the_organisation(people: People, document: Document) -> None:
    explained = interpretation(people.handler, document)
    with pytest.raises(PublishingError) as error:
        services.interpretation_link(
            actor=people.outsider, interpretation=explained, policies=[draft(people.handler)]
        )
    assert error.value.code == PublishingErrorCode.PERMISSION_DENIED
    assert explained.policies.count() == 1
