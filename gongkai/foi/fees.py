"""The 信息处理费 of 《政府信息公开信息处理费管理办法》(国办函〔2020〕109号), as pure functions.

Both methods are excess-progressive (超额累进): each unit is charged at the rate of the band it
falls in (regulatory-facts.md §1.8). An agency picks one method per application, never both.

* 按件计收 (``per_piece``): counted per applicant per natural month. The 1st–10th request is
  free, the 11th–30th costs 100 元 each, and from the 31st on every further band of 10 requests
  costs 100 元 more each (31st–40th 200 元, 41st–50th 300 元, …).
* 按量计收 (``per_page``): per application by pages. Pages 1–30 are free, 31–100 cost 10 元,
  101–200 cost 20 元, 201 and above 40 元 each.

Amounts are whole yuan. Each result lists the bands it touches, for the 收费通知书.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import count

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

FREE_PIECES = 10
"""Requests per applicant per natural month that are free."""
FREE_PAGES = 30
"""Pages per application that are free."""
PIECE_FIRST_RATE = 100
"""元 per request from the 11th to the 30th."""
PIECE_STEP = 100
"""What each further band of ``PIECE_BAND`` requests adds per request."""
PIECE_BAND = 10
PAGE_BANDS: tuple[tuple[int, int | None, int], ...] = (
    (1, FREE_PAGES, 0),
    (31, 100, 10),
    (101, 200, 20),
    (201, None, 40),
)
"""(first page, last page or None for no end, 元 per page)."""


class Method(StrEnum):
    PER_PIECE = "per_piece"
    PER_PAGE = "per_page"

    @property
    def label(self) -> str:
        return str(_METHOD_LABELS[self])

    @property
    def standard(self) -> str:
        """The method's fee schedule in words (the guide and the fee notice say it alike)."""
        return str(_STANDARDS[self])


_METHOD_LABELS = {Method.PER_PIECE: _("按件计收"), Method.PER_PAGE: _("按量计收")}
_UNITS = {Method.PER_PIECE: _("件"), Method.PER_PAGE: _("页")}
_STANDARDS = {
    Method.PER_PIECE: _(
        "收费标准（按件计收）：同一申请人一个自然月内累计申请10件以下（含10件）的，不收费；"
        "11—30件（含30件）的部分，100元/件；30件以上的部分，以10件为一档，"
        "每增加一档，收费标准提高100元/件。"
    ),
    Method.PER_PAGE: _(
        "收费标准（按量计收）：同一政府信息公开申请中，30页以下（含30页）的，不收费；"
        "31—100页（含100页）的部分，10元/页；101—200页（含200页）的部分，20元/页；"
        "200页以上的部分，40元/页。"
    ),
}


@dataclass(frozen=True)
class Band:
    """The units ``first..last`` of a charge that fall in one band of the schedule."""

    first: int
    last: int
    rate: int
    """元 per unit; 0 in the free band."""

    @property
    def units(self) -> int:
        return self.last - self.first + 1

    @property
    def subtotal(self) -> int:
        return self.units * self.rate


@dataclass(frozen=True)
class Fee:
    method: Method
    first: int
    """The first unit charged: the request's number in the month, or page 1."""
    last: int
    bands: tuple[Band, ...]

    @property
    def amount(self) -> int:
        return sum(band.subtotal for band in self.bands)

    @property
    def explanation(self) -> str:
        """The standard, one line per band and the total, in Chinese, for the notice."""
        unit = str(_UNITS[self.method])
        lines = [self.method.standard]
        for band in self.bands:
            where = (
                gettext("第%(first)d%(unit)s") % {"first": band.first, "unit": unit}
                if band.first == band.last
                else gettext("第%(first)d—%(last)d%(unit)s")
                % {"first": band.first, "last": band.last, "unit": unit}
            )
            rate = (
                gettext("免费")
                if band.rate == 0
                else gettext("%(rate)d元/%(unit)s") % {"rate": band.rate, "unit": unit}
            )
            lines.append(
                gettext("%(where)s（%(rate)s）：%(units)d%(unit)s，%(sum)d元")
                % {
                    "where": where,
                    "rate": rate,
                    "units": band.units,
                    "unit": unit,
                    "sum": band.subtotal,
                }
            )
        lines.append(gettext("合计：%(amount)d元。") % {"amount": self.amount})
        return "\n".join(lines)


def per_piece(pieces: int = 1, *, already: int = 0) -> Fee:
    """The fee for ``pieces`` requests of an applicant who made ``already`` requests earlier in
    the same natural month (to the same agency)."""
    if pieces < 1 or already < 0:
        raise ValueError("pieces must be at least 1 and already not negative")
    return _charge(Method.PER_PIECE, already + 1, already + pieces, _piece_bands())


def per_page(pages: int) -> Fee:
    """The fee for an application answered with ``pages`` pages."""
    if pages < 1:
        raise ValueError("pages must be at least 1")
    return _charge(Method.PER_PAGE, 1, pages, PAGE_BANDS)


def _piece_bands() -> Iterator[tuple[int, int | None, int]]:
    yield 1, FREE_PIECES, 0
    yield FREE_PIECES + 1, 30, PIECE_FIRST_RATE
    for step in count(1):
        first = 31 + (step - 1) * PIECE_BAND
        yield first, first + PIECE_BAND - 1, PIECE_FIRST_RATE + step * PIECE_STEP


def _charge(
    method: Method, first: int, last: int, schedule: Iterable[tuple[int, int | None, int]]
) -> Fee:
    bands = []
    for band_first, band_last, rate in schedule:
        if band_first > last:
            break
        low, high = max(first, band_first), last if band_last is None else min(last, band_last)
        if low <= high:
            bands.append(Band(low, high, rate))
    return Fee(method, first, last, tuple(bands))
