import pytest
from django.test import Client
from django.urls import reverse


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_directory_shows_the_tree(beijing: None, client: Client) -> None:
    body = page(client, reverse("orgs:directory"))

    assert "<h1>机构目录</h1>" in body
    for name in ("北京市人民政府", "北京市发展和改革委员会", "北京市东城区人民政府", "东华门街道"):
        assert name in body
    assert f'<a href="{reverse("orgs:detail", args=["110101001"])}">' in body
    assert "已撤并机构" in body
    assert "北京市工商行政管理局" in body


def test_the_directory_searches(beijing: None, client: Client) -> None:
    body = page(client, reverse("orgs:directory") + "?q=环保")

    assert "“环保”的查找结果：1 个机构" in body
    assert '<a href="/orgs/110000-STHJJ/">北京市生态环境局</a>（市生态环境局）' in body


def test_a_search_without_results(beijing: None, client: Client) -> None:
    body = page(client, reverse("orgs:directory") + "?q=火星")

    assert "没有找到名称中含有该文字的机构。" in body


def test_a_renamed_organisation_shows_its_names(beijing: None, client: Client) -> None:
    body = page(client, reverse("orgs:detail", args=["110000-STHJJ"]))

    assert "<h1>北京市生态环境局</h1>" in body
    assert '<th scope="row">北京市环境保护局</th>' in body
    assert "2018年11月24日" in body
    assert "北京市机构改革方案" in body
    assert "现用名称" in body


def test_a_successor_lists_what_was_merged_into_it(beijing: None, client: Client) -> None:
    body = page(client, reverse("orgs:detail", args=["110000-SCJGJ"]))

    for name in ("北京市工商行政管理局", "北京市质量技术监督局", "北京市食品药品监督管理局"):
        assert name in body
    assert "北京市药品监督管理局" in body  # a 部门管理机构 under it


def test_a_merged_organisation_points_to_its_successor(beijing: None, client: Client) -> None:
    body = page(client, reverse("orgs:detail", args=["110000-GSJ"]))

    assert "本机构已于2018年11月24日并入" in body
    assert '<a href="/orgs/110000-SCJGJ/">北京市市场监督管理局</a>' in body


def test_a_district_lists_its_streets(beijing: None, client: Client) -> None:
    body = page(client, reverse("orgs:detail", args=["110112"]))

    assert "潞城镇" in body
    assert "于家务回族乡" in body


@pytest.mark.parametrize("code", ["NOPE", "110000-fgw"])
def test_an_unknown_code_is_not_found(beijing: None, client: Client, code: str) -> None:
    assert client.get(reverse("orgs:detail", args=[code])).status_code == 404
