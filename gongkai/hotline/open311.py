"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the 12345 work orders,
mounted at ``/open311/v2/``; every resource in JSON (``.json``) and XML (``.xml``).

Resources: ``discovery``, ``services`` (the active leaf categories; ``service_code`` is
``Category.code``), ``services/<code>`` (service definitions), ``requests`` (GET: query; POST:
file a request), ``requests/<id>``, ``tokens/<token>`` and the common ``servicerequestupdates``
extension (an order's ``OrderEvent`` s as updates). Only a POST to ``requests`` writes; CSRF does
not apply to the API. Errors use the spec's format, a list of ``{code, description}`` with a
Chinese description and the HTTP status as code (400, 403, 404, 405).

Choices the spec leaves open:

- Services declare no attributes: ``metadata`` is false and ``services/<code>`` answers a
  definition with an empty ``attributes`` list (rather than a 404, so a client that asks anyway
  learns the service exists). Three optional attributes are understood by every service:
  ``attribute[request_type]`` (a ``RequestType`` value; default ``complaint`` 投诉),
  ``attribute[district]`` and ``attribute[street]`` (organisation codes of a district government
  and of a street or township). ``jurisdiction_id``, when given on a POST, is the code of a
  district or street organisation and fills the matching one; other calls ignore it (one
  jurisdiction per deployment).
- ``service_request_id`` and ``token`` are both the order number: the order is saved before the
  answer. ``account_id`` is null (requests are not tied to an account); ``device_id`` is ignored.
- A request needs ``lat`` and ``long`` or ``address_string``; ``address_id`` and ``zipcode``
  are not stored (there is no address register), ``media_url`` is neither fetched nor stored
  (intranets must not reach out), and the answers give them empty.
- The caller's name is ``last_name`` then ``first_name`` (Chinese order). Phone or e-mail is
  required so that the order can be replied to and called back.
- A request filed here is public by the nature of the API (``publish_consent``); for orders
  from other channels the description and the reply are given only when the caller consented
  to publication. Every text is masked (``core.privacy.mask``, and the caller's own name, phone
  and e-mail are blanked out); the caller's details are never given.
- A merged order (并单) reports the status, notes, agency, update and expected times of the
  order it was merged into (``selectors.merge_target``).
- ``status`` is closed for a closed order and open otherwise (a replied order awaits its
  call-back). An update's status is closed after an answer or a close, open after anything
  else; its description is the event's kind and organisation, with the text only for answers,
  replies and extensions (internal notes, send-back reasons and call-back notes stay inside).
- Without ``start_date``/``end_date`` a query covers the last 90 days; at most 1000 results.
"""

import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import re_path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from gongkai.core.errors import CoreError
from gongkai.core.privacy import mask, mask_contact
from gongkai.orgs.models import Level, Organisation

from . import selectors, services
from .errors import HotlineErrorCode
from .models import Category, Channel, EventKind, OrderEvent, RequestType, Status, WorkOrder

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-26T00:00:00+08:00"
"""When this API's description (discovery) last changed."""
FORMATS = {"json": "application/json", "xml": "text/xml"}
DEFAULT_DAYS = 90
MAX_RESULTS = 1000
MAX_DESCRIPTION = 4000
CLOSING_EVENTS = frozenset({EventKind.ANSWERED, EventKind.CLOSED})
PUBLIC_EVENT_TEXT = frozenset({EventKind.ANSWERED, EventKind.REPLIED, EventKind.EXTENDED})
XML_ITEMS = {
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "errors": "error",
    "services": "service",
    "service_requests": "request",
    "service_request_updates": "request_update",
}
"""The element of each item of an XML list."""


class Refusal(Exception):
    """A request the API answers with an error (HTTP ``status``, Chinese ``description``)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status, self.description = status, description


# ---- Rendering --------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(tag: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, list):
        element.extend(_element(XML_ITEMS[tag], item) for item in value)
    else:
        element.text = _text(value)
    return element


def _render(fmt: str, root: str, data: Any, status: int = 200) -> HttpResponse:
    """``data`` as JSON, or as XML under the element ``root`` (a list's items named by
    ``XML_ITEMS``)."""
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False).encode()
    else:
        body = ElementTree.tostring(_element(root, data), encoding="UTF-8", xml_declaration=True)
    return HttpResponse(body, status=status, content_type=f"{FORMATS[fmt]}; charset=utf-8")


def _when(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset of the site's time zone."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def endpoint(*methods: str) -> Callable[[Callable[..., Any]], Callable[..., HttpResponse]]:
    """Wrap a resource: refuse other methods (GET allows HEAD), turn refusals into the spec's
    errors. CSRF does not apply: the API ignores the session (a request is filed with no
    account), and only the POST of ``requests`` writes."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
        def wrapped(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            try:
                if request.method not in allowed:
                    raise Refusal(405, _("不支持该请求方法。"))
                root, data = view(request, fmt=fmt, **kwargs)
                return _render(fmt, root, data)
            except Refusal as refusal:
                error = {"code": refusal.status, "description": refusal.description}
                response = _render(fmt, "errors", [error], status=refusal.status)
                if refusal.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response

        wrapped.__name__ = view.__name__
        wrapped.__doc__ = view.__doc__
        return csrf_exempt(wrapped)

    return decorate


# ---- Reading what the public may see ----------------------------------------------------------


def _blanked(value: str) -> str:
    """A mobile number or e-mail address masked as elsewhere; anything else (a name, a
    landline) reduced to its first character."""
    masked = mask_contact(value)
    return masked if masked != value else value[0] + "*" * (len(value) - 1)


def _public_text(order: WorkOrder, text: str) -> str:
    """``text`` without personal data: the caller's own details blanked, then masked."""
    for value in (order.caller_name, order.caller_phone, order.caller_email):
        if len(value) >= 2:
            text = text.replace(value, _blanked(value))
    return mask(text)


def _status(order: WorkOrder) -> str:
    return "closed" if order.status == Status.CLOSED else "open"


def _notice(order: WorkOrder) -> str:
    if order.status == Status.CLOSED:
        return ""
    due = f"{timezone.localtime(order.due_at):%Y-%m-%d %H:%M}"
    return _("按规定时限办理，预计 %(due)s 前办结。") % {"due": due}


def _status_notes(order: WorkOrder, target: WorkOrder) -> str:
    notes = str(Status(target.status).label)
    if target.pk != order.pk:
        notes = _("已并入工单 %(number)s（%(status)s）") % {
            "number": target.number,
            "status": notes,
        }
    if target.reply and target.publish_consent:
        notes += "：" + _public_text(target, target.reply)
    return notes


def _request(order: WorkOrder, updated: dict[int, datetime]) -> dict[str, Any]:
    target = selectors.merge_target(order)
    category = order.category
    return {
        "service_request_id": order.number,
        "status": _status(target),
        "status_notes": _status_notes(order, target),
        "service_name": category.name if category else "",
        "service_code": category.code if category else "",
        "description": _public_text(order, order.content) if order.publish_consent else "",
        "agency_responsible": target.lead.name if target.lead else "",
        "service_notice": _notice(target),
        "requested_datetime": _when(order.received_at),
        "updated_datetime": _when(updated.get(target.pk, target.received_at)),
        "expected_datetime": _when(target.due_at),
        "address": _public_text(order, order.address),
        "address_id": "",
        "zipcode": "",
        "lat": _number(order.latitude),
        "long": _number(order.longitude),
        "media_url": "",
    }


def _requests(orders: list[WorkOrder]) -> list[dict[str, Any]]:
    targets = [selectors.merge_target(order) for order in orders]
    updated = selectors.last_updates(targets)
    return [_request(order, updated) for order in orders]


def _update(event: OrderEvent) -> dict[str, Any]:
    order = event.order
    description = str(EventKind(event.kind).label)
    if event.organisation is not None:
        description += f"（{event.organisation.name}）"
    if event.kind in PUBLIC_EVENT_TEXT and event.text and order.publish_consent:
        description += "：" + _public_text(order, event.text)
    return {
        "update_id": str(event.pk),
        "service_request_id": order.number,
        "status": "closed" if event.kind in CLOSING_EVENTS else "open",
        "updated_datetime": _when(event.at),
        "description": description,
        "media_url": "",
    }


def _service(category: Category) -> dict[str, Any]:
    group = category.parent.name if category.parent else ""
    handler = _("由所在街道（乡镇）办理") if category.local else _("由主管部门办理")
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": f"{group}：{category.name}，{handler}" if group else category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(name for name in (group, category.name) if name),
        "group": group,
    }


# ---- Parsing ----------------------------------------------------------------------------------


def _moment(request: HttpRequest, name: str) -> datetime | None:
    value = request.GET.get(name, "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        raise Refusal(
            400,
            _("%(name)s“%(value)s”无效，应为 ISO 8601 时间，例如 2026-11-01T08:00:00+08:00。")
            % {"name": name, "value": value},
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _span(request: HttpRequest) -> tuple[datetime, datetime]:
    """``start_date`` to ``end_date``; by default the ``DEFAULT_DAYS`` up to now."""
    end = _moment(request, "end_date") or timezone.now()
    start = _moment(request, "start_date") or end - timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise Refusal(400, _("start_date 不能晚于 end_date。"))
    return start, end


def _list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def _coordinate(request: HttpRequest, name: str, bound: int) -> Decimal | None:
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > bound:
        raise Refusal(
            400,
            _("%(name)s“%(value)s”无效，应为 -%(bound)d 至 %(bound)d 之间的数。")
            % {"name": name, "value": value, "bound": bound},
        )
    return number.quantize(Decimal("0.000001"))


@dataclass
class _Place:
    district: Organisation | None = None
    street: Organisation | None = None


def _place(request: HttpRequest) -> _Place:
    """The district and street of a new request (``jurisdiction_id``, ``attribute[district]``,
    ``attribute[street]``; one query for all); a street's district is its parent."""
    given = [
        (request.POST.get("jurisdiction_id", "").strip(), (Level.DISTRICT, Level.STREET)),
        (request.POST.get("attribute[district]", "").strip(), (Level.DISTRICT,)),
        (request.POST.get("attribute[street]", "").strip(), (Level.STREET,)),
    ]
    codes = [code for code, _levels in given if code]  # none: no query
    organisations = Organisation.objects.select_related("parent").filter(
        code__in=codes, is_active=True
    )
    found = {organisation.code: organisation for organisation in organisations}
    place = _Place()
    for code, levels in given:
        if not code:
            continue
        organisation = found.get(code)
        if organisation is None or organisation.level not in levels:
            raise Refusal(
                400, _("行政区划代码“%(code)s”无效或不是区、街道（乡镇）。") % {"code": code}
            )
        if organisation.level == Level.STREET:
            place.street = organisation
        else:
            place.district = organisation
    parent = place.street.parent if place.street is not None else None
    if place.district is None and parent is not None and parent.level == Level.DISTRICT:
        place.district = parent
    return place


def _caller_name(request: HttpRequest) -> str:
    first = request.POST.get("first_name", "").strip()
    last = request.POST.get("last_name", "").strip()
    if all(ord(char) > 0x2E7F for char in first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def _check_key(request: HttpRequest) -> None:
    keys: list[str] = settings.GONGKAI_OPEN311_API_KEYS
    if not keys:
        return
    given = request.POST.get("api_key", "").encode()
    if not any(hmac.compare_digest(given, key.encode()) for key in keys):
        raise Refusal(403, _("api_key 缺失或无效。"))


def _intake(request: HttpRequest) -> services.Intake:
    post = request.POST
    code = post.get("service_code", "").strip()
    category = selectors.leaf_categories().filter(code=code).first() if code else None
    if category is None:
        raise Refusal(400, _("service_code“%(code)s”不是可受理的诉求类别。") % {"code": code})
    description = post.get("description", "").strip()
    if not description:
        raise Refusal(400, _("请填写诉求内容（description）。"))
    if len(description) > MAX_DESCRIPTION:
        raise Refusal(400, _("诉求内容不能超过 %(limit)d 字。") % {"limit": MAX_DESCRIPTION})
    latitude = _coordinate(request, "lat", 90)
    longitude = _coordinate(request, "long", 180)
    address = post.get("address_string", "").strip()
    if (latitude is None) != (longitude is None) or (latitude is None and not address):
        raise Refusal(400, _("请提供位置：经纬度（lat 和 long）或地址（address_string）。"))
    request_type = post.get("attribute[request_type]", "").strip() or RequestType.COMPLAINT
    if request_type not in RequestType.values:
        choices = "、".join(f"{value}（{label}）" for value, label in RequestType.choices)
        raise Refusal(400, _("诉求类型无效，可选：%(choices)s。") % {"choices": choices})
    place = _place(request)
    return services.Intake(
        content=description,
        request_type=request_type,
        category=category,
        caller_name=_caller_name(request),
        caller_phone=post.get("phone", "").strip(),
        caller_email=post.get("email", "").strip(),
        district=place.district,
        street=place.street,
        address=address,
        latitude=latitude,
        longitude=longitude,
        publish_consent=True,
    )


# ---- Resources --------------------------------------------------------------------------------


@endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> tuple[str, Any]:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    keys = _("提交诉求须使用政务服务管理部门发放的 api_key。")
    return "discovery", {
        "changeset": CHANGESET,
        "contact": _("12345 政务服务便民热线"),
        "key_service": keys if settings.GONGKAI_OPEN311_API_KEYS else _("提交诉求无需 api_key。"),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rsplit("/", 1)[0],
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS.values()),
            }
        ],
    }


@endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> tuple[str, Any]:
    return "services", [_service(category) for category in selectors.leaf_categories()]


@endpoint("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> tuple[str, Any]:
    if not selectors.leaf_categories().filter(code=code).exists():
        raise Refusal(404, _("没有编码为“%(code)s”的诉求类别。") % {"code": code})
    return "service_definition", {"service_code": code, "attributes": []}


@endpoint("GET", "POST")
def request_list(request: HttpRequest, fmt: str) -> tuple[str, Any]:
    if request.method == "POST":
        return "service_requests", [_create(request)]
    numbers = _list(request.GET.get("service_request_id", ""))
    if numbers:
        orders = selectors.public_orders(numbers=numbers[:MAX_RESULTS], limit=MAX_RESULTS)
        return "service_requests", _requests(orders)
    status = set(_list(request.GET.get("status", "")))
    if not status <= {"open", "closed"}:
        raise Refusal(400, _("status 只能是 open 或 closed。"))
    start, end = _span(request)
    orders = selectors.public_orders(
        service_codes=_list(request.GET.get("service_code", "")),
        start=start,
        end=end,
        closed=("closed" in status) if len(status) == 1 else None,
        limit=MAX_RESULTS,
    )
    return "service_requests", _requests(orders)


def _create(request: HttpRequest) -> dict[str, Any]:
    """File the request; the order is saved before it is acknowledged."""
    _check_key(request)
    intake = _intake(request)
    try:
        order = services.order_create(actor=None, channel=Channel.API, intake=intake)
    except CoreError as error:
        denied = error.code == HotlineErrorCode.PERMISSION_DENIED
        raise Refusal(403 if denied else 400, error.message) from error
    notice = _("诉求已受理，工单编号 %(number)s，预计 %(due)s 前办结。") % {
        "number": order.number,
        "due": f"{timezone.localtime(order.due_at):%Y-%m-%d %H:%M}",
    }
    return {
        "service_request_id": order.number,
        "token": order.number,
        "service_notice": notice,
        "account_id": None,
    }


def _one(number: str) -> WorkOrder:
    orders = selectors.public_orders(numbers=[number], limit=1)
    if not orders:
        raise Refusal(404, _("没有编号为“%(number)s”的工单。") % {"number": number})
    return orders[0]


@endpoint("GET")
def request_detail(request: HttpRequest, fmt: str, number: str) -> tuple[str, Any]:
    return "service_requests", _requests([_one(number)])


@endpoint("GET")
def token_detail(request: HttpRequest, fmt: str, token: str) -> tuple[str, Any]:
    order = _one(token)
    return "service_requests", [{"service_request_id": order.number, "token": token}]


@endpoint("GET")
def updates(request: HttpRequest, fmt: str) -> tuple[str, Any]:
    start, end = _span(request)
    numbers = _list(request.GET.get("service_request_id", "")) or None
    events = selectors.public_events(start=start, end=end, numbers=numbers, limit=MAX_RESULTS)
    return "service_request_updates", [_update(event) for event in events]


FMT = r"\.(?P<fmt>json|xml)$"
KEY = r"(?P<{}>[0-9A-Za-z_-]{{1,40}})"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, discovery, name="discovery"),
    re_path(r"^services" + FMT, service_list, name="services"),
    re_path(r"^services/" + KEY.format("code") + FMT, service_definition, name="service"),
    re_path(r"^requests" + FMT, request_list, name="requests"),
    re_path(r"^requests/" + KEY.format("number") + FMT, request_detail, name="request"),
    re_path(r"^tokens/" + KEY.format("token") + FMT, token_detail, name="token"),
    re_path(r"^servicerequestupdates" + FMT, updates, name="updates"),
]
