"""Masking of personal data for display to people other than its owner and the handling staff.

Common practice: a mobile number keeps its first 3 and last 4 digits (``138****8000``); an
e-mail address keeps the first character of its local part and the domain
(``l***@example.cn``). Anything else is returned unchanged.
"""

import re

_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d)(\d{4})(\d{4})$")


def mask_contact(value: str) -> str:
    """Mask ``value`` if it is a mainland mobile number or an e-mail address."""
    if match := _MOBILE.match(value):
        return f"{match.group(1)}****{match.group(3)}"
    local, at, domain = value.partition("@")
    if at and local and domain:
        return f"{local[0]}***@{domain}"
    return value
