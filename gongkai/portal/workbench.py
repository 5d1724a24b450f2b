"""The staff workbench's to-do list, assembled from providers that apps register.

An app registers one provider in ``AppConfig.ready()``::

    register_todo_provider("foi", _("依申请公开"), foi_todos)

where ``foi_todos(user)`` returns the :class:`TodoItem` objects that ``user`` has to act on
(possibly none: the section then says so), or ``None`` when the matter does not concern
``user`` at all (no section). Providers are shown in the order they were registered (the order
of ``INSTALLED_APPS``).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise

from gongkai.accounts.models import User


@dataclass(frozen=True, slots=True)
class TodoItem:
    title: str
    url: str
    due_on: date | None = None
    overdue: bool = False


TodoProviderFn = Callable[[User], Sequence[TodoItem] | None]


@dataclass(frozen=True, slots=True)
class TodoProvider:
    key: str
    label: str | Promise
    provider: TodoProviderFn


@dataclass(frozen=True, slots=True)
class TodoSection:
    """One provider's items for one user."""

    key: str
    label: str | Promise
    todos: tuple[TodoItem, ...]


_providers: dict[str, TodoProvider] = {}


def register_todo_provider(key: str, label: str | Promise, provider: TodoProviderFn) -> None:
    """Add a source of to-do items to the workbench.

    Registering the same provider again is a no-op; a different one under a key already taken is
    a configuration error.
    """
    entry = TodoProvider(key=key, label=label, provider=provider)
    existing = _providers.get(key)
    if existing is not None and existing != entry:
        raise ImproperlyConfigured(f"To-do provider {key!r} is already registered differently.")
    _providers[key] = entry


def todo_sections(user: User) -> list[TodoSection]:
    """The sections that concern ``user``, each with its items."""
    sections = []
    for entry in _providers.values():
        todos = entry.provider(user)
        if todos is not None:
            sections.append(TodoSection(key=entry.key, label=entry.label, todos=tuple(todos)))
    return sections
