"""The gazette services: who may compile it, the issue's rules, and its table of contents."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile

from gongkai.core.models import AuditEvent
from gongkai.publishing import services
from gongkai.publishing.errors import PublishingError, PublishingErrorCode
from gongkai.publishing.models import (
    GAZETTE_NUMBER_MAX,
    Disclosure,
    GazetteEntry,
    GazetteIssue,
    LegalBasis,
    Status,
)

from .workflow_support import People, advance, draft, make_orgs, make_people

pytestmark = pytest.mark.django_db

ISSUED = date(2025, 10, 10)


@pytest.fixture
def people() -> People:
    return make_people(make_orgs())


def refused(code: PublishingErrorCode, run: Any, **kwargs: Any) -> PublishingError:
    with pytest.raises(PublishingError) as error:
        run(**kwargs)
    assert error.value.code == code
    return error.value


def issue(number: int = 1, **overrides: Any) -> GazetteIssue:
    values: dict[str, Any] = {"actor": None, "year": 2025, "number": number, "published_on": ISSUED}
    return services.gazette_issue_create(**(values | overrides))


def published(people: People, **fields: Any) -> Any:
    return advance(draft(people.handler, **fields), Status.PUBLISHED, people)


# Issues.


def test_the_city_openness_office_adds_an_issue_with_its_pdf(
    people: People, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    pdf = ContentFile(b"%PDF-1.7 gazette", name="公报.pdf")

    made = issue(actor=people.office, number=19, pdf=pdf)

    assert (made.year, made.number, made.published_on) == (2025, 19, ISSUED)
    assert made.pdf.name == "gazette/2025-019.pdf"
    assert (tmp_path / "gazette" / "2025-019.pdf").read_bytes() == b"%PDF-1.7 gazette"
    event = AuditEvent.objects.get(action="publishing.gazette.create")
    assert event.actor_id == people.office.pk
    assert event.changes["number"] == [None, 19]


@pytest.mark.parametrize("who", ["district_office", "reviewer", "handler", "dispatcher"])
def test_others_may_not_add_issues(people: People, who: str) -> None:
    refused(PublishingErrorCode.PERMISSION_DENIED, issue, actor=getattr(people, who))

    assert not GazetteIssue.objects.exists()
    assert not AuditEvent.objects.filter(action="publishing.gazette.create").exists()


def test_an_issue_number_is_used_once_a_year(people: People) -> None:
    issue(number=3)

    error = refused(PublishingErrorCode.GAZETTE_EXISTS, issue, number=3)

    assert error.message == "政府公报2025年第3期已经存在。"
    assert issue(number=3, year=2026, published_on=date(2026, 2, 1)).year == 2026


def test_the_issue_date_lies_in_its_year_and_the_number_is_positive(people: People) -> None:
    refused(PublishingErrorCode.GAZETTE_YEAR_MISMATCH, issue, published_on=date(2024, 12, 30))
    refused(PublishingErrorCode.GAZETTE_BAD_NUMBER, issue, number=0)
    refused(PublishingErrorCode.GAZETTE_BAD_NUMBER, issue, number=GAZETTE_NUMBER_MAX + 1)
    assert not GazetteIssue.objects.exists()


def test_the_issue_file_must_be_a_pdf(people: People) -> None:
    error = refused(
        PublishingErrorCode.GAZETTE_BAD_PDF, issue, pdf=ContentFile(b"PK\x03\x04", name="a.pdf")
    )

    assert error.message == "公报文件“a.pdf”不是 PDF 文件。"
    refused(PublishingErrorCode.GAZETTE_BAD_PDF, issue, pdf=ContentFile(b"%PDF-", name="a.doc"))


# The table of contents.


def test_documents_are_listed_in_order_after_the_last(people: People) -> None:
    made = issue()
    first, second, third = (published(people, title=f"文件{n}") for n in range(3))

    services.gazette_entry_add(actor=people.office, issue=made, document=first, position=2)
    services.gazette_entry_add(actor=people.office, issue=made, document=second, position=1)
    services.gazette_entry_add(actor=people.office, issue=made, document=third)

    assert list(made.entries.values_list("sort_order", "document__title")) == [
        (1, "文件1"),
        (2, "文件0"),
        (3, "文件2"),
    ]
    last = AuditEvent.objects.filter(action="publishing.gazette.add_entry").latest("seq")
    assert last.summary == f"政府公报2025年第1期目录第3篇：文件2（{third.index_no}）"


def test_a_position_and_a_document_are_used_once(people: People) -> None:
    made = issue()
    first, second = published(people, title="文件甲"), published(people, title="文件乙")
    services.gazette_entry_add(actor=None, issue=made, document=first, position=1)

    taken = refused(
        PublishingErrorCode.GAZETTE_POSITION_TAKEN,
        services.gazette_entry_add,
        actor=None,
        issue=made,
        document=second,
        position=1,
    )
    refused(
        PublishingErrorCode.GAZETTE_ALREADY_LISTED,
        services.gazette_entry_add,
        actor=None,
        issue=made,
        document=first,
    )
    refused(
        PublishingErrorCode.GAZETTE_BAD_POSITION,
        services.gazette_entry_add,
        actor=None,
        issue=made,
        document=second,
        position=0,
    )

    assert taken.message == "政府公报2025年第1期目录的第 1 篇已有文件“文件甲”。"
    assert GazetteEntry.objects.count() == 1


def test_only_public_documents_are_listed(people: People) -> None:
    made = issue()
    basis = LegalBasis.objects.get(code="art27-on-request")
    not_public = {
        "draft": draft(people.handler, title="草稿"),
        "on_request": published(
            people,
            title="依申请公开",
            disclosure=Disclosure.ON_REQUEST,
            legal_basis=basis,
            disclosure_reason="涉及特定对象",
        ),
        "withdrawn": advance(draft(people.handler, title="已撤回"), Status.WITHDRAWN, people),
    }

    for document in not_public.values():
        error = refused(
            PublishingErrorCode.GAZETTE_NOT_PUBLIC,
            services.gazette_entry_add,
            actor=people.office,
            issue=made,
            document=document,
        )
        assert error.message.endswith("不是已主动公开的政府信息，不能刊登在政府公报目录中。")
    assert not GazetteEntry.objects.exists()


def test_only_the_city_openness_office_lists_documents(people: People) -> None:
    made, document = issue(), published(people)

    refused(
        PublishingErrorCode.PERMISSION_DENIED,
        services.gazette_entry_add,
        actor=people.reviewer,
        issue=made,
        document=document,
    )

    assert not GazetteEntry.objects.exists()
