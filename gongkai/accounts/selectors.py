"""Reads of accounts that encode rules."""

import re

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.orgs.models import Organisation

from .models import AccountKind, User

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(value: str) -> str:
    """Strip spaces, dashes and a +86/86 prefix from a mainland mobile number."""
    digits = re.sub(r"[\s-]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def user_by_identifier(identifier: str) -> User | None:
    """The account a login name refers to: user name, mobile number or e-mail address."""
    identifier = identifier.strip()
    if not identifier:
        return None
    query = Q(username=identifier) | Q(email__iexact=identifier)
    phone = normalise_phone(identifier)
    if PHONE_RE.match(phone):
        query |= Q(phone=phone)
    return User.objects.filter(query).select_related("organisation").first()


def staff_list(*, search: str = "", organisation: Organisation | None = None) -> QuerySet[User]:
    users = (
        User.objects.filter(kind=AccountKind.STAFF)
        .select_related("organisation")
        .prefetch_related("role_assignments")
        .order_by("organisation__level", "organisation__sort_order", "username")
    )
    if search:
        users = users.filter(
            Q(username__icontains=search)
            | Q(full_name__icontains=search)
            | Q(organisation__name__icontains=search)
            | Q(organisation__short_name__icontains=search)
        )
    if organisation is not None:
        users = users.filter(organisation=organisation)
    return users


def locked_accounts() -> QuerySet[User]:
    """Accounts locked now after repeated login failures, longest-locked first."""
    return User.objects.filter(locked_until__gt=timezone.now()).order_by("locked_until")
