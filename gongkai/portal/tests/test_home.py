import re

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import User

pytestmark = pytest.mark.django_db


def get_home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_home_is_chinese_with_the_language_declared(client: Client) -> None:
    body = get_home(client)

    assert '<html lang="zh-Hans">' in body
    assert "<title>首页 - 北京市人民政府政务公开平台</title>" in body
    assert '<h1 id="intro-title">政务公开平台</h1>' in body
    assert "回应社会关切的统一平台。依照《中华人民共和国政府信息公开条例》" in body
    assert "主办单位：北京市人民政府办公厅" in body


def test_home_has_landmarks_and_a_skip_link_first(client: Client) -> None:
    body = get_home(client)

    first_in_body = body.split("<body>", 1)[1].lstrip()
    assert first_in_body.startswith('<a class="skip-link" href="#main">跳到主要内容</a>')
    assert '<header class="site-header">' in body
    assert '<nav class="main-nav" aria-label="主导航">' in body
    assert '<main id="main" class="container" tabindex="-1">' in body
    assert '<footer class="site-footer">' in body
    assert len(re.findall(r"<h1[ >]", body)) == 1


def test_home_is_the_current_navigation_item(client: Client) -> None:
    body = get_home(client)

    assert '<li><a href="/" aria-current="page">首页</a></li>' in body


def test_anonymous_visitors_are_offered_login_and_registration(client: Client) -> None:
    body = get_home(client)

    assert f'href="{reverse("accounts:login")}"' in body
    assert f'href="{reverse("accounts:register")}"' in body
    assert "退出登录" not in body
    assert "工作台" not in body


def test_logged_in_visitors_get_a_logout_form_with_csrf(client: Client, public_user: User) -> None:
    client.force_login(public_user)

    body = get_home(client)

    assert "您好，李华" in body
    logout = re.search(
        r'<form method="post" action="(?P<action>[^"]+)" class="account__logout">'
        r"(?P<inner>.*?)</form>",
        body,
        re.S,
    )
    assert logout is not None
    assert logout["action"] == reverse("accounts:logout")
    assert 'name="csrfmiddlewaretoken"' in logout["inner"]
    assert f'href="{reverse("accounts:login")}"' not in body
    assert "工作台" not in body


def test_staff_see_the_workbench_in_the_navigation_and_on_the_home_page(
    client: Client, staff_user: User
) -> None:
    client.force_login(staff_user)

    body = get_home(client)

    assert '<li><a href="/workbench/">工作台</a></li>' in body
    assert "进入工作台" in body


def test_the_home_page_lists_registered_public_sections(client: Client, settings) -> None:
    settings.ROOT_URLCONF = "gongkai.portal.tests.urls"

    body = get_home(client)

    assert '<li><a href="/orgs/">机构目录</a></li>' in body
    cards = body.split('id="sections-title"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/orgs/">机构目录</a>' in cards
    assert "查询本市各级人民政府及其工作部门。" in cards
    assert 'href="/"' not in cards


def test_links_to_what_is_not_mounted_are_not_shown(
    client: Client, nav_registry: dict, settings
) -> None:
    settings.ROOT_URLCONF = "gongkai.portal.tests.urls"
    from gongkai.portal.navigation import register_nav_item

    register_nav_item("foi", "依申请公开", "foi:index", 30)

    body = get_home(client)

    assert "依申请公开</a>" not in body


def test_messages_are_announced_by_severity(client: Client, settings) -> None:
    settings.ROOT_URLCONF = "gongkai.portal.tests.urls"

    body = client.get("/test/messages/").content.decode()

    assert '<p class="message message--success" role="status">已保存。</p>' in body
    assert '<p class="message message--error" role="alert">提交失败。</p>' in body


def test_configured_footer_facts_are_shown(client: Client, settings) -> None:
    settings.GONGKAI_SITE_ORGANISER = "北京市东城区人民政府办公室"
    settings.GONGKAI_SITE_ID_CODE = "1101010001"

    body = get_home(client)

    assert "<li>主办单位：北京市东城区人民政府办公室</li>" in body
    assert "<li>网站标识码：1101010001</li>" in body
    assert "ICP备案号" not in body


def test_head_requests_are_answered(client: Client) -> None:
    assert client.head("/").status_code == 200
