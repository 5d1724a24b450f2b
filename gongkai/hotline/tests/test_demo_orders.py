"""The demo's 12345 orders (loader "hotline.orders"): six months of history with contrasts, and
current orders in every state; loaded once."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from gongkai.hotline import routing
from gongkai.hotline.demo import HOT_SPOT_ORDERS, PHONE_PREFIX
from gongkai.hotline.models import (
    Assignment,
    CallBack,
    ExtensionRequest,
    MonthlyTally,
    OrderEvent,
    Status,
    Supervision,
    SupervisionReason,
    WorkOrder,
)
from gongkai.hotline.selectors import monthly_rates

pytestmark = pytest.mark.django_db
MODELS = (WorkOrder, OrderEvent, Assignment, CallBack, Supervision, ExtensionRequest, MonthlyTally)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_orders():
    call_command("demo", stdout=io.StringIO())
    first = counts()
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert counts() == first
    assert "12345工单：演示工单已存在，未改动。" in out.getvalue()

    now = timezone.now()
    orders = WorkOrder.objects.all()
    # History: about 3,000 closed orders over six months, called back.
    history = orders.filter(received_at__lt=now - timedelta(days=13))
    assert history.count() >= 3000
    assert history.exclude(status=Status.CLOSED).count() <= 6  # the overdue current orders
    oldest = history.order_by("received_at").first()
    assert oldest is not None
    assert oldest.received_at < now - timedelta(days=170)
    assert CallBack.objects.count() > 1500
    # Every state of the current orders.
    assert set(orders.values_list("status", flat=True)) == set(Status)
    open_states = [Status.DISPATCHED, Status.IN_PROGRESS]
    assert orders.filter(status__in=open_states, due_at__lt=now).count() >= 3  # overdue
    assert orders.filter(status=Status.IN_PROGRESS, send_backs__gt=0).exists()  # re-dispatched
    assert orders.filter(status=Status.IN_PROGRESS, reopened__gt=0).count() == 2
    assert orders.filter(status=Status.MERGED, merged_into__isnull=False).count() == 2
    assert orders.filter(answered_directly=True, created_by__isnull=False).count() == 3
    assert ExtensionRequest.objects.filter(approved__isnull=True).count() == 1
    reasons = set(
        Supervision.objects.filter(resolved_at__isnull=True).values_list("reason", flat=True)
    )
    assert reasons == {
        SupervisionReason.MANUAL,
        SupervisionReason.OVERDUE,
        SupervisionReason.REPEATED,
    }
    rated = orders.filter(publish_consent=True, account__isnull=False).exclude(citizen_rating="")
    assert rated.count() == 4
    # Only made-up phone numbers.
    assert not orders.exclude(caller_phone="").exclude(caller_phone__startswith=PHONE_PREFIX)


def test_demo_history_has_contrasts_and_follows_the_catalogue():
    call_command("demo", stdout=io.StringIO())
    now = timezone.now()
    # Organisations differ: among those with enough orders, a wide spread of scores.
    month = (now - timedelta(days=60)).date()
    scores = [r.score for r in monthly_rates(month) if r.orders >= 10 and r.score is not None]
    assert len(scores) >= 5
    assert max(scores) - min(scores) > 25
    # Hot spots: one matter in one street, many times in the last months.
    recent = WorkOrder.objects.filter(received_at__gte=now - timedelta(days=95))
    top = recent.values("street", "category").annotate(n=Count("id")).order_by("-n")[:3]
    assert all(group["n"] >= HOT_SPOT_ORDERS for group in top)
    # The leads are where the dispatch catalogue sends the orders.
    dispatched = WorkOrder.objects.filter(lead__isnull=False).select_related(
        "category", "district", "street"
    )
    sample = list(dispatched.order_by("pk")[:: max(1, dispatched.count() // 200)])
    routed = Counter(routing.route(order).organisation == order.lead for order in sample)
    assert routed == {True: len(sample)}
