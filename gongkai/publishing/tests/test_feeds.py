"""RSS and Atom feeds: valid XML with the right items."""

from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.publishing.models import Disclosure

from .public_data import document, genre, start_revision, topic, withdraw

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def rss_titles(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel is not None
    return [item.findtext("title", "") for item in channel.iter("item")]


def atom_entries(client: Client, url: str) -> list[ElementTree.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")


@pytest.fixture
def documents() -> None:
    document("最早的通知", published="2018-01-05")
    document("应急预案", topic=topic("应急管理"), genre=genre("意见"), published="2018-02-05")
    document("较新的通知", summary="较新的通知的概述。", published="2018-03-05")
    document("依申请公开的通知", disclosure=Disclosure.ON_REQUEST)
    document("未发布的通知", published=None)
    withdraw(document("撤回的通知"), reason="撤回")


@pytest.mark.usefixtures("documents")
def test_the_rss_feed_of_all_documents_newest_first(client: Client) -> None:
    assert rss_titles(client, reverse("publishing:feed-rss")) == [
        "较新的通知",
        "应急预案",
        "最早的通知",
    ]


@pytest.mark.usefixtures("documents")
def test_an_rss_item(client: Client) -> None:
    response = client.get(reverse("publishing:feed-rss"))
    item = ElementTree.fromstring(response.content).find("channel/item")

    assert item is not None
    assert item.findtext("description") == "较新的通知的概述。"
    assert item.findtext("pubDate") == "Mon, 05 Mar 2018 01:00:00 +0000"
    assert item.findtext("link", "").startswith("http://testserver/xxgk/zc/110000-BGT/")
    assert [category.text for category in item.iter("category")] == ["综合政务 / 政务公开", "通知"]


@pytest.mark.usefixtures("documents")
def test_the_atom_feed(client: Client) -> None:
    entries = atom_entries(client, reverse("publishing:feed-atom"))

    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "较新的通知",
        "应急预案",
        "最早的通知",
    ]
    assert entries[0].findtext(f"{ATOM}summary") == "较新的通知的概述。"
    assert entries[0].findtext(f"{ATOM}author/{ATOM}name") == "北京市人民政府办公厅"


@pytest.mark.usefixtures("documents")
def test_a_top_level_topic_feed_includes_its_children(client: Client) -> None:
    root = topic("综合政务")

    assert rss_titles(client, reverse("publishing:topic-feed-rss", args=[root.pk])) == [
        "较新的通知",
        "应急预案",
        "最早的通知",
    ]
    emergency = reverse("publishing:topic-feed-atom", args=[topic("应急管理").pk])
    assert [entry.findtext(f"{ATOM}title") for entry in atom_entries(client, emergency)] == [
        "应急预案"
    ]


@pytest.mark.usefixtures("documents")
def test_a_genre_feed(client: Client) -> None:
    url = reverse("publishing:genre-feed-rss", args=[genre("意见").pk])
    response = client.get(url)
    channel = ElementTree.fromstring(response.content).find("channel")

    assert channel is not None
    assert channel.findtext("title") == "政策文件库：意见"
    assert channel.findtext("link") == f"http://testserver/xxgk/zc/?genre={genre('意见').pk}"
    assert rss_titles(client, url) == ["应急预案"]


def test_a_feed_shows_the_published_text_of_a_document_under_revision(client: Client) -> None:
    policy = document("已发布的标题")
    start_revision(policy, title="修订草稿标题", summary="修订草稿概述")

    body = client.get(reverse("publishing:feed-rss")).content.decode()

    assert "已发布的标题" in body
    assert "修订草稿" not in body


@pytest.mark.parametrize("name", ["topic-feed-rss", "genre-feed-atom"])
def test_an_unknown_category_is_not_found(client: Client, name: str) -> None:
    assert client.get(reverse(f"publishing:{name}", args=[999999])).status_code == 404
