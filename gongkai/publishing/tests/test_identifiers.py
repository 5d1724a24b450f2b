import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from gongkai.publishing.errors import PublishingError
from gongkai.publishing.identifiers import format_index_no, normalise_doc_no, parse_doc_no


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("京政办发〔2018〕16号", "京政办发〔2018〕16号"),
        ("京政办发[2018]16号", "京政办发〔2018〕16号"),
        ("京政办发［2018］16号", "京政办发〔2018〕16号"),
        ("京政办发（2018）16号", "京政办发〔2018〕16号"),
        ("京政办发(2018)第016号", "京政办发〔2018〕16号"),
        ("京政办发【２０１８】１６号", "京政办发〔2018〕16号"),
        (" 京政发 〔2019〕 3 号 ", "京政发〔2019〕3号"),
        ("", ""),
    ],
)
def test_normalise_doc_no(raw, canonical):
    assert normalise_doc_no(raw) == canonical


@pytest.mark.parametrize(
    "bad", ["京政办发2018年16号", "〔2018〕16号", "京政办发〔18〕16号", "京政办发〔2018〕0号"]
)
def test_bad_doc_no_is_refused_in_chinese(bad):
    with pytest.raises(PublishingError) as error:
        parse_doc_no(bad)
    assert "发文字号" in error.value.message
    assert "京政办发〔2018〕16号" in error.value.message


@given(
    code=st.text(
        alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6
    ),
    year=st.integers(min_value=1949, max_value=2100),
    seq=st.integers(min_value=1, max_value=99999),
    brackets=st.sampled_from(["〔〕", "[]", "［］", "（）", "()", "【】"]),
)
def test_any_bracket_style_normalises_to_the_canonical_form(code, year, seq, brackets):
    raw = f"{code}{brackets[0]}{year}{brackets[1]}{seq}号"
    canonical = f"{code}〔{year}〕{seq}号"
    assert normalise_doc_no(raw) == canonical
    assert normalise_doc_no(canonical) == canonical


def test_index_no_default_template():
    assert format_index_no(org_code="110000-BGT", year=2018, seq=16) == "110000-BGT/2018-00016"


@override_settings(GONGKAI_INDEX_NO_TEMPLATE="{org_code}-{YYYY}-{seq:06d}")
def test_index_no_template_is_configurable():
    assert format_index_no(org_code="01527918X", year=2020, seq=153) == "01527918X-2020-000153"
