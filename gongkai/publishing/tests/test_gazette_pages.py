"""The public gazette pages: the archive by year and an issue's table of contents."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.publishing.models import Disclosure, GazetteEntry, GazetteIssue

from .public_data import document, withdraw

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("publishing:gazette")


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def issue(year: int, number: int, published_on: date, pdf: str = "") -> GazetteIssue:
    return GazetteIssue.objects.create(year=year, number=number, published_on=published_on, pdf=pdf)


def issue_url(year: int, number: int) -> str:
    return reverse("publishing:gazette-issue", args=[year, number])


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_archive_shows_the_latest_year_and_links_every_year(client: Client) -> None:
    issue(2024, 1, date(2024, 1, 10))
    issue(2025, 1, date(2025, 1, 10))
    second = issue(2025, 2, date(2025, 1, 25), pdf="gazette/2025-002.pdf")
    GazetteEntry.objects.create(issue=second, document=document("已刊登的通知"), sort_order=1)

    body = page(client, ARCHIVE)

    assert "<h1>政府公报</h1>" in body
    assert '<a href="/xxgk/gb/2025/" aria-current="page">2025年</a>' in body
    assert '<a href="/xxgk/gb/2024/">2024年</a>' in body
    rows = text(body[body.index("2025年各期") :])
    assert "2025年第1期 2025年1月10日 0 件 —" in rows
    assert "2025年第2期 2025年1月25日 1 件 下载 2025年第2期 PDF" in rows
    assert f'href="{issue_url(2025, 2)}"' in body
    assert '<a href="/media/gazette/2025-002.pdf">' in body
    assert "2024年第1期" not in body


def test_a_year_page_lists_that_year_only(client: Client) -> None:
    issue(2024, 1, date(2024, 1, 10))
    issue(2025, 1, date(2025, 1, 10))

    body = page(client, reverse("publishing:gazette-year", args=[2024]))

    assert "<h1>2024年政府公报</h1>" in body
    assert "2024年第1期" in body
    assert "2025年第1期" not in body
    assert '<li><a href="/xxgk/gb/">政府公报</a></li>' in body


def test_an_unknown_year_or_issue_is_not_found(client: Client) -> None:
    issue(2025, 1, date(2025, 1, 10))

    page(client, reverse("publishing:gazette-year", args=[2023]), status=404)
    page(client, issue_url(2025, 2), status=404)
    page(client, "/xxgk/gb/99999999999999999999999/1/", status=404)
    page(client, "/xxgk/gb/2025/99999999999999999999999/", status=404)


def test_without_issues_the_archive_says_so(client: Client) -> None:
    assert "尚未发布政府公报。" in page(client, ARCHIVE)


def test_an_issue_lists_its_public_documents_in_order(client: Client) -> None:
    current = issue(2025, 3, date(2025, 2, 10), pdf="gazette/2025-003.pdf")
    first = document("第一篇的通知", doc_no="京政发〔2025〕3号")
    second = document("第二篇的意见")
    on_request = document("依申请公开的批复", disclosure=Disclosure.ON_REQUEST)
    withdrawn = document("已撤回的通告")
    withdraw(withdrawn, reason="内容调整。")
    for position, listed in [(4, on_request), (2, second), (1, first), (3, withdrawn)]:
        GazetteEntry.objects.create(issue=current, document=listed, sort_order=position)

    body = page(client, issue_url(2025, 3))

    assert "<h1>政府公报 2025年第3期</h1>" in body
    assert "出版日期：2025年2月10日" in body
    assert '<a href="/media/gazette/2025-003.pdf">下载本期公报 PDF</a>' in body
    contents = text(body[body.index("本期目录") : body.index("相邻各期")])
    assert "1 第一篇的通知 京政发〔2025〕3号 北京市人民政府办公厅 2018年3月1日" in contents
    assert contents.index("第一篇的通知") < contents.index("第二篇的意见")
    assert f'<a href="/xxgk/zc/{first.index_no}/">第一篇的通知</a>' in body
    assert "依申请公开的批复" not in body
    assert "已撤回的通告" not in body


def test_an_issue_links_its_neighbours(client: Client) -> None:
    issue(2024, 24, date(2024, 12, 25))
    issue(2025, 1, date(2025, 1, 10))
    issue(2025, 2, date(2025, 1, 25))

    middle = page(client, issue_url(2025, 1))
    first = page(client, issue_url(2024, 24))

    assert f'<a href="{issue_url(2024, 24)}" rel="prev">上一期：2024年第24期</a>' in middle
    assert f'<a href="{issue_url(2025, 2)}" rel="next">下一期：2025年第2期</a>' in middle
    assert 'rel="prev"' not in first
    assert "本期没有可在线查阅的文件。" in first


def test_the_gazette_is_in_the_main_navigation(client: Client) -> None:
    body = page(client, reverse("portal:home"))

    assert '<a href="/xxgk/gb/">政府公报</a>' in body
