"""Tables 三 and 四 computed from applications and appeals, every cell against hand-computed
values; carry-over across years; the outcome rows of art. 36(5), 36(7) and withdrawals; the
organisation alone and with its jurisdiction; the checks on inconsistent records."""

from datetime import date

import pytest
from django.test import override_settings

from gongkai.foi.models import AppealKind, ApplicantType, Outcome
from gongkai.foi.selectors import ROWS
from gongkai.reports.content import Figures
from gongkai.reports.layout import TABLE3_ROWS, TABLE4_GROUPS
from gongkai.reports.selectors import scope_ids, table3_figures, table4_figures

from .support import appeal, application, make_people

pytestmark = pytest.mark.django_db

TYPES = list(ApplicantType)  # the columns, in order


@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def fgw(people):
    """市发展改革委's applications and appeals around 2025.

    - one application closed in 2025 under each outcome row, its applicant type the row's
      position modulo six (granted → 自然人, partial → 商业企业, d1 → 科研机构, …, o3 → 科研机构);
    - art. 36(5), art. 36(7) and a withdrawal (社会公益组织, 法律服务机构, 其他), received and
      closed in 2025;
    - A 商业企业 received 2024-11-10, granted 2025-01-15 (carried in, closed);
    - B 科研机构 received 2024-12-20, still open (carried in and out);
    - C 社会公益组织 received 2023-05-06, still open (carried in and out);
    - D 自然人 received 2024-10-01, closed 2024-12-31 (not in 2025 at all);
    - E 法律服务机构 received 2025-12-20, granted 2026-01-10 (new, carried out);
    - F 其他 received 2026-01-05 (not in 2025);
    - G 自然人 received 2025-06-01, still open (new, carried out).
    """
    org = people.orgs["fgw"]
    for index, row in enumerate(ROWS):
        application(
            org,
            received_on=date(2025, 3, 1 + index),
            applicant_type=TYPES[index % 6],
            closed_on=date(2025, 4, 1 + index),
            outcome=row,
        )
    for outcome, kind in (
        (Outcome.NOT_THIS_AGENCY, ApplicantType.SOCIAL_WELFARE),
        (Outcome.SPECIAL_RULES, ApplicantType.LEGAL_SERVICES),
        (Outcome.WITHDRAWN, ApplicantType.OTHER),
    ):
        application(
            org,
            received_on=date(2025, 5, 6),
            applicant_type=kind,
            closed_on=date(2025, 5, 20),
            outcome=outcome,
        )
    first = application(
        org,
        received_on=date(2024, 11, 10),
        applicant_type=ApplicantType.COMMERCIAL,
        closed_on=date(2025, 1, 15),
        outcome=Outcome.GRANTED,
    )
    application(org, received_on=date(2024, 12, 20), applicant_type=ApplicantType.RESEARCH)
    application(org, received_on=date(2023, 5, 6), applicant_type=ApplicantType.SOCIAL_WELFARE)
    application(
        org,
        received_on=date(2024, 10, 1),
        closed_on=date(2024, 12, 31),
        outcome=Outcome.PARTIAL,
    )
    application(
        org,
        received_on=date(2025, 12, 20),
        applicant_type=ApplicantType.LEGAL_SERVICES,
        closed_on=date(2026, 1, 10),
        outcome=Outcome.GRANTED,
    )
    application(org, received_on=date(2026, 1, 5), applicant_type=ApplicantType.OTHER)
    application(org, received_on=date(2025, 6, 1))
    # Appeals: as of 31 December 2025.
    reconsideration, direct, after = AppealKind
    appeal(
        first,
        reconsideration,
        filed_on=date(2025, 3, 1),
        result="upheld",
        decided_on=date(2025, 5, 1),
    )
    appeal(
        first,
        reconsideration,
        filed_on=date(2025, 4, 1),
        result="corrected",
        decided_on=date(2025, 6, 1),
    )
    appeal(
        first,
        reconsideration,
        filed_on=date(2025, 11, 1),
        result="upheld",
        decided_on=date(2026, 1, 20),
    )
    appeal(first, reconsideration, filed_on=date(2025, 12, 1))
    appeal(first, direct, filed_on=date(2025, 2, 1), result="other", decided_on=date(2025, 8, 1))
    appeal(first, direct, filed_on=date(2024, 12, 1), result="upheld", decided_on=date(2025, 2, 1))
    appeal(
        first, after, filed_on=date(2025, 7, 1), result="corrected", decided_on=date(2025, 10, 1)
    )
    appeal(first, after, filed_on=date(2026, 1, 3))
    # Another organisation's: never in 市发展改革委's report.
    other = application(people.orgs["czj"], received_on=date(2025, 2, 2))
    appeal(other, reconsideration, filed_on=date(2025, 3, 3))
    return org


#                 自然人 商业  科研  公益  法律  其他  总计
EXPECTED_2025 = {
    "new":         (5, 4, 4, 4, 5, 4, 26),
    "carried_in":  (0, 1, 1, 1, 0, 0, 3),
    "granted":     (1, 1, 0, 0, 0, 0, 2),
    "partial":     (0, 1, 0, 0, 0, 0, 1),
    "d1":          (0, 0, 1, 0, 0, 0, 1),
    "d2":          (0, 0, 0, 1, 0, 0, 1),
    "d3":          (0, 0, 0, 0, 1, 0, 1),
    "d4":          (0, 0, 0, 0, 0, 1, 1),
    "d5":          (1, 0, 0, 0, 0, 0, 1),
    "d6":          (0, 1, 0, 0, 0, 0, 1),
    "d7":          (0, 0, 1, 0, 0, 0, 1),
    "d8":          (0, 0, 0, 1, 0, 0, 1),
    "u1":          (0, 0, 0, 0, 1, 0, 1),
    "u2":          (0, 0, 0, 0, 0, 1, 1),
    "u3":          (1, 0, 0, 0, 0, 0, 1),
    "n1":          (0, 1, 0, 0, 0, 0, 1),
    "n2":          (0, 0, 1, 0, 0, 0, 1),
    "n3":          (0, 0, 0, 1, 0, 0, 1),
    "n4":          (0, 0, 0, 0, 1, 0, 1),
    "n5":          (0, 0, 0, 0, 0, 1, 1),
    "o1":          (1, 0, 0, 0, 0, 0, 1),
    "o2":          (0, 1, 0, 0, 0, 0, 1),
    "o3":          (0, 0, 1, 1, 1, 1, 4),
    "total":       (4, 5, 4, 4, 4, 4, 25),
    "carried_out": (1, 0, 1, 1, 1, 0, 4),
}  # fmt: skip
#                         维持 纠正 其他 未结 总计
EXPECTED_APPEALS_2025 = {
    "reconsideration":   (1, 1, 0, 2, 4),
    "litigation_direct": (0, 0, 1, 0, 1),
    "litigation_after":  (0, 1, 0, 0, 1),
}  # fmt: skip


def test_table_3_counts_every_cell_by_applicant_type_and_row(fgw):
    assert list(EXPECTED_2025) == list(TABLE3_ROWS)
    assert table3_figures({fgw.pk}, 2025) == EXPECTED_2025


def test_table_4_counts_appeals_filed_in_the_year_with_their_result_at_year_end(fgw):
    assert list(EXPECTED_APPEALS_2025) == list(TABLE4_GROUPS)
    assert table4_figures({fgw.pk}, 2025) == EXPECTED_APPEALS_2025


def test_the_figures_pass_every_check(fgw):
    figures = Figures(table2={}, table3=table3_figures({fgw.pk}, 2025), table4={})
    assert figures.table3_failures() == []


def test_applications_open_at_the_end_of_a_year_are_the_next_years_carried_in_row(fgw):
    table_2024 = table3_figures({fgw.pk}, 2024)
    table_2025 = table3_figures({fgw.pk}, 2025)
    table_2026 = table3_figures({fgw.pk}, 2026)
    assert table_2024["carried_out"] == table_2025["carried_in"] == (0, 1, 1, 1, 0, 0, 3)
    assert table_2025["carried_out"] == table_2026["carried_in"]
    # 2024: A, B, D received; D closed; C carried in from 2023.
    assert table_2024["new"] == (1, 1, 1, 0, 0, 0, 3)
    assert table_2024["carried_in"] == (0, 0, 0, 1, 0, 0, 1)
    assert table_2024["partial"] == table_2024["total"] == (1, 0, 0, 0, 0, 0, 1)
    # 2026: E closed; B, C, G and F still open.
    assert table_2026["new"] == (0, 0, 0, 0, 0, 1, 1)
    assert table_2026["granted"] == table_2026["total"] == (0, 0, 0, 0, 1, 0, 1)
    assert table_2026["carried_out"] == (1, 0, 1, 1, 0, 1, 4)


@override_settings(
    GONGKAI_FOI_OUTCOME_ROWS={"not_this_agency": "u1", "special_rules": "u1", "withdrawn": "o3"}
)
def test_endings_without_a_row_of_their_own_follow_the_setting(fgw):
    table = table3_figures({fgw.pk}, 2025)
    assert table["u1"] == (0, 0, 0, 1, 2, 0, 3)
    assert table["o3"] == (0, 0, 1, 0, 0, 1, 2)
    assert table["total"] == EXPECTED_2025["total"]


def test_a_government_with_its_jurisdiction_counts_its_departments_and_districts(people, fgw):
    application(people.orgs["dc_fgw"], received_on=date(2025, 8, 8))
    application(people.orgs["city"], received_on=date(2025, 9, 9), applicant_type="research")
    city = people.orgs["city"]
    alone = table3_figures(scope_ids(city, "organisation"), 2025)
    everything = table3_figures(scope_ids(city, "jurisdiction"), 2025)
    assert alone["new"] == (0, 0, 1, 0, 0, 0, 1)
    # 26 of 市发展改革委, one each of 市财政局, 东城区发展改革委 and 市政府.
    assert everything["new"] == (7, 4, 5, 4, 5, 4, 29)
    assert table4_figures(scope_ids(city, "jurisdiction"), 2025)["reconsideration"] == (
        1, 1, 0, 3, 5,
    )  # fmt: skip
    assert table4_figures(scope_ids(city, "organisation"), 2025)["reconsideration"] == (
        0, 0, 0, 0, 0,
    )  # fmt: skip


def test_inconsistent_records_fail_the_checks_and_say_where(people):
    org = people.orgs["fgw"]
    # Closed before it was received: new in 2025, yet neither closed in it nor carried out.
    application(org, received_on=date(2025, 3, 1), closed_on=date(2024, 12, 30), outcome="granted")
    # Closed in 2025 without an outcome: in （七）总计 but under no row.
    application(
        org, received_on=date(2025, 3, 1), applicant_type="commercial", closed_on=date(2025, 3, 9)
    )
    # An applicant type outside the six: in the 总计 column only.
    application(org, received_on=date(2025, 3, 1), applicant_type="unknown")
    subject = application(org, received_on=date(2025, 3, 1), applicant_type="research")
    appeal(
        subject,
        "reconsideration",
        filed_on=date(2025, 4, 1),
        result="withdrawn",
        decided_on=date(2025, 5, 1),
    )
    figures = Figures(
        table2={}, table3=table3_figures({org.pk}, 2025), table4=table4_figures({org.pk}, 2025)
    )
    assert figures.table3_failures() == [
        "表三“自然人”列：第一项加第二项之和（1）不等于第三项总计加第四项之和（0）。",
        "表三“商业企业”列：总计（1）不等于各项办理结果之和（0）。",
        "表三“总计”列：第一项加第二项之和（4）不等于第三项总计加第四项之和（3）。",
        "表三“总计”列：总计（1）不等于各项办理结果之和（0）。",
        "表三“一、本年新收政府信息公开申请数量”行：总计（4）不等于各类申请人之和（3）。",
        "表三“四、结转下年度继续办理”行：总计（2）不等于各类申请人之和（1）。",
    ]
    assert figures.table4_failures() == [
        "表四“行政复议”：总计（1）不等于结果维持、结果纠正、其他结果、尚未审结之和（0）。"
    ]  # fmt: skip
