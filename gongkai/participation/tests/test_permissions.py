"""Every permission allowed and denied: the rule itself, and the service refusing the denied
user without changing anything."""

import pytest
from django.contrib.auth.models import AnonymousUser

from gongkai.accounts.models import Role, User
from gongkai.core.models import AuditEvent
from gongkai.participation import permissions, services
from gongkai.participation.errors import ParticipationError, ParticipationErrorCode
from gongkai.participation.models import Comment, Consultation
from gongkai.participation.tests.conftest import SetNow
from gongkai.participation.tests.support import People, at, consultation_input, draft, make_people
from gongkai.publishing.tests.workflow_support import make_staff

pytestmark = pytest.mark.django_db

EVERYONE = (
    "handler",
    "reviewer",
    "office",
    "district_office",
    "outsider",
    "dispatcher",
    "citizen",
    "anonymous",
)
# Who may do what for a consultation of 市发展改革委.
DRAFTERS = {"handler"}
PUBLISHERS = {"reviewer", "office"}
MODERATORS = PUBLISHERS
MANAGERS = DRAFTERS | PUBLISHERS
COMMENTERS = {"citizen"}


@pytest.fixture
def people() -> People:
    return make_people()


def user(people: People, name: str) -> User | AnonymousUser:
    return AnonymousUser() if name == "anonymous" else getattr(people, name)


@pytest.fixture
def consultation(people: People) -> Consultation:
    return draft(people, opens_at=at(2025, 9, 1, 9), closes_at=at(2025, 10, 2))


@pytest.mark.parametrize("name", EVERYONE)
def test_the_permission_rules(people: People, consultation: Consultation, name: str) -> None:
    who = user(people, name)
    fgw = people.orgs["fgw"]
    assert permissions.can_draft(who, fgw) == (name in DRAFTERS)
    assert permissions.can_edit(who, consultation) == (name in DRAFTERS)
    assert permissions.can_publish(who, consultation) == (name in PUBLISHERS)
    assert permissions.can_moderate(who, consultation) == (name in MODERATORS)
    assert permissions.can_manage(who, consultation) == (name in MANAGERS)
    assert permissions.can_comment(who) == (name in COMMENTERS)


def test_a_handler_drafts_only_for_their_own_organisation(people: People) -> None:
    assert permissions.can_draft(people.outsider, people.orgs["czj"])
    assert not permissions.can_draft(people.handler, people.orgs["czj"])
    assert not permissions.can_draft(people.handler, people.orgs["city"])


def test_a_district_office_acts_inside_its_district_only(people: People) -> None:
    district = draft_for(people, "dc_fgw")
    assert permissions.can_publish(people.district_office, district)
    assert permissions.can_publish(people.office, district)  # the city's office: everywhere
    assert not permissions.can_publish(people.reviewer, district)


def draft_for(people: People, org_key: str) -> Consultation:
    """A draft of another organisation, written by a handler of it."""
    handler = make_staff(f"handler-{org_key}", people.orgs[org_key], Role.HANDLER)
    return services.consultation_create(
        actor=handler,
        organiser=people.orgs[org_key],
        data=consultation_input(opens_at=at(2025, 9, 1, 9)),
    )


def test_an_inactive_public_account_may_not_comment(people: People) -> None:
    people.citizen.is_active = False
    assert not permissions.can_comment(people.citizen)


# ---- The services refuse the denied and change nothing ------------------------------------------


def denied(excinfo: pytest.ExceptionInfo[ParticipationError]) -> bool:
    return excinfo.value.code == ParticipationErrorCode.PERMISSION_DENIED and (
        excinfo.value.http_status == 403
    )


@pytest.mark.parametrize("name", sorted(set(EVERYONE) - DRAFTERS - {"anonymous"}))
def test_create_and_update_are_refused(
    people: People, consultation: Consultation, name: str
) -> None:
    events = AuditEvent.objects.count()
    data = consultation_input(opens_at=at(2025, 9, 3, 9), paragraphs=("改写",))
    with pytest.raises(ParticipationError) as excinfo:
        services.consultation_create(
            actor=user(people, name), organiser=people.orgs["fgw"], data=data
        )
    assert denied(excinfo)
    with pytest.raises(ParticipationError) as excinfo:
        services.consultation_update(actor=user(people, name), consultation=consultation, data=data)
    assert denied(excinfo)
    assert Consultation.objects.count() == 1
    consultation.refresh_from_db()
    assert consultation.opens_at == at(2025, 9, 1, 9)
    assert consultation.paragraphs.count() == 4
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", sorted(set(EVERYONE) - PUBLISHERS - {"anonymous"}))
def test_publish_is_refused(
    people: People, consultation: Consultation, set_now: SetNow, name: str
) -> None:
    set_now(at(2025, 8, 25))
    with pytest.raises(ParticipationError) as excinfo:
        services.consultation_publish(actor=user(people, name), consultation=consultation)
    assert denied(excinfo)
    consultation.refresh_from_db()
    assert consultation.published_at is None


@pytest.mark.parametrize("name", sorted(PUBLISHERS))
def test_publish_is_allowed(
    people: People, consultation: Consultation, set_now: SetNow, name: str
) -> None:
    set_now(at(2025, 8, 25))
    services.consultation_publish(actor=user(people, name), consultation=consultation)
    consultation.refresh_from_db()
    assert consultation.published_at == at(2025, 8, 25)


@pytest.fixture
def submitted(people: People, consultation: Consultation, set_now: SetNow) -> Comment:
    set_now(at(2025, 8, 25))
    services.consultation_publish(actor=people.reviewer, consultation=consultation)
    set_now(at(2025, 9, 10))
    return services.comment_submit(author=people.citizen, consultation=consultation, text="意见")


@pytest.mark.parametrize("name", sorted(set(EVERYONE) - MODERATORS - {"anonymous"}))
def test_moderation_is_refused(people: People, submitted: Comment, name: str) -> None:
    with pytest.raises(ParticipationError) as excinfo:
        services.comment_moderate(actor=user(people, name), comment=submitted, reason="无关")
    assert denied(excinfo)
    submitted.refresh_from_db()
    assert not submitted.is_hidden


@pytest.mark.parametrize("name", sorted(MODERATORS))
def test_moderation_is_allowed(people: People, submitted: Comment, name: str) -> None:
    services.comment_moderate(actor=user(people, name), comment=submitted, reason="无关")
    submitted.refresh_from_db()
    assert submitted.hidden_by == user(people, name)


@pytest.mark.parametrize("name", sorted(set(EVERYONE) - COMMENTERS - {"anonymous"}))
def test_staff_may_not_comment_as_the_public(people: People, submitted: Comment, name: str) -> None:
    with pytest.raises(ParticipationError) as excinfo:
        services.comment_submit(
            author=user(people, name), consultation=submitted.consultation, text="工作人员意见"
        )
    assert denied(excinfo)
    assert Comment.objects.count() == 1


def test_any_public_account_may_comment(people: People, submitted: Comment) -> None:
    services.comment_submit(
        author=people.neighbour, consultation=submitted.consultation, text="赞同。"
    )
    assert Comment.objects.filter(author=people.neighbour).count() == 1
