"""The art. 26 publication limit (20 working days from formed_on), the documents due, and the
workbench to-do section."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.core.calendar import WorkdayResult
from gongkai.portal.workbench import TodoItem, _providers
from gongkai.publishing.deadlines import publication_due_on
from gongkai.publishing.models import Disclosure, Document, LegalBasis, Status
from gongkai.publishing.selectors import documents_due
from gongkai.publishing.services import document_start_revision
from gongkai.publishing.todos import publication_todos

from .workflow_support import People, advance, draft, make_orgs, make_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people(make_orgs())


@pytest.mark.parametrize(
    ("formed_on", "due_on"),
    [
        # 国庆、中秋 2025-10-01..08 off, 09-28 and 10-11 worked (regulatory-facts §10).
        (date(2025, 9, 26), date(2025, 10, 30)),
        # 国庆 2024-10-01..07 off, 10-12 (Sat) worked: 10-08..11 are 1–4, 10-12 is 5,
        # 10-14..18 6–10, 10-21..25 11–15, 10-28..31 16–19, 11-01 is the 20th.
        (date(2024, 9, 30), date(2024, 11, 1)),
        # 春节 2025-01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked: 01-26 and 01-27 are
        # 1–2, 02-05..07 3–5, 02-08 6, 02-10..14 7–11, 02-17..21 12–16, 02-24..27 17–20.
        (date(2025, 1, 25), date(2025, 2, 27)),
        # An ordinary month: four weeks.
        (date(2025, 3, 3), date(2025, 3, 31)),
    ],
)
def test_publication_is_due_20_working_days_after_formation(formed_on: date, due_on: date) -> None:
    assert publication_due_on(Document(formed_on=formed_on)) == WorkdayResult(due_on, False)


def test_a_due_date_in_a_year_without_a_notice_is_provisional() -> None:
    assert publication_due_on(Document(formed_on=date(2099, 9, 25))).provisional


def make(people: People, formed_on: date, **fields: object) -> Document:
    return draft(people.handler, written_on=formed_on, **fields)


def test_documents_due_split_into_overdue_and_due_soon(people: People) -> None:
    today = date(2025, 10, 28)  # Tuesday
    overdue = make(people, date(2025, 9, 15), title="逾期")  # due 2025-10-17
    due_today = make(people, date(2025, 9, 24), title="今日到期")  # due 2025-10-28
    soon = make(people, date(2025, 9, 26), title="即将到期")  # due 2025-10-30
    make(people, date(2025, 10, 15), title="尚早")  # due 2025-11-12, beyond 5 working days
    published = advance(make(people, date(2025, 9, 1), title="已发布"), Status.PUBLISHED, people)
    make(
        people,
        date(2025, 9, 1),
        title="依申请公开",
        disclosure=Disclosure.ON_REQUEST,
        legal_basis=LegalBasis.objects.get(code="art27-on-request"),
        disclosure_reason="涉及特定对象",
    )
    draft(people.outsider, written_on=date(2025, 9, 1), title="他单位")

    due = documents_due(user=people.reviewer, today=today)

    assert [(d.document, d.due_on, d.overdue) for d in due.overdue] == [
        (overdue, date(2025, 10, 17), True)
    ]
    assert [(d.document, d.due_on, d.overdue) for d in due.due_soon] == [
        (due_today, date(2025, 10, 28), False),
        (soon, date(2025, 10, 30), False),
    ]
    assert published.published_at is not None


def test_a_document_under_revision_is_not_due_again(people: People) -> None:
    document = advance(make(people, date(2025, 9, 1)), Status.PUBLISHED, people)
    document_start_revision(actor=people.reviewer, document=document, change_note="更正")
    due = documents_due(user=people.reviewer, today=date(2025, 12, 1))
    assert (due.overdue, due.due_soon) == ([], [])


def test_the_todo_section_is_registered() -> None:
    entry = _providers["publishing.deadlines"]
    assert (str(entry.label), entry.provider) == ("政府信息发布期限", publication_todos)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    day = date(2025, 10, 28)
    monkeypatch.setattr(timezone, "localdate", lambda: day)
    return day


def test_todos_are_for_publishing_roles_only(people: People, today: date) -> None:
    make(people, date(2025, 9, 15))
    assert publication_todos(people.dispatcher) is None
    assert publication_todos(people.outsider) == []


def test_todos_list_documents_due_with_a_link(people: People, today: date) -> None:
    overdue = make(people, date(2025, 9, 15), title="关于开展调研的通知")
    soon = make(people, date(2025, 9, 26), title="关于报送数据的通知")

    todos = publication_todos(people.handler)

    assert todos == [
        TodoItem(
            title="公开“关于开展调研的通知”（110000-FGW/2025-00001）",
            url=reverse("publishing:staff-document", args=[overdue.pk]),
            due_on=date(2025, 10, 17),
            overdue=True,
        ),
        TodoItem(
            title="公开“关于报送数据的通知”（110000-FGW/2025-00002）",
            url=reverse("publishing:staff-document", args=[soon.pk]),
            due_on=date(2025, 10, 30),
            overdue=False,
        ),
    ]


def test_a_provisional_due_date_is_said(people: People, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda: date(2099, 10, 20))
    make(people, date(2099, 9, 21), title="远期文件")

    (todo,) = publication_todos(people.handler) or []
    assert todo.title == (
        "公开“远期文件”（110000-FGW/2099-00001），节假日安排尚未公布，期限为临时推算"
    )
