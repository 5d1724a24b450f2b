import pytest
from django.template.loader import render_to_string
from django.test import Client

pytestmark = pytest.mark.django_db


def test_404_is_chinese_in_the_site_layout(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "<title>页面不存在 - 北京市人民政府政务公开平台</title>" in body
    assert "<h1>页面不存在</h1>" in body
    assert 'aria-label="主导航"' in body


def test_400_renders_even_before_authentication_ran(client: Client) -> None:
    response = client.get("/", headers={"host": "evil.example"})

    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>请求有误</h1>" in body
    assert '<html lang="zh-Hans">' in body


def test_403_is_chinese() -> None:
    body = render_to_string("403.html")

    assert "<h1>无权访问</h1>" in body


def test_500_needs_no_request_context_or_database(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        body = render_to_string("500.html")

    assert '<html lang="zh-Hans">' in body
    assert "<title>系统繁忙 - 政务公开平台</title>" in body
    assert "<h1>系统繁忙</h1>" in body


def test_an_unhandled_error_shows_the_500_page(settings) -> None:
    settings.ROOT_URLCONF = "gongkai.portal.tests.urls"
    client = Client(raise_request_exception=False)

    response = client.get("/test/boom/")

    assert response.status_code == 500
    assert "<h1>系统繁忙</h1>" in response.content.decode()
