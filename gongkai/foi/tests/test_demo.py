"""The demo applications: what ``gongkai demo`` loads for disclosure on request, and that a
second run changes nothing (on SQLite and PostgreSQL).

The demo is loaded once for the module, as of a fixed day, inside a transaction rolled back at
the end.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from gongkai.accounts.demo import DEMO_PUBLIC_PHONE, load_demo_accounts
from gongkai.core.models import AuditEvent
from gongkai.core.privacy import credit_code_valid, id_card_valid
from gongkai.foi import clock, demo, services
from gongkai.foi.models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    Application,
    ApplicationEvent,
    IdType,
    Letter,
    LetterEnclosure,
    LetterKind,
    Outcome,
)

pytestmark = pytest.mark.usefixtures("beijing")

TODAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def _demo_loaded(
    _beijing_loaded: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[demo.DemoReport]:
    from django.conf import settings

    media, settings.MEDIA_ROOT = settings.MEDIA_ROOT, tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_accounts()
        yield demo.demo_applications(today=TODAY)
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


@pytest.fixture
def loaded(_demo_loaded: demo.DemoReport, db: None) -> demo.DemoReport:
    return _demo_loaded


def counts() -> dict[str, int]:
    return {
        "applications": Application.objects.count(),
        "events": ApplicationEvent.objects.count(),
        "letters": Letter.objects.count(),
        "appeals": Appeal.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def test_every_planned_application_is_loaded(loaded):
    assert loaded.created == loaded.planned == Application.objects.count()
    assert loaded.notes == []
    assert f"演示申请 {loaded.planned} 件" in str(loaded)


def test_a_second_run_changes_nothing(loaded):
    before = counts()
    again = demo.demo_applications(today=TODAY)
    assert again.created == 0
    assert counts() == before


def test_every_outcome_status_and_applicant_type_occurs(loaded):
    assert set(Application.objects.values_list("outcome", flat=True)) == {"", *Outcome.values}
    assert set(Application.objects.values_list("status", flat=True)) == set(clock.Status)
    assert set(Application.objects.values_list("applicant_type", flat=True)) == set(
        ApplicantType.values
    )
    assert set(Application.objects.values_list("channel", flat=True)) == set(clock.Channel)


def test_the_2025_report_has_new_carried_and_closed_applications(loaded):
    new = Application.objects.filter(received_on__year=2025)
    carried_in = Application.objects.filter(received_on__year=2024, closed_on__year=2025)
    carried_out = new.exclude(closed_on__year=2025)
    assert new.count() > 120
    assert carried_in.count() == 8
    assert carried_out.count() == 6
    assert not Application.objects.filter(received_on__year=2024, closed_on__year=2024).exists()


def test_every_appeal_kind_has_every_result(loaded):
    assert set(Appeal.objects.values_list("kind", "result")) == {
        (kind, result) for kind in AppealKind.values for result in AppealResult.values
    }
    for appeal in Appeal.objects.exclude(result=AppealResult.PENDING):
        assert appeal.filed_on <= appeal.decided_on <= TODAY


def test_the_applicants_are_generated_with_valid_numbers(loaded):
    for kind, number in Application.objects.values_list("id_type", "id_number"):
        if kind == IdType.ID_CARD:
            assert id_card_valid(number)
        elif kind == IdType.CREDIT_CODE:
            assert credit_code_valid(number)
    own = Application.objects.filter(account__username=DEMO_PUBLIC_PHONE)
    assert own.count() == 3
    assert own.filter(status=clock.Status.PAUSED_CORRECTION).exists()


def test_fees_follow_both_methods(loaded):
    fees = ApplicationEvent.objects.filter(kind=clock.EventKind.FEE_NOTIFIED)
    per_piece = fees.filter(note__contains="按件计收")
    assert sorted(per_piece.values_list("amount", flat=True)) == [100, 100]
    assert sorted(fees.exclude(pk__in=per_piece).values_list("amount", flat=True)) == [
        600,  # 90 pages: 60 × 10
        1700,  # 150 pages: 70 × 10 + 50 × 20
        20700,  # 650 pages: 70 × 10 + 100 × 20 + 450 × 40
    ]
    assert Application.objects.filter(outcome=Outcome.O2).count() == 2
    assert Application.objects.filter(status=clock.Status.PAUSED_FEE).count() == 1


def test_the_clocks_are_as_the_services_left_them(loaded, monkeypatch):
    monkeypatch.setattr(services, "local_today", lambda: TODAY)
    for application in Application.objects.prefetch_related("events"):
        before = (application.status, application.due_on, application.outcome)
        services.refresh_clock(application)
        assert (application.status, application.due_on, application.outcome) == before


def test_the_letters_are_limited_and_complete(loaded):
    letters = Letter.objects.all()
    assert 30 <= letters.count() <= 45
    assert set(letters.values_list("kind", flat=True)) == set(LetterKind.values)
    replied = set(
        letters.filter(kind=LetterKind.REPLY).values_list("application__outcome", flat=True)
    )
    assert replied == set(Outcome.values)
    for letter in letters:
        assert letter.docx.name
        assert letter.pdf.name
        assert "{" not in letter.text
    assert letters.filter(delivered_on__isnull=False).count() >= letters.count() - 5
    enclosures = LetterEnclosure.objects.all()
    assert enclosures.count() == 2
    for enclosure in enclosures:
        assert enclosure.masked >= 10  # five people, each with an ID number and a phone
