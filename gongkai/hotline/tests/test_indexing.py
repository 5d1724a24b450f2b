"""Published messages in the site search: consented and replied orders only, masked, following
reply, reopen and close."""

import pytest
from django.urls import reverse

from gongkai.hotline import services
from gongkai.hotline.models import Channel, Satisfaction
from gongkai.search.models import Entry
from gongkai.search.selectors import Query, search
from gongkai.search.services import index_rebuild

from .conftest import intake

pytestmark = pytest.mark.django_db

CONTENT = "故宫东侧夜间施工噪音扰民，请联系13900139000。"


def found(query: str) -> list[str]:
    return [r.entry.url for r in search(Query(q=query, source="message")).results]


def web_order(world, *, consent: bool):
    return services.order_create(
        actor=None,
        channel=Channel.WEB,
        intake=intake(world, content=CONTENT, title="夜间施工噪音", publish_consent=consent),
    )


def reply(world, order):
    services.order_dispatch(actor=world.dispatcher, order=order, lead=world.department)
    services.order_accept(actor=world.department_handler, order=order)
    return services.order_reply(
        actor=world.department_handler, order=order, reply="已责令施工单位停止夜间施工。"
    )


def test_a_replied_consented_message_is_found_masked(world):
    order = web_order(world, consent=True)
    assert found("施工噪音") == []  # not replied yet
    reply(world, order)
    url = reverse("hotline:message", args=[order.number])
    assert found("施工噪音") == [url]
    assert found("停止夜间施工") == [url]
    entry = Entry.objects.get(source="message")
    assert "13900139000" not in entry.body
    assert "139****9000" in entry.body
    for personal in ("王先生", order.caller_phone):
        assert personal not in entry.title + entry.body
    assert entry.organisation_id == world.department.pk


def test_a_message_without_consent_is_never_indexed(world):
    reply(world, web_order(world, consent=False))
    assert found("施工噪音") == []
    assert index_rebuild(actor=None) == 0
    assert not Entry.objects.filter(source="message").exists()


def test_the_index_follows_reopen_and_close(world):
    order = reply(world, web_order(world, consent=True))
    services.order_call_back(
        actor=world.operator, order=order, resolved=False, satisfaction=Satisfaction.DISSATISFIED
    )
    services.order_reopen(actor=world.dispatcher, order=order, reason="仍有施工")
    assert found("施工噪音") == []
    services.order_reply(actor=world.department_handler, order=order, reply="已停工。")
    services.order_call_back(
        actor=world.operator, order=order, resolved=True, satisfaction=Satisfaction.SATISFIED
    )
    services.order_close(actor=world.dispatcher, order=order)
    assert found("施工噪音") == [reverse("hotline:message", args=[order.number])]
    assert "已停工" in Entry.objects.get(source="message").body
