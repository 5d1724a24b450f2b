"""Builders shared by the foi tests: organisations, staff and applications."""

from dataclasses import dataclass, replace
from datetime import date

from gongkai.accounts.models import Role, User
from gongkai.foi import clock, services
from gongkai.foi.models import ApplicantType, Application, Delivery, IdType, InfoForm
from gongkai.orgs.models import Organisation
from gongkai.publishing.tests.workflow_support import make_orgs, make_staff

ID_NUMBER = "110101199003071233"  # valid check digit
CREDIT_CODE = "91110000802100433B"  # valid check character

APPLICANT = services.ApplicantInput(
    applicant_type=ApplicantType.NATURAL,
    name="李明",
    id_type=IdType.ID_CARD,
    id_number=ID_NUMBER,
    phone="13800138000",
    information="2024年本市老旧小区综合整治项目清单",
    form=InfoForm.ELECTRONIC,
    delivery=Delivery.EMAIL,
    email="liming@example.cn",
    address="北京市东城区东四十条甲22号",
)


@dataclass(frozen=True)
class Staff:
    orgs: dict[str, Organisation]
    handler: User  # 经办人, 市发展改革委
    office: User  # 公开办, 市政府 (the whole city)
    district_office: User  # 公开办, 东城区政府
    outsider: User  # 经办人, 市财政局


def make_foi_staff() -> Staff:
    orgs = make_orgs()
    return Staff(
        orgs=orgs,
        handler=make_staff("handler", orgs["fgw"], Role.HANDLER),
        office=make_staff("office", orgs["city"], Role.OPENNESS_OFFICE),
        district_office=make_staff("dc-office", orgs["dongcheng"], Role.OPENNESS_OFFICE),
        outsider=make_staff("outsider", orgs["czj"], Role.HANDLER),
    )


def register(
    staff: Staff,
    *,
    on: date = date(2025, 9, 1),
    channel: clock.Channel = clock.Channel.IN_PERSON,
    **changes: str,
) -> tuple[Application, str]:
    """An application to 市发展改革委 handed in on ``on`` (in person unless told)."""
    return services.application_register(
        actor=staff.handler,
        organisation=staff.orgs["fgw"],
        applicant=replace(APPLICANT, **changes),
        channel=channel,
        submitted_on=on,
        signed_on=on if channel == clock.Channel.REGISTERED_POST else None,
        confirmed_on=on if channel in (clock.Channel.ORDINARY_POST, clock.Channel.FAX) else None,
    )
