"""Hot topics (诉求汇总, 主动治理): the words of a request, the clustering and its labels, the
summary of a period and its page with permissions and the period filter (on SQLite and
PostgreSQL for the database parts)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.accounts.models import AccountKind, Role, User
from gongkai.hotline import selectors, services, topics
from gongkai.hotline.forms_staff import TopicsFilterForm
from gongkai.hotline.models import Category, WorkOrder
from gongkai.orgs.models import Organisation
from gongkai.publishing.tests.workflow_support import make_staff
from gongkai.search.text import Segmenter

from .conftest import take

PAGE = reverse("hotline_staff:topics")
SEGMENTER = Segmenter(())

STALL = (
    "市民来电反映：东华门大街12号门前每天晚上有人占道经营烧烤，油烟和噪音扰民，希望相关部门尽快处理。",
    "来电人称东华门大街12号门口夜里有烧烤摊占道经营，噪音很大，油烟呛人，请城管管一管。",
    "网友留言：东华门大街路边烧烤摊占道经营到深夜，噪音扰民，油烟严重，希望尽快解决。",
)
LIFT = (
    "市民来电反映：锦绣园小区3号楼电梯经常故障停运，老人上下楼困难，希望物业尽快维修电梯。",
    "居民反映锦绣园小区3号楼的电梯又坏了，停运好几天，物业一直不维修，请相关部门督促。",
)
HOUSING = "来电人咨询：公租房申请需要哪些材料，在哪里办理？希望得到明确答复。"
HEATING = "市民来电反映：幸福家园小区暖气不热，室温只有十五度，希望供热公司尽快处理。"


def cut(text: str, *private: str) -> list[str]:
    return topics.words(text, segmenter=SEGMENTER, private=private)


# ---- The text side (no database) --------------------------------------------------------------


def test_stop_words_digits_and_the_callers_name_never_count():
    found = cut(
        "来电人王小明反映，电话13900139000，身份证11010519491231002X，锦绣园电梯坏了", "王小明"
    )

    assert "电梯" in found
    for word in found:
        assert not any(char.isdigit() or char.isascii() for char in word)
        assert word not in topics.stop_words()
        assert "王小明" not in word
        assert word not in "王小明"


def test_reworded_requests_about_one_matter_form_one_topic_and_other_matters_another():
    documents = [cut(text) for text in (*STALL, *LIFT, HOUSING, HEATING)]

    found = topics.hot_topics(documents)

    assert [topic.members for topic in found] == [(0, 1, 2), (3, 4)]
    assert {"烧烤", "噪音", "油烟"} & set(found[0].words)
    assert "电梯" in found[1].words


def test_the_previous_period_counts_the_texts_alike_to_a_topic():
    now = [cut(text) for text in (*STALL, *LIFT)]
    before = [cut(STALL[0]), cut(HOUSING), cut(LIFT[1]), []]

    found = topics.hot_topics(now, before)

    assert [topic.earlier for topic in found] == [(0,), (2,)]


def test_clustering_is_deterministic_and_needs_some_text():
    documents = [cut(text) for text in (HEATING, *LIFT, *STALL, HEATING)]

    assert topics.hot_topics(documents) == topics.hot_topics(documents)
    assert topics.hot_topics([[], []]) == []


def test_labels_carry_no_personal_data():
    caller = "欧阳娜娜"
    texts = [
        f"来电人{caller}反映，手机13812345678，锦绣园小区电梯故障停运，老人无法下楼。",
        f"{caller}再次来电，电话13812345678，锦绣园小区电梯故障停运，老人下楼困难。",
        f"{caller}（13812345678）又反映锦绣园小区电梯故障停运，老人无法下楼。",
    ]

    found = topics.hot_topics([cut(text, caller) for text in texts])

    assert len(found) == 1
    for word in found[0].words:
        assert caller not in word
        assert word not in caller
        assert not any(char.isdigit() for char in word)


def test_addresses_and_distances():
    assert topics.same_address("东华门大街12号", "东华门大街12号门前")
    assert topics.same_address("东城区东华门大街 12 号", "东华门大街12号")
    assert not topics.same_address("东华门大街12号", "南池子大街")
    assert not topics.same_address("", "")
    assert 95 < topics.distance_m((39.915, 116.397), (39.9159, 116.397)) < 105


# ---- The summary and its page (database) ----------------------------------------------------


@pytest.fixture
def stall_category(db) -> Category:
    parent = Category.objects.create(code="01", name="市容环境")
    return Category.objects.create(code="0103", name="占道经营", parent=parent, local=True)


def caller(n: int) -> dict[str, str]:
    return {"caller_name": f"王{'一二三四五六七八'[n]}", "caller_phone": f"1390000000{n}"}


def days_ago(order: WorkOrder, days: int) -> None:
    WorkOrder.objects.filter(pk=order.pk).update(received_at=timezone.now() - timedelta(days=days))


@pytest.fixture
def period(world, stall_category):
    """Three callers and a merged order about the stall this month, one last month; two about
    the lift; one about housing."""
    stall = [
        take(world, content=text, category=stall_category, **caller(n))
        for n, text in enumerate(STALL)
    ]
    merged = take(world, content=STALL[1], category=stall_category, **caller(3))
    services.order_merge(actor=world.dispatcher, order=merged, into=stall[0], reason="同一诉求")
    days_ago(take(world, content=STALL[2], category=stall_category, **caller(4)), 40)
    lift = [take(world, content=text, street=None, **caller(5 + n)) for n, text in enumerate(LIFT)]
    take(world, content=HOUSING, street=None, **caller(7))
    return stall, lift


@pytest.mark.django_db
def test_the_summary_counts_topics_callers_places_and_the_change(world, period):
    stall, _lift = period
    today = timezone.localdate()

    summary = selectors.topic_summary(world.supervisor, start=today - timedelta(days=29), end=today)

    assert summary.orders == 7
    first, second = summary.topics
    assert first.count == 4  # with the merged order
    assert first.callers == 4
    assert first.earlier == 1
    assert first.change == 3
    assert [o.number for o in first.orders] == [o.number for o in stall]
    assert first.places == [("东华门街道", 4)]
    assert first.categories == [("占道经营", 4)]
    assert second.count == 2
    assert second.places == [("东城区政府", 2)]
    assert [(p.street.short_name, p.category.name, p.count, p.earlier) for p in summary.places] == [
        ("东华门街道", "占道经营", 4, 1)
    ]


@pytest.mark.django_db
def test_the_summary_shows_no_personal_data(world, stall_category):
    for n in range(3):
        take(
            world,
            content=f"来电人王{n}{n}反映，电话1390000000{n}，东华门大街12号门前烧烤摊占道经营，油烟噪音扰民。",
            category=stall_category,
            caller_name=f"王{n}{n}",
            caller_phone=f"1390000000{n}",
        )
    today = timezone.localdate()

    summary = selectors.topic_summary(world.dispatcher, start=today, end=today)

    (topic,) = summary.topics
    shown = " ".join([*topic.words, *(o.excerpt for o in topic.orders)])
    for n in range(3):
        assert f"王{n}{n}" not in shown
        assert f"1390000000{n}" not in shown


@pytest.mark.django_db
def test_a_supervisor_sees_the_topics_of_their_jurisdiction_only(world, stall_category):
    xicheng = Organisation.objects.create(
        code="110102", name="北京市西城区人民政府", short_name="西城区政府", level="district",
        kind="government", parent=world.city,
    )  # fmt: skip
    district_supervisor = make_staff("dc-supervisor", world.district, Role.SUPERVISOR)
    for n, text in enumerate(LIFT):
        take(world, content=text, district=xicheng, street=None, **caller(n))
    today = timezone.localdate()

    mine = selectors.topic_summary(district_supervisor, start=today, end=today)
    everything = selectors.topic_summary(world.supervisor, start=today, end=today)

    assert mine.orders == 0
    assert everything.orders == 2
    assert list(selectors.topic_districts(district_supervisor)) == [world.district]
    client = Client()
    client.force_login(district_supervisor)
    response = client.get(PAGE, {"district": xicheng.pk})
    assert response.status_code == 400
    assert "选择一个有效的选项" in response.content.decode()


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["supervisor", "dispatcher"])
def test_supervisors_and_dispatchers_see_the_page(world, period, role):
    response = client_for(getattr(world, role)).get(PAGE)

    page = response.content.decode()
    assert response.status_code == 200
    assert "热点诉求" in page
    assert "热点地点" in page
    assert "东华门街道" in page
    assert 'href="/12345/gl/rd/"' in page  # the tab


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["operator", "street_handler", "department_handler"])
def test_operators_and_handlers_may_not(world, role):
    response = client_for(getattr(world, role)).get(PAGE)

    assert response.status_code == 403
    assert (
        'href="/12345/gl/rd/"'
        not in client_for(getattr(world, role))
        .get(reverse("hotline_staff:index"), follow=True)
        .content.decode()
    )


@pytest.mark.django_db
def test_the_public_and_anonymous_visitors_may_not(world):
    public = User.objects.create_user(username="citizen", kind=AccountKind.PUBLIC)

    assert client_for(public).get(PAGE).status_code == 403
    assert Client().get(PAGE).status_code == 302


@pytest.mark.django_db
def test_the_period_filter(world, period):
    today = timezone.localdate()
    old = today - timedelta(days=40)

    response = client_for(world.supervisor).get(
        PAGE, {"start": old.isoformat(), "end": old.isoformat()}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert f"{old:%Y-%m-%d} 至 {old:%Y-%m-%d} 共受理诉求 1 件" in page
    assert "统计期间内没有内容相近的诉求。" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-03-02", "end": "2026-03-01"}, "结束日期不能早于开始日期。"),
        ({"start": "2026-13-45"}, "输入一个有效的日期。"),
        ({"end": "昨天"}, "输入一个有效的日期。"),
        ({"start": "1900-01-01", "end": "1900-01-02"}, "日期应在 2000 年至 2099 年之间。"),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "统计期间最长 366 天。"),
        ({"district": "x"}, "选择一个有效的选项"),
    ],
)
def test_bad_filter_input_is_a_400_in_chinese(world, query, message):
    response = client_for(world.dispatcher).get(PAGE, query)

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(start=st.text(max_size=12), end=st.text(max_size=12), day=st.dates())
def test_the_filter_parses_any_input_to_a_bounded_period_or_an_error(start, end, day):
    for data in (
        {"start": start, "end": end},
        {"start": day.isoformat()},
        {"end": day.isoformat()},
    ):
        form = TopicsFilterForm(data, districts=Organisation.objects.none())
        if form.is_valid():
            first, last = form.cleaned_data["start"], form.cleaned_data["end"]
            assert date(2000, 1, 1) <= first <= last <= date(2099, 12, 31)
            assert (last - first).days < TopicsFilterForm.LONGEST_DAYS
        else:
            assert form.errors


@pytest.mark.django_db
def test_the_page_takes_as_many_queries_for_many_orders_as_for_few(
    world, stall_category, django_assert_max_num_queries
):
    client = client_for(world.supervisor)
    for n in range(3):
        take(world, content=STALL[n], category=stall_category, **caller(n))
    with CaptureQueriesContext(connection) as few:
        assert client.get(PAGE).status_code == 200
    for n in range(15):
        take(world, content=(*STALL, *LIFT)[n % 5], category=stall_category, **caller(n % 8))

    with django_assert_max_num_queries(len(few)):
        response = client.get(PAGE)

    assert response.status_code == 200
    assert "18 件" in response.content.decode()
