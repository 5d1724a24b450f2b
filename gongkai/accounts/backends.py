"""Authentication backend: Django permissions come from the roles table in permissions.py."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Model
from django.http import HttpRequest

from . import permissions


class RoleBackend(ModelBackend):
    """Grants permissions from roles. It authenticates nobody: every login goes through
    ``services.account_login`` (lockout, audit), never through ``django.contrib.auth``'s
    ``authenticate()``, so no other login form can bypass those rules."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        return None

    def get_all_permissions(self, user_obj: Any, obj: Model | None = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return permissions.role_permissions(user_obj)

    def has_perm(self, user_obj: Any, perm: str, obj: Model | None = None) -> bool:
        return perm in self.get_all_permissions(user_obj, obj)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
