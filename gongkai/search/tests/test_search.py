"""Queries against the index on a hand-built set (runs on SQLite and on PostgreSQL)."""

import pytest
from django.db import connection, transaction

from gongkai.orgs.models import Organisation
from gongkai.search import backends
from gongkai.search.backends import Order
from gongkai.search.errors import SearchError, SearchErrorCode
from gongkai.search.models import Entry
from gongkai.search.selectors import Query, search

from .support import KEY, Catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    with Catalogue() as catalogue:
        yield catalogue


def keys(query: str, **filters) -> list[str]:
    return [r.entry.key for r in search(Query(q=query, source=KEY, **filters)).results]


def test_title_matches_rank_above_body_matches(catalogue):
    catalogue.add("body", "关于做好年度工作的通知", "进一步优化营商环境。")
    catalogue.add("title", "关于优化营商环境的若干措施", "各区各部门认真落实。")
    catalogue.add("none", "关于道路交通管理的通知", "加强交通秩序管理。")
    assert keys("营商环境") == ["title", "body"]


def test_more_occurrences_rank_higher(catalogue):
    catalogue.add("once", "工作通知", "垃圾分类。" + "其他事项。" * 30)
    catalogue.add("often", "工作通知", "垃圾分类。垃圾分类。垃圾分类。" + "其他事项。" * 28)
    assert keys("垃圾分类") == ["often", "once"]


def test_every_word_must_match_else_any_word_with_a_notice(catalogue):
    catalogue.add("both", "物业管理和垃圾分类", "")
    catalogue.add("one", "物业管理办法", "")
    found = search(Query(q="物业管理 垃圾分类", source=KEY))
    assert [r.entry.key for r in found.results] == ["both"]
    assert found.match_all
    found = search(Query(q="物业管理 冬奥会", source=KEY))
    assert not found.match_all
    assert {r.entry.key for r in found.results} == {"both", "one"}


def test_a_two_character_query_finds_the_word_inside_a_longer_one(catalogue):
    catalogue.add("a", "北京市政务公开工作要点", "")
    assert keys("政务") == ["a"]
    assert keys("公开") == ["a"]


def test_synonyms_and_abbreviations(catalogue):
    catalogue.add("full", "北京市发展和改革委员会关于价格监测的通知", "")
    catalogue.add("short", "市发展改革委印发实施方案", "")
    assert set(keys("发改委")) == {"full", "short"}
    assert set(keys("发展和改革委员会")) == {"full", "short"}


def test_organisation_names_are_synonyms(catalogue, beijing):
    catalogue.add("a", "北京市东城区教育委员会关于招生入学的通知", "")
    assert keys("东城区教委") == ["a"]


def test_date_order_and_pagination(catalogue):
    for number in range(1, 24):
        catalogue.add(
            f"k{number:02}", f"第{number}号 政务公开通知", published=f"2024-01-{number:02}"
        )
    first = search(Query(q="政务公开", source=KEY, order=Order.DATE, page_size=10))
    assert first.total == 23
    assert first.page.paginator.num_pages == 3
    assert [r.entry.key for r in first.results][:2] == ["k23", "k22"]
    last = search(Query(q="政务公开", source=KEY, order=Order.DATE, page=3, page_size=10))
    assert [r.entry.key for r in last.results] == ["k03", "k02", "k01"]
    beyond = search(Query(q="政务公开", source=KEY, order=Order.DATE, page=9, page_size=10))
    assert beyond.page.number == 3
    assert len(beyond.results) == 3


def test_a_query_matching_more_than_the_limit_is_answered_from_the_newest(catalogue, monkeypatch):
    monkeypatch.setattr(backends, "COUNT_LIMIT", 5)
    monkeypatch.setattr(backends.PostgresBackend, "first_span", 1)  # widened step by step
    for number in range(1, 9):  # indexed oldest first, as a rebuild does
        catalogue.add(
            f"k{number}",
            "政务公开通知" + ("政务公开" * 5 if number == 2 else ""),
            published=f"2024-01-0{number}",
        )
    found = search(Query(q="政务公开", source=KEY))
    assert (found.total, found.more) == (5, True)
    assert {r.entry.key for r in found.results} == {"k4", "k5", "k6", "k7", "k8"}
    assert found.page.paginator.num_pages == 1
    dated = search(Query(q="政务公开", source=KEY, order=Order.DATE))
    assert [r.entry.key for r in dated.results] == ["k8", "k7", "k6", "k5", "k4"]
    exact = search(Query(q="政务公开", source=KEY, year=2023))
    assert (exact.total, exact.more) == (0, False)


def test_filters_year_source_and_organisation_with_its_subtree(catalogue, beijing):
    dongcheng = Organisation.objects.get(code="110101")
    department = Organisation.objects.get(code="110101-FGW")
    haidian = Organisation.objects.get(code="110108-FGW")
    catalogue.add("gov", "东城区政务公开通知", published="2023-05-01", organisation_id=dongcheng.pk)
    catalogue.add(
        "dept", "区发改委政务公开通知", published="2024-05-01", organisation_id=department.pk
    )
    catalogue.add("hd", "海淀区政务公开通知", published="2024-06-01", organisation_id=haidian.pk)
    assert set(keys("政务公开", org="110101")) == {"gov", "dept"}
    assert keys("政务公开", org="110101-FGW") == ["dept"]
    assert set(keys("政务公开", year=2024)) == {"dept", "hd"}
    assert keys("政务公开", org="no-such-org") == []
    assert search(Query(q="政务公开", source="document")).total == 0


def test_removed_items_leave_the_index(catalogue):
    catalogue.add("a", "政务公开通知", "")
    catalogue.remove("a")
    assert keys("政务公开") == []
    assert not Entry.objects.filter(source=KEY).exists()


def test_a_changed_item_is_indexed_again(catalogue):
    catalogue.add("a", "垃圾分类通知", "")
    catalogue.add("a", "物业管理通知", "")
    assert keys("垃圾分类") == []
    assert keys("物业管理") == ["a"]
    assert Entry.objects.filter(source=KEY).count() == 1


def test_personal_data_is_never_indexed_nor_shown(catalogue):
    catalogue.add(
        "a",
        "关于张三同志的表彰通知",
        "联系人：李明，电话13800138000，身份证号110101199003071233，邮箱liming@example.cn。",
    )
    entry = Entry.objects.get(source=KEY, key="a")
    for secret in ("13800138000", "110101199003071233", "liming@example.cn"):
        assert secret not in entry.body
        assert secret not in entry.body_tokens
        found = search(Query(q=secret, source=KEY))
        assert found.total == 0 or not found.match_all  # at most a part such as the domain
    assert "138****8000" in entry.body
    found = search(Query(q="表彰", source=KEY))
    assert found.total == 1
    assert "13800138000" not in found.results[0].snippet


def test_snippets_come_from_the_original_text_with_the_match_marked(catalogue):
    catalogue.add("a", "工作要点", "第一部分。全面推进政务公开，加强政策解读。")
    result = search(Query(q="政务公开", source=KEY)).results[0]
    assert "全面推进<mark>政务公开</mark>，加强政策解读。" in result.snippet


def test_an_empty_or_too_long_query_is_refused():
    with pytest.raises(SearchError) as empty:
        search(Query(q="   "))
    assert empty.value.code == SearchErrorCode.EMPTY_QUERY
    with pytest.raises(SearchError) as long:
        search(Query(q="政" * 51))
    assert long.value.code == SearchErrorCode.QUERY_TOO_LONG


def test_query_strings_are_read_leniently():
    query = Query.from_params({"q": "  营商  环境 ", "year": "20x4", "page": "-1", "sort": "x"})
    assert query == Query(q="营商 环境")
    assert Query.from_params({"sort": "date", "page": "3", "year": "2024"}) == Query(
        q="", order=Order.DATE, page=3, year=2024
    )


def test_postgresql_window_settings_do_not_outlast_the_query(catalogue):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: its window changes planner settings")
    catalogue.add("a", "政务公开通知")
    with transaction.atomic():  # like any caller inside a transaction
        assert keys("政务公开") == ["a"]
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_indexscan")
            assert cursor.fetchone()[0] == "on"
