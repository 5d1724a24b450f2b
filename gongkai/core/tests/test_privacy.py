import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.privacy import mask_contact


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800138000", "138****8000"),
        ("+8613800138000", "138****8000"),
        ("li.ming@example.cn", "l***@example.cn"),
        ("fgw_jb", "fgw_jb"),
        ("12345678901", "12345678901"),  # not a mobile number: 2nd digit 2
        ("110000-FGW", "110000-FGW"),
    ],
)
def test_mask_contact(value, masked):
    assert mask_contact(value) == masked


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_masked_mobiles_keep_only_seven_digits(mobile):
    masked = mask_contact(mobile)
    assert masked == mobile[:3] + "****" + mobile[-4:]
