"""Duplicate candidates (诉求汇总): the same caller or the same place with a like text, shown to
the dispatcher on the order page with a one-click merge and counted in the dispatch queue (on
SQLite and PostgreSQL)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.hotline import selectors, services
from gongkai.hotline.models import Category, Status, WorkOrder
from gongkai.orgs.models import Organisation

from .conftest import take

pytestmark = pytest.mark.django_db

STALL = "东华门大街12号门前每天晚上有人占道经营烧烤，油烟和噪音扰民，希望相关部门尽快处理。"
STALL_AGAIN = "来电人称东华门大街12号门口夜里有烧烤摊占道经营，噪音很大，油烟呛人，请城管管一管。"
STALL_ONLINE = "网友留言：东华门大街路边烧烤摊占道经营到深夜，噪音扰民，油烟严重。"
LIFT = "锦绣园小区3号楼电梯经常故障停运，老人上下楼困难，希望物业尽快维修电梯。"


@pytest.fixture
def categories():
    city = Category.objects.create(code="01", name="市容环境")
    housing = Category.objects.create(code="02", name="住房")

    class Categories:
        stall = Category.objects.create(code="0103", name="占道经营", parent=city, local=True)
        litter = Category.objects.create(code="0105", name="街巷环境卫生", parent=city, local=True)
        safety = Category.objects.create(code="0207", name="房屋安全", parent=housing)

    return Categories


def received(order: WorkOrder, days_ago: float) -> WorkOrder:
    WorkOrder.objects.filter(pk=order.pk).update(
        received_at=order.received_at - timedelta(days=days_ago)
    )
    return WorkOrder.objects.select_related("category").get(pk=order.pk)


def other_caller(n: int) -> dict[str, str]:
    return {"caller_name": f"李{'一二三四五六'[n]}", "caller_phone": f"1370000000{n}"}


def candidates(world, order: WorkOrder) -> dict[str, selectors.Duplicate]:
    return {d.order.number: d for d in selectors.duplicate_candidates(world.dispatcher, order)}


def test_the_same_caller_with_a_like_text_is_a_candidate(world, categories):
    first = received(take(world, content=STALL, street=None, address=""), 3)
    again = take(world, content=STALL_AGAIN, street=None, address="")

    found = candidates(world, again)

    assert list(found) == [first.number]
    assert found[first.number].same_caller
    assert not found[first.number].same_place
    assert found[first.number].reason == "同一来电人"
    assert 0.3 <= found[first.number].similarity < 1


def test_the_same_caller_about_another_matter_is_not(world, categories):
    take(world, content=LIFT)
    again = take(world, content=STALL_AGAIN)

    assert candidates(world, again) == {}


def test_the_same_place_with_a_like_text_and_category_group_is_a_candidate(world, categories):
    first = take(
        world, content=STALL, category=categories.stall, address="东华门大街12号", **other_caller(1)
    )
    online = take(
        world,
        content=STALL_ONLINE,
        category=categories.litter,  # another category of the same group (市容环境)
        address="东华门大街12号门前",
        **other_caller(2),
    )

    found = candidates(world, online)

    assert list(found) == [first.number]
    assert found[first.number].same_place
    assert not found[first.number].same_caller
    assert found[first.number].reason == "同一地点"


def test_the_same_place_in_another_category_group_or_address_is_not(world, categories):
    take(
        world,
        content=STALL,
        category=categories.safety,
        address="东华门大街12号",
        **other_caller(1),
    )
    take(world, content=STALL, category=categories.stall, address="南池子大街", **other_caller(2))
    online = take(
        world,
        content=STALL_ONLINE,
        category=categories.stall,
        address="东华门大街12号",
        **other_caller(3),
    )

    assert candidates(world, online) == {}


def test_coordinates_within_the_radius_make_the_same_place(world, categories, settings):
    settings.GONGKAI_HOTLINE_DUPLICATE_RADIUS_M = 200
    here = {"latitude": Decimal("39.915000"), "longitude": Decimal("116.397000")}
    near = {"latitude": Decimal("39.915900"), "longitude": Decimal("116.397000")}  # 100 m
    far = {"latitude": Decimal("39.925000"), "longitude": Decimal("116.397000")}  # 1.1 km
    close = take(
        world,
        content=STALL,
        category=categories.stall,
        street=None,
        address="",
        **near,
        **other_caller(1),
    )
    take(
        world,
        content=STALL,
        category=categories.stall,
        street=None,
        address="",
        **far,
        **other_caller(2),
    )
    online = take(
        world,
        content=STALL_ONLINE,
        category=categories.stall,
        street=None,
        address="",
        **here,
        **other_caller(3),
    )

    assert list(candidates(world, online)) == [close.number]


def test_the_window_and_the_state_bound_the_candidates(world, categories, settings):
    settings.GONGKAI_HOTLINE_DUPLICATE_DAYS = 30
    old = received(take(world, content=STALL), 31)
    recent = received(take(world, content=STALL), 29)
    merged = take(world, content=STALL)
    services.order_merge(actor=world.dispatcher, order=merged, into=recent, reason="同一诉求")
    again = take(world, content=STALL_AGAIN)

    found = candidates(world, again)

    assert recent.number in found
    assert old.number not in found
    assert merged.number not in found


def test_only_a_dispatcher_who_may_merge_sees_candidates(world, categories):
    take(world, content=STALL)
    again = take(world, content=STALL_AGAIN)

    assert selectors.duplicate_candidates(world.dispatcher, again)
    assert selectors.duplicate_candidates(world.supervisor, again) == []
    assert selectors.duplicate_candidates(world.operator, again) == []


def test_the_order_page_offers_a_prefilled_merge(world, categories):
    first = take(world, content=STALL, category=categories.stall)
    again = take(world, content=STALL_AGAIN, category=categories.stall)
    client = Client()
    client.force_login(world.dispatcher)
    url = reverse("hotline_staff:order", args=[again.number])

    page = client.get(url).content.decode()

    assert "疑似重复工单" in page
    assert "同一来电人、同一地点" in page
    assert f'name="merge-into" value="{first.number}"' in page
    response = client.post(
        reverse("hotline_staff:act", args=[again.number, "merge"]),
        {"merge-into": first.number, "merge-reason": "疑似重复（同一来电人，相似度 0.40）"},
    )
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.status == Status.MERGED
    assert again.merged_into_id == first.pk


def test_the_order_page_shows_no_candidates_to_a_supervisor(world, categories):
    take(world, content=STALL)
    again = take(world, content=STALL_AGAIN)
    client = Client()
    client.force_login(world.supervisor)

    page = client.get(reverse("hotline_staff:order", args=[again.number])).content.decode()

    assert "疑似重复工单" not in page


def queue(world, pairs: int) -> tuple[str, int]:
    """The dispatch queue with ``pairs`` pairs of duplicates (each its own caller and place,
    no category so that the routing catalogue adds nothing), and the queries it took."""
    first = Organisation.objects.count()
    for n in range(first, first + pairs):
        street = Organisation.objects.create(
            code=f"1101019{n:02d}",
            name=f"测试街道{n}",
            level="street",
            kind="government",
            parent=world.district,
        )
        caller = {"caller_name": f"张{n}", "caller_phone": f"1380000{n:04d}", "street": street}
        take(world, content=STALL, **caller)
        take(world, content=STALL_AGAIN, **caller)
    client = Client()
    client.force_login(world.dispatcher)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("hotline_staff:dispatch")).content.decode()
    return page, len(queries)


def test_the_dispatch_queue_marks_duplicates_without_a_query_per_order(world):
    page, few = queue(world, 1)
    assert page.count("疑似重复 1") == 2

    page, many = queue(world, 4)  # 10 orders in the queue now

    assert page.count("疑似重复 1") == 10
    assert many == few


def test_the_queue_counts_take_one_query(world, categories, django_assert_max_num_queries):
    for _n in range(3):
        take(world, content=STALL)
    orders = list(selectors.dispatch_queue(world.dispatcher))
    selectors.duplicate_candidates(world.dispatcher, orders[0])  # the segmenter is loaded

    # The user's area (one query per level of the organisation tree) and the candidates.
    with django_assert_max_num_queries(4):
        counted = selectors.annotate_duplicates(world.dispatcher, orders)

    assert [o.duplicate_count for o in counted] == [2, 2, 2]
