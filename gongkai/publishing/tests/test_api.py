"""The documents API: list with filters and paging, detail, and what stays hidden."""

from datetime import date

import pytest
from django.test import Client

from gongkai.publishing.models import Disclosure, Validity

from .public_data import (
    document,
    genre,
    interpret,
    organisation,
    publish_version,
    start_revision,
    topic,
    withdraw,
)

pytestmark = pytest.mark.django_db

LIST = "/api/documents/"


def get(client: Client, url: str, params: dict | None = None, status: int = 200) -> dict:
    response = client.get(url, params or {})
    assert response.status_code == status
    return response.json()


@pytest.fixture
def shelf() -> dict[str, int]:
    environment = organisation("110000-STHJJ", "北京市生态环境局")
    notice = document("政务公开通知", doc_no="京政办发〔2018〕16号", published="2018-03-05")
    opinion = document(
        "环境保护意见",
        organisation=environment,
        topic=topic("环境监测、保护与治理"),
        genre=genre("意见"),
        written_on=date(2017, 6, 1),
        validity=Validity.REPEALED,
        published="2018-04-05",
    )
    document("依申请公开的通知", disclosure=Disclosure.ON_REQUEST)
    document("未发布的通知", published=None)
    withdraw(document("撤回的通知"), reason="撤回")
    return {"notice": notice.pk, "opinion": opinion.pk}


def test_the_list_has_only_public_documents_newest_first(
    client: Client, shelf: dict[str, int]
) -> None:
    body = get(client, LIST)

    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["环境保护意见", "政务公开通知"]
    notice = body["items"][1]
    assert notice == {
        "id": shelf["notice"],
        "index_no": notice["index_no"],
        "title": "政务公开通知",
        "url": f"http://testserver/xxgk/zc/{notice['index_no']}/",
        "doc_no": "京政办发〔2018〕16号",
        "organisation": {"code": "110000-BGT", "name": "北京市人民政府办公厅"},
        "genre": {"id": genre("通知").pk, "name": "通知"},
        "topic": {
            "id": topic("政务公开").pk,
            "name": "政务公开",
            "parent": {"id": topic("综合政务").pk, "name": "综合政务"},
        },
        "written_on": "2018-03-01",
        "published_at": "2018-03-05T01:00:00Z",
        "validity": "current",
    }


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"org": "110000-STHJJ"}, ["环境保护意见"]),
        ({"year": 2018}, ["政务公开通知"]),
        ({"validity": "repealed"}, ["环境保护意见"]),
        ({"q": "16号"}, ["政务公开通知"]),
        ({"q": "通知", "year": 2017}, []),
    ],
)
def test_list_filters(client: Client, params: dict, titles: list[str]) -> None:
    assert [item["title"] for item in get(client, LIST, params)["items"]] == titles


@pytest.mark.usefixtures("shelf")
def test_list_filters_by_topic_and_genre(client: Client) -> None:
    by_root = get(client, LIST, {"topic": topic("城乡建设、环境保护").pk})
    by_genre = get(client, LIST, {"genre": genre("通知").pk})

    assert [item["title"] for item in by_root["items"]] == ["环境保护意见"]
    assert [item["title"] for item in by_genre["items"]] == ["政务公开通知"]


@pytest.mark.usefixtures("shelf")
def test_list_paging(client: Client) -> None:
    body = get(client, LIST, {"limit": 1, "offset": 1})

    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["政务公开通知"]


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"validity": "bogus"}, {"limit": 101}, {"offset": -1}, {"topic": 2**64}],
)
def test_bad_parameters_are_a_chinese_422(client: Client, params: dict) -> None:
    body = get(client, LIST, params, status=422)

    assert body["message"] == "请求参数有误，请检查后重试。"


def test_the_detail(client: Client) -> None:
    policy = document("营商环境若干措施", genre=genre("规范性文件"), keywords="营商环境")
    start_revision(policy, title="营商环境若干措施（修订）")
    publish_version(policy, published="2019-01-02", change_note="修订第三条")
    start_revision(policy, title="尚未发布的第三版草稿")
    leader = document("负责人解读营商环境措施", genre=genre("解读"))
    interpret(leader, policy, form="leader", leader_name="王强")

    body = get(client, f"{LIST}{policy.pk}")
    interpretation = get(client, f"{LIST}{leader.pk}")

    assert body["title"] == "营商环境若干措施（修订）"
    assert body["summary"] == "营商环境若干措施的内容概述。"
    assert body["body"] == "<p>营商环境若干措施的正文。</p>"
    assert body["keywords"] == "营商环境"
    assert body["versions"] == [
        {
            "version": 2,
            "title": "营商环境若干措施（修订）",
            "published_at": "2019-01-02T01:00:00Z",
            "change_note": "修订第三条",
        },
        {
            "version": 1,
            "title": "营商环境若干措施",
            "published_at": "2018-03-05T01:00:00Z",
            "change_note": "",
        },
    ]
    assert body["interpretations"] == [
        {
            "id": leader.pk,
            "index_no": leader.index_no,
            "title": "负责人解读营商环境措施",
            "url": f"http://testserver/xxgk/zc/{leader.index_no}/",
            "form": "leader",
            "leader_name": "王强",
        }
    ]
    assert body["policies"] == []
    assert [policy["title"] for policy in interpretation["policies"]] == [
        "营商环境若干措施（修订）"
    ]
    assert interpretation["interpretations"] == []


def test_a_document_that_is_not_public_is_a_chinese_404(client: Client) -> None:
    gone = document("撤回的通知")
    withdraw(gone, reason="撤回")
    hidden = [
        document("依申请公开", disclosure=Disclosure.ON_REQUEST).pk,
        document("未发布", published=None).pk,
        gone.pk,
        2**62,  # no such document
        10**30,  # not even a possible id
    ]

    for pk in hidden:
        assert get(client, f"{LIST}{pk}", status=404) == {
            "code": "not_found",
            "message": "未找到。",
        }


def test_openapi_documents_the_endpoints(client: Client) -> None:
    schema = get(client, "/api/openapi.json")

    assert "/api/documents/" in schema["paths"]
    assert "/api/documents/{document_id}" in schema["paths"]
    assert schema["paths"]["/api/documents/"]["get"]["tags"] == ["政府信息"]
