"""The backends' writes: the full-text index stays consistent with the entries on both databases."""

import pytest
from django.db import connection

from gongkai.search import backends
from gongkai.search.models import Entry
from gongkai.search.selectors import Query, search
from gongkai.search.services import index_rebuild

from .support import KEY, Catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    with Catalogue() as catalogue:
        yield catalogue


def found(query: str) -> list[str]:
    return sorted(r.entry.key for r in search(Query(q=query, source=KEY)).results)


def assert_index_consistent() -> None:
    """SQLite: FTS5's own check of the index against the entries; PostgreSQL: every vector is
    the one made from the entry's tokens."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # raises "database disk image is malformed" if not
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
            return
        cursor.execute(
            "SELECT count(*) FROM search_entry WHERE vector IS DISTINCT FROM "
            "setweight(to_tsvector('simple', title_tokens), 'A') || "
            "setweight(to_tsvector('simple', body_tokens), 'B')"
        )
        assert cursor.fetchone()[0] == 0


def test_additions_changes_removals_and_rebuilds_keep_the_index_consistent(catalogue):
    catalogue.add("a", "关于优化营商环境的通知", "全面优化营商环境。")
    catalogue.add("b", "垃圾分类工作要点", "推进垃圾分类。")
    catalogue.add("a", "物业管理通知", "加强物业管理。")
    catalogue.remove("b")
    assert_index_consistent()
    assert found("物业管理") == ["a"]
    assert found("营商环境") == found("垃圾分类") == []
    catalogue.items["c"] = catalogue.items["a"].__class__(
        key="c", url="/test/c/", title="接诉即办工作通知", body="", published_at=None
    )
    assert index_rebuild(actor=None, only=[KEY]) == 2
    assert_index_consistent()
    assert found("接诉即办") == ["c"]
    assert index_rebuild(actor=None) >= 2
    assert_index_consistent()
    assert found("物业管理") == ["a"]


def test_a_rebuild_of_one_source_keeps_the_others(catalogue):
    catalogue.add("a", "物业管理通知")
    with Catalogue("other") as other:
        other.add("x", "物业管理办法")
        backends.backend_for().insert([])  # nothing to add is no error
        index_rebuild(actor=None, only=["other"])
        index_rebuild(actor=None, only=[KEY])
        assert sorted(Entry.objects.values_list("source", "key")) == [("other", "x"), (KEY, "a")]
        assert_index_consistent()
