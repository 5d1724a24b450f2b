"""Published messages (网民留言) as a source of the site search (registered in
``HotlineConfig.ready``).

The index holds exactly the orders ``selectors.published_messages`` lists: the caller consented
and the order was replied to. It follows every save of a work order but its creation (a new order
is never replied: intake costs no index work), so a reply adds the message, a reopen (which
clears the reply) removes it and a close keeps it, in the same transaction.
Only what the public board shows is indexed — title, content and reply, masked — never the
caller's name, phone or e-mail.
"""

from collections.abc import Collection, Iterator

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.core.privacy import mask
from gongkai.search.registry import IndexItem, Source

from .models import WorkOrder
from .selectors import published_messages

SOURCE_KEY = "message"
CHUNK = 1000


def message_title(order: WorkOrder) -> str:
    """The public title of a message: its title, else the start of its content; masked (before
    cutting, so that a cut never leaves part of a phone number readable)."""
    return mask(order.title) if order.title else mask(order.content)[:30]


def fetch(keys: Collection[str] | None) -> Iterator[IndexItem]:
    messages = published_messages()
    if keys is not None:
        messages = messages.filter(pk__in=[int(key) for key in keys if key.isdigit()])
    oldest_first = messages.order_by(F("replied_at").asc(), "pk")
    for order in oldest_first.iterator(chunk_size=CHUNK):
        yield IndexItem(
            key=str(order.pk),
            url=reverse("hotline:message", args=[order.number]),
            title=message_title(order),
            body="\n".join((mask(order.content), mask(order.reply))),
            published_at=order.replied_at,
            organisation_id=order.lead_id,
            category=order.category.name if order.category else "",
        )


def count() -> int:
    return published_messages().count()


SOURCE = Source(
    key=SOURCE_KEY,
    label=_("网民留言"),
    fetch=fetch,
    watch={WorkOrder: lambda order: [str(order.pk)]},
    count=count,
    new_items_private=True,  # a new order is not replied yet (``services.order_create``)
)
