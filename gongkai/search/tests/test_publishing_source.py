"""Government information in the index: it follows publishing, revision and withdrawal."""

import pytest
from django.urls import reverse

from gongkai.publishing import services
from gongkai.publishing.models import Status
from gongkai.publishing.tests.workflow_support import advance, draft, make_orgs, make_people
from gongkai.search.models import Entry
from gongkai.search.selectors import Query, search
from gongkai.search.services import index_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_people(make_orgs())


def found(query: str) -> list[str]:
    return [r.entry.title for r in search(Query(q=query, source="document")).results]


def test_a_draft_is_not_indexed_until_published(people):
    document = draft(people.handler, title="关于推进垃圾分类的通知")
    advance(document, Status.APPROVED, people)
    assert found("垃圾分类") == []
    services.document_publish(actor=people.reviewer, document=document)
    assert found("垃圾分类") == ["关于推进垃圾分类的通知"]
    entry = Entry.objects.get(source="document", key=str(document.pk))
    assert entry.url == reverse("publishing:detail", args=[document.index_no])
    assert entry.organisation_id == document.organisation_id
    assert entry.category == "通知"


def test_the_body_summary_and_document_number_are_searchable(people):
    document = draft(
        people.handler,
        title="关于印发工作方案的通知",
        doc_no="京发改〔2025〕12号",
        summary="明确年度目标。",
        body="<p>推进<strong>老旧小区综合整治</strong>。</p><p>第二段。</p>",
    )
    advance(document, Status.PUBLISHED, people)
    assert found("老旧小区") == ["关于印发工作方案的通知"]
    assert found("年度目标") == ["关于印发工作方案的通知"]
    entry = Entry.objects.get(source="document")
    assert entry.body.startswith("京发改〔2025〕12号\n")
    assert "<strong>" not in entry.body
    assert "推进老旧小区综合整治。\n第二段。" in entry.body


def test_a_revision_replaces_the_text_only_when_it_is_published(people):
    document = draft(people.handler, title="关于物业管理的通知")
    advance(document, Status.PUBLISHED, people)
    services.document_start_revision(actor=people.handler, document=document, change_note="更正")
    services.document_update(actor=people.handler, document=document, title="关于物业服务的通知")
    assert found("物业管理") == ["关于物业管理的通知"]  # the published version is still public
    advance(document, Status.PUBLISHED, people)
    assert found("物业管理") == []
    assert found("物业服务") == ["关于物业服务的通知"]


def test_a_withdrawn_document_disappears(people):
    document = draft(people.handler, title="关于供暖保障的通知")
    advance(document, Status.WITHDRAWN, people)
    assert found("供暖") == []
    assert not Entry.objects.filter(source="document").exists()


def test_a_rebuild_gives_the_same_index(people):
    for title in ("关于供暖保障的通知", "关于垃圾分类的通知"):
        advance(draft(people.handler, title=title), Status.PUBLISHED, people)
    before = sorted(Entry.objects.values_list("key", "title_tokens", "body_tokens"))
    assert index_rebuild(actor=None) == 2
    assert sorted(Entry.objects.values_list("key", "title_tokens", "body_tokens")) == before
