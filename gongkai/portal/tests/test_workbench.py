from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role, RoleAssignment, User
from gongkai.portal.workbench import (
    TodoItem,
    register_todo_provider,
    todo_sections,
)

URL = "/workbench/"


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_workbench_url_name() -> None:
    assert reverse("portal:workbench") == URL


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={URL}"


def test_public_accounts_are_refused(client: Client, public_user: User) -> None:
    response = logged_in(client, public_user).get(URL)

    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_staff_see_their_organisation_and_roles(client: Client, staff_user: User) -> None:
    RoleAssignment.objects.create(user=staff_user, role=Role.HANDLER)
    RoleAssignment.objects.create(user=staff_user, role=Role.REVIEWER)

    response = logged_in(client, staff_user).get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>工作台</h1>" in body
    assert "测试机构" in body
    assert "经办人" in body
    assert "审核人" in body
    assert "王敏" in body


def test_staff_without_roles_or_providers_see_empty_lists(
    client: Client, staff_user: User, todo_registry: dict
) -> None:
    body = logged_in(client, staff_user).get(URL).content.decode()

    assert "尚未分配角色" in body
    assert "暂无待办事项" in body


def test_the_workbench_is_in_the_navigation_for_staff_and_marked_current(
    client: Client, staff_user: User
) -> None:
    body = logged_in(client, staff_user).get(URL).content.decode()

    assert f'<a href="{URL}" aria-current="page">工作台</a>' in body


def test_providers_items_are_listed_under_their_label(
    client: Client, staff_user: User, todo_registry: dict
) -> None:
    seen: list[User] = []

    def foi_todos(user: User) -> list[TodoItem]:
        seen.append(user)
        return [
            TodoItem(title="申请 2026-0001 待答复", url="/foi/1/", due_on=date(2026, 3, 2)),
            TodoItem(title="申请 2026-0002 待答复", url="/foi/2/", overdue=True),
        ]

    register_todo_provider("foi", "依申请公开", foi_todos)
    register_todo_provider("hotline", "12345 工单", lambda user: [])

    body = logged_in(client, staff_user).get(URL).content.decode()

    assert seen == [staff_user]
    assert '<h3 id="todos-foi">依申请公开</h3>' in body
    assert '<a href="/foi/1/">申请 2026-0001 待答复</a>' in body
    assert '<time datetime="2026-03-02">2026年3月2日</time>' in body
    assert "已超期" in body
    hotline = body.split('id="todos-hotline"', 1)[1]
    assert "暂无待办事项" in hotline


def test_sections_follow_registration_order(todo_registry: dict, staff_user: User) -> None:
    register_todo_provider("b", "乙", lambda user: [TodoItem(title="一", url="/1/")])
    register_todo_provider("a", "甲", lambda user: [])
    register_todo_provider("c", "丙", lambda user: None)  # does not concern this user

    sections = todo_sections(staff_user)

    assert [(s.key, s.label, len(s.todos)) for s in sections] == [("b", "乙", 1), ("a", "甲", 0)]


def test_registering_the_same_provider_twice_is_a_no_op(todo_registry: dict) -> None:
    def provider(user: User) -> list[TodoItem]:
        return []

    register_todo_provider("foi", "依申请公开", provider)
    register_todo_provider("foi", "依申请公开", provider)

    assert list(todo_registry) == ["foi"]


def test_a_different_provider_under_a_taken_key_fails(todo_registry: dict) -> None:
    def first(user: User) -> list[TodoItem]:
        return []

    def second(user: User) -> list[TodoItem]:
        return []

    register_todo_provider("foi", "依申请公开", first)

    with pytest.raises(ImproperlyConfigured, match="foi"):
        register_todo_provider("foi", "依申请公开", second)
    assert todo_registry["foi"].provider is first
