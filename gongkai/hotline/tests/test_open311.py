"""The Open311 GeoReport v2 API: the spec's field lists in JSON and XML, filing a request,
queries, tokens, updates, errors, the API key and masking."""

import json
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.hotline import services
from gongkai.hotline.models import Category, Channel, RequestType, Status, WorkOrder
from gongkai.orgs.models import Organisation

from .conftest import take

pytestmark = pytest.mark.django_db
BASE = "/open311/v2/"
DISCOVERY_KEYS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_KEYS = {"specification", "url", "changeset", "type", "formats"}
SERVICE_KEYS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}
DEFINITION_KEYS = {"service_code", "attributes"}
CREATED_KEYS = {"service_request_id", "token", "service_notice", "account_id"}
REQUEST_KEYS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
TOKEN_KEYS = {"service_request_id", "token"}
UPDATE_KEYS = {
    "update_id",
    "service_request_id",
    "status",
    "updated_datetime",
    "description",
    "media_url",
}
ERROR_KEYS = {"code", "description"}


@pytest.fixture
def categories():
    group = Category.objects.create(code="01", name="市容环境")
    return {
        "group": group,
        "stalls": Category.objects.create(code="0103", name="占道经营", parent=group, local=True),
        "toilets": Category.objects.create(code="0106", name="公共厕所", parent=group),
        "retired": Category.objects.create(
            code="0199", name="其他市容问题", parent=group, is_active=False
        ),
    }


@pytest.fixture
def api():
    """A client without a session or CSRF token, as an Open311 client is."""
    return Client(enforce_csrf_checks=True)


def call(api, path, fmt="json", method="get", **params):
    """The response and its body parsed: JSON data, or the XML root element."""
    response = getattr(api, method)(f"{BASE}{path}.{fmt}", params)
    if fmt == "json":
        return response, json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    return response, ElementTree.fromstring(response.content)


def filing(world, **changes):
    values = {
        "service_code": "0103",
        "description": "东华门大街12号门前占道经营，晚上噪音扰民。",
        "address_string": "东华门大街12号",
        "phone": "13900139000",
        "first_name": "小明",
        "last_name": "王",
        "attribute[street]": world.street.code,
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def tags(element):
    return {child.tag for child in element}


def assert_iso(value):
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value


def assert_error(response, data, status):
    assert response.status_code == status
    assert [set(item) for item in data] == [ERROR_KEYS]
    assert data[0]["code"] == status
    assert any("\u4e00" <= char <= "\u9fff" for char in data[0]["description"])


# ---- Discovery and services ---------------------------------------------------------------------


def test_discovery_lists_the_endpoint_in_both_formats(api):
    response, data = call(api, "discovery")
    assert response.status_code == 200
    assert set(data) == DISCOVERY_KEYS
    assert [set(item) for item in data["endpoints"]] == [ENDPOINT_KEYS]
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert_iso(data["changeset"])

    _, root = call(api, "discovery", "xml")
    assert root.tag == "discovery"
    assert tags(root) == DISCOVERY_KEYS
    (element,) = root.find("endpoints")
    assert element.tag == "endpoint"
    assert tags(element) == ENDPOINT_KEYS
    assert [f.text for f in element.find("formats")] == ["application/json", "text/xml"]


def test_services_are_the_active_leaf_categories(api, categories):
    response, data = call(api, "services")
    assert response.status_code == 200
    assert [item["service_code"] for item in data] == ["0103", "0106"]
    assert all(set(item) == SERVICE_KEYS for item in data)
    stalls = data[0]
    assert stalls["service_name"] == "占道经营"
    assert stalls["group"] == "市容环境"
    assert stalls["metadata"] is False
    assert stalls["type"] == "realtime"
    assert stalls["keywords"] == "市容环境,占道经营"
    assert "街道" in stalls["description"]

    _, root = call(api, "services", "xml")
    assert root.tag == "services"
    assert [s.tag for s in root] == ["service", "service"]
    assert all(tags(s) == SERVICE_KEYS for s in root)
    assert root[0].findtext("metadata") == "false"


def test_a_service_without_attributes_has_an_empty_definition(api, categories):
    response, data = call(api, "services/0106")
    assert response.status_code == 200
    assert data == {"service_code": "0106", "attributes": []}

    _, root = call(api, "services/0106", "xml")
    assert root.tag == "service_definition"
    assert tags(root) == DEFINITION_KEYS
    assert list(root.find("attributes")) == []


@pytest.mark.parametrize("code", ["0199", "01", "9999"])
def test_no_definition_for_retired_groups_or_unknown_codes(api, categories, code):
    response, data = call(api, f"services/{code}")
    assert_error(response, data, 404)

    response, root = call(api, f"services/{code}", "xml")
    assert response.status_code == 404
    assert root.tag == "errors"
    assert [tags(e) for e in root] == [ERROR_KEYS]
    assert root[0].findtext("code") == "404"


# ---- Filing a request ---------------------------------------------------------------------------


def test_post_creates_exactly_one_order(api, world, categories):
    before = WorkOrder.objects.count()
    response, data = call(api, "requests", method="post", **filing(world))
    assert response.status_code == 200
    assert WorkOrder.objects.count() == before + 1
    assert [set(item) for item in data] == [CREATED_KEYS]
    order = WorkOrder.objects.get(number=data[0]["service_request_id"])
    assert data[0]["token"] == order.number
    assert data[0]["account_id"] is None
    assert order.number in data[0]["service_notice"]
    assert order.channel == Channel.API
    assert order.category == categories["stalls"]
    assert order.request_type == RequestType.COMPLAINT
    assert order.caller_name == "王小明"
    assert order.caller_phone == "13900139000"
    assert (order.street, order.district) == (world.street, world.district)
    assert order.publish_consent is True
    assert order.events.count() == 1


def test_post_in_xml_with_coordinates_and_attributes(api, world, categories):
    response, root = call(
        api,
        "requests",
        "xml",
        method="post",
        **filing(
            world,
            address_string=None,
            lat="39.913818",
            long="116.397128",
            email="wang@example.com",
            phone=None,
            **{"attribute[street]": None, "attribute[request_type]": "suggestion"},
            jurisdiction_id=world.district.code,
        ),
    )
    assert response.status_code == 200
    assert root.tag == "service_requests"
    (item,) = root
    assert item.tag == "request"
    assert tags(item) == CREATED_KEYS
    order = WorkOrder.objects.get(number=item.findtext("service_request_id"))
    assert str(order.latitude) == "39.913818"
    assert order.request_type == RequestType.SUGGESTION
    assert (order.district, order.street) == (world.district, None)
    assert order.caller_email == "wang@example.com"


@pytest.mark.parametrize(
    "changes",
    [
        {"service_code": None},
        {"service_code": "9999"},
        {"service_code": "01"},
        {"service_code": "0199"},
        {"description": "   "},
        {"description": "长" * 4001},
        {"address_string": None},
        {"address_string": None, "lat": "39.9"},
        {"lat": "北纬", "long": "116.4"},
        {"lat": "91", "long": "116.4"},
        {"lat": "NaN", "long": "116.4"},
        {"attribute[request_type]": "rant"},
        {"attribute[street]": "NOPE"},
        {"attribute[district]": "110101001"},
        {"jurisdiction_id": "NOPE"},
        {"phone": None},
        {"phone": None, "email": "not-an-address"},
        {"last_name": "王" * 60},
    ],
)
def test_bad_input_is_refused_with_a_chinese_400_and_nothing_saved(api, world, categories, changes):
    before = WorkOrder.objects.count()
    response, data = call(api, "requests", method="post", **filing(world, **changes))
    assert_error(response, data, 400)
    assert WorkOrder.objects.count() == before


def test_a_street_outside_the_district_is_refused(api, world, categories):
    other = Organisation.objects.create(
        code="110102",
        name="北京市西城区人民政府",
        short_name="西城区政府",
        level="district",
        kind="government",
        parent=world.city,
    )
    response, data = call(
        api,
        "requests",
        method="post",
        **filing(world, **{"attribute[district]": other.code}),
    )
    assert_error(response, data, 400)
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize(
    ("key", "status"), [(None, 403), ("wrong", 403), ("second-key", 200), ("first-key", 200)]
)
def test_api_key_checked_when_keys_are_configured(api, world, categories, settings, key, status):
    settings.GONGKAI_OPEN311_API_KEYS = ["first-key", "second-key"]
    response, data = call(api, "requests", method="post", **filing(world, api_key=key))
    assert response.status_code == status
    if status == 403:
        assert_error(response, data, 403)
    assert WorkOrder.objects.count() == (1 if status == 200 else 0)


def test_discovery_says_whether_a_key_is_needed(api, settings):
    settings.GONGKAI_OPEN311_API_KEYS = []
    assert "无需" in call(api, "discovery")[1]["key_service"]
    settings.GONGKAI_OPEN311_API_KEYS = ["first-key"]
    assert "无需" not in call(api, "discovery")[1]["key_service"]


@pytest.mark.parametrize(
    "path", ["discovery", "services", "services/0103", "tokens/x", "servicerequestupdates"]
)
def test_only_requests_accepts_a_post(api, world, categories, path):
    response, data = call(api, path, method="post", **filing(world))
    assert_error(response, data, 405)
    assert response["Allow"] == "GET"
    assert not WorkOrder.objects.exists()


def test_other_methods_on_requests_are_refused(api, world, categories):
    response = api.put(f"{BASE}requests.json")
    assert_error(response, json.loads(response.content), 405)
    assert response["Allow"] == "GET, POST"


# ---- Reading requests ---------------------------------------------------------------------------


def test_requests_give_the_spec_fields_without_personal_data(api, world, categories):
    order = take(
        world,
        category=categories["stalls"],
        content="占道经营，联系王先生 13900139000 或 wang@example.com。",
        caller_email="wang@example.com",
        publish_consent=True,
    )
    order = services.order_dispatch(actor=world.dispatcher, order=order, lead=world.street)

    response, data = call(api, "requests")
    assert response.status_code == 200
    (item,) = data
    assert set(item) == REQUEST_KEYS
    assert item["service_request_id"] == order.number
    assert item["status"] == "open"
    assert item["service_code"] == "0103"
    assert item["service_name"] == "占道经营"
    assert item["agency_responsible"] == world.street.name
    assert item["address"] == "东华门大街12号"
    assert (item["lat"], item["long"], item["media_url"]) == (None, None, "")
    for key in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert_iso(item[key])
    assert datetime.fromisoformat(item["expected_datetime"]) == order.due_at.replace(microsecond=0)
    body = response.content.decode()
    for personal in ("13900139000", "wang@example.com", "王先生"):
        assert personal not in body
    assert "139****9000" in item["description"]

    _, root = call(api, "requests", "xml")
    assert root.tag == "service_requests"
    (element,) = root
    assert element.tag == "request"
    assert tags(element) == REQUEST_KEYS
    assert element.findtext("lat") == ""
    assert b"13900139000" not in ElementTree.tostring(root, encoding="UTF-8")


def test_the_callers_own_details_are_blanked_wherever_they_are_written(api, world, categories):
    take(
        world,
        category=categories["stalls"],
        caller_name="欧阳娜娜",
        caller_phone="010-65123456",
        content="请欧阳娜娜回电话 010-65123456。",
        address="欧阳娜娜家楼下",
        publish_consent=True,
    )
    response, data = call(api, "requests")
    body = response.content.decode()
    assert "欧阳娜娜" not in body
    assert "65123456" not in body
    assert data[0]["address"].endswith("家楼下")


def test_content_of_orders_without_consent_is_not_given(api, world, categories):
    take(world, category=categories["stalls"], publish_consent=False)
    (item,) = call(api, "requests")[1]
    assert item["description"] == ""
    assert item["status_notes"] == str(Status.RECEIVED.label)


def test_filters_by_id_service_status_and_dates(api, world, categories):
    stalls = take(world, category=categories["stalls"])
    toilets = take(world, category=categories["toilets"])
    closed = take(world, category=categories["toilets"])
    services.order_answer(actor=world.operator, order=closed, answer="已答复：公厕已修好。")
    old = services.order_create(
        actor=world.operator,
        channel=Channel.PHONE,
        intake=services.Intake(
            content="旧诉求", request_type="consult", caller_phone="13900139000"
        ),
        received_at=timezone.now() - timedelta(days=100),
    )

    def numbers(**params):
        response, data = call(api, "requests", **params)
        assert response.status_code == 200
        return {item["service_request_id"] for item in data}

    assert numbers() == {stalls.number, toilets.number, closed.number}
    assert numbers(service_code="0106") == {toilets.number, closed.number}
    assert numbers(service_code="0103,0106", status="closed") == {closed.number}
    assert numbers(status="open") == {stalls.number, toilets.number}
    assert numbers(status="open,closed") == {stalls.number, toilets.number, closed.number}
    assert numbers(start_date=(timezone.now() - timedelta(days=120)).isoformat()) == {
        stalls.number,
        toilets.number,
        closed.number,
        old.number,
    }
    assert numbers(end_date=(timezone.now() - timedelta(days=50)).isoformat()) == {old.number}
    ids = f"{old.number},{stalls.number}"
    assert numbers(service_request_id=ids, service_code="0106") == {old.number, stalls.number}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("requests", {"status": "pending"}),
        ("requests", {"start_date": "上周"}),
        ("requests", {"end_date": "2026-13-40"}),
        ("requests", {"start_date": "2026-11-02T00:00:00+08:00", "end_date": "2026-11-01"}),
        ("servicerequestupdates", {"start_date": "上周"}),
        ("servicerequestupdates", {"start_date": "2026-11-02", "end_date": "2026-11-01"}),
    ],
)
def test_bad_queries_are_refused(api, path, params):
    response, data = call(api, path, **params)
    assert_error(response, data, 400)


def test_a_merged_order_reports_its_target(api, world, categories):
    target = take(world, category=categories["stalls"])
    merged = take(world, category=categories["stalls"], publish_consent=True)
    services.order_merge(actor=world.dispatcher, order=merged, into=target, reason="同一地点")
    services.order_answer(actor=world.operator, order=target, answer="已答复：已清理占道摊位。")

    response, data = call(api, f"requests/{merged.number}")
    assert response.status_code == 200
    (item,) = data
    assert item["service_request_id"] == merged.number
    assert item["status"] == "closed"
    assert target.number in item["status_notes"]
    assert item["service_notice"] == ""
    assert {i["service_request_id"] for i in call(api, "requests", status="closed")[1]} == {
        target.number,
        merged.number,
    }
    assert call(api, "requests", status="open")[1] == []


def test_one_request_and_its_token(api, world, categories):
    order = take(world, category=categories["stalls"])
    response, data = call(api, f"requests/{order.number}")
    assert response.status_code == 200
    assert [set(item) for item in data] == [REQUEST_KEYS]

    response, data = call(api, f"tokens/{order.number}")
    assert response.status_code == 200
    assert data == [{"service_request_id": order.number, "token": order.number}]
    _, root = call(api, f"tokens/{order.number}", "xml")
    assert [tags(item) for item in root] == [TOKEN_KEYS]


@pytest.mark.parametrize("path", ["requests/20260101x", "tokens/20260101x"])
def test_unknown_request_or_token_is_404(api, path):
    response, data = call(api, path)
    assert_error(response, data, 404)


# ---- Updates ------------------------------------------------------------------------------------


def test_updates_list_the_events_without_internal_text(api, world, categories):
    order = take(world, category=categories["stalls"], publish_consent=True)
    order = services.order_dispatch(
        actor=world.dispatcher, order=order, lead=world.department, note="内部：先打电话"
    )
    order = services.order_send_back(
        actor=world.department_handler, order=order, reason="内部理由：不属于本部门"
    )
    order = services.order_answer(
        actor=world.operator, order=order, answer="已答复：请拨打 13900139000 联系。"
    )

    response, data = call(api, "servicerequestupdates", service_request_id=order.number)
    assert response.status_code == 200
    assert all(set(item) == UPDATE_KEYS for item in data)
    assert [item["status"] for item in data] == ["open", "open", "open", "closed"]
    assert all(item["service_request_id"] == order.number for item in data)
    for item in data:
        assert_iso(item["updated_datetime"])
    body = response.content.decode()
    assert "内部" not in body
    assert "13900139000" not in body
    assert world.department.name in data[1]["description"]
    assert "139****9000" in data[3]["description"]

    _, root = call(api, "servicerequestupdates", "xml")
    assert root.tag == "service_request_updates"
    assert [u.tag for u in root] == ["request_update"] * 4
    assert all(tags(u) == UPDATE_KEYS for u in root)


def test_updates_outside_the_dates_are_left_out(api, world, categories):
    take(world, category=categories["stalls"])
    past = (timezone.now() - timedelta(days=10)).isoformat()
    assert call(api, "servicerequestupdates", end_date=past)[1] == []
