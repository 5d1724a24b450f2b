"""Demo 12345 orders (``gongkai demo``, loader "hotline.orders"): six months of history and a
few dozen current orders in every state.

**History.** About 3,000 closed orders received over the six months before the last two weeks,
written through ``services.orders_import`` as an import would: built from the sample requests
(``data/requests.yaml``) with made-up callers (a surname and 先生/女士, phones 100-xxxx-xxxx,
which no real line has), other building numbers and, in the districts whose streets the
directory has, another street of the district. Each is routed as the dispatch catalogue
(``routing.route``) routes it — transfers to the emergency lines and part of the 咨询 are
answered at once — and handled according to its lead organisation's tier (good, average,
poor: by a hash of its code), so that acceptance in time, resolution and satisfaction differ.
Three hot spots (one matter at one place, many callers, mostly in the last weeks) stand out in
the hot topics and the automatic supervision.

**Current orders.** Received in the last days (three of them five weeks ago: overdue) and moved
through the real services by the demo staff (``accounts.demo``): awaiting dispatch, dispatched,
sent back, re-dispatched, accepted with notes and an extension request, replied, called back,
reopened, closed, answered at once, merged into a hot spot's order, supervised by hand and by
``supervise_automatically``; and messages from the demo public account, published with
consent and rated by their caller. Only orders whose catalogue route leads to an organisation
with a demo handler are used.

Idempotent: nothing is done once demo orders exist (their phones start with ``PHONE_PREFIX``).
Deterministic apart from the dates (a fixed seed).
"""

import hashlib
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils import timezone

from gongkai.accounts.demo import DEMO_PUBLIC_PHONE, DEMO_STAFF
from gongkai.accounts.models import Role, User
from gongkai.orgs.models import Level, Organisation
from gongkai.orgs.selectors import org_resolve

from . import routing, services, suggest
from .models import Category, Channel, RequestType, Satisfaction, WorkOrder

REQUESTS = Path(__file__).resolve().parent / "data" / "requests.yaml"
SEED = 12345
PHONE_PREFIX = "100-"
HISTORY_ORDERS = 3000
HISTORY_DAYS = (14, 182)
"""The history's orders were received between these many days ago."""
HOT_SPOTS = (
    ("0103", "东城区", "东华门街道"),
    ("0105", "朝阳区", "呼家楼街道"),
    ("0306", "通州区", "中仓街道"),
)
HOT_SPOT_ORDERS = 45
TIERS = (0.9, 0.6, 0.25)
"""How well an organisation handles its orders (good, average, poor)."""
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
CHANNELS = ((Channel.PHONE, 70), (Channel.WEB, 20), (Channel.API, 7), (Channel.EMAIL, 3))

DISTRICTS = (
    "东城区|西城区|朝阳区|丰台区|石景山区|海淀区|门头沟区|房山区"
    "|通州区|顺义区|昌平区|大兴区|怀柔区|平谷区|密云区|延庆区"
)
PLACE = re.compile(rf"({DISTRICTS})([\u4e00-\u9fff]{{1,6}}?(?:街道|地区|镇|乡))")
BUILDING = re.compile(r"\d+号楼")
ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{2,6}(?:小区|家园|嘉园|苑|里|村)(?:\d+号楼)?|[\u4e00-\u9fff]{2,4}路"
)


@dataclass(frozen=True)
class Request:
    """A sample request placed somewhere."""

    index: int
    category: Category
    request_type: str
    urgency: str
    district: Organisation
    street: Organisation | None
    text: str


def load_demo_categories() -> str:
    created = services.category_load_reference_data()
    return f"12345诉求类别：新增 {created} 个，共 {Category.objects.count()} 个。"


def load_demo_suggest() -> str:
    """Train the routing suggestion on the demo's dispatches, unless a current model (one
    made with today's dictionary) is there already."""
    model = suggest.current()
    if model is not None and not model.outdated:
        return f"12345派单建议模型：已有（{model.examples} 条派单训练）。"
    try:
        model = services.suggest_train(actor=None)
    except suggest.SuggestError as error:
        return f"12345派单建议模型：未训练（{error}）"
    return f"12345派单建议模型：已用 {model.examples} 条派单训练，{len(model.targets)} 个去向。"


def load_demo_orders() -> str:
    if WorkOrder.objects.filter(caller_phone__startswith=PHONE_PREFIX).exists():
        return "12345工单：演示工单已存在，未改动。"
    needed = {staff.username for staff in DEMO_STAFF} | {DEMO_PUBLIC_PHONE}
    if User.objects.filter(username__in=needed).count() < len(needed):
        return "12345工单：未找到演示账户，未加载演示工单。"
    rng = random.Random(SEED)
    now = timezone.now()
    history = services.orders_import(
        actor=None, rows=enumerate(history_records(rng, now), start=1), source="演示数据"
    )
    assert not history.rejected, history.rejected[:3]
    current = _Current(rng, now)
    current.run()
    supervised = services.supervise_automatically()
    return (
        f"12345工单：历史工单 {history.imported} 件（{len(history.months)} 个月），"
        f"当前工单 {current.created} 件，自动督办 {supervised} 件。"
    )


# ---- Requests and places ----------------------------------------------------------------------


@cache
def _samples() -> tuple[dict[str, Any], ...]:
    return tuple(yaml.safe_load(REQUESTS.read_text(encoding="utf-8"))["requests"])


class _Places:
    """Categories, districts and their streets, looked up once."""

    def __init__(self) -> None:
        self.categories = {c.code: c for c in Category.objects.all()}
        self.districts: dict[str, Organisation] = {}
        self.streets: dict[int, list[Organisation]] = {}
        for street in Organisation.objects.filter(level=Level.STREET, is_active=True).order_by(
            "code"
        ):
            self.streets.setdefault(street.parent_id or 0, []).append(street)

    def district(self, name: str) -> Organisation:
        if name not in self.districts:
            self.districts[name] = org_resolve(name).single()
        return self.districts[name]

    def street(self, district: Organisation, name: str) -> Organisation | None:
        found = [s for s in self.streets.get(district.pk, []) if s.short_name == name]
        return found[0] if found else None

    def place(
        self,
        index: int,
        rng: random.Random,
        *,
        district: str | None = None,
        street: str | None = None,
    ) -> Request:
        """Sample request ``index`` with another building number, and another street of its
        district (or the district and street given) where the directory has streets."""
        sample = _samples()[index]
        where = self.district(district or sample["district"])
        text = BUILDING.sub(lambda _m: f"{rng.randint(1, 30)}号楼", sample["text"])
        found = self.street(where, street) if street else None
        streets = self.streets.get(where.pk, [])
        if found is None and streets:
            found = rng.choice(streets)
        match = PLACE.search(text)
        if match:
            name = found.short_name if found is not None else match.group(2)
            text = text.replace(match.group(0), f"{district or match.group(1)}{name}")
        return Request(
            index=index,
            category=self.categories[sample["category"]],
            request_type=sample["type"],
            urgency=sample["urgency"],
            district=where,
            street=found if match else None,
            text=text,
        )


def _route(request: Request) -> routing.Route:
    order = WorkOrder(
        content=request.text,
        category=request.category,
        urgency=request.urgency,
        district=request.district,
        street=request.street,
    )
    return routing.route(order)


def _caller(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + rng.choice(("先生", "女士"))
    return name, f"{PHONE_PREFIX}{rng.randrange(10000):04d}-{rng.randrange(10000):04d}"


def _tier(organisation: Organisation) -> float:
    digest = hashlib.sha256(organisation.code.encode()).digest()
    return TIERS[digest[0] % len(TIERS)]


# ---- History ----------------------------------------------------------------------------------


def history_records(
    rng: random.Random, now: datetime, count: int = HISTORY_ORDERS
) -> Iterator[dict[str, str]]:
    """The import records (``importing.COLUMNS``) of ``count`` historical orders, oldest first
    (also the data of ``bench/hotline_import.py``)."""
    places = _Places()
    samples = _samples()
    planned: list[tuple[datetime, Request]] = []
    for _n in range(count - len(HOT_SPOTS) * HOT_SPOT_ORDERS):
        days = rng.uniform(*HISTORY_DAYS)
        planned.append(
            (
                _daytime(now - timedelta(days=days), rng),
                places.place(rng.randrange(len(samples)), rng),
            )
        )
    for code, district, street in HOT_SPOTS:
        index = next(
            i for i, s in enumerate(samples) if s["category"] == code and PLACE.search(s["text"])
        )
        for _n in range(HOT_SPOT_ORDERS):
            days = HISTORY_DAYS[0] + rng.triangular(0, 75, 0)
            request = places.place(index, rng, district=district, street=street)
            planned.append((_daytime(now - timedelta(days=days), rng), request))
    routes: dict[tuple[int, int, int | None], routing.Route] = {}
    for received_at, request in sorted(planned, key=lambda p: p[0]):
        key = (request.index, request.district.pk, request.street.pk if request.street else None)
        if key not in routes:
            routes[key] = _route(request)
        yield _record(request, routes[key], received_at, rng)


def _daytime(moment: datetime, rng: random.Random) -> datetime:
    local = timezone.localtime(moment)
    return local.replace(hour=rng.choice(range(7, 22)), minute=rng.randrange(60), second=0)


def _record(
    request: Request, route: routing.Route, received_at: datetime, rng: random.Random
) -> dict[str, str]:
    name, phone = _caller(rng)
    channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
    address = ADDRESS.search(request.text)
    record = {
        "received_at": received_at.isoformat(),
        "channel": str(channel),
        "caller_name": name,
        "caller_phone": phone,
        "content": request.text,
        "request_type": request.request_type,
        "category": request.category.code,
        "urgency": route.urgency or request.urgency,
        "district": request.district.code,
        "street": request.street.code if request.street else "",
        "address": address.group(0) if address else "",
        "publish_consent": "是" if channel == Channel.WEB and rng.random() < 0.4 else "否",
    }
    lead = route.organisation
    consult = request.request_type == RequestType.CONSULT
    if lead is None or (consult and rng.random() < 0.45):
        closed = received_at + timedelta(minutes=rng.randint(5, 40))
        answer = (
            f"已转接{route.transfer}，并告知诉求人。"
            if route.transfer
            else "已根据知识库向诉求人解答相关政策和办理流程，诉求人表示知晓。"
        )
        return record | {"reply": answer, "closed_at": closed.isoformat()}
    quality = _tier(lead)
    hours = settings.GONGKAI_HOTLINE_RESPONSE_HOURS
    dispatched = received_at + timedelta(minutes=rng.randint(10, 120))
    if rng.random() < 0.5 + 0.5 * quality:
        delay = rng.uniform(0.2, 1 + hours * 0.8 * (1 - quality))
    else:
        delay = hours + rng.uniform(1, 48)
    accepted = dispatched + timedelta(hours=delay)
    replied = accepted + timedelta(days=rng.uniform(0.5, 1.5 + 5 * (1 - quality)))
    called_back = replied + timedelta(hours=rng.uniform(4, 30))
    closed = called_back + timedelta(hours=rng.uniform(0.2, 3))
    resolved = rng.random() < 0.35 + 0.6 * quality
    if resolved:
        satisfaction = (
            Satisfaction.SATISFIED if rng.random() < 0.5 + 0.45 * quality else Satisfaction.BASIC
        )
        reply = f"经核实，{lead.name}已安排人员现场处理，问题已解决，并向诉求人反馈。"
    else:
        satisfaction = Satisfaction.DISSATISFIED if rng.random() < 0.75 else Satisfaction.BASIC
        reply = f"经核实，该问题涉及多方，{lead.name}已制定整改方案，近期推进解决，已向诉求人说明。"
    return record | {
        "lead": lead.code,
        "dispatched_at": dispatched.isoformat(),
        "accepted_at": accepted.isoformat(),
        "replied_at": replied.isoformat(),
        "reply": reply,
        "callback_at": called_back.isoformat(),
        "resolved": "是" if resolved else "否",
        "satisfaction": str(satisfaction),
        "closed_at": closed.isoformat(),
    }


# ---- Current orders ---------------------------------------------------------------------------


class _Current:
    """The current orders, driven through the services by the demo staff."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng, self.now, self.created = rng, now, 0
        self.places = _Places()
        users = {u.username: u for u in User.objects.select_related("organisation")}
        by_role = {
            role: [users[s.username] for s in DEMO_STAFF if role in s.roles] for role in Role
        }
        self.operator = by_role[Role.OPERATOR][0]
        self.dispatcher = by_role[Role.DISPATCHER][0]
        self.supervisor = by_role[Role.SUPERVISOR][0]
        self.handlers = {u.organisation_id: u for u in by_role[Role.HANDLER]}
        self.public = users[DEMO_PUBLIC_PHONE]
        self.organisations = {
            o.pk: o for o in Organisation.objects.filter(pk__in=list(self.handlers))
        }
        self.candidates = self._candidates()

    def _candidates(self) -> Iterator[tuple[Request, Organisation]]:
        """Sample requests placed in 东城区东华门街道 (or their own district) whose route
        leads to an organisation with a demo handler, in a shuffled order."""
        order = list(range(len(_samples())))
        self.rng.shuffle(order)
        for index in order:
            if not PLACE.search(_samples()[index]["text"]):
                continue
            request = self.places.place(index, self.rng, district="东城区", street="东华门街道")
            lead = _route(request).organisation
            if lead is not None and lead.pk in self.handlers:
                yield request, lead

    def take(
        self,
        *,
        days: float = 0.0,
        request: Request | None = None,
        account: User | None = None,
    ) -> tuple[WorkOrder, Organisation]:
        lead = None
        if request is None:
            request, lead = next(self.candidates)
        lead = lead or _route(request).organisation
        assert lead is not None
        name, phone = _caller(self.rng)
        address = ADDRESS.search(request.text)
        intake = services.Intake(
            content=request.text,
            request_type=request.request_type,
            category=request.category,
            urgency=request.urgency,
            caller_name="" if account else name,
            caller_phone="" if account else phone,
            district=request.district,
            street=request.street,
            address=address.group(0) if address else "",
            publish_consent=account is not None,
        )
        hours = days * 24 + self.rng.uniform(0.5, 6)
        order = services.order_create(
            actor=None if account else self.operator,
            channel=Channel.WEB if account else Channel.PHONE,
            intake=intake,
            account=account,
            received_at=self.now - timedelta(hours=hours),
        )
        self.created += 1
        return order, lead

    def dispatch(
        self, order: WorkOrder, lead: Organisation, co: tuple[Organisation, ...] = ()
    ) -> WorkOrder:
        return services.order_dispatch(actor=self.dispatcher, order=order, lead=lead, co=co)

    def accepted(self, days: float = 0.0, **kwargs: Any) -> tuple[WorkOrder, User]:
        order, lead = self.take(days=days, **kwargs)
        order = self.dispatch(order, lead)
        handler = self.handlers[lead.pk]
        return services.order_accept(actor=handler, order=order), handler

    def replied(self, **kwargs: Any) -> tuple[WorkOrder, User]:
        order, handler = self.accepted(days=self.rng.uniform(3, 8), **kwargs)
        reply = f"经核实，{handler.organisation}已安排人员到现场处理，已向诉求人反馈处理结果。"
        return services.order_reply(actor=handler, order=order, reply=reply), handler

    def call_back(self, order: WorkOrder, resolved: bool, satisfaction: Satisfaction) -> None:
        services.order_call_back(
            actor=self.operator, order=order, resolved=resolved, satisfaction=satisfaction
        )

    def run(self) -> None:
        for _n in range(3):  # awaiting dispatch
            self.take(days=self.rng.uniform(0, 1))
        for position in range(3):  # dispatched, not yet accepted; one with a co-handler
            order, lead = self.take(days=self.rng.uniform(0, 2))
            co = tuple(
                o for pk, o in self.organisations.items() if pk != lead.pk and position == 0
            )[:1]
            self.dispatch(order, lead, co)
        for _n in range(2):  # sent back, awaiting re-dispatch
            order, lead = self.take(days=self.rng.uniform(1, 3))
            wrong = next(o for pk, o in self.organisations.items() if pk != lead.pk)
            order = self.dispatch(order, wrong)
            services.order_send_back(
                actor=self.handlers[wrong.pk],
                order=order,
                reason="该事项不属于本单位职责，请改派属地或主管部门。",
            )
        order, lead = self.take(days=2)  # sent back, re-dispatched, accepted
        wrong = next(o for pk, o in self.organisations.items() if pk != lead.pk)
        order = self.dispatch(order, wrong)
        order = services.order_send_back(
            actor=self.handlers[wrong.pk], order=order, reason="非本单位管辖范围。"
        )
        order = self.dispatch(order, lead)
        services.order_accept(actor=self.handlers[lead.pk], order=order)
        order, handler = self.accepted(days=2)  # in progress, with notes
        services.order_note(
            actor=handler, order=order, text="已联系物业和社区，约定明日现场查看。", contact=False
        )
        services.order_note(
            actor=handler, order=order, text="电话联系诉求人，说明处理进度。", contact=True
        )
        order, handler = self.accepted(days=3)  # in progress, more time asked for
        services.extension_request(
            actor=handler,
            order=order,
            until=order.due_at + timedelta(days=10),
            reason="需协调多个部门联合整治，申请延期。",
        )
        for _n in range(2):  # in progress, supervised by hand
            order, _handler = self.accepted(days=self.rng.uniform(4, 6))
            services.order_supervise(
                actor=self.supervisor, order=order, note="群众反映强烈，请加快办理并报告进展。"
            )
        for _n in range(3):  # overdue: received five weeks ago, still open
            self.accepted(days=self.rng.uniform(35, 40))
        for _n in range(3):  # replied, awaiting the call-back
            self.replied()
        for _n in range(2):  # reopened after an unsatisfied call-back
            order, _handler = self.replied()
            self.call_back(order, False, Satisfaction.DISSATISFIED)
            services.order_reopen(
                actor=self.dispatcher, order=order, reason="回访不满意，问题未解决，重新办理。"
            )
        for resolved, satisfaction in (
            (True, Satisfaction.SATISFIED),
            (True, Satisfaction.SATISFIED),
            (True, Satisfaction.BASIC),
            (False, Satisfaction.DISSATISFIED),
        ):
            order, _handler = self.replied()  # closed after the call-back
            self.call_back(order, resolved, satisfaction)
            services.order_close(actor=self.dispatcher, order=order)
        for _n in range(3):  # answered at once
            order, _lead = self.take(days=self.rng.uniform(0, 5))
            services.order_answer(
                actor=self.operator,
                order=order,
                answer="已根据知识库向诉求人解答相关政策和办理流程，诉求人表示知晓。",
            )
        for position, rating in enumerate(
            (
                Satisfaction.SATISFIED,
                Satisfaction.BASIC,
                Satisfaction.SATISFIED,
                Satisfaction.DISSATISFIED,
            )
        ):
            order, _handler = self.replied(account=self.public)  # published messages, rated
            if position < 2:
                self.call_back(order, True, Satisfaction.SATISFIED)
                order = services.order_close(actor=self.dispatcher, order=order)
            services.order_rate(actor=self.public, order=order, rating=rating)
        code, district, street = HOT_SPOTS[0]  # the first hot spot goes on
        index = next(
            i for i, s in enumerate(_samples()) if s["category"] == code and PLACE.search(s["text"])
        )
        hot = [
            self.take(
                days=self.rng.uniform(0, 3),
                request=self.places.place(index, self.rng, district=district, street=street),
            )
            for _n in range(4)
        ]
        first, lead = hot[0]
        first = self.dispatch(first, lead)
        for order, _lead in hot[2:]:
            services.order_merge(
                actor=self.dispatcher,
                order=order,
                into=first,
                reason="同一地点同一事项，并入首个工单办理。",
            )
