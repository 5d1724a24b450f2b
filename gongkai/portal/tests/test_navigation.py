import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from gongkai.accounts.models import User
from gongkai.portal.navigation import (
    NavItem,
    nav_links,
    register_nav_item,
    registered_nav_items,
)


def keys(links: list) -> list[str]:
    return [link.item.key for link in links]


def test_the_portal_registers_home_directory_and_workbench(nav_registry: dict) -> None:
    items = {item.key: item for item in registered_nav_items()}

    assert items["home"].url_name == "portal:home"
    assert items["orgs.directory"].url_name == "orgs:directory"
    assert items["workbench"].audience == "staff"


def test_items_are_ordered_by_order_then_key(nav_registry: dict) -> None:
    nav_registry.clear()
    register_nav_item("b", "乙", "portal:home", 20)
    register_nav_item("a", "甲", "portal:home", 20)
    register_nav_item("c", "丙", "portal:home", 5)

    assert [item.key for item in registered_nav_items()] == ["c", "a", "b"]


def test_registering_the_same_item_twice_is_a_no_op(nav_registry: dict) -> None:
    first = register_nav_item("foi", "依申请公开", "portal:home", 30)
    second = register_nav_item("foi", "依申请公开", "portal:home", 30)

    assert first == second
    assert [item.key for item in registered_nav_items()].count("foi") == 1


def test_registering_a_different_item_under_a_taken_key_fails(nav_registry: dict) -> None:
    register_nav_item("foi", "依申请公开", "portal:home", 30)

    with pytest.raises(ImproperlyConfigured, match="foi"):
        register_nav_item("foi", "政府信息公开", "portal:home", 30)
    assert nav_registry["foi"].label == "依申请公开"


def test_an_unknown_audience_is_refused(nav_registry: dict) -> None:
    with pytest.raises(ImproperlyConfigured, match="audience"):
        register_nav_item("x", "某栏目", "portal:home", 1, audience="admin")  # type: ignore[arg-type]
    assert "x" not in nav_registry


@pytest.mark.django_db
def test_items_whose_url_does_not_resolve_are_left_out(nav_registry: dict) -> None:
    nav_registry.clear()
    register_nav_item("home", "首页", "portal:home", 0)
    register_nav_item("missing", "不存在", "nowhere:index", 1)

    assert keys(nav_links(user=AnonymousUser(), path="/")) == ["home"]


def test_staff_items_are_shown_to_staff_only(
    nav_registry: dict, staff_user: User, public_user: User
) -> None:
    nav_registry.clear()
    register_nav_item("home", "首页", "portal:home", 0)
    register_nav_item("workbench", "工作台", "portal:workbench", 9, audience="staff")

    assert keys(nav_links(user=AnonymousUser(), path="/")) == ["home"]
    assert keys(nav_links(user=public_user, path="/")) == ["home"]
    assert keys(nav_links(user=staff_user, path="/")) == ["home", "workbench"]
    assert keys(nav_links(user=staff_user, path="/", audience="public")) == ["home"]


def test_current_item_is_marked_for_its_page_and_the_pages_below_it(nav_registry: dict) -> None:
    nav_registry.clear()
    register_nav_item("home", "首页", "portal:home", 0)
    register_nav_item("modes", "显示", "portal:display_modes", 1)

    def current(path: str) -> dict[str, str | None]:
        return {
            link.item.key: link.aria_current for link in nav_links(user=AnonymousUser(), path=path)
        }

    assert current("/") == {"home": "page", "modes": None}
    assert current("/display-modes/") == {"home": None, "modes": "page"}
    assert current("/display-modes/sub/") == {"home": None, "modes": "true"}
    assert current("/elsewhere/") == {"home": None, "modes": None}


def test_nav_item_is_a_frozen_value() -> None:
    item = NavItem(key="k", label="标签", url_name="portal:home", order=1, audience="public")

    with pytest.raises(AttributeError):
        item.order = 2  # type: ignore[misc]


def test_an_item_can_be_shown_to_the_users_a_function_admits(
    nav_registry: dict, staff_user: User, public_user: User
) -> None:
    nav_registry.clear()
    register_nav_item(
        "mine", "本单位栏目", "portal:home", 1, visible=lambda user: user == staff_user
    )

    assert keys(nav_links(user=staff_user, path="/")) == ["mine"]
    assert keys(nav_links(user=public_user, path="/")) == []
    assert keys(nav_links(user=AnonymousUser(), path="/")) == []


def test_only_the_most_specific_containing_item_is_current(nav_registry: dict) -> None:
    links = {
        link.item.key: link.aria_current
        for link in nav_links(user=AnonymousUser(), path="/xxgk/zc/110000-BGT/2018-00001/")
    }
    assert links["publishing.library"] == "true"
    assert links["publishing.column"] is None
    assert links["home"] is None
