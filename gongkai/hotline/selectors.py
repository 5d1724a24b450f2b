"""Reads of the hotline: time limits and expected completion times, the three rates, the staff
queues, Open311, and 诉求汇总 (duplicate candidates, hot topics and hot places; the text side
is ``topics``)."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import BaseExpression
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.accounts.models import Role, User
from gongkai.accounts.permissions import org_scope
from gongkai.core import calendar, privacy
from gongkai.orgs.models import Kind, Level, Organisation
from gongkai.search import dictionary as search_dictionary

from . import routing, topics
from .errors import HotlineError, HotlineErrorCode
from .models import (
    Assignment,
    AssignmentRole,
    CallBack,
    Category,
    ExtensionRequest,
    LimitUnit,
    MonthlyTally,
    OrderEvent,
    Satisfaction,
    Status,
    Supervision,
    TimeLimitRule,
    Urgency,
    WorkOrder,
)
from .permissions import QUEUES, can_dispatch, centre_orders, topic_orders, topic_scope
from .workflow import AT_ORGANISATION, AWAITING_DISPATCH, FINISHED


def time_limit(*, urgency: str, complex: bool, request_type: str) -> TimeLimitRule:
    """The rule for an order: one for its request type before one for every type, and one for
    complex matters before the urgency's plain one."""
    rules = TimeLimitRule.objects.filter(
        urgency=urgency, complex__in=[complex, False], request_type__in=[request_type, ""]
    )
    ranked = sorted(rules, key=lambda r: (r.complex != complex, r.request_type != request_type))
    if not ranked:
        raise HotlineError(HotlineErrorCode.NO_TIME_LIMIT, urgency=Urgency(urgency).label)
    return ranked[0]


def due_at(start: datetime, rule: TimeLimitRule) -> datetime:
    """When an order started at ``start`` must be completed under ``rule``: hours and calendar
    days are added to the moment; working days are counted on the calendar (the start day not
    counted) and end at the same time of day."""
    if rule.unit == LimitUnit.HOURS:
        return start + timedelta(hours=rule.amount)
    if rule.unit == LimitUnit.CALENDAR_DAYS:
        return start + timedelta(days=rule.amount)
    local = timezone.localtime(start)
    day = calendar.add_workdays(local.date(), rule.amount)
    return timezone.make_aware(datetime.combine(day, time(local.hour, local.minute, local.second)))


# ---- The three rates (统一考核) -----------------------------------------------------------------


@dataclass(frozen=True)
class OrgRates:
    """One organisation's month. Rates are shares (0–1), None without orders to measure."""

    organisation: Organisation
    orders: int
    responded: int
    called_back: int
    resolved: int
    satisfied: float
    """满意 plus 基本满意 at its weight (``GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT``)."""

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.orders if self.orders else None

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.called_back if self.called_back else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.called_back if self.called_back else None

    @property
    def score(self) -> float | None:
        """The weighted composite, 0–100 (``GONGKAI_HOTLINE_RATE_WEIGHTS``); None until every
        rate can be measured."""
        weights = settings.GONGKAI_HOTLINE_RATE_WEIGHTS
        rates = {
            "response": self.response_rate,
            "resolution": self.resolution_rate,
            "satisfaction": self.satisfaction_rate,
        }
        if any(rate is None for rate in rates.values()):
            return None
        total = sum(weights.values())
        return 100 * sum(weights[key] * (rate or 0.0) for key, rate in rates.items()) / total


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first moment of ``month`` and of the next one, in the site's time zone."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(following, time.min, tzinfo=zone),
    )


def rate_facts() -> dict[str, BaseExpression]:
    """The definition of what an order counts, per ``WorkOrder`` field it is stored in: its
    active lead assignment accepted within ``GONGKAI_HOTLINE_RESPONSE_HOURS`` of dispatch, and
    the verdict of its last call-back (satisfaction empty: not called back)."""
    latest = CallBack.objects.filter(order=OuterRef("pk")).order_by("-at", "-id")
    in_time = Assignment.objects.filter(
        order=OuterRef("pk"),
        role=AssignmentRole.LEAD,
        active=True,
        accepted_at__isnull=False,
        accepted_at__lte=F("dispatched_at")
        + timedelta(hours=settings.GONGKAI_HOTLINE_RESPONSE_HOURS),
    )
    return {
        "responded_in_time": Exists(in_time),
        "callback_resolved": Coalesce(Subquery(latest.values("resolved")[:1]), Value(False)),
        "callback_satisfaction": Coalesce(Subquery(latest.values("satisfaction")[:1]), Value("")),
    }


def rates_tally(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder, dict[str, Any]]:
    """The ``MonthlyTally`` counts of ``orders`` from their stored facts, one row per month of
    receipt and lead organisation: an order counts for the organisation that leads it, unless
    it was merged into another."""
    return (
        orders.filter(lead__isnull=False)
        .exclude(status=Status.MERGED)
        .annotate(month=TruncMonth("received_at", output_field=DateField()))
        .values("month", "lead")
        .annotate(
            orders=Count("id"),
            responded=Count("id", filter=Q(responded_in_time=True)),
            called_back=Count("id", filter=~Q(callback_satisfaction="")),
            resolved=Count("id", filter=Q(callback_resolved=True)),
            satisfied=Count("id", filter=Q(callback_satisfaction=Satisfaction.SATISFIED)),
            basic=Count("id", filter=Q(callback_satisfaction=Satisfaction.BASIC)),
        )
        .order_by()
    )


def monthly_rates(month: date) -> list[OrgRates]:
    """The rates of every organisation that led orders received in ``month``, best score
    first (unmeasured last), read from the rollup (``MonthlyTally``)."""
    basic = settings.GONGKAI_HOTLINE_BASIC_SATISFIED_WEIGHT
    rows = MonthlyTally.objects.filter(month=month.replace(day=1)).select_related("organisation")
    rates = [
        OrgRates(
            organisation=row.organisation,
            orders=row.orders,
            responded=row.responded,
            called_back=row.called_back,
            resolved=row.resolved,
            satisfied=row.satisfied + basic * row.basic,
        )
        for row in rows
    ]
    return sorted(rates, key=lambda r: (r.score is None, -(r.score or 0.0), r.organisation.code))


# ---- Public side: own orders, the message board ----------------------------------------------


def own_orders(user: User | AnonymousUser) -> QuerySet[WorkOrder]:
    """The orders a public user filed from their account (none for anyone else)."""
    if not user.is_authenticated:
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(account_id=user.pk)


def published_messages() -> QuerySet[WorkOrder]:
    """The public message board (网民留言): orders whose caller consented to publication and that
    have been replied to (a reopened order leaves the board until it is replied anew). Only what
    the board shows may be read from them, masked: never the caller's details."""
    return (
        WorkOrder.objects.filter(
            publish_consent=True,
            status__in=(Status.REPLIED, Status.CLOSED),
            replied_at__isnull=False,
        )
        .exclude(reply="")
        .select_related("category", "lead")
        .order_by("-replied_at", "-id")
    )


def rates_trend(month: date, months: int = 6) -> tuple[list[date], dict[int, list[float | None]]]:
    """The score of every organisation in the ``months`` months ending with ``month`` (oldest
    first): the months, and for each organisation's id its scores (None: not measured)."""
    first = month.replace(day=1)
    series = []
    for back in range(months - 1, -1, -1):
        year, index = divmod(first.year * 12 + first.month - 1 - back, 12)
        series.append(date(year, index + 1, 1))
    scores: dict[int, list[float | None]] = {}
    for position, start in enumerate(series):
        for rates in monthly_rates(start):
            row = scores.setdefault(rates.organisation.pk, [None] * months)
            row[position] = rates.score
    return series, scores


# ---- What the learned routing suggestion learns from --------------------------------------


def dispatch_examples(limit: int) -> list[tuple[str, str]]:
    """The ``limit`` latest orders whose lead organisation accepted them — the dispatches that
    proved right — as (request text, where they went in ``routing.target_key``'s terms)."""
    orders = (
        WorkOrder.objects.filter(
            lead__isnull=False,
            status__in=(Status.IN_PROGRESS, Status.REPLIED, Status.CLOSED),
        )
        .select_related("lead", "district")
        .only(
            "title", "content", "street_id", "lead__code", "lead__short_name",
            "lead__parent_id", "district__short_name",
        )
        .order_by("-received_at", "-id")[:limit]
    )  # fmt: skip
    return [(f"{o.title} {o.content}", routing.target_key(o)) for o in orders]


# ---- Staff queues -----------------------------------------------------------------------------


def dispatch_queue(user: User | AnonymousUser) -> QuerySet[WorkOrder]:
    """Orders waiting for a dispatcher of ``user``'s area (received or sent back), oldest first,
    each with ``return_reason``: the reason of its last send-back."""
    last_return = Assignment.objects.filter(
        order=OuterRef("pk"), returned_at__isnull=False
    ).order_by("-returned_at", "-id")
    return (
        centre_orders(user, QUEUES["dispatch"])
        .filter(status__in=AWAITING_DISPATCH)
        .select_related("category", "district", "street")
        .annotate(return_reason=Subquery(last_return.values("return_reason")[:1]))
        .order_by("received_at", "id")
    )


def handler_queue(user: User | AnonymousUser) -> QuerySet[Assignment]:
    """The active assignments of ``user``'s organisations (as 经办人) on open or replied
    orders, soonest due first."""
    scope = org_scope(user, role=Role.HANDLER)
    return (
        Assignment.objects.filter(
            organisation_id__in=scope.ids,
            active=True,
            order__status__in=[*AT_ORGANISATION, Status.REPLIED],
        )
        .select_related("order", "order__category", "organisation")
        .order_by("order__due_at", "order_id", "id")
    )


def call_back_queue(user: User | AnonymousUser) -> QuerySet[WorkOrder]:
    """Replied orders of ``user``'s area (operators and dispatchers call back), oldest reply
    first."""
    orders = centre_orders(user, QUEUES["call-backs"])
    return (
        orders.filter(status=Status.REPLIED)
        .select_related("lead", "category")
        .order_by("replied_at", "id")
    )


def open_supervisions(user: User | AnonymousUser) -> QuerySet[Supervision]:
    """The supervisions under way in ``user``'s area as 督办员, nearest deadline first."""
    orders = centre_orders(user, QUEUES["supervisions"])
    return (
        Supervision.objects.filter(resolved_at__isnull=True, order__in=orders)
        .select_related("order", "order__lead")
        .order_by("deadline", "id")
    )


def pending_extensions(user: User | AnonymousUser) -> QuerySet[ExtensionRequest]:
    """Extension requests awaiting a decision by a dispatcher of ``user``'s area."""
    orders = centre_orders(user, QUEUES["extensions"])
    return (
        ExtensionRequest.objects.filter(approved__isnull=True, order__in=orders)
        .select_related("order", "organisation")
        .order_by("requested_at", "id")
    )


# ---- What an order waits for -------------------------------------------------------------------


def pending_extension(order: WorkOrder) -> ExtensionRequest | None:
    """The order's extension request awaiting a decision (at most one)."""
    return order.extensions.filter(approved__isnull=True).first()


def called_back_since_reply(order: WorkOrder) -> bool:
    """Whether the centre called back after the order's last reply (it may then be closed)."""
    replied = order.replied_at
    return replied is not None and order.callbacks.filter(at__gte=replied).exists()


# ---- Open311 ----------------------------------------------------------------------------------

MERGE_DEPTH = 3
"""How many merges (并单) are followed to find the order that stands for a merged one."""


def leaf_categories() -> QuerySet[Category]:
    """The active categories an order can be filed under: those without children."""
    return (
        Category.objects.filter(is_active=True, children__isnull=True)
        .select_related("parent")
        .order_by("sort_order", "code")
    )


def merge_target(order: WorkOrder) -> WorkOrder:
    """The order whose progress stands for ``order``: itself, or for a merged order the order
    it was merged into (followed up to ``MERGE_DEPTH`` merges)."""
    for _hop in range(MERGE_DEPTH):
        if order.status != Status.MERGED or order.merged_into is None:
            break
        order = order.merged_into
    return order


def _closed(closed: bool) -> Q:
    """Orders whose ``merge_target`` is closed (``closed``) or is not."""
    condition = Q(pk__in=[])
    for depth in range(MERGE_DEPTH + 1):
        merged = {"merged_into__" * d + "status": Status.MERGED for d in range(depth)}
        status = "merged_into__" * depth + "status"
        last = depth == MERGE_DEPTH
        if closed:
            end = Q(**{status: Status.CLOSED})
        else:
            stops = [Status.CLOSED] if last else FINISHED
            end = ~Q(**{f"{status}__in": stops})
        condition |= Q(**merged) & end
    return condition


def public_orders(
    *,
    numbers: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    closed: bool | None = None,
    limit: int,
) -> list[WorkOrder]:
    """Orders for the public Open311 API, newest first: by number, or by category, time of
    receipt and whether they are closed (a merged order as its ``merge_target``)."""
    related = ["merged_into__" * d + "lead" for d in range(MERGE_DEPTH + 1)]
    orders = WorkOrder.objects.select_related("category", *related)
    if numbers is not None:
        orders = orders.filter(number__in=numbers)
    else:
        if service_codes:
            orders = orders.filter(category__code__in=service_codes)
        if start is not None:
            orders = orders.filter(received_at__gte=start)
        if end is not None:
            orders = orders.filter(received_at__lte=end)
        if closed is not None:
            orders = orders.filter(_closed(closed))
    return list(orders.order_by("-received_at", "-id")[:limit])


def last_updates(orders: list[WorkOrder]) -> dict[int, datetime]:
    """The time of each order's latest event, by order id."""
    rows = (
        OrderEvent.objects.filter(order__in=orders)
        .values("order")
        .annotate(last=Max("at"))
        .values_list("order", "last")
    )
    return dict(rows)


def public_events(
    *,
    start: datetime,
    end: datetime,
    numbers: list[str] | None = None,
    limit: int,
) -> list[OrderEvent]:
    """The events of orders between ``start`` and ``end``, oldest first, for the Open311
    service request updates."""
    events = OrderEvent.objects.filter(at__gte=start, at__lte=end).select_related(
        "order", "organisation"
    )
    if numbers is not None:
        events = events.filter(order__number__in=numbers)
    return list(events.order_by("at", "id")[:limit])


# ---- 诉求汇总: duplicate candidates, hot topics and hot places (``topics``) ------------------


@dataclass(frozen=True)
class Duplicate:
    """An order that may be the same request as another one (a candidate for 并单)."""

    order: WorkOrder
    same_caller: bool
    same_place: bool
    similarity: float
    """Of the two texts' words (``topics.similarity``), 0–1."""

    @property
    def reason(self) -> str:
        """Why it is a candidate: 同一来电人, 同一地点 or both."""
        reasons = [_("同一来电人")] * self.same_caller + [_("同一地点")] * self.same_place
        return "、".join(str(reason) for reason in reasons)


def _category_group(order: WorkOrder) -> str:
    """The top-level category (its code's first two digits); "" without a category."""
    return order.category.code[:2] if order.category else ""


def _point(order: WorkOrder) -> tuple[float, float] | None:
    if order.latitude is None or order.longitude is None:
        return None
    return float(order.latitude), float(order.longitude)


def _same_caller(a: WorkOrder, b: WorkOrder) -> bool:
    return bool(
        (a.caller_phone and a.caller_phone == b.caller_phone)
        or (a.caller_email and a.caller_email.lower() == b.caller_email.lower())
        or (a.account_id is not None and a.account_id == b.account_id)
    )


def _same_place(a: WorkOrder, b: WorkOrder) -> bool:
    """The same category group and the same street with a like address, or both located within
    ``GONGKAI_HOTLINE_DUPLICATE_RADIUS_M`` of each other."""
    if not _category_group(a) or _category_group(a) != _category_group(b):
        return False
    street = a.street_id is not None and a.street_id == b.street_id
    if street and topics.same_address(a.address, b.address):
        return True
    here, there = _point(a), _point(b)
    return (
        here is not None
        and there is not None
        and topics.distance_m(here, there) <= settings.GONGKAI_HOTLINE_DUPLICATE_RADIUS_M
    )


def _near_keys(order: WorkOrder) -> set[tuple[object, ...]]:
    """What two orders must share to be compared at all (``_same_caller``, ``_same_place``)."""
    group = _category_group(order)
    keys: set[tuple[object, ...]] = {
        ("phone", order.caller_phone),
        ("email", order.caller_email.lower()),
        ("account", order.account_id),
        ("street", order.street_id, group),
        ("located", group if _point(order) else None),
    }
    return {key for key in keys if all(part not in ("", None) for part in key[1:])}


def _candidate_filter(orders: list[WorkOrder]) -> Q:
    """What may make another order a duplicate of one of ``orders``, as a database filter:
    a caller's phone, e-mail or account, or a street or a box around a point with the category
    group (the texts and addresses are compared afterwards)."""
    phones = {o.caller_phone for o in orders if o.caller_phone}
    emails = {o.caller_email for o in orders if o.caller_email}
    accounts = {o.account_id for o in orders if o.account_id is not None}
    condition = Q(caller_phone__in=phones) | Q(account_id__in=accounts)
    for email in emails:
        condition |= Q(caller_email__iexact=email)
    radius = settings.GONGKAI_HOTLINE_DUPLICATE_RADIUS_M
    for order in orders:
        group = _category_group(order)
        if not group:
            continue
        in_group = Q(category__code__startswith=group)
        if order.street_id is not None:
            condition |= in_group & Q(street_id=order.street_id)
        if (point := _point(order)) is not None:
            lat, lon = topics.degrees_around(point[0], radius)
            condition |= in_group & Q(
                latitude__range=(point[0] - lat, point[0] + lat),
                longitude__range=(point[1] - lon, point[1] + lon),
            )
    return condition


def _duplicates(user: User | AnonymousUser, orders: list[WorkOrder]) -> dict[int, list[Duplicate]]:
    """The duplicate candidates of each of ``orders`` among the orders of ``user``'s area as
    dispatcher that may still be merged into (not closed or merged): received within
    ``GONGKAI_HOTLINE_DUPLICATE_DAYS`` of it, from the same caller or about the same place, with
    a like text (``topics.DUPLICATE_SIMILARITY``); most alike first. One query for all."""
    if not orders:
        return {}
    window = timedelta(days=settings.GONGKAI_HOTLINE_DUPLICATE_DAYS)
    pool = list(
        centre_orders(user, (Role.DISPATCHER,))
        .filter(
            _candidate_filter(orders),
            received_at__gte=min(o.received_at for o in orders) - window,
            received_at__lte=max(o.received_at for o in orders) + window,
        )
        .exclude(status__in=FINISHED)
        .select_related("category")
    )
    _dictionary, segmenter = search_dictionary.current()
    cut: dict[int, list[str]] = {}

    def words(order: WorkOrder) -> list[str]:
        if order.pk not in cut:
            private = (order.caller_name,)
            cut[order.pk] = topics.words(order.content, segmenter=segmenter, private=private)
        return cut[order.pk]

    near: dict[tuple[object, ...], list[WorkOrder]] = {}
    for other in pool:
        for key in _near_keys(other):
            near.setdefault(key, []).append(other)
    found: dict[int, list[Duplicate]] = {}
    for order in orders:
        matches = []
        others = {o.pk: o for key in _near_keys(order) for o in near.get(key, ())}
        for other in others.values():
            if other.pk == order.pk or abs(other.received_at - order.received_at) > window:
                continue
            caller, place = _same_caller(order, other), _same_place(order, other)
            if not (caller or place):
                continue
            alike = topics.similarity(words(order), words(other))
            if alike >= topics.DUPLICATE_SIMILARITY:
                matches.append(Duplicate(other, caller, place, alike))
        matches.sort(key=lambda d: (-d.similarity, d.order.received_at, d.order.pk))
        found[order.pk] = matches
    return found


def duplicate_candidates(user: User | AnonymousUser, order: WorkOrder) -> list[Duplicate]:
    """The orders ``order`` may duplicate, for a dispatcher who may merge it (else none)."""
    if order.status not in AWAITING_DISPATCH or not can_dispatch(user, order):
        return []
    return _duplicates(user, [order])[order.pk]


def annotate_duplicates(user: User | AnonymousUser, orders: list[WorkOrder]) -> list[WorkOrder]:
    """``orders`` (of ``user``'s dispatch queue), each given ``duplicate_count``: how many
    duplicate candidates it has, as an annotation would (one query for the whole list)."""
    found = _duplicates(user, orders)
    for order in orders:
        order.duplicate_count = len(found[order.pk])  # type: ignore[attr-defined]
    return orders


class _Row(NamedTuple):
    """What the hot topics read of an order."""

    pk: int
    number: str
    received_at: datetime
    content: str
    caller_name: str
    caller_phone: str
    caller_email: str
    account_id: int | None
    status: str
    merged_into_id: int | None
    district_id: int | None
    street_id: int | None
    category_id: int | None


@dataclass(frozen=True)
class TopicOrder:
    number: str
    received_at: datetime
    excerpt: str
    """The beginning of its text, personal data masked."""


@dataclass(frozen=True)
class HotTopic:
    words: tuple[str, ...]
    """The label: the topic's heaviest words (never a caller's name or a number)."""
    orders: list[TopicOrder]
    """The orders of the topic, oldest first (not those merged into them)."""
    count: int
    """Its orders, each with the orders merged into it."""
    callers: int
    earlier: int
    """Orders of the previous period of the same length alike to it."""
    places: list[tuple[str, int]]
    """The streets (or districts, where the street is not known) with most orders."""
    categories: list[tuple[str, int]]

    @property
    def change(self) -> int:
        return self.count - self.earlier


@dataclass(frozen=True)
class HotPlace:
    street: Organisation
    category: Category
    count: int
    earlier: int

    @property
    def change(self) -> int:
        return self.count - self.earlier


@dataclass(frozen=True)
class TopicSummary:
    start: date
    end: date
    """The period, both days included."""
    earlier_start: date
    earlier_end: date
    """The previous period of the same length, ending the day before ``start``."""
    orders: int
    """Orders received in the period, merged ones not counted apart."""
    topics: list[HotTopic]
    places: list[HotPlace]


TOPIC_LIMIT = 30
PLACE_LIMIT = 30
EXCERPT_LENGTH = 60


def _caller_key(order: _Row) -> str:
    if order.account_id is not None:
        return f"account:{order.account_id}"
    if order.caller_phone:
        return f"phone:{order.caller_phone}"
    if order.caller_email:
        return f"email:{order.caller_email.lower()}"
    return f"order:{order.pk}"  # an unknown caller counts once per order


def _excerpt(order: _Row) -> str:
    text = privacy.mask(order.content)
    if order.caller_name.strip():
        text = text.replace(order.caller_name.strip(), privacy.mask_name(order.caller_name))
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH] + "…"


class _Period:
    """A period's orders: those that count (``live``), and for each the orders merged into
    it. A merged order whose target is not among them (received in another period, or
    outside the area) counts where its target does."""

    def __init__(self, orders: list[_Row]) -> None:
        self.live = [o for o in orders if o.status != Status.MERGED]
        self.merged: dict[int, list[_Row]] = {o.pk: [] for o in self.live}
        for order in orders:
            if order.status == Status.MERGED and order.merged_into_id in self.merged:
                self.merged[order.merged_into_id].append(order)

    def weight(self, order: _Row) -> int:
        return 1 + len(self.merged[order.pk])

    def per_place(self) -> Counter[tuple[int, int]]:
        """Orders by (street, category), as the automatic supervision groups them."""
        counts: Counter[tuple[int, int]] = Counter()
        for order in self.live:
            if order.street_id is not None and order.category_id is not None:
                counts[order.street_id, order.category_id] += self.weight(order)
        return counts


def topic_summary(
    user: User | AnonymousUser,
    *,
    start: date,
    end: date,
    district: Organisation | None = None,
) -> TopicSummary:
    """诉求汇总 of the orders received from ``start`` to ``end`` (both days included, the site's
    time zone) in ``user``'s area (``topic_orders``), of one district if given: the topics of
    their texts (``topics.hot_topics``) and the streets with the most orders of one category
    (the grouping of the automatic supervision), largest first, each against the previous
    period of the same length. Merged orders count under the order they were merged into.
    Three queries."""
    length = end - start + timedelta(days=1)
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    orders = topic_orders(user).filter(received_at__gte=since - length, received_at__lt=until)
    if district is not None:
        orders = orders.filter(district=district)
    rows = [_Row(*r) for r in orders.order_by("received_at", "id").values_list(*_Row._fields)]
    now = _Period([o for o in rows if o.received_at >= since])
    before = _Period([o for o in rows if o.received_at < since])
    _dictionary, segmenter = search_dictionary.current()

    def cut(order: _Row) -> list[str]:
        return topics.words(order.content, segmenter=segmenter, private=(order.caller_name,))

    found = topics.hot_topics([cut(o) for o in now.live], [cut(o) for o in before.live])
    counted = [(sum(now.weight(now.live[i]) for i in t.members), t) for t in found]
    counted.sort(key=lambda pair: (-pair[0], pair[1].members[0]))
    counts, earlier = now.per_place(), before.per_place()
    hot_places = sorted((-n, s, c) for (s, c), n in counts.items() if n >= 2)[:PLACE_LIMIT]
    chosen = [topic for _count, topic in counted[:TOPIC_LIMIT]]
    members = [now.live[i] for topic in chosen for i in topic.members]
    organisations = Organisation.objects.in_bulk(
        {o.street_id or o.district_id for o in members} | {s for _n, s, _c in hot_places}
    )
    categories = Category.objects.in_bulk(
        {o.category_id for o in members} | {c for _n, _s, c in hot_places}
    )
    return TopicSummary(
        start=start,
        end=end,
        earlier_start=start - length,
        earlier_end=start - timedelta(days=1),
        orders=sum(now.weight(o) for o in now.live),
        topics=[_hot_topic(t, now, before, organisations, categories) for t in chosen],
        places=[
            HotPlace(organisations[s], categories[c], -n, earlier[s, c]) for n, s, c in hot_places
        ],
    )


def _hot_topic(
    topic: topics.Topic,
    now: _Period,
    before: _Period,
    organisations: dict[Any, Organisation],
    categories: dict[Any, Category],
) -> HotTopic:
    members = [now.live[i] for i in topic.members]
    callers = {_caller_key(m) for o in members for m in (o, *now.merged[o.pk])}
    places: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for order in members:
        place = organisations.get(order.street_id or order.district_id)
        places[(place.short_name or place.name) if place else "—"] += now.weight(order)
        category = categories.get(order.category_id)
        kinds[category.name if category else "—"] += now.weight(order)
    return HotTopic(
        words=topic.words,
        orders=[TopicOrder(o.number, o.received_at, _excerpt(o)) for o in members],
        count=sum(now.weight(o) for o in members),
        callers=len(callers),
        earlier=sum(before.weight(before.live[i]) for i in topic.earlier),
        places=places.most_common(3),
        categories=kinds.most_common(3),
    )


def topic_districts(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The districts a user may restrict the hot topics to."""
    districts = Organisation.objects.filter(level=Level.DISTRICT, kind=Kind.GOVERNMENT)
    return topic_scope(user).filter(districts).order_by("sort_order", "code")
