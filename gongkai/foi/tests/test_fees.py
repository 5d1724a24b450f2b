"""The 信息处理费 calculators (国办函〔2020〕109号) and the fee notice (on SQLite and
PostgreSQL)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.foi import clock, fees, services
from gongkai.foi.errors import FoiError, FoiErrorCode
from gongkai.foi.models import ApplicationEvent, LetterKind

from .support import make_foi_staff, register

PIECE_RATES = [(1, 10, 0), (11, 30, 100), (31, 40, 200), (41, 50, 300), (51, 60, 400)]
PAGE_RATES = [(1, 30, 0), (31, 100, 10), (101, 200, 20), (201, 10_000, 40)]


def rate_of(n: int, rates: list[tuple[int, int, int]]) -> int:
    return next(rate for first, last, rate in rates if first <= n <= last)


# ---- The schedule's own cases -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "amount"),
    [
        (1, 0),
        (10, 0),  # 1–10 free
        (11, 100),
        (30, 2000),  # 20 × 100
        (31, 2200),  # + 1 × 200
        (35, 3000),  # 20 × 100 + 5 × 200
        (40, 4000),  # 20 × 100 + 10 × 200
        (41, 4300),  # + 1 × 300
        (50, 7000),  # 20 × 100 + 10 × 200 + 10 × 300
    ],
)
def test_per_piece_cumulative_amounts_in_a_month(pieces, amount):
    assert fees.per_piece(pieces).amount == amount


@pytest.mark.parametrize(
    ("pages", "amount"),
    [
        (1, 0),
        (30, 0),  # ≤30 free
        (31, 10),
        (100, 700),  # 70 × 10
        (101, 720),  # + 1 × 20
        (200, 2700),  # 70 × 10 + 100 × 20
        (201, 2740),  # + 1 × 40
        (250, 4700),  # 70 × 10 + 100 × 20 + 50 × 40
    ],
)
def test_per_page_amounts(pages, amount):
    assert fees.per_page(pages).amount == amount


def test_the_explanation_states_the_standard_each_band_and_the_total():
    fee = fees.per_page(150)
    assert fee.explanation.splitlines() == [
        str(fees._STANDARDS[fees.Method.PER_PAGE]),
        "第1—30页（免费）：30页，0元",
        "第31—100页（10元/页）：70页，700元",
        "第101—150页（20元/页）：50页，1000元",
        "合计：1700元。",
    ]
    assert fees.per_piece(1, already=11).explanation.splitlines()[1:] == [
        "第12件（100元/件）：1件，100元",
        "合计：100元。",
    ]


@pytest.mark.parametrize("bad", [lambda: fees.per_piece(0), lambda: fees.per_page(0)])
def test_nothing_to_charge_is_a_programming_error(bad):
    with pytest.raises(ValueError, match="at least 1"):
        bad()


# ---- Properties ---------------------------------------------------------------------------------


@given(st.integers(1, 400))
def test_per_piece_is_monotone_and_the_nth_piece_costs_its_band_s_rate(n):
    assert fees.per_piece(n + 1).amount >= fees.per_piece(n).amount
    assert fees.per_piece(n).amount - (fees.per_piece(n - 1).amount if n > 1 else 0) == rate_of(
        n, PIECE_RATES + [(61 + 10 * k, 70 + 10 * k, 500 + 100 * k) for k in range(40)]
    )


@given(st.integers(1, 2000))
def test_per_page_is_monotone_and_the_nth_page_costs_its_band_s_rate(n):
    assert fees.per_page(n + 1).amount >= fees.per_page(n).amount
    assert fees.per_page(n).amount - (fees.per_page(n - 1).amount if n > 1 else 0) == rate_of(
        n, PAGE_RATES
    )


@given(st.integers(1, 10), st.integers(1, 30))
def test_the_free_bands_cost_nothing(pieces, pages):
    assert fees.per_piece(pieces).amount == 0
    assert fees.per_piece(1, already=pieces - 1).amount == 0
    assert fees.per_page(pages).amount == 0


@given(st.integers(0, 200), st.integers(1, 100), st.integers(1, 100))
def test_charging_in_parts_costs_the_same_as_at_once(already, first, second):
    split = (
        fees.per_piece(first, already=already).amount
        + fees.per_piece(second, already=already + first).amount
    )
    assert split == fees.per_piece(first + second, already=already).amount


@given(st.integers(0, 200), st.integers(1, 100))
def test_the_bands_cover_exactly_the_units_charged(already, pieces):
    fee = fees.per_piece(pieces, already=already)
    assert sum(band.units for band in fee.bands) == pieces
    assert fee.bands[0].first == already + 1
    assert fee.bands[-1].last == already + pieces
    assert fee.amount == sum(band.subtotal for band in fee.bands)


# ---- The fee notice -----------------------------------------------------------------------------


@pytest.fixture
def staff(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_foi_staff()


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(services, "local_today", lambda: date(2025, 9, 30))


def test_per_page_fee_is_recorded_with_its_amount_and_a_notice(staff):
    application, _ = register(staff)
    event = services.fee_notify(
        actor=staff.handler,
        application=application,
        method="per_page",
        pages=150,
        on=date(2025, 9, 3),
    )
    application.refresh_from_db()
    assert (event.kind, event.amount) == (clock.EventKind.FEE_NOTIFIED, 1700)
    assert "第101—150页（20元/页）" in event.note
    assert application.status == clock.Status.PAUSED_FEE
    letter = application.letters.get()
    assert letter.kind == LetterKind.FEE
    assert letter.event == event
    assert "应缴金额：人民币1700元。" in letter.text
    assert "即2025年9月30日前" in letter.text  # 20 working days after 9-3 (9-28 is 调休)


def test_per_piece_counts_the_applicant_s_requests_to_the_organisation_in_the_month(staff):
    for day in range(1, 12):  # 11 requests by the same person in September
        application, _ = register(staff, on=date(2025, 9, day))
    register(staff, on=date(2025, 8, 29))  # another month
    register(staff, on=date(2025, 9, 2), id_number="11010519491231002X")  # another person
    event = services.fee_notify(
        actor=staff.handler,
        application=application,
        method="per_piece",
        pages=None,
        on=date(2025, 9, 12),
    )
    assert event.amount == 100
    assert "第11件（100元/件）" in event.note


def test_no_fee_in_the_free_band_and_nothing_is_recorded(staff):
    application, _ = register(staff)
    with pytest.raises(FoiError) as free:
        services.fee_notify(
            actor=staff.handler,
            application=application,
            method="per_page",
            pages=30,
            on=date(2025, 9, 3),
        )
    assert free.value.code == FoiErrorCode.FEE_NOT_DUE
    with pytest.raises(FoiError) as piece:
        services.fee_notify(
            actor=staff.handler,
            application=application,
            method="per_piece",
            pages=None,
            on=date(2025, 9, 3),
        )
    assert piece.value.code == FoiErrorCode.FEE_NOT_DUE
    assert not ApplicationEvent.objects.exists()
    assert not application.letters.exists()


@pytest.mark.parametrize(
    ("method", "pages", "code"),
    [
        ("per_line", None, FoiErrorCode.FEE_METHOD),
        ("per_page", None, FoiErrorCode.FEE_PAGES_REQUIRED),
        ("per_page", 0, FoiErrorCode.FEE_PAGES_REQUIRED),
    ],
)
def test_bad_fee_input_is_refused_in_chinese(staff, method, pages, code):
    application, _ = register(staff)
    with pytest.raises(FoiError) as refused:
        services.fee_notify(
            actor=staff.handler,
            application=application,
            method=method,
            pages=pages,
            on=date(2025, 9, 3),
        )
    assert refused.value.code == code


def test_only_the_handling_staff_may_charge(staff):
    application, _ = register(staff)
    with pytest.raises(FoiError) as denied:
        services.fee_notify(
            actor=staff.outsider,
            application=application,
            method="per_page",
            pages=99,
            on=date(2025, 9, 3),
        )
    assert denied.value.code == FoiErrorCode.PERMISSION_DENIED
    assert not ApplicationEvent.objects.exists()
    event = services.fee_notify(
        actor=staff.office,
        application=application,
        method="per_page",
        pages=99,
        on=date(2025, 9, 3),
    )
    assert event.amount == 690
