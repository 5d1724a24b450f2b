"""Time of 诉求汇总 (``gongkai.hotline.selectors.topic_summary`` and its page, the duplicate
counts of the dispatch queue) at a realistic size.

Target (hotline issue): the hot-topics page for a month of about 5,000 orders renders in well
under a second.

    flock /tmp/gk_bench.lock .venv/bin/python bench/hotline_topics.py
    flock /tmp/gk_bench.lock .venv/bin/python bench/hotline_topics.py --sizes 5000 20000

**Data.** Orders whose texts are rewordings of the sample requests
(``gongkai/hotline/data/requests.yaml``, made as in ``bench/hotline_routing.py``: another
opening and closing, a clause dropped or added, another district and street), each filed under
its request's category, in the district and street its text names (Beijing's organisations
are loaded). Callers: one in five calls again (a phone number drawn from a small pool). For each
size, that many orders are received in the 30 days up to today and as many in the 30 days
before (the previous period the page compares with); 100 of the month's orders wait in the
dispatch queue, the others are dispatched; about 30 of the waiting ones are an earlier order's
caller calling again about the same matter (its text with another opening and closing).

**Measured**, on SQLite in a temporary directory (the page benchmarks' settings), best of five
rounds after one warm-up: ``topic_summary`` for the last 30 days as a supervisor of the whole
city; the whole page (``GET /12345/gl/rd/`` through the test client: the selector, the form and
the template); ``annotate_duplicates`` for the 100 orders of the dispatch queue. The baseline in
the same run is loading the two periods' orders as model instances with their district, street
and category (one query): what merely listing them would cost. The segmentation of the month's
texts alone (``topics.words``) is shown too. It prints a
Markdown section for ``docs/benchmarks.md`` and exits 1 when the page for 5,000 orders takes a
second or more.
"""

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from scratch import scratch_site

SEED = 20261126
ROUNDS = 5
QUEUE = 100
DUPLICATES = 0.3  # of the queue: an earlier order's caller again, reworded
TARGET_S = 1.0
PERIOD_DAYS = 30


def best(function: Callable[[], Any]) -> float:
    function()  # warm-up
    times = []
    for _round in range(ROUNDS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def load_orders(count: int, rng: random.Random, offset: int) -> None:
    """``count`` orders in the last 30 days and as many in the 30 days before."""
    from django.utils import timezone

    from bench.hotline_routing import PLACE, Variants, labelled_requests
    from gongkai.hotline.models import Category, Channel, Status, WorkOrder
    from gongkai.orgs.models import Level, Organisation

    requests = labelled_requests()
    places = sorted({"".join(m) for r in requests for m in PLACE.findall(r["text"])})
    variants = Variants(requests, places)
    categories = {c.code: c for c in Category.objects.all()}
    districts = {
        (o.short_name or "").removesuffix("政府"): o
        for o in Organisation.objects.filter(level=Level.DISTRICT, kind="government")
    }
    streets = {o.short_name: o for o in Organisation.objects.filter(level=Level.STREET)}
    repeaters = [f"1360000{n:04d}" for n in range(200)]
    now = timezone.now()
    orders = []
    for n in range(2 * count):
        current = n < count
        received = now - timedelta(
            days=rng.uniform(0, PERIOD_DAYS) + (0 if current else PERIOD_DAYS)
        )
        waiting = current and n >= count - QUEUE and offset == 0
        if waiting and rng.random() < DUPLICATES:  # the same caller calls again about it
            earlier = orders[rng.randrange(count - QUEUE)]
            _opener, middle, _closing = variants.parts(earlier.content)
            kind = earlier.request_type
            text = rng.choice(variants.openers[kind]) + "".join(middle)
            orders.append(
                WorkOrder(
                    number=f"B{offset + n:09d}",
                    channel=Channel.PHONE,
                    received_at=received,
                    caller_name=earlier.caller_name,
                    caller_phone=earlier.caller_phone,
                    content=text + rng.choice(variants.closings[kind]),
                    request_type=kind,
                    category=earlier.category,
                    district=earlier.district,
                    street=earlier.street,
                    status=Status.RECEIVED,
                    due_at=received + timedelta(days=7),
                )
            )
            continue
        state = rng.getstate()
        request = rng.choice(variants.requests)  # the request ``make`` rewords
        rng.setstate(state)
        text, _target = variants.make(rng)
        place = PLACE.search(text)
        district = districts.get(place.group(1) if place else request["district"])
        street = streets.get(place.group(2)) if place else None
        if street is not None and district is not None and street.parent_id != district.pk:
            street = None
        phone = rng.choice(repeaters) if rng.random() < 0.2 else f"139{offset + n:08d}"
        orders.append(
            WorkOrder(
                number=f"B{offset + n:09d}",
                channel=Channel.PHONE,
                received_at=received,
                caller_name="王先生",
                caller_phone=phone,
                content=text,
                request_type=request["type"],
                category=categories.get(request["category"]),
                district=district,
                street=street,
                status=Status.RECEIVED if waiting else Status.DISPATCHED,
                due_at=received + timedelta(days=7),
            )
        )
    WorkOrder.objects.bulk_create(orders, batch_size=2000)


def measure_size(user: Any, client: Any, segmenter: Any, size: int) -> dict[str, Any]:
    from django.utils import timezone

    from gongkai.hotline import selectors, topics

    today = timezone.localdate()
    start = today - timedelta(days=PERIOD_DAYS - 1)
    month = selectors.topic_summary(user, start=start, end=today)
    recent = timezone.now() - timedelta(days=PERIOD_DAYS)
    texts = [
        (o.content, o.caller_name)
        for o in selectors.topic_orders(user).filter(received_at__gte=recent)
    ]
    queue = list(selectors.dispatch_queue(user))
    since = timezone.now() - timedelta(days=2 * PERIOD_DAYS)
    marked = selectors.annotate_duplicates(user, queue)

    def fetch() -> None:
        orders = selectors.topic_orders(user).filter(received_at__gte=since)
        list(orders.select_related("district", "street", "category").order_by("received_at"))

    def cut() -> None:
        for content, name in texts:
            topics.words(content, segmenter=segmenter, private=(name,))

    def page() -> None:
        response = client.get("/12345/gl/rd/")
        assert response.status_code == 200, response.status_code

    return {
        "size": size,
        "topics": len(month.topics),
        "largest": month.topics[0].count if month.topics else 0,
        "fetch": best(fetch),
        "cut": best(cut),
        "summary": best(lambda: selectors.topic_summary(user, start=start, end=today)),
        "page": best(page),
        "duplicates": best(lambda: selectors.annotate_duplicates(user, queue)),
        "queue": len(queue),
        "marked": sum(o.duplicate_count > 0 for o in marked),
    }


def measure(args: argparse.Namespace) -> bool:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from gongkai.accounts.models import AccountKind, Role, User
    from gongkai.accounts.services import role_grant
    from gongkai.hotline.services import category_load_reference_data
    from gongkai.orgs.models import Organisation
    from gongkai.orgs.services import org_load_reference_data
    from gongkai.search import dictionary

    call_command("migrate", verbosity=0)
    org_load_reference_data()
    category_load_reference_data()
    city = Organisation.objects.get(code="110000")
    user = User.objects.create_user(username="bench", kind=AccountKind.STAFF, organisation=city)
    for role in (Role.SUPERVISOR, Role.DISPATCHER):
        role_grant(actor=None, user=user, role=role)
    user = User.objects.get(pk=user.pk)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    _dictionary, segmenter = dictionary.current()
    rng = random.Random(SEED)

    rows = []
    loaded = 0
    for size in sorted(args.sizes):
        load_orders(size - loaded, rng, offset=2 * loaded)
        loaded = size
        rows.append(measure_size(user, client, segmenter, size))
    command = " ".join(
        ["flock /tmp/gk_bench.lock .venv/bin/python bench/hotline_topics.py", *sys.argv[1:]]
    )
    print("## 12345 hot topics — `bench/hotline_topics.py`\n")
    print(
        "Target: the hot-topics page for a month of about 5,000 orders in well under "
        f"{TARGET_S:.0f} s.\n"
    )
    print(
        f"Command: `{command}` (SQLite, Beijing's organisations and the category tree loaded; "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}). Best of {ROUNDS} rounds.\n"
    )
    print(
        "| orders in the month (+ as many before) | topics shown (largest) | baseline: fetch both "
        "periods s | cut the month's texts s | `topic_summary` s | page s | page ÷ baseline | "
        f"queue duplicates ({QUEUE} orders) ms |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['size']:,} | {row['topics']} ({row['largest']}) | {row['fetch']:.3f} | "
            f"{row['cut']:.3f} | {row['summary']:.3f} | **{row['page']:.3f}** | "
            f"{row['page'] / row['fetch']:.1f}× | {row['duplicates'] * 1000:.1f} "
            f"({row['marked']} marked) |"
        )
    first = rows[0]
    met = first["page"] < TARGET_S
    print(f"\nThe page for {first['size']:,} orders {'meets' if met else 'MISSES'} the target.")
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5_000, 20_000])
    args = parser.parse_args()
    with scratch_site("topics"):
        met = measure(args)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
