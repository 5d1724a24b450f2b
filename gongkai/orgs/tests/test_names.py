import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.orgs.names import normalise_name

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
BRACKETS = {"(": ["（", "(", "【", "[", "〔", "［"], ")": ["）", ")", "】", "]", "〕", "］"]}
SPACES = st.sampled_from([" ", "\u3000", "\t", "\n", "\u200b", "\xa0"])


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    assert normalise_name(normalise_name(text)) == normalise_name(text)


@given(st.lists(CJK, min_size=1, max_size=12), st.data())
def test_whitespace_anywhere_is_ignored(chars: list[str], data: st.DataObject) -> None:
    spaced = "".join(char + data.draw(st.text(SPACES, max_size=2)) for char in chars)
    assert normalise_name(data.draw(st.text(SPACES, max_size=2)) + spaced) == normalise_name(
        "".join(chars)
    )


@given(st.text(CJK, min_size=1, max_size=8), st.text(CJK, min_size=1, max_size=4), st.data())
def test_every_bracket_form_reads_the_same(head: str, inner: str, data: st.DataObject) -> None:
    opening = data.draw(st.sampled_from(BRACKETS["("]))
    closing = data.draw(st.sampled_from(BRACKETS[")"]))
    assert normalise_name(f"{head}{opening}{inner}{closing}") == f"{head}({inner})"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("市教委等", "市教委"),
        ("市教委、", "市教委"),
        ("、市教委，", "市教委"),
        ("  市 发展改革委 ", "市发展改革委"),
        ("ＡＢＣ市局", "ABC市局"),
        ("北京经济技术开发区管委会等等", "北京经济技术开发区管委会"),
        ("等", ""),
        ("", ""),
    ],
)
def test_examples(text: str, key: str) -> None:
    assert normalise_name(text) == key
