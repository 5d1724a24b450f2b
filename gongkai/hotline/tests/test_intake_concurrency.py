"""Many Open311 intakes at once: each gets its own number, every acknowledged order is stored
with its received event and its audit event, and the audit chain stays one chain. An intake
leaves the search index and the cached public pages alone (a new order is not public)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from gongkai.core import pagecache
from gongkai.core.audit import audit_verify_chain
from gongkai.core.models import AuditEvent
from gongkai.hotline.models import Category, Channel, EventKind, OrderEvent, WorkOrder
from gongkai.search.models import Entry

from .conftest import take

THREADS, PER_THREAD = 8, 25
KEY = "intake-test-key"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_intakes_get_distinct_numbers_all_stored_and_audited(world, settings):
    settings.GONGKAI_OPEN311_API_KEYS = [KEY]
    group = Category.objects.create(code="01", name="市容环境")
    Category.objects.create(code="0103", name="占道经营", parent=group, local=True)
    events_before = AuditEvent.objects.count()
    start = threading.Barrier(THREADS)
    answers: list[tuple[int, str]] = []
    errors: list[BaseException] = []

    def file_requests(n: int) -> None:
        client = Client()
        try:
            start.wait()
            for i in range(PER_THREAD):
                response = client.post(
                    "/open311/v2/requests.json",
                    {
                        "api_key": KEY,
                        "service_code": "0103",
                        "description": f"东华门大街{n}号门前占道经营（第{i}次反映）。",
                        "attribute[street]": world.street.code,
                        "address_string": f"东华门大街{n}号",
                        "last_name": "王",
                        "first_name": "小明",
                        "phone": f"139{n:04d}{i:04d}",
                    },
                )
                answers.append((response.status_code, response.json()[0]["service_request_id"]))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_requests, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert {status for status, _number in answers} == {200}
    numbers = [number for _status, number in answers]
    assert len(numbers) == len(set(numbers)) == THREADS * PER_THREAD
    orders = list(WorkOrder.objects.filter(channel=Channel.API))
    assert sorted(order.number for order in orders) == sorted(numbers)
    for order in orders:
        assert order.number == f"{timezone.localtime(order.received_at):%Y%m%d}{order.pk:08d}"
    received = OrderEvent.objects.filter(kind=EventKind.RECEIVED)
    assert sorted(received.values_list("order_id", flat=True)) == sorted(o.pk for o in orders)
    audited = AuditEvent.objects.filter(action="hotline.order.create")
    assert sorted(audited.values_list("object_id", flat=True)) == sorted(
        str(order.pk) for order in orders
    )
    assert audit_verify_chain() == events_before + THREADS * PER_THREAD


@pytest.mark.django_db
def test_an_intake_leaves_the_search_index_and_the_cached_pages_alone(world):
    generation = pagecache.generation()
    order = take(world, publish_consent=True)
    assert WorkOrder.objects.get(pk=order.pk).number == order.number
    assert pagecache.generation() == generation
    assert not Entry.objects.exists()
