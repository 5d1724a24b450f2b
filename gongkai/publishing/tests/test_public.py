"""The public pages: visibility, the policy library (filters, facets, paging), document pages
and the 政府信息公开 column."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.publishing.library import (
    LibraryFilter,
    _statutory_data,
    library_facets,
    library_search,
    public_documents,
    statutory_categories,
)
from gongkai.publishing.models import (
    Attachment,
    Disclosure,
    GazetteEntry,
    GazetteIssue,
    Status,
    Validity,
)

from .public_data import (
    document,
    genre,
    interpret,
    organisation,
    publish_version,
    start_revision,
    topic,
    withdraw,
)

pytestmark = pytest.mark.django_db

LIBRARY = reverse("publishing:library")


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def detail_url(index_no: str) -> str:
    return reverse("publishing:detail", args=[index_no])


# ---- Visibility -------------------------------------------------------------------------------


@pytest.fixture
def mixed() -> dict[str, str]:
    """One document of each kind the visibility rule tells apart; values are index numbers."""
    public = document("主动公开的通知")
    on_request = document("依申请公开的通知", disclosure=Disclosure.ON_REQUEST)
    withheld = document("不予公开的通知", disclosure=Disclosure.WITHHELD)
    draft = document("从未发布的通知", published=None)
    withdrawn = document("已撤回的通知")
    withdraw(withdrawn, reason="内容有误，已重新发布。")
    return {
        "public": public.index_no,
        "on_request": on_request.index_no,
        "withheld": withheld.index_no,
        "draft": draft.index_no,
        "withdrawn": withdrawn.index_no,
    }


def test_only_published_proactive_documents_are_listed(client: Client, mixed: dict) -> None:
    body = page(client, LIBRARY)

    assert "共 1 条信息" in body
    assert "主动公开的通知" in body
    for title in ("依申请公开的通知", "不予公开的通知", "从未发布的通知", "已撤回的通知"):
        assert title not in body
    assert [doc.index_no for doc in public_documents()] == [mixed["public"]]


@pytest.mark.parametrize("kind", ["on_request", "withheld", "draft"])
def test_a_document_that_is_not_public_has_no_page(client: Client, mixed: dict, kind: str) -> None:
    page(client, detail_url(mixed[kind]), status=404)


def test_a_withdrawn_document_shows_only_the_notice(client: Client, mixed: dict) -> None:
    body = page(client, detail_url(mixed["withdrawn"]), status=410)

    assert "<h1>该信息已撤回</h1>" in body
    assert f"索引号为 {mixed['withdrawn']} 的政府信息已于2019年1月10日撤回。" in body
    assert "撤回理由：内容有误，已重新发布。" in body
    assert "已撤回的通知" not in body  # neither its title
    assert "的正文" not in body  # nor its text


def test_a_document_under_revision_shows_its_last_published_version(client: Client) -> None:
    policy = document("关于做好2018年政务公开工作的通知", doc_no="京政办发〔2018〕16号")
    start_revision(
        policy,
        title="修订草稿标题",
        doc_no="京政办发〔2019〕1号",
        summary="修订草稿概述",
        body="<p>修订草稿正文</p>",
    )

    listing = page(client, LIBRARY + "?q=通知")
    detail = page(client, detail_url(policy.index_no))

    for body in (listing, detail):
        assert "关于做好2018年政务公开工作的通知" in body
        assert "京政办发〔2018〕16号" in body
        assert "修订草稿" not in body
        assert "京政办发〔2019〕1号" not in body
    assert "<p>关于做好2018年政务公开工作的通知的正文。</p>" in detail
    assert page(client, LIBRARY + "?q=修订草稿").count("共 0 条信息") == 1


# ---- The library: filters, facets, paging -----------------------------------------------------


@pytest.fixture
def shelf() -> None:
    """Five public documents across two organisations, years, topics, genres and validities."""
    environment = organisation("110000-STHJJ", "北京市生态环境局")
    document("政务公开通知甲", doc_no="京政办发〔2018〕1号")  # 综合政务/政务公开, 通知, 2018
    document("应急预案通知乙", topic=topic("应急管理"), written_on=date(2017, 5, 1))
    document(
        "环境保护意见丙",
        organisation=environment,
        topic=topic("环境监测、保护与治理"),
        genre=genre("意见"),
        written_on=date(2017, 6, 1),
        validity=Validity.REPEALED,
    )
    document(
        "综合政务意见丁",
        organisation=environment,
        topic=topic("综合政务"),
        genre=genre("意见"),
    )
    document("不公开的意见", disclosure=Disclosure.ON_REQUEST, genre=genre("意见"))


def titles(filters: LibraryFilter) -> set[str]:
    return {doc.public_title for doc in library_search(filters)}


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (LibraryFilter(), {"政务公开通知甲", "应急预案通知乙", "环境保护意见丙", "综合政务意见丁"}),
        (LibraryFilter(org="110000-STHJJ"), {"环境保护意见丙", "综合政务意见丁"}),
        (LibraryFilter(year=2017), {"应急预案通知乙", "环境保护意见丙"}),
        (LibraryFilter(validity=Validity.REPEALED), {"环境保护意见丙"}),
        (LibraryFilter(q="1号"), {"政务公开通知甲"}),
        (LibraryFilter(q="意见"), {"环境保护意见丙", "综合政务意见丁"}),
        (LibraryFilter(org="110000-STHJJ", year=2018), {"综合政务意见丁"}),
        (LibraryFilter(org="NOPE"), set()),
    ],
)
def test_filters(filters: LibraryFilter, expected: set[str]) -> None:
    assert titles(filters) == expected


@pytest.mark.usefixtures("shelf")
def test_a_top_level_topic_includes_its_children_and_a_child_only_itself() -> None:
    root = topic("综合政务")

    assert titles(LibraryFilter(topic=root.pk)) == {
        "政务公开通知甲",
        "应急预案通知乙",
        "综合政务意见丁",
    }
    assert titles(LibraryFilter(topic=topic("应急管理").pk)) == {"应急预案通知乙"}
    assert titles(LibraryFilter(genre=genre("意见").pk)) == {"环境保护意见丙", "综合政务意见丁"}


def counts(facet_label: str, filters: LibraryFilter) -> list[tuple[str, int, bool]]:
    facet = next(f for f in library_facets(filters) if f.label == facet_label)
    return [(option.label, option.count, option.selected) for option in facet.options]


@pytest.mark.usefixtures("shelf")
def test_facet_counts_without_filters() -> None:
    none = LibraryFilter()

    assert counts("发布机构", none) == [
        ("北京市人民政府办公厅", 2, False),
        ("北京市生态环境局", 2, False),
    ]
    assert counts("成文年份", none) == [("2018年", 2, False), ("2017年", 2, False)]
    assert counts("主题分类", none) == [("综合政务", 3, False), ("城乡建设、环境保护", 1, False)]
    assert counts("体裁", none) == [("意见", 2, False), ("通知", 2, False)]
    assert counts("有效性", none) == [("现行有效", 3, False), ("废止", 1, False)]
    assert "主题子类" not in [facet.label for facet in library_facets(none)]


@pytest.mark.usefixtures("shelf")
def test_facet_counts_respect_the_other_filters_but_not_their_own() -> None:
    filters = LibraryFilter(org="110000-STHJJ", topic=topic("综合政务").pk)

    # Its own facet still offers every organisation, among documents of the chosen topic.
    assert counts("发布机构", filters) == [
        ("北京市人民政府办公厅", 2, False),
        ("北京市生态环境局", 1, True),
    ]
    # The topic facet counts the organisation's documents in every topic.
    assert counts("主题分类", filters) == [("综合政务", 1, True), ("城乡建设、环境保护", 1, False)]
    assert counts("主题子类", filters) == []  # 综合政务意见丁 is filed under the top level itself
    assert counts("成文年份", filters) == [("2018年", 1, False)]
    assert counts("体裁", filters) == [("意见", 1, False)]


@pytest.mark.usefixtures("shelf")
def test_the_child_topic_facet_of_a_chosen_topic() -> None:
    root = topic("综合政务")
    emergency = topic("应急管理")

    assert counts("主题子类", LibraryFilter(topic=root.pk)) == [
        ("政务公开", 1, False),
        ("应急管理", 1, False),
    ]
    assert counts("主题子类", LibraryFilter(topic=emergency.pk)) == [
        ("政务公开", 1, False),
        ("应急管理", 1, True),
    ]
    assert counts("主题分类", LibraryFilter(topic=emergency.pk))[0] == ("综合政务", 3, True)


@pytest.mark.usefixtures("shelf")
def test_facet_links_choose_and_clear_keeping_the_other_filters() -> None:
    emergency = topic("应急管理")
    root = topic("综合政务")
    facets = {
        facet.label: facet for facet in library_facets(LibraryFilter(q="通知", topic=emergency.pk))
    }

    children = facets["主题子类"]
    assert [option.query for option in children.options] == [
        f"topic={topic('政务公开').pk}&q=%E9%80%9A%E7%9F%A5",
        f"topic={root.pk}&q=%E9%80%9A%E7%9F%A5",  # choosing the chosen one goes back up
    ]
    assert facets["主题分类"].clear_query == "q=%E9%80%9A%E7%9F%A5"
    assert (
        facets["成文年份"].options[0].query
        == f"year=2017&topic={emergency.pk}&q=%E9%80%9A%E7%9F%A5"
    )


@pytest.mark.usefixtures("shelf")
def test_the_library_page_shows_the_metadata_columns_and_facets(client: Client) -> None:
    body = page(client, LIBRARY + "?org=110000-STHJJ")

    assert "共 2 条信息" in body
    for heading in ("索引号", "标题", "文号", "发布机构", "成文日期", "发布日期"):
        assert f'<th scope="col">{heading}</th>' in body
    assert "<summary>发布机构：北京市生态环境局</summary>" in body
    # The chosen option's link clears it.
    assert '<a href="/xxgk/zc/" aria-current="true">北京市生态环境局</a>' in body
    assert '<input type="hidden" name="org" value="110000-STHJJ">' in body
    assert "<td>北京市生态环境局</td>" in body
    assert '<td class="nowrap">2017年6月1日</td>' in body


@pytest.mark.parametrize(
    "query", ["year=abc", "topic=99999999999999999999999", "genre=-1", "validity=bogus", "page=x"]
)
def test_malformed_filters_are_ignored(client: Client, query: str) -> None:
    document("政务公开通知甲")

    assert "共 1 条信息" in page(client, f"{LIBRARY}?{query}")


def test_paging_keeps_the_filters(client: Client) -> None:
    for number in range(21):
        document(f"第{number:02d}号通知", published=f"2018-03-{number + 1:02d}")

    first = page(client, LIBRARY + "?year=2018")
    second = page(client, LIBRARY + "?year=2018&page=2")

    assert "第 1 页，共 2 页" in first
    assert '<a href="?year=2018&amp;page=2">下一页</a>' in first
    assert second.count("号通知</a>") == 1
    assert "第00号通知" in second  # the oldest comes last
    assert "第20号通知" not in second


def test_the_library_page_needs_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    policy = document("第一份通知")
    with django_assert_max_num_queries(9):
        page(client, LIBRARY + f"?topic={policy.topic.parent_id}&year=2018&q=通知")

    for number in range(30):
        document(f"另一份通知{number}", organisation=organisation(f"T{number}", f"机构{number}"))
    with django_assert_max_num_queries(9):
        body = page(client, LIBRARY + f"?topic={policy.topic.parent_id}&year=2018&q=通知")
    assert "共 31 条信息" in body


def test_the_library_links_its_feeds(client: Client) -> None:
    body = page(client, LIBRARY + f"?genre={genre('通知').pk}")

    assert '<link rel="alternate" type="application/rss+xml"' in body
    assert 'href="/xxgk/feeds/atom/"' in body
    assert f'href="/xxgk/feeds/genre/{genre("通知").pk}/rss/"' in body


# ---- Document pages ---------------------------------------------------------------------------


def test_the_metadata_table(client: Client) -> None:
    gazette_office = organisation("110000-FGW", "北京市发展和改革委员会")
    policy = document(
        "北京市2018年政务公开工作要点",
        doc_no="京政办发〔2018〕16号",
        keywords="政务公开 工作要点",
        written_on=date(2018, 3, 26),
        published="2018-04-02",
    )
    policy.co_issuers.add(gazette_office)

    body = page(client, detail_url(policy.index_no))

    rows = {
        "索引号": policy.index_no,
        "主题分类": "综合政务 / 政务公开",
        "发布机构": "北京市人民政府办公厅、北京市发展和改革委员会",
        "成文日期": "2018年3月26日",
        "发布日期": "2018年4月2日",
        "文号": "京政办发〔2018〕16号",
        "有效性": "现行有效",
        "标题": "北京市2018年政务公开工作要点",
        "主题词": "政务公开 工作要点",
        "内容概述": "北京市2018年政务公开工作要点的内容概述。",
        "公开方式": "主动公开",
    }
    for label, value in rows.items():
        assert f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' in body
    assert "<h1>北京市2018年政务公开工作要点</h1>" in body
    assert '<div class="document-body"><p>北京市2018年政务公开工作要点的正文。</p></div>' in body


def test_an_index_number_with_a_slash_is_one_url() -> None:
    assert detail_url("110000-BGT/2018-00016") == "/xxgk/zc/110000-BGT/2018-00016/"


def test_a_repealed_document_links_to_its_replacement(client: Client) -> None:
    new = document("新办法")
    old = document("旧办法", validity=Validity.REPEALED, replaced_by=new)

    body = page(client, detail_url(old.index_no))

    assert f'<td>废止（见<a href="{detail_url(new.index_no)}">新办法</a>）</td>' in body


def test_a_replacement_that_is_not_public_is_not_linked(client: Client) -> None:
    new = document("尚未发布的新办法", published=None)
    old = document("旧办法", validity=Validity.REPEALED, replaced_by=new)

    assert "<td>废止</td>" in page(client, detail_url(old.index_no))


def test_interpretations_and_policies_link_both_ways(client: Client) -> None:
    policy = document("关于优化营商环境的若干措施", genre=genre("规范性文件"))
    leader = document("负责人解读营商环境措施", genre=genre("解读"))
    graphic = document("图解营商环境措施", genre=genre("解读"))
    unpublished = document("尚未发布的解读", genre=genre("解读"), published=None)
    interpret(leader, policy, form="leader", leader_name="王强")
    interpret(graphic, policy, form="graphic")
    interpret(unpublished, policy)

    policy_page = page(client, detail_url(policy.index_no))
    leader_page = page(client, detail_url(leader.index_no))

    assert '<h2 id="interpretations-title">政策解读</h2>' in policy_page
    assert (
        f'<a href="{detail_url(leader.index_no)}">负责人解读营商环境措施</a>'
        ' <span class="hint">负责人解读（王强）</span>'
    ) in policy_page
    assert (
        f'<a href="{detail_url(graphic.index_no)}">图解营商环境措施</a>'
        ' <span class="hint">图解</span>'
    ) in policy_page
    assert "尚未发布的解读" not in policy_page
    assert '<h2 id="policies-title">所解读的政策文件</h2>' in leader_page
    assert f'<a href="{detail_url(policy.index_no)}">关于优化营商环境的若干措施</a>' in leader_page
    assert '<tr><th scope="row">解读形式</th><td>负责人解读（王强）</td></tr>' in leader_page


def test_the_version_history_and_an_older_version(client: Client) -> None:
    policy = document("暂行办法", doc_no="京政发〔2018〕3号", published="2018-03-05")
    start_revision(policy, title="办法（修订）", doc_no="京政发〔2019〕7号", body="<p>新正文</p>")
    publish_version(policy, published="2019-02-01", change_note="根据上位法修订")
    policy.status = Status.PUBLISHED
    policy.save()

    latest = page(client, detail_url(policy.index_no))
    older = page(client, detail_url(policy.index_no) + "?version=1")

    assert "<h1>办法（修订）</h1>" in latest
    assert "<p>新正文</p>" in latest
    assert "根据上位法修订" in latest
    assert f'<a href="{detail_url(policy.index_no)}?version=1">第 1 版</a>' in latest
    assert '<tr><th scope="row">发布日期</th><td>2018年3月5日</td></tr>' in latest  # first
    assert "<h1>暂行办法</h1>" in older
    assert "<p>暂行办法的正文。</p>" in older
    assert '<tr><th scope="row">文号</th><td>京政发〔2018〕3号</td></tr>' in older
    assert "您正在查看第 1 版（2018年3月5日发布），不是最新版本。" in older
    assert f'<a href="{detail_url(policy.index_no)}">第 2 版</a>' in older


@pytest.mark.parametrize("version", ["3", "0", "abc", "-1"])
def test_a_version_that_does_not_exist_is_not_found(client: Client, version: str) -> None:
    policy = document("暂行办法")

    page(client, detail_url(policy.index_no) + f"?version={version}", status=404)


def test_related_documents_are_the_newest_five_of_the_same_topic(client: Client) -> None:
    policy = document("本文件", published="2018-01-01")
    for number in range(6):
        document(f"同主题{number}", published=f"2018-02-0{number + 1}")
    document("其他主题", topic=topic("应急管理"), published="2018-03-01")
    gone = document("已撤回的同主题", published="2018-03-02")
    withdraw(gone, reason="撤回")

    body = page(client, detail_url(policy.index_no))
    related = body[body.index('id="related-title"') :]

    assert [f"同主题{number}" in related for number in range(6)] == [False] + [True] * 5
    assert "其他主题" not in related
    assert "已撤回的同主题" not in related
    assert "本文件</a>" not in related


def test_attachments_and_gazette_issues(client: Client) -> None:
    policy = document("工作要点")
    Attachment.objects.create(document=policy, name="任务分工表.xlsx", file="publishing/a.xlsx")
    issue = GazetteIssue.objects.create(year=2018, number=9, published_on=date(2018, 4, 10))
    GazetteEntry.objects.create(issue=issue, document=policy)

    body = page(client, detail_url(policy.index_no))

    assert '<a href="/media/publishing/a.xlsx">任务分工表.xlsx</a>' in body
    assert '<a href="/xxgk/gb/2018/9/">2018年第9期</a>（2018年4月10日出版）' in body


def test_an_unknown_index_number_is_not_found(client: Client) -> None:
    body = page(client, detail_url("110000-BGT/2099-99999"), status=404)

    assert "<h1>页面不存在</h1>" in body


# ---- The 政府信息公开 column and the navigation -------------------------------------------------


def test_the_column_page(client: Client, settings) -> None:
    settings.GONGKAI_OGI_OFFICE_NAME = "北京市人民政府办公厅政务公开办公室"
    settings.GONGKAI_OGI_OFFICE_HOURS = "工作日 9:00—17:00"

    body = page(client, reverse("publishing:column"))

    assert "<h1>政府信息公开</h1>" in body
    for heading in (
        "政府信息公开指南",
        "政府信息公开制度",
        "法定主动公开内容",
        "依申请公开",
        "政府信息公开工作年度报告",
    ):
        assert f">{heading}</h2>" in body
    assert "格式为“机构代码/年份-顺序号”" in body
    assert "<dt>名称</dt><dd>北京市人民政府办公厅政务公开办公室</dd>" in body
    assert "<dt>办公时间</dt><dd>工作日 9:00—17:00</dd>" in body
    assert "联系电话" not in body  # not set, so not shown
    assert '<a href="/ysqgk/">在线提出政府信息公开申请、查询办理进度</a>' in body
    assert '<a href="/ndbg/">查看年度报告</a>' in body
    assert f'<a href="{LIBRARY}?genre={genre("规范性文件").pk}">规范性文件</a>' in body


def test_the_column_page_without_an_office_configured(client: Client) -> None:
    body = page(client, reverse("publishing:column"))

    assert "政府信息公开工作机构</h3>" not in body
    assert "申请可向上文所列的政府信息公开工作机构提出。" not in body


def test_every_statutory_category_link_names_an_existing_topic_or_genre() -> None:
    categories = statutory_categories()

    assert [category.number for category in categories][:2] == ["（一）", "（二）"]
    assert len(categories) == 15
    for category, data in zip(categories, _statutory_data(), strict=True):
        assert len(category.links) == len(data.get("topics", [])) + len(data.get("genres", []))


def test_the_navigation_has_the_column_and_the_library(client: Client) -> None:
    body = page(client, reverse("portal:home"))

    assert '<li><a href="/xxgk/">政府信息公开</a></li>' in body
    assert '<li><a href="/xxgk/zc/">政策文件库</a></li>' in body
