"""Segmentation, query words and highlighting (no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.search.text import Segmenter, Term, highlight, normalise, query_terms, snippet

WORDS = (
    "营商环境",
    "政务公开",
    "12345热线",
    "接诉即办",
    "北京市发展和改革委员会",
    "发展和改革委员会",
)


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(WORDS)


def test_project_terms_and_the_words_inside_them_are_tokens(segmenter):
    tokens = segmenter.index_tokens("优化营商环境，推进政务公开；12345热线接诉即办。")
    for token in ("营商环境", "营商", "环境", "政务公开", "政务", "公开", "12345热线", "12345"):
        assert token in tokens
    assert "接诉即办" in tokens
    assert not {"，", "；", "。"} & set(tokens)


def test_a_project_term_inside_a_longer_one_is_a_token(segmenter):
    tokens = segmenter.index_tokens("北京市发展和改革委员会印发")
    assert "北京市发展和改革委员会" in tokens
    assert "发展和改革委员会" in tokens


def test_a_query_word_is_a_token_of_the_text_that_contains_it(segmenter):
    text = "市政府办公厅关于做好2018年政务公开工作的通知"
    tokens = set(segmenter.index_tokens(text))
    for query in ("政务公开", "政务", "公开", "通知", "办公厅", "2018"):
        assert set(segmenter.query_words(query)) <= tokens, query


def test_query_words_drop_stop_words_and_repeats(segmenter):
    assert segmenter.query_words("营商环境 的 营商环境") == ["营商环境"]
    assert segmenter.query_words("的") == ["的"]


def test_normalisation_is_the_same_on_both_sides(segmenter):
    assert normalise("ＧＢ／Ｔ　２２６０Ｃ＋＋①") == "gb／t\u30002260c++1"  # separators may stay
    assert segmenter.index_tokens("ＧＢ／Ｔ　２２６０") == segmenter.index_tokens("GB/T 2260")
    assert "covid" in " ".join(segmenter.index_tokens("COVID-19 疫情"))
    assert set(segmenter.query_words("１２３４５热线")) <= set(segmenter.index_tokens("12345热线"))


def test_masked_digits_are_not_tokens(segmenter):
    assert segmenter.index_tokens("电话138****8000") == ["电话", "138", "8000"]


def test_query_terms_carry_synonyms(segmenter):
    synonyms = {"发改委": ("发展和改革委员会", "发展改革委")}
    terms = query_terms(segmenter, "发改委 通知", synonyms)
    assert terms[0] == Term(
        word="发改委", alternatives=("发改委", "发展和改革委员会", "发展改革委")
    )
    assert terms[1] == Term(word="通知", alternatives=("通知",))


def test_highlight_escapes_the_text_and_marks_terms():
    terms = [Term("公开", ("公开",))]
    assert highlight("<b>政务公开</b>", terms) == "&lt;b&gt;政务<mark>公开</mark>&lt;/b&gt;"


def test_highlight_marks_synonyms_and_ignores_case():
    terms = [Term("发改委", ("发改委", "发展和改革委员会")), Term("gb", ("gb",))]
    assert highlight("北京市发展和改革委员会 GB/T", terms) == (
        "北京市<mark>发展和改革委员会</mark> <mark>GB</mark>/T"
    )


def test_snippet_is_cut_around_the_most_terms_with_ellipses():
    filler = "本市各有关单位应当认真贯彻执行。" * 20
    text = filler + "优化营商环境，深化政务公开。" + filler
    terms = [Term("营商环境", ("营商环境",)), Term("政务公开", ("政务公开",))]
    extract = snippet(text, terms, length=60)
    assert extract.startswith("…")
    assert extract.endswith("…")
    assert "<mark>营商环境</mark>" in extract
    assert "<mark>政务公开</mark>" in extract


def test_snippet_of_a_text_without_terms_is_its_beginning():
    assert snippet("第一条 为了规范政府信息公开工作。", [Term("营商", ("营商",))], length=8) == (
        "第一条 为了规范…"
    )


@given(st.text(max_size=200), st.lists(st.text(min_size=1, max_size=5), max_size=4))
def test_snippets_never_carry_unescaped_markup(text, words):
    terms = [Term(w, (w,)) for w in words]
    extract = snippet(text, terms, length=40)
    stripped = str(extract).replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped
    assert ">" not in stripped
