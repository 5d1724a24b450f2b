"""``organisations_merged`` is sent by ``org_merge`` inside its transaction."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from gongkai.core.models import AuditEvent
from gongkai.orgs.errors import OrgError, OrgErrorCode
from gongkai.orgs.models import Kind, Level, Organisation, OrganisationAlias, OrganisationName
from gongkai.orgs.services import org_alias_add, org_create, org_merge
from gongkai.orgs.signals import organisations_merged

REFORM = date(2018, 11, 24)


class StaffMoveFailed(Exception):
    pass


@pytest.fixture
def city(db: None) -> Organisation:
    return org_create(
        actor=None, code="110000", name="北京市人民政府", short_name="市政府",
        level=Level.CITY, kind=Kind.GOVERNMENT,
    )  # fmt: skip


def department(city: Organisation, code: str, name: str) -> Organisation:
    return org_create(
        actor=None, code=code, name=name, level=Level.CITY, kind=Kind.DEPARTMENT, parent=city
    )


@pytest.fixture
def orgs(city: Organisation) -> tuple[Organisation, Organisation, Organisation]:
    return (
        department(city, "110000-GSJ", "北京市工商行政管理局"),
        department(city, "110000-ZJJ", "北京市质量技术监督局"),
        department(city, "110000-SCJGJ", "北京市市场监督管理局"),
    )


@pytest.fixture
def received() -> Iterator[list[dict[str, Any]]]:
    """The keyword arguments of every ``organisations_merged`` sent during the test, with
    what the database held for the sources when the receiver ran."""
    calls: list[dict[str, Any]] = []

    def receiver(sender: type[Organisation], **kwargs: Any) -> None:
        saved = Organisation.objects.filter(pk__in=[s.pk for s in kwargs["sources"]])
        calls.append(
            {
                "sender": sender,
                **kwargs,
                "saved": sorted(saved.values_list("is_active", "successor__code")),
                "last_audit": AuditEvent.objects.latest("seq").action,
            }
        )

    organisations_merged.connect(receiver)
    yield calls
    organisations_merged.disconnect(receiver)


def snapshot() -> tuple[int, int, int, int, int]:
    return (
        Organisation.objects.count(),
        Organisation.objects.filter(is_active=True).count(),
        OrganisationName.objects.filter(valid_to__isnull=True).count(),
        OrganisationAlias.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_merge_sends_the_signal_once_after_it_is_written(
    orgs: tuple[Organisation, ...], received: list[dict[str, Any]]
) -> None:
    gsj, zjj, scj = orgs
    actor = get_user_model().objects.create_user(username="sysadmin", password="Gongkai#2026")

    org_merge(actor=actor, sources=[gsj, zjj], into=scj, effective_on=REFORM, notice="方案")

    assert received == [
        {
            "sender": Organisation,
            "signal": organisations_merged,
            "sources": (gsj, zjj),
            "into": scj,
            "effective_on": REFORM,
            "actor": actor,
            "saved": [(False, "110000-SCJGJ"), (False, "110000-SCJGJ")],
            "last_audit": "orgs.organisation.merge",
        }
    ]
    assert type(received[0]["sources"]) is tuple


def test_a_refused_merge_sends_nothing(
    orgs: tuple[Organisation, ...], received: list[dict[str, Any]]
) -> None:
    gsj, _zjj, scj = orgs

    with pytest.raises(OrgError) as raised:
        org_merge(actor=None, sources=[gsj], into=scj, effective_on=REFORM, notice=" ")

    assert raised.value.code is OrgErrorCode.NOTICE_REQUIRED
    assert received == []


def test_a_failing_receiver_rolls_the_whole_merge_back(orgs: tuple[Organisation, ...]) -> None:
    gsj, zjj, scj = orgs
    before = snapshot()

    def failing(sender: type[Organisation], into: Organisation, actor: Any, **kwargs: Any) -> None:
        org_alias_add(actor=actor, organisation=into, alias="市场监管局")  # written, then undone
        raise StaffMoveFailed

    organisations_merged.connect(failing)
    try:
        with pytest.raises(StaffMoveFailed):
            org_merge(actor=None, sources=[gsj, zjj], into=scj, effective_on=REFORM, notice="方案")
    finally:
        organisations_merged.disconnect(failing)

    assert snapshot() == before
    for source in (gsj, zjj):
        source.refresh_from_db()
        assert (source.is_active, source.successor_id, source.dissolved_on) == (True, None, None)
    assert not scj.aliases.exists()
