"""The audit log: recording, the hash chain, and its verification against tampering."""

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test import RequestFactory

from gongkai.core.audit import (
    GENESIS_HASH,
    audit_record,
    audit_verify_chain,
    diff_fields,
    event_hash,
    field_values,
)
from gongkai.core.errors import AuditChainBroken, AuditError, AuditErrorCode, ChainProblem
from gongkai.core.middleware import RequestContextMiddleware
from gongkai.core.models import AuditChainHead, AuditEvent, CalendarDay


def record(summary: str = "测试", **kwargs: object) -> AuditEvent:
    return audit_record(actor=None, action="core.test.record", summary=summary, **kwargs)


def execute(sql: str, params: list[object]) -> None:
    """Tamper with the table behind the model's back."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class TestRecord:
    def test_events_form_a_chain(self, db):
        first, second = record("一"), record("二")
        assert (first.seq, second.seq) == (1, 2)
        assert first.prev_hash == GENESIS_HASH
        assert second.prev_hash == first.hash
        head = AuditChainHead.objects.get()
        assert (head.seq, head.hash) == (2, second.hash)
        assert audit_verify_chain() == 2

    def test_actor_snapshot(self, make_user):
        user = make_user("zhao", role="audit_admin")
        event = audit_record(actor=user, action="core.test.record", target=user)
        role, organisation = user.audit_identity()
        assert event.actor_id == user.pk
        assert event.actor_label == "王五（zhao）"
        assert (event.role, event.organisation) == (role, organisation)
        assert event.object_type == "accounts.user"
        assert (event.object_id, event.object_repr) == (str(user.pk), "王五")

    def test_system_actor(self, db):
        event = record()
        assert (event.actor_id, event.actor_label, event.role, event.organisation) == (
            None,
            "系统",
            "",
            "",
        )
        assert (event.object_type, event.object_id, event.object_repr) == ("", "", "")

    def test_changes_are_stored_as_they_read_back(self, db):
        day = CalendarDay.objects.get(date=date(2025, 10, 1))
        event = record(
            changes={
                "when": [date(2025, 1, 1), date(2025, 2, 1)],
                "amount": [Decimal("1.50"), None],
                "ratio": [0.1, 1e20],
                "day": [None, day],
                "tags": [set(), {"b", "a"}],
                "nested": {"z": 1, "a": [1, 2]},
            }
        )
        expected = {
            "when": ["2025-01-01", "2025-02-01"],
            "amount": ["1.50", None],
            "ratio": ["0.1", "1e+20"],
            "day": [None, day.pk],
            "tags": [[], ["a", "b"]],
            "nested": {"z": 1, "a": [1, 2]},
        }
        assert event.changes == expected
        stored = AuditEvent.objects.get(pk=event.pk)
        assert stored.changes == expected
        assert event_hash(stored) == event.hash

    def test_long_texts_are_cut_to_the_columns(self, db):
        event = record(target=CalendarDay(pk=1, date=date(2025, 1, 1), name="节" * 300))
        assert len(event.object_repr) == 200
        assert event_hash(AuditEvent.objects.get(pk=event.pk)) == event.hash

    @pytest.mark.parametrize("action", ["Core.test", "core", "core..x", "core.test.", "核心.测试"])
    def test_bad_action(self, db, action):
        with pytest.raises(AuditError) as caught:
            audit_record(actor=None, action=action)
        assert caught.value.code == AuditErrorCode.BAD_ACTION
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize(
        ("remote_addr", "stored"),
        [("203.0.113.5", "203.0.113.5"), ("2001:DB8::1", "2001:db8::1"), ("not-an-ip", None)],
    )
    def test_ip_comes_from_the_request(self, db, remote_addr, stored):
        events = []
        middleware = RequestContextMiddleware(lambda request: events.append(record()) or None)
        middleware(RequestFactory().get("/", REMOTE_ADDR=remote_addr))
        assert events[0].ip == stored
        assert record().ip is None  # outside a request
        assert audit_verify_chain() == 2

    def test_rows_refuse_change_and_deletion(self, db):
        event = record()
        event.summary = "改"
        with pytest.raises(AuditError, match="审计记录只能追加，不能修改或删除。"):
            event.save()
        with pytest.raises(AuditError):
            event.delete()
        assert AuditEvent.objects.get().summary == "测试"

    def test_recreates_a_missing_head_on_an_empty_log(self, db):
        AuditChainHead.objects.all().delete()
        assert record().seq == 1
        assert audit_verify_chain() == 1

    def test_refuses_to_append_without_a_head(self, db):
        record()
        AuditChainHead.objects.all().delete()
        with pytest.raises(AuditChainBroken) as caught:
            record()
        assert caught.value.code == ChainProblem.HEAD_MISSING


class TestHelpers:
    def test_diff_fields(self):
        before = {"name": "甲", "level": "city", "parent": 1}
        after = {"name": "乙", "level": "city", "sort": 2}
        assert diff_fields(before, after) == {
            "name": ["甲", "乙"],
            "parent": [1, None],
            "sort": [None, 2],
        }
        assert diff_fields(before, before) == {}

    def test_field_values(self, db):
        day = CalendarDay.objects.get(date=date(2025, 9, 28))
        assert field_values(day, ["date", "kind"]) == {"date": date(2025, 9, 28), "kind": "workday"}


class TestVerify:
    @pytest.fixture
    def chain(self, make_user):
        user = make_user()
        return [
            audit_record(actor=user, action="core.test.record", summary=str(i)) for i in range(5)
        ]

    def broken(self) -> AuditChainBroken:
        with pytest.raises(AuditChainBroken) as caught:
            audit_verify_chain()
        return caught.value

    def test_an_intact_chain_passes(self, chain, cli):
        assert audit_verify_chain() == 5
        assert cli("audit", "verify") == (0, "审计链完整：共 5 条记录，校验通过。\n", "")

    def test_an_empty_log_passes(self, db):
        assert audit_verify_chain() == 0

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("summary", "改过"),
            ("actor_label", "别人"),
            ("actor_id", None),
            ("role", "系统管理员"),
            ("organisation", "某机构"),
            ("action", "core.test.other"),
            ("object_type", "core.calendarday"),
            ("object_id", "7"),
            ("object_repr", "某对象"),
            ("changes", {"x": [1, 2]}),
            ("ip", "198.51.100.7"),
            ("occurred_at", datetime(2020, 1, 1, tzinfo=UTC)),
            ("hash", "f" * 64),
        ],
    )
    def test_altering_any_field_is_detected(self, chain, field, value):
        AuditEvent.objects.filter(seq=3).update(**{field: value})
        problem = self.broken()
        assert problem.code == ChainProblem.TAMPERED
        assert problem.params == {"seq": 3, "id": chain[2].pk}

    def test_a_microsecond_is_detected(self, chain):
        AuditEvent.objects.filter(seq=2).update(
            occurred_at=chain[1].occurred_at + timedelta(microseconds=1)
        )
        assert self.broken().params["seq"] == 2

    def test_raw_sql_tampering_is_detected_and_reported_by_the_command(self, chain, cli):
        execute("UPDATE core_auditevent SET summary = %s WHERE seq = %s", ["改过", 4])
        status, out, err = cli("audit", "verify")
        assert (status, out) == (1, "")
        assert (
            f"审计链校验失败：第 4 条审计记录（id={chain[3].pk}）的内容与其哈希不符，记录被改动过。"
            in err
        )
        assert "Traceback" not in err

    def test_altered_prev_hash_breaks_the_link(self, chain):
        AuditEvent.objects.filter(seq=3).update(prev_hash="0" * 64)
        assert self.broken().code == ChainProblem.BROKEN_LINK

    def test_removing_an_event_leaves_a_gap(self, chain):
        execute("DELETE FROM core_auditevent WHERE seq = %s", [2])
        problem = self.broken()
        assert problem.code == ChainProblem.GAP
        assert problem.params == {"seq": 3, "id": chain[2].pk, "expected": 2}

    def test_removing_the_first_event_leaves_a_gap(self, chain):
        execute("DELETE FROM core_auditevent WHERE seq = %s", [1])
        assert self.broken().params == {"seq": 2, "id": chain[1].pk, "expected": 1}

    def test_removing_the_last_events_is_detected_with_the_head(self, chain, cli):
        execute("DELETE FROM core_auditevent WHERE seq >= %s", [4])
        problem = self.broken()
        assert problem.code == ChainProblem.TAIL_MISSING
        assert (
            problem.message == "链头登记共有 5 条审计记录，但最后一条是第 3 条，末尾记录被删除过。"
        )
        assert cli("audit", "verify")[0] == 1

    def test_removing_everything_is_detected(self, chain):
        execute("DELETE FROM core_auditevent", [])
        assert self.broken().code == ChainProblem.TAIL_MISSING

    def test_renumbering_is_detected(self, chain):
        execute("UPDATE core_auditevent SET seq = %s WHERE seq = %s", [6, 5])
        problem = self.broken()
        assert problem.code == ChainProblem.BEYOND_HEAD
        assert problem.params == {"seq": 6, "id": chain[4].pk, "head": 5}

    def test_an_event_inserted_outside_the_chain_is_detected(self, chain):
        forged = AuditEvent(
            seq=6,
            occurred_at=datetime.now(UTC),
            actor_label="系统",
            action="core.test.forged",
            prev_hash=chain[-1].hash,
        )
        forged.hash = event_hash(forged)
        forged.save()
        problem = self.broken()
        assert problem.code == ChainProblem.BEYOND_HEAD
        assert problem.params["seq"] == 6

    def test_a_tampered_head_is_detected(self, chain):
        AuditChainHead.objects.update(hash="e" * 64)
        problem = self.broken()
        assert problem.code == ChainProblem.HEAD_MISMATCH
        assert problem.params == {"seq": 5, "id": chain[4].pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_stay_one_chain():
    """Writers in parallel transactions queue on the head row: no duplicate seq, no fork."""
    writers, per_writer = 8, 10
    start = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(actor=None, action="core.test.concurrent", summary=f"{n}-{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert audit_verify_chain() == writers * per_writer
    assert sorted(AuditEvent.objects.values_list("summary", flat=True)) == sorted(
        f"{n}-{i}" for n in range(writers) for i in range(per_writer)
    )
