"""The audit log: every service of every app records what it changed, in its own transaction.

Events form a hash chain: ``hash = sha256(prev_hash + canonical(event))`` where the canonical
form is sorted-key compact JSON of the fields listed in ``_canonical`` (``occurred_at`` as an ISO
datetime in UTC with microseconds), so it reads back identically from SQLite and PostgreSQL. The
first event's ``prev_hash`` is ``GENESIS_HASH``.

Appends are serialised by the one-row ``AuditChainHead`` table: ``audit_record`` UPDATEs it first
(a write lock on SQLite, a row lock on PostgreSQL, held until the caller's transaction ends)
and reads it back in the same statement (``RETURNING``), then inserts the event and moves the
head to it. The head also lets ``audit_verify_chain`` notice that the last events were removed.
"""

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC
from typing import Any, Protocol, runtime_checkable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from .errors import AuditChainBroken, AuditError, AuditErrorCode, ChainProblem
from .middleware import current_request_context
from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64
_HEAD_PK = 1
_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")

_MAX_LENGTHS = {f.name: f.max_length for f in AuditEvent._meta.concrete_fields if f.max_length}

Actor = AbstractBaseUser | AnonymousUser | None
"""Who acts: a user, or None (or an anonymous user) for the system / command line."""


@runtime_checkable
class AuditActor(Protocol):
    """Implemented by the user model so that core can snapshot who acted in what capacity."""

    def audit_identity(self) -> tuple[str, str]:
        """(role label, organisation label) at the time of the event; empty strings if none."""
        ...

    def audit_label(self) -> str:
        """How the audit log names this user (personal data such as a phone number masked)."""
        ...


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    changes: Mapping[str, object] | None = None,
) -> AuditEvent:
    """Append one event. Call it inside the service's transaction, after the change.

    ``actor`` is the acting user; ``None`` (or an anonymous user) records the system.
    ``action`` is dotted lower-case, starting with the app label: ``app.model.verb`` (e.g.
    ``orgs.organisation.rename``) or ``app.verb``. ``changes`` maps
    field names to ``[old, new]`` (see ``diff_fields``); values are stored as JSON (dates and
    decimals as text, model instances as their primary key).
    """
    if not _ACTION.fullmatch(action) or len(action) > _MAX_LENGTHS["action"]:
        raise AuditError(AuditErrorCode.BAD_ACTION, value=action)
    user = actor if actor is not None and actor.is_authenticated else None
    role, organisation = user.audit_identity() if isinstance(user, AuditActor) else ("", "")
    with transaction.atomic(savepoint=False):
        head = _lock_head()
        event = AuditEvent(
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=user.pk if user is not None else None,
            actor_label=_fit("actor_label", _actor_label(user)),
            role=_fit("role", role),
            organisation=_fit("organisation", organisation),
            action=action,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=_fit("object_id", str(target.pk)) if target is not None else "",
            object_repr=_fit("object_repr", str(target)) if target is not None else "",
            summary=summary,
            changes=_as_json(dict(changes or {})),
            ip=_request_ip(),
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=_HEAD_PK).update(seq=event.seq, hash=event.hash)
    return event


def diff_fields(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value differs; a missing field is None."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(before.keys() | after.keys())
        if before.get(name) != after.get(name)
    }


def field_values(instance: models.Model, fields: Iterable[str]) -> dict[str, object]:
    """The current values of ``fields`` (foreign keys as ids), e.g. to feed ``diff_fields``."""
    by_name = {field.name: field for field in instance._meta.concrete_fields}
    return {name: by_name[name].value_from_object(instance) for name in fields}


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256((event.prev_hash + _canonical(event)).encode("utf-8")).hexdigest()


def audit_verify_chain() -> int:
    """Check every event and the head; return the number of events.

    Raises ``AuditChainBroken`` naming the first bad event when a row was altered (any field),
    removed (a gap in ``seq``, or the last rows gone according to the head) or inserted outside
    the chain.
    """
    head = AuditChainHead.objects.filter(pk=_HEAD_PK).first()
    prev_hash, count, last = GENESIS_HASH, 0, None
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        where = {"seq": event.seq, "id": event.pk}
        if head is not None and event.seq > head.seq:
            raise AuditChainBroken(ChainProblem.BEYOND_HEAD, head=head.seq, **where)
        if event.seq != count + 1:
            raise AuditChainBroken(ChainProblem.GAP, expected=count + 1, **where)
        if event.prev_hash != prev_hash:
            raise AuditChainBroken(ChainProblem.BROKEN_LINK, **where)
        if event_hash(event) != event.hash:
            raise AuditChainBroken(ChainProblem.TAMPERED, **where)
        prev_hash, count, last = event.hash, event.seq, event
    if head is None:
        if count:
            raise AuditChainBroken(ChainProblem.HEAD_MISSING, count=count)
        return 0
    if head.seq > count:
        raise AuditChainBroken(ChainProblem.TAIL_MISSING, head=head.seq, last=count)
    if last is not None and head.hash != last.hash:
        raise AuditChainBroken(ChainProblem.HEAD_MISMATCH, seq=last.seq, id=last.pk)
    return count


def _canonical(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "role": event.role,
        "organisation": event.organisation,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "summary": event.summary,
        "changes": event.changes,
        "ip": event.ip,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _lock_head() -> AuditChainHead:
    """Take the chain's lock by updating the head row and read it in the same statement
    (created on first use if missing)."""
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET seq = seq WHERE id = %s RETURNING seq, hash", [_HEAD_PK]
        )
        row = cursor.fetchone()
    if row is not None:
        return AuditChainHead(pk=_HEAD_PK, seq=row[0], hash=row[1])
    count = AuditEvent.objects.count()
    if count:
        raise AuditChainBroken(ChainProblem.HEAD_MISSING, count=count)
    return AuditChainHead.objects.create(pk=_HEAD_PK, seq=0, hash=GENESIS_HASH)


def _actor_label(user: AbstractBaseUser | None) -> str:
    if user is None:
        return gettext("系统")
    if isinstance(user, AuditActor):
        return user.audit_label()
    name, username = str(user), user.get_username()
    return username if name == username else f"{name}（{username}）"


def _fit(field: str, value: str) -> str:
    """Cut ``value`` to the column's length (snapshots must never make the service fail)."""
    return value[: _MAX_LENGTHS[field]]


def _request_ip() -> str | None:
    context = current_request_context()
    if context is None or not context.ip:
        return None
    try:
        ip: str = AuditEvent._meta.get_field("ip").clean(context.ip, None)
    except ValidationError:
        return None
    return ip


class _Encoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, models.Model):
            return o.pk
        if isinstance(o, set | frozenset):
            return sorted(o, key=str)
        return super().default(o)


def _as_json(value: dict[str, object]) -> dict[str, Any]:
    """``value`` as it will read back from the database: plain JSON, floats kept as text.

    Floats become strings because PostgreSQL's jsonb may print them differently (1e20 comes back
    as an integer) and refuses NaN, either of which would break the chain.
    """
    text = json.dumps(value, cls=_Encoder)
    result: dict[str, Any] = json.loads(text, parse_float=str, parse_constant=str)
    return result
