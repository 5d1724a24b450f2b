"""Builders shared by the participation tests: organisations, people and consultations.

Plain functions, not fixtures: each test module makes its own fixtures from them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.orgs.models import Organisation
from gongkai.participation import services
from gongkai.participation.models import Consultation, ConsultationType
from gongkai.publishing.tests.workflow_support import make_orgs, make_staff

BEIJING = ZoneInfo("Asia/Shanghai")
ID_NUMBER = "110101199003071233"  # valid check digit
PHONE = "13800138000"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A time in Beijing."""
    return datetime(year, month, day, hour, minute, tzinfo=BEIJING)


@dataclass(frozen=True)
class People:
    orgs: dict[str, Organisation]
    handler: User  # 经办人, 市发展改革委 (the organiser)
    reviewer: User  # 审核人, 市发展改革委
    office: User  # 公开办, 市政府 (the whole city)
    district_office: User  # 公开办, 东城区政府 (not over 市发展改革委)
    outsider: User  # 经办人 and 审核人, 市财政局
    dispatcher: User  # 派单员, 市发展改革委: a business role without participation rights
    citizen: User  # a public account
    neighbour: User  # another public account


def make_people() -> People:
    orgs = make_orgs()
    return People(
        orgs=orgs,
        handler=make_staff("handler", orgs["fgw"], Role.HANDLER),
        reviewer=make_staff("reviewer", orgs["fgw"], Role.REVIEWER),
        office=make_staff("office", orgs["city"], Role.OPENNESS_OFFICE),
        district_office=make_staff("dc-office", orgs["dongcheng"], Role.OPENNESS_OFFICE),
        outsider=make_staff("outsider", orgs["czj"], Role.HANDLER, Role.REVIEWER),
        dispatcher=make_staff("dispatcher", orgs["fgw"], Role.DISPATCHER),
        citizen=User.objects.create_user(username="citizen", kind=AccountKind.PUBLIC),
        neighbour=User.objects.create_user(username="neighbour", kind=AccountKind.PUBLIC),
    )


PARAGRAPHS = (
    "第一条 为规范本市公共停车场收费管理，制定本办法。",
    "第二条 本办法适用于本市行政区域内公共停车场的收费管理。",
    "第三条 居住区周边道路停车实行差别化收费，夜间收费标准适当降低。",
    "第四条 本办法自发布之日起施行。",
)


def consultation_input(
    *,
    type_code: str = "major_decision",
    opens_at: datetime,
    closes_at: datetime | None = None,
    shortened_reason: str = "",
    paragraphs: tuple[str, ...] = PARAGRAPHS,
) -> services.ConsultationInput:
    return services.ConsultationInput(
        title="北京市公共停车场收费管理办法（征求意见稿）",
        type=ConsultationType.objects.get(code=type_code),
        explanation="为缓解居住区停车难问题，市发展改革委起草了本办法。",
        basis="《北京市机动车停车条例》",
        how_to_comment="登录本网站提交意见，或发送电子邮件至 tcgl@fgw.example.gov.cn。",
        opens_at=opens_at,
        closes_at=closes_at if closes_at is not None else opens_at + timedelta(days=31),
        paragraphs=paragraphs,
        shortened_reason=shortened_reason,
    )


def draft(people: People, **changes: Any) -> Consultation:
    """A draft of 市发展改革委 written by its handler (see ``consultation_input``)."""
    return services.consultation_create(
        actor=people.handler,
        organiser=people.orgs["fgw"],
        data=consultation_input(**changes),
    )
