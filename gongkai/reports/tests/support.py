"""Builders shared by the reports tests: organisations, staff, applications and appeals.

Applications are written straight into the table with the dates and outcomes a test needs (the
clock and the reply services of ``foi`` are foi's to test); every other write goes through the
services.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import count

from gongkai.accounts.models import Role, User
from gongkai.foi.models import Appeal, ApplicantType, Application, Delivery, IdType, InfoForm
from gongkai.orgs.models import Organisation
from gongkai.publishing.tests.workflow_support import make_orgs, make_staff
from gongkai.reports import services
from gongkai.reports.models import AnnualReport

_numbers = count(1)

NARRATIVE = {
    "overview": "2025年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "overview_proactive": "全年主动公开政府信息120条。",
    "overview_on_request": "依法办理政府信息公开申请。",
    "overview_management": "落实公开属性源头认定。",
    "overview_platform": "依托政府网站集中发布法定主动公开内容。",
    "overview_supervision": "将政务公开纳入年度考核。",
    "problems": "政策解读形式较为单一。\n下一步将丰富解读形式。",
    "other_matters": "本年度未收取信息处理费。",
}
ENTERED = {
    "rules_repealed": 0,
    "normative_repealed": 1,
    "licensing_decisions": 1236,
    "penalty_decisions": 58,
    "enforcement_decisions": 3,
    "fees_amount": Decimal("12.5"),
}
"""Table 二's cells the platform does not count."""


@dataclass(frozen=True)
class People:
    orgs: dict[str, Organisation]
    handler: User  # 经办人, 市发展改革委
    reviewer: User  # 审核人, 市发展改革委
    office: User  # 公开办, 市政府 (the whole city)
    district_office: User  # 公开办, 东城区政府
    outsider: User  # 经办人, 市财政局
    city_handler: User  # 经办人, 市政府
    public: User  # no role


def make_people() -> People:
    orgs = make_orgs()
    return People(
        orgs=orgs,
        handler=make_staff("handler", orgs["fgw"], Role.HANDLER),
        reviewer=make_staff("reviewer", orgs["fgw"], Role.REVIEWER),
        office=make_staff("office", orgs["city"], Role.OPENNESS_OFFICE),
        district_office=make_staff("dc-office", orgs["dongcheng"], Role.OPENNESS_OFFICE),
        outsider=make_staff("outsider", orgs["czj"], Role.HANDLER),
        city_handler=make_staff("city-handler", orgs["city"], Role.HANDLER),
        public=User.objects.create_user(username="13800138000"),
    )


def application(
    organisation: Organisation,
    *,
    received_on: date,
    applicant_type: str = ApplicantType.NATURAL,
    closed_on: date | None = None,
    outcome: str = "",
) -> Application:
    number = next(_numbers)
    return Application.objects.create(
        receipt_no=f"YSQ{received_on.year}{number:07d}",
        query_code_hash="-",
        organisation=organisation,
        applicant_type=applicant_type,
        name="李明",
        id_type=IdType.ID_CARD,
        id_number="110101199003071233",
        phone="13800138000",
        information="2024年本市老旧小区综合整治项目清单",
        form=InfoForm.ELECTRONIC,
        delivery=Delivery.ONLINE,
        channel="online",
        submitted_on=received_on,
        received_on=received_on,
        closed_on=closed_on,
        outcome=outcome,
        status="replied" if closed_on else "running",
    )


def appeal(
    subject: Application,
    kind: str,
    *,
    filed_on: date,
    result: str = "pending",
    decided_on: date | None = None,
) -> Appeal:
    return Appeal.objects.create(
        application=subject, kind=kind, filed_on=filed_on, result=result, decided_on=decided_on
    )


def complete_report(actor: User, organisation: Organisation, year: int = 2025) -> AnnualReport:
    """A report with its narrative written and table 二's entered cells filled in."""
    report = services.report_create(actor=actor, organisation=organisation, year=year)
    return services.report_update(actor=actor, report=report, **NARRATIVE, **ENTERED)
