"""Builders shared by the workflow, services, checks, permissions and deadlines tests.

Plain functions, not fixtures: each test module makes its own fixtures from them.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.accounts.services import role_grant
from gongkai.orgs.models import Organisation
from gongkai.publishing import services
from gongkai.publishing.models import (
    Disclosure,
    Document,
    Genre,
    Interpretation,
    InterpretationForm,
    Status,
    Topic,
)

# key: code, full name, short name, level, kind, parent key
TREE = {
    "city": ("110000", "北京市人民政府", "市政府", "city", "government", None),
    "fgw": ("110000-FGW", "北京市发展和改革委员会", "市发展改革委", "city", "department", "city"),
    "czj": ("110000-CZJ", "北京市财政局", "市财政局", "city", "department", "city"),
    "dongcheng": ("110101", "北京市东城区人民政府", "东城区政府", "district", "government", "city"),
    "dc_fgw": ("110101-FGW", "北京市东城区发展和改革委员会", "东城区发展改革委",
               "district", "department", "dongcheng"),
}  # fmt: skip

WRITTEN_ON = date(2025, 9, 26)


def make_orgs() -> dict[str, Organisation]:
    """市政府 → (市发展改革委, 市财政局, 东城区政府 → 东城区发展改革委)."""
    orgs: dict[str, Organisation] = {}
    for key, (code, name, short_name, level, kind, parent) in TREE.items():
        orgs[key] = Organisation.objects.create(
            code=code,
            name=name,
            short_name=short_name,
            level=level,
            kind=kind,
            parent=orgs[parent] if parent else None,
        )
    return orgs


def make_staff(username: str, organisation: Organisation, *roles: Role) -> User:
    user = User.objects.create_user(
        username=username, kind=AccountKind.STAFF, organisation=organisation, full_name=username
    )
    for role in roles:
        role_grant(actor=None, user=user, role=role)
    return User.objects.get(pk=user.pk)


@dataclass(frozen=True)
class People:
    handler: User  # 经办人, 市发展改革委
    colleague: User  # another 经办人 of 市发展改革委
    reviewer: User  # 审核人, 市发展改革委
    office: User  # 公开办, 市政府 (jurisdiction: the whole city)
    district_office: User  # 公开办, 东城区政府
    outsider: User  # 经办人 and 审核人 of 市财政局
    dispatcher: User  # 派单员, 市发展改革委: a business role, no publishing role


def make_people(orgs: dict[str, Organisation]) -> People:
    return People(
        handler=make_staff("handler", orgs["fgw"], Role.HANDLER),
        colleague=make_staff("colleague", orgs["fgw"], Role.HANDLER),
        reviewer=make_staff("reviewer", orgs["fgw"], Role.REVIEWER),
        office=make_staff("office", orgs["city"], Role.OPENNESS_OFFICE),
        district_office=make_staff("dc-office", orgs["dongcheng"], Role.OPENNESS_OFFICE),
        outsider=make_staff("outsider", orgs["czj"], Role.HANDLER, Role.REVIEWER),
        dispatcher=make_staff("dispatcher", orgs["fgw"], Role.DISPATCHER),
    )


def genre(name: str) -> Genre:
    return Genre.objects.get(name=name)


def topic() -> Topic:
    return Topic.objects.get(name="政务公开")


def draft(actor: User, **overrides: Any) -> Document:
    """A proactive 通知 of the actor's organisation, passing every check."""
    fields: dict[str, Any] = {
        "organisation": actor.organisation,
        "title": "关于做好2025年政务公开工作的通知",
        "genre": genre("通知"),
        "topic": topic(),
        "written_on": WRITTEN_ON,
        "summary": "部署年度政务公开重点任务。",
        "disclosure": Disclosure.PROACTIVE,
    }
    return services.document_create(actor=actor, **(fields | overrides))


def interpretation(actor: User, policy: Document, **overrides: Any) -> Interpretation:
    fields: dict[str, Any] = {
        "organisation": actor.organisation,
        "policies": [policy],
        "form": InterpretationForm.TEXT,
        "title": f"《{policy.title}》政策解读",
        "topic": topic(),
        "written_on": WRITTEN_ON,
        "summary": "解读文件出台背景和主要内容。",
        "disclosure": Disclosure.PROACTIVE,
    }
    return services.interpretation_create(actor=actor, **(fields | overrides))


_PATH = (Status.SUBMITTED, Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED, Status.WITHDRAWN)


def advance(document: Document, to: Status, people: People) -> Document:
    """Take a draft along the main path up to ``to`` (the handler drafted it)."""
    steps = {
        Status.SUBMITTED: lambda: services.document_submit(actor=people.handler, document=document),
        Status.IN_REVIEW: lambda: services.document_start_review(
            actor=people.reviewer, document=document
        ),
        Status.APPROVED: lambda: services.document_approve(
            actor=people.reviewer, document=document
        ),
        Status.PUBLISHED: lambda: services.document_publish(
            actor=people.reviewer, document=document
        ),
        Status.WITHDRAWN: lambda: services.document_withdraw(
            actor=people.reviewer, document=document, reason="政策调整，停止执行"
        ),
    }
    for status in _PATH[: _PATH.index(to) + 1] if to != Status.DRAFT else ():
        steps[status]()
    document.refresh_from_db()
    return document
