"""The command, the API and the pages of search."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEvent
from gongkai.publishing.tests.workflow_support import make_orgs, make_staff
from gongkai.search import backends
from gongkai.search.models import Entry, IndexState
from gongkai.search.services import index_rebuild

from .support import KEY, Catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    with Catalogue() as catalogue:
        catalogue.add("a", "关于优化营商环境的通知", "全面优化营商环境。联系电话13800138000。")
        catalogue.add("b", "营商环境工作要点", "")
        yield catalogue


def run(*args: str) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_command_prints_json(catalogue):
    answer = json.loads(run("营商环境", "--json", "--source", KEY))
    assert answer["total"] == 2
    assert [r["id"] for r in answer["results"]] == ["test:b", "test:a"]
    assert set(answer["results"][0]) == {"id", "title", "url", "score"}
    assert answer["results"][0]["url"] == "/test/b/"
    assert answer["results"][0]["score"] >= answer["results"][1]["score"]


def test_command_reindex(catalogue):
    Entry.objects.all().delete()
    assert "搜索索引已重建，共 2 条" in run("reindex")
    assert Entry.objects.filter(source=KEY).count() == 2
    assert IndexState.objects.get().entries == 2
    assert AuditEvent.objects.filter(action="search.index.rebuild").exists()


def test_command_refuses_an_empty_query():
    with pytest.raises(CommandError, match="请输入要搜索的关键词"):
        run("  ")


def test_rebuild_in_worker_processes_gives_the_same_entries(catalogue, monkeypatch):
    for number in range(30):
        catalogue.items[f"n{number}"] = catalogue.items["a"].__class__(
            key=f"n{number}",
            url="/",
            title=f"第{number}号通知",
            body="推进垃圾分类。",
            published_at=None,
        )
    index_rebuild(actor=None, workers=1)
    alone = sorted(Entry.objects.values_list("key", "body", "title_tokens", "body_tokens"))
    monkeypatch.setattr("gongkai.search.services.POOL_THRESHOLD", 5)
    monkeypatch.setattr("gongkai.search.services.BATCH", 4)
    index_rebuild(actor=None, workers=2)
    assert sorted(Entry.objects.values_list("key", "body", "title_tokens", "body_tokens")) == alone


def test_api(client, catalogue):
    answer = client.get("/api/search/", {"q": "营商环境", "source": KEY, "page_size": 1}).json()
    assert answer["total"] == 2
    assert answer["pages"] == 2
    assert len(answer["results"]) == 1
    hit = answer["results"][0]
    assert hit["id"] == "test:b"
    assert "<mark>营商环境</mark>" in hit["title_html"]
    assert answer["words"] == ["营商环境"]


def test_api_rejects_a_missing_query(client):
    response = client.get("/api/search/")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_results_page(client, catalogue):
    response = client.get(reverse("search:results"), {"q": "营商环境", "source": KEY})
    page = response.content.decode()
    assert response.status_code == 200
    assert "找到 2 条与“营商环境”相关的结果" in page
    assert "<mark>营商环境</mark>" in page
    assert "13800138000" not in page
    assert "138****8000" in page


def test_results_page_says_when_counting_stopped(client, catalogue, monkeypatch):
    monkeypatch.setattr(backends, "COUNT_LIMIT", 1)
    page = client.get(reverse("search:results"), {"q": "营商环境"}).content.decode()
    assert "找到 1 条以上与“营商环境”相关的结果" in page
    assert "结果过多" in page
    answer = client.get("/api/search/", {"q": "营商环境"}).json()
    assert (answer["total"], answer["more"]) == (1, True)


def test_results_page_helps_when_nothing_is_found(client, catalogue):
    page = client.get(reverse("search:results"), {"q": "冬奥会 火炬"}).content.decode()
    assert "没有找到与“冬奥会 火炬”相关的公开内容" in page
    assert "分别搜索" in page


def test_search_page_without_a_query_shows_the_form(client):
    response = client.get(reverse("search:results"))
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_index_page_for_system_administrators_only(client):
    orgs = make_orgs()
    admin = make_staff("sysadmin", orgs["city"], Role.SYSTEM_ADMIN)
    handler = make_staff("handler", orgs["fgw"], Role.HANDLER)
    url = reverse("search:index")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(handler)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert not IndexState.objects.exists()
    client.force_login(admin)
    assert client.get(url).status_code == 200
    response = client.post(url, follow=True)
    assert "搜索索引已重建" in response.content.decode()
    assert IndexState.objects.get().rebuilt_at is not None
