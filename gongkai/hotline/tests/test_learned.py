"""The learned routing suggestion in use: what it learns from past dispatches, the trained
model file the site reads, and what dispatchers see (with the real organisations of Beijing,
as the catalogue's district names need them)."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role
from gongkai.core.models import AuditEvent
from gongkai.hotline import demo, routing, selectors, services, suggest
from gongkai.hotline.models import Channel, RequestType, WorkOrder
from gongkai.orgs.models import Organisation
from gongkai.publishing.tests.workflow_support import make_staff

pytestmark = pytest.mark.usefixtures("beijing")

# Three kinds of matter, each dispatched one way: to the street where it happens, to the
# district's 城市管理委, to the city's 教委.
MATTERS = {
    "street": [
        "楼道里堆满杂物和废旧自行车",
        "小区门口垃圾桶满了没人清运",
        "楼下早市占道经营噪音扰民",
    ],
    "区城市管理委": [
        "冬季供暖温度不达标屋里很冷",
        "暖气片不热供热公司不处理",
        "小区燃气管道有异味",
    ],
    "110000-JW": ["中小学招生入学政策咨询", "学校课后服务收费不合理", "幼儿园学位不足孩子入园难"],
}


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


@pytest.fixture
def people():
    class People:
        operator = make_staff("operator", org("110000"), Role.OPERATOR)
        dispatcher = make_staff("dispatcher", org("110000"), Role.DISPATCHER)
        handler = make_staff("handler", org("110101-CGW"), Role.HANDLER)

    return People


def take(people, content: str, *, street: str = "110101001") -> WorkOrder:
    return services.order_create(
        actor=people.operator,
        channel=Channel.PHONE,
        intake=services.Intake(
            content=content,
            request_type=RequestType.COMPLAINT,
            caller_phone="13900139000",
            district=org("110101"),
            street=org(street),
        ),
    )


def examples() -> list[tuple[str, str]]:
    return [
        (f"市民反映：{text}，第{n}次。", key)
        for key, texts in MATTERS.items()
        for text in texts
        for n in range(3)
    ]


def train_site_model() -> suggest.Model:
    model = suggest.train(examples())
    model.save(settings.GONGKAI_HOTLINE_SUGGEST_MODEL)
    return model


# ---- What a dispatch teaches ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lead", "key"),
    [
        ("110101001", "street"),  # the order's own street
        (
            "110101-CGW",
            "区城市管理委",
        ),  # a department of the order's district, as the catalogue names it
        ("110101", "区政府"),  # the district government
        ("110101002", "110101002"),  # another street: by its code
        ("110000-JW", "110000-JW"),  # a city body
    ],
)
def test_a_dispatch_is_learned_in_the_catalogues_terms(people, lead: str, key: str) -> None:
    order = take(people, "小区垃圾没人清运")
    order.lead = org(lead)

    assert routing.target_key(order) == key


def test_only_dispatches_the_lead_accepted_are_examples(people) -> None:
    accepted = take(people, "楼道杂物堆积")
    services.order_dispatch(actor=people.dispatcher, order=accepted, lead=org("110101-CGW"))
    handler = make_staff("street", org("110101001"), Role.HANDLER)
    services.order_accept(actor=people.handler, order=WorkOrder.objects.get(pk=accepted.pk))
    sent_back = take(people, "暖气不热")
    services.order_dispatch(actor=people.dispatcher, order=sent_back, lead=org("110101001"))
    services.order_send_back(
        actor=handler, order=WorkOrder.objects.get(pk=sent_back.pk), reason="不属于街道职责"
    )
    take(people, "还没有派单")

    assert selectors.dispatch_examples(10) == [(" 楼道杂物堆积", "区城市管理委")]


# ---- The site's model file ----------------------------------------------------------------------


def test_without_a_trained_model_nothing_is_suggested(people) -> None:
    assert suggest.current() is None
    assert routing.learned(take(people, "冬季供暖温度不达标")) == []


def test_suggestions_resolve_against_the_orders_place(people) -> None:
    train_site_model()
    heating = routing.learned(take(people, "冬季供暖温度不达标，屋里很冷"))
    rubbish = routing.learned(take(people, "小区门口垃圾没人清运", street="110101002"))
    school = routing.learned(take(people, "孩子入学招生政策咨询"))

    assert heating[0].organisation == org("110101-CGW")
    assert rubbish[0].organisation == org("110101002")
    assert school[0].organisation == org("110000-JW")
    assert all(routing.LEARNED_FLOOR <= s.confidence <= 1 for s in heating + rubbish + school)
    assert [s.confidence for s in heating] == sorted((s.confidence for s in heating), reverse=True)


def test_a_district_without_the_department_gets_the_municipal_counterpart(people) -> None:
    train_site_model()
    order = take(people, "冬季供暖温度不达标，屋里很冷", street="110101001")
    order.district = org("110106")  # 丰台区: no departments in the directory

    assert routing.learned(order)[0].organisation == org("110000-CGW")


def test_a_retrained_model_is_read_again(people) -> None:
    first = train_site_model()
    assert suggest.current().examples == first.examples

    more = suggest.train([*examples(), *examples()[:9]])
    more.save(settings.GONGKAI_HOTLINE_SUGGEST_MODEL)

    assert suggest.current().examples == first.examples + 9


def test_an_unreadable_model_file_is_logged_not_raised(people, caplog) -> None:
    Path(settings.GONGKAI_HOTLINE_SUGGEST_MODEL).write_bytes(b"not a model")

    with caplog.at_level(logging.WARNING, logger="gongkai.hotline.suggest"):
        assert suggest.current() is None
    assert "派单建议模型文件" in caplog.text


# ---- Training: the service and the command ----------------------------------------------------


def accepted_orders(people, count: int) -> None:
    for n, (text, key) in enumerate(examples()[:count]):
        lead = {"street": "110101001", "区城市管理委": "110101-CGW"}.get(key, key)
        order = take(people, text)
        services.order_dispatch(actor=people.dispatcher, order=order, lead=org(lead))
        handler = make_staff(f"h{n}", org(lead), Role.HANDLER)
        services.order_accept(actor=handler, order=WorkOrder.objects.get(pk=order.pk))


def test_training_writes_the_model_and_is_audited(people, capsys) -> None:
    accepted_orders(people, len(examples()))

    call_command("hotline", "train")

    assert "派单建议模型已训练：27 条派单，3 个去向" in capsys.readouterr().out
    assert suggest.current() is not None
    assert AuditEvent.objects.filter(action="hotline.suggest.train").count() == 1


def test_training_with_too_few_dispatches_is_refused_in_chinese(people) -> None:
    accepted_orders(people, 5)

    with pytest.raises(CommandError, match="训练样本太少"):
        call_command("hotline", "train")
    assert not Path(settings.GONGKAI_HOTLINE_SUGGEST_MODEL).exists()
    assert not AuditEvent.objects.filter(action="hotline.suggest.train").exists()


# ---- What the dispatcher sees -----------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_dispatcher_sees_the_learned_suggestion_with_its_confidence(people) -> None:
    train_site_model()
    order = take(people, "冬季供暖温度不达标，屋里很冷")
    client = client_for(people.dispatcher)

    queue = client.get(reverse("hotline_staff:dispatch")).content.decode()
    page = client.get(reverse("hotline_staff:order", args=[order.number])).content.decode()

    assert "历史派单学习：北京市东城区城市管理委员会（置信度 " in queue
    assert "历史派单学习：北京市东城区城市管理委员会（置信度 " in page
    assert f'href="?lead={org("110101-CGW").pk}#action-dispatch"' in page


def test_taking_a_suggestion_proposes_it_in_the_dispatch_form(people) -> None:
    order = take(people, "冬季供暖温度不达标，屋里很冷")
    url = reverse("hotline_staff:order", args=[order.number])
    client = client_for(people.dispatcher)
    chosen = org("110000-JW").pk

    taken = client.get(f"{url}?lead={chosen}").content.decode()
    ignored = client.get(f"{url}?lead=x{chosen}").content.decode()

    assert f'<option value="{chosen}" selected>' in taken
    assert f'<option value="{chosen}" selected>' not in ignored


def test_the_learned_suggestion_is_only_offered_while_the_order_awaits_dispatch(people) -> None:
    train_site_model()
    order = take(people, "冬季供暖温度不达标，屋里很冷")
    services.order_dispatch(actor=people.dispatcher, order=order, lead=org("110101-CGW"))

    page = client_for(people.dispatcher).get(reverse("hotline_staff:order", args=[order.number]))

    assert "历史派单学习" not in page.content.decode()


def test_the_demo_trains_once(people) -> None:
    accepted_orders(people, len(examples()))

    first = demo.load_demo_suggest()
    again = demo.load_demo_suggest()

    assert first == "12345派单建议模型：已用 27 条派单训练，3 个去向。"
    assert again == "12345派单建议模型：已有（27 条派单训练）。"
    assert AuditEvent.objects.filter(action="hotline.suggest.train").count() == 1
