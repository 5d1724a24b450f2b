"""Display modes required of government sites (适老化/无障碍): large text and high contrast.

The visitor's choice lives in a cookie, so it works without an account and the first render of
every page already carries it (no flash of the default look). The page marks active modes with
``mode-<value>`` classes on ``<html>`` (root font size) and ``<body>``.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = settings.GONGKAI_DISPLAY_MODES_COOKIE
COOKIE_MAX_AGE = 365 * 24 * 3600
RESET_FIELD = "reset"
ON = "on"
OFF = "off"
_SEPARATOR = "."


class DisplayMode(StrEnum):
    LARGE_TEXT = "large-text"
    HIGH_CONTRAST = "high-contrast"


LABELS: dict[DisplayMode, Promise] = {
    DisplayMode.LARGE_TEXT: _("大字版"),
    DisplayMode.HIGH_CONTRAST: _("高对比度"),
}


@dataclass(frozen=True, slots=True)
class ModeToggle:
    """One toggle button: pressing it submits ``name=next_value``."""

    mode: DisplayMode
    label: Promise
    active: bool

    @property
    def next_value(self) -> str:
        return OFF if self.active else ON


def modes_from_cookie(raw: str | None) -> frozenset[DisplayMode]:
    """The modes stored in the cookie; unknown or malformed parts are ignored."""
    if not raw:
        return frozenset()
    known = {mode.value: mode for mode in DisplayMode}
    return frozenset(known[part] for part in raw.split(_SEPARATOR) if part in known)


def cookie_value(modes: frozenset[DisplayMode]) -> str:
    return _SEPARATOR.join(sorted(modes))


def modes_after(
    current: frozenset[DisplayMode], submitted: Mapping[str, str]
) -> frozenset[DisplayMode]:
    """Apply a submitted change: ``reset`` clears everything, ``<mode>=on|off`` sets one mode."""
    if RESET_FIELD in submitted:
        return frozenset()
    modes = set(current)
    for mode in DisplayMode:
        value = submitted.get(mode.value)
        if value == ON:
            modes.add(mode)
        elif value == OFF:
            modes.discard(mode)
    return frozenset(modes)


def mode_classes(modes: frozenset[DisplayMode]) -> str:
    return " ".join(f"mode-{mode}" for mode in sorted(modes))


def mode_toggles(modes: frozenset[DisplayMode]) -> list[ModeToggle]:
    return [ModeToggle(mode=mode, label=LABELS[mode], active=mode in modes) for mode in DisplayMode]
