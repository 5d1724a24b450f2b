"""Who may do what with search.

Searching needs no permission: the index holds only what its sources publish (each source's
``fetch`` applies that source's own public-visibility rule, e.g. ``publishing.permissions.
public_q``). Seeing the index's state and rebuilding it is for system administrators.
"""

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser

from gongkai.accounts.models import User


def can_manage_index(user: User | AnonymousUser) -> TypeGuard[User]:
    return isinstance(user, User) and user.has_perm("search.change_indexstate")
