"""Selectors: phases and open lists from the times, the public view, staff lists, and the
overdue-feedback list."""

from datetime import date, datetime

import pytest
from django.test import override_settings

from gongkai.participation import selectors, services
from gongkai.participation.errors import ParticipationError, ParticipationErrorCode
from gongkai.participation.models import Comment, Consultation, Phase
from gongkai.participation.tests.conftest import SetNow
from gongkai.participation.tests.support import (
    ID_NUMBER,
    PARAGRAPHS,
    People,
    at,
    draft,
    make_people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people()


@pytest.fixture
def published(people: People, set_now: SetNow) -> Consultation:
    """Open from 1 Sep 2025 09:00 to the end of 1 October (2 Oct 00:00)."""
    set_now(at(2025, 8, 25))
    return services.consultation_publish(
        actor=people.reviewer,
        consultation=draft(people, opens_at=at(2025, 9, 1, 9), closes_at=at(2025, 10, 2)),
    )


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (at(2025, 9, 1, 8, 59), Phase.SCHEDULED),
        (at(2025, 9, 1, 9), Phase.OPEN),
        (at(2025, 10, 1, 23, 59), Phase.OPEN),
        (at(2025, 10, 2), Phase.CLOSED),
    ],
)
def test_the_phase_follows_the_times(published: Consultation, now: datetime, phase: Phase) -> None:
    assert selectors.consultation_phase(published, now=now) == phase
    assert selectors.open_consultations(now=now).filter(pk=published.pk).exists() == (
        phase == Phase.OPEN
    )


def test_a_draft_is_never_open_or_public(people: People) -> None:
    consultation = draft(people, opens_at=at(2025, 9, 1, 9))
    assert selectors.consultation_phase(consultation, now=at(2025, 9, 10)) == Phase.DRAFT
    assert not selectors.open_consultations(now=at(2025, 9, 10)).exists()
    assert (
        selectors.consultation_public_view(consultation_id=consultation.pk, now=at(2025, 9, 10))
        is None
    )


def test_open_consultations_close_soonest_first(people: People, published: Consultation) -> None:
    sooner = services.consultation_publish(
        actor=people.office,
        consultation=draft(
            people, type_code="other", opens_at=at(2025, 9, 5, 9), closes_at=at(2025, 9, 20)
        ),
    )
    assert list(selectors.open_consultations(now=at(2025, 9, 10))) == [sooner, published]
    assert list(selectors.open_consultations(now=at(2025, 9, 2))) == [published]
    assert list(selectors.open_consultations(now=at(2025, 9, 25))) == [published]


def comment(people: People, consultation: Consultation, text: str, **kw: int) -> Comment:
    return services.comment_submit(
        author=people.citizen, consultation=consultation, text=text, **kw
    )


def test_the_public_view_shows_visible_comments_masked_and_counts_hidden_ones(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    first = comment(people, published, f"身份证{ID_NUMBER}，夜间收费应当降低。", paragraph_number=3)
    spam = comment(people, published, "代办停车证，加微信。")
    comment(people, published, "支持本办法。")
    services.comment_moderate(actor=people.reviewer, comment=spam, reason="广告。")

    view = selectors.consultation_public_view(consultation_id=published.pk, now=at(2025, 9, 12))

    assert view is not None
    assert view.phase == Phase.OPEN
    assert [(p.number, p.text) for p in view.paragraphs] == list(enumerate(PARAGRAPHS, start=1))
    assert [(c.paragraph_number, c.text) for c in view.comments] == [
        (3, "身份证1101**********1233，夜间收费应当降低。"),
        (None, "支持本办法。"),
    ]
    assert view.comments[0].receipt_no == first.receipt_no
    assert (view.received, view.hidden) == (3, 1)
    assert (view.period.days, view.period.minimum, view.shortened) == (30, 30, False)


def test_the_public_view_flags_a_shortened_period(people: People, set_now: SetNow) -> None:
    set_now(at(2025, 8, 25))
    consultation = services.consultation_publish(
        actor=people.reviewer,
        consultation=draft(
            people,
            opens_at=at(2025, 9, 1, 9),
            closes_at=at(2025, 9, 16),
            shortened_reason="汛期临近，需尽快出台。",
        ),
    )
    view = selectors.consultation_public_view(consultation_id=consultation.pk, now=at(2025, 9, 20))
    assert view is not None
    assert (view.phase, view.period.days, view.shortened) == (Phase.CLOSED, 14, True)
    assert view.consultation.shortened_reason == "汛期临近，需尽快出台。"


def test_staff_lists_are_scoped_and_count_hidden_comments(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    spam = comment(people, published, "广告")
    comment(people, published, "意见")
    services.comment_moderate(actor=people.office, comment=spam, reason="广告。")
    other_draft = draft(people, opens_at=at(2025, 9, 1, 9))

    for user in (people.handler, people.reviewer, people.office):
        rows = list(selectors.staff_consultations(user=user))
        assert rows == [other_draft, published]
        assert [(r.comment_count, r.hidden_count) for r in rows] == [(0, 0), (2, 1)]
    for user in (people.outsider, people.district_office, people.dispatcher, people.citizen):
        assert not selectors.staff_consultations(user=user).exists()


def test_staff_see_comments_as_written_and_others_are_refused(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    text = f"身份证{ID_NUMBER}，建议延长优惠时段。"
    comment(people, published, text)
    for user in (people.handler, people.reviewer, people.office):
        assert [c.text for c in selectors.staff_comments(user=user, consultation=published)] == [
            text
        ]
    for user in (people.outsider, people.district_office, people.citizen):
        with pytest.raises(ParticipationError) as excinfo:
            selectors.staff_comments(user=user, consultation=published)
        assert excinfo.value.code == ParticipationErrorCode.PERMISSION_DENIED


@override_settings(GONGKAI_PARTICIPATION_FEEDBACK_DAYS=15)
def test_feedback_is_due_fifteen_working_days_after_the_last_day(
    people: People, published: Consultation
) -> None:
    # Last day 1 Oct 2025 (closes at 2 Oct 00:00); 2–8 Oct holiday, 9 Oct is working day 1,
    # 10 Oct 2, 11 Oct (调休 Saturday) 3, 13–17 Oct 4–8, 20–24 Oct 9–13, 27 Oct 14, 28 Oct 15.
    assert selectors.feedback_due_on(published) == date(2025, 10, 28)
    assert selectors.feedback_overdue(user=people.office, now=at(2025, 10, 28, 23)) == []
    assert selectors.feedback_overdue(user=people.office, now=at(2025, 10, 29, 9)) == [published]
    assert selectors.feedback_overdue(user=people.outsider, now=at(2025, 10, 29, 9)) == []
    Consultation.objects.filter(pk=published.pk).update(feedback_published_at=at(2025, 10, 20))
    assert selectors.feedback_overdue(user=people.office, now=at(2025, 10, 29, 9)) == []
