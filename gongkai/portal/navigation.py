"""The main navigation, assembled from items that apps register in ``AppConfig.ready()``.

An app adds its entry once::

    register_nav_item("foi", _("依申请公开"), "foi:index", 30)

Items are shown in ``order`` (then ``key``) and only when their URL name resolves, so an app that
is not installed or not mounted never produces a dead link. ``audience="staff"`` items are shown
to staff accounts only; ``permission`` narrows an item to users holding that Django permission,
``visible`` to users for whom that function (from the app's ``permissions``) is true.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

from gongkai.accounts.models import User
from gongkai.accounts.permissions import is_staff_user

Audience = Literal["public", "staff"]
AriaCurrent = Literal["page", "true"]
Label = str | Promise  # a plain or a lazily translated string
Visible = Callable[[User | AnonymousUser], bool]


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    label: Label
    url_name: str
    order: int
    audience: Audience
    description: Label = ""
    permission: str = ""
    visible: Visible | None = None


@dataclass(frozen=True, slots=True)
class NavLink:
    """A registered item resolved for one request."""

    item: NavItem
    url: str
    aria_current: AriaCurrent | None

    @property
    def label(self) -> Label:
        return self.item.label

    @property
    def description(self) -> Label:
        return self.item.description


_items: dict[str, NavItem] = {}


def register_nav_item(
    key: str,
    label: Label,
    url_name: str,
    order: int,
    audience: Audience = "public",
    *,
    description: Label = "",
    permission: str = "",
    visible: Visible | None = None,
) -> NavItem:
    """Add an item to the main navigation.

    Registering the same item again is a no-op (``ready()`` may run more than once); registering
    a different item under a key already taken is a configuration error.
    """
    if audience not in get_args(Audience):
        raise ImproperlyConfigured(f"Navigation item {key!r}: unknown audience {audience!r}.")
    item = NavItem(
        key=key,
        label=label,
        url_name=url_name,
        order=order,
        audience=audience,
        description=description,
        permission=permission,
        visible=visible,
    )
    existing = _items.get(key)
    if existing is not None and existing != item:
        raise ImproperlyConfigured(f"Navigation item {key!r} is already registered differently.")
    _items[key] = item
    return item


def registered_nav_items() -> list[NavItem]:
    return sorted(_items.values(), key=lambda item: (item.order, item.key))


def _aria_current(url: str, path: str) -> AriaCurrent | None:
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return None


def nav_links(
    *, user: User | AnonymousUser, path: str, audience: Audience | None = None
) -> list[NavLink]:
    """The items ``user`` may see whose URL resolves, marked as current against ``path``."""
    show_staff = is_staff_user(user)
    links: list[tuple[NavItem, str]] = []
    for item in registered_nav_items():
        if audience is not None and item.audience != audience:
            continue
        if item.audience == "staff" and not show_staff:
            continue
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.visible is not None and not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append((item, url))
    # Only the most specific item containing the page is current (/xxgk/zc/ over /xxgk/).
    containing = [url for _item, url in links if _aria_current(url, path)]
    current = max(containing, key=len, default=None)
    return [
        NavLink(
            item=item, url=url, aria_current=_aria_current(url, path) if url == current else None
        )
        for item, url in links
    ]
