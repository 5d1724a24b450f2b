"""Services: drafting, publishing under the period rule, comments and moderation."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from gongkai.core.models import AuditEvent
from gongkai.core.services import reference_row_save
from gongkai.participation import services
from gongkai.participation.errors import ParticipationError, ParticipationErrorCode
from gongkai.participation.models import Comment, Consultation, ConsultationType
from gongkai.participation.tests.conftest import SetNow
from gongkai.participation.tests.support import (
    ID_NUMBER,
    PHONE,
    People,
    at,
    consultation_input,
    draft,
    make_people,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> People:
    return make_people()


def publish(people: People, consultation: Consultation) -> Consultation:
    return services.consultation_publish(actor=people.reviewer, consultation=consultation)


def code_of(excinfo: pytest.ExceptionInfo[ParticipationError]) -> str:
    return excinfo.value.code


# ---- Consultation types -------------------------------------------------------------------------


def test_the_types_are_seeded_with_their_minimum_periods() -> None:
    assert {
        (t.code, t.name, t.minimum_period, t.period_unit) for t in ConsultationType.objects.all()
    } == {
        ("major_decision", "重大行政决策", 30, "calendar_days"),
        ("pre_disclosure", "决策预公开", 5, "working_days"),
        ("normative_document", "行政规范性文件", 30, "calendar_days"),
        ("other", "其他", 7, "calendar_days"),
    }
    assert "第十五条" in ConsultationType.objects.get(code="major_decision").legal_basis


def test_a_changed_type_is_checked_and_audited() -> None:
    kind = ConsultationType.objects.get(code="other")
    kind.minimum_period = 10
    reference_row_save(actor=None, row=kind)
    event = AuditEvent.objects.get(action="participation.consultationtype.save")
    assert event.changes == {"minimum_period": [7, 10]}
    kind.minimum_period = 0
    with pytest.raises(ValidationError):
        reference_row_save(actor=None, row=kind)
    assert ConsultationType.objects.get(code="other").minimum_period == 10


# ---- Drafting -----------------------------------------------------------------------------------


def test_a_handler_drafts_a_consultation_paragraph_by_paragraph(people: People) -> None:
    consultation = draft(
        people, opens_at=at(2025, 9, 1, 9), paragraphs=("第一段", "  ", "第二段 ", "第三段")
    )
    assert consultation.published_at is None
    assert list(consultation.paragraphs.values_list("number", "text")) == [
        (1, "第一段"),
        (2, "第二段"),
        (3, "第三段"),
    ]
    event = AuditEvent.objects.get(action="participation.consultation.create")
    assert (event.actor_id, event.object_id) == (people.handler.pk, str(consultation.pk))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"closes_at": at(2025, 9, 1, 9)}, ParticipationErrorCode.CLOSES_BEFORE_OPENS),
        ({"paragraphs": (" ", "")}, ParticipationErrorCode.NO_PARAGRAPHS),
    ],
)
def test_a_draft_without_a_period_or_text_is_refused(
    people: People, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(ParticipationError) as excinfo:
        draft(people, opens_at=at(2025, 9, 1, 9), **changes)
    assert code_of(excinfo) == code
    assert not Consultation.objects.exists()


def test_a_draft_of_a_disabled_type_is_refused(people: People) -> None:
    ConsultationType.objects.filter(code="other").update(is_active=False)
    with pytest.raises(ParticipationError) as excinfo:
        draft(people, type_code="other", opens_at=at(2025, 9, 1, 9))
    assert code_of(excinfo) == ParticipationErrorCode.TYPE_INACTIVE


def test_a_draft_is_updated_and_its_paragraphs_replaced(people: People, set_now: SetNow) -> None:
    consultation = draft(people, opens_at=at(2025, 9, 1, 9))
    data = consultation_input(opens_at=at(2025, 9, 2, 9), paragraphs=("唯一一段",))
    services.consultation_update(actor=people.handler, consultation=consultation, data=data)
    consultation.refresh_from_db()
    assert consultation.opens_at == at(2025, 9, 2, 9)
    assert list(consultation.paragraphs.values_list("number", "text")) == [(1, "唯一一段")]
    event = AuditEvent.objects.get(action="participation.consultation.update")
    assert event.changes["paragraphs"] == [4, 1]


def test_a_published_consultation_cannot_be_updated(people: People, set_now: SetNow) -> None:
    set_now(at(2025, 8, 25))
    consultation = publish(people, draft(people, opens_at=at(2025, 9, 1, 9)))
    data = consultation_input(opens_at=at(2025, 9, 1, 9), paragraphs=("改写",))
    with pytest.raises(ParticipationError) as excinfo:
        services.consultation_update(actor=people.handler, consultation=consultation, data=data)
    assert code_of(excinfo) == ParticipationErrorCode.NOT_DRAFT
    assert consultation.paragraphs.count() == 4


# ---- Publishing and the period rule -------------------------------------------------------------


def test_a_shortened_period_without_a_reason_is_refused(people: People, set_now: SetNow) -> None:
    set_now(at(2025, 8, 25))
    consultation = draft(people, opens_at=at(2025, 9, 1, 9), closes_at=at(2025, 9, 21))
    with pytest.raises(ParticipationError) as excinfo:
        publish(people, consultation)
    assert code_of(excinfo) == ParticipationErrorCode.PERIOD_TOO_SHORT
    assert excinfo.value.params["days"] == 19
    assert "2025-10-01 24:00" in excinfo.value.message
    consultation.refresh_from_db()
    assert consultation.published_at is None
    assert not AuditEvent.objects.filter(action="participation.consultation.publish").exists()


def test_a_shortened_period_with_a_reason_is_published(people: People, set_now: SetNow) -> None:
    set_now(at(2025, 8, 25))
    consultation = draft(
        people,
        opens_at=at(2025, 9, 1, 9),
        closes_at=at(2025, 9, 21),
        shortened_reason="防汛工作紧急，需在汛期结束前出台。",
    )
    consultation = publish(people, consultation)
    assert consultation.published_at == at(2025, 8, 25)
    assert consultation.opens_at == at(2025, 9, 1, 9)
    event = AuditEvent.objects.get(action="participation.consultation.publish")
    assert event.summary.endswith("（征求意见期 19日，已说明缩短理由）")


def test_thirty_days_to_the_end_of_the_thirtieth_day_is_enough(
    people: People, set_now: SetNow
) -> None:
    set_now(at(2025, 8, 25))
    consultation = publish(
        people, draft(people, opens_at=at(2025, 9, 1, 9), closes_at=at(2025, 10, 2))
    )
    assert consultation.published_at is not None


@pytest.mark.parametrize(
    ("closes_at", "allowed"),
    [(at(2025, 10, 10, 18), False), (at(2025, 10, 11), True)],
)
def test_pre_disclosure_counts_working_days_across_national_day(
    people: People, set_now: SetNow, closes_at: datetime, allowed: bool
) -> None:
    # Opens Fri 26 Sep 2025: 28 Sep (调休), 29, 30 Sep, 9 and 10 Oct are its five working days.
    set_now(at(2025, 9, 20))
    consultation = draft(
        people, type_code="pre_disclosure", opens_at=at(2025, 9, 26, 10), closes_at=closes_at
    )
    if allowed:
        assert publish(people, consultation).published_at == at(2025, 9, 20)
    else:
        with pytest.raises(ParticipationError) as excinfo:
            publish(people, consultation)
        assert excinfo.value.params["days"] == 4
        assert excinfo.value.params["unit"] == "个工作日"


def test_published_after_its_opening_time_it_opens_on_publication(
    people: People, set_now: SetNow
) -> None:
    consultation = draft(people, opens_at=at(2025, 9, 1, 9), closes_at=at(2025, 10, 2))
    set_now(at(2025, 9, 3, 11))  # two days late: 4 Sep … 1 Oct is 28 days
    with pytest.raises(ParticipationError) as excinfo:
        publish(people, consultation)
    assert excinfo.value.params["days"] == 28
    set_now(at(2025, 9, 1, 11))  # the same day: still 30 days
    consultation = publish(people, consultation)
    assert consultation.opens_at == at(2025, 9, 1, 11)
    event = AuditEvent.objects.get(action="participation.consultation.publish")
    assert set(event.changes) == {"opens_at", "published_at"}


def test_a_consultation_past_its_closing_time_is_not_published(
    people: People, set_now: SetNow
) -> None:
    consultation = draft(people, opens_at=at(2025, 9, 1, 9), closes_at=at(2025, 10, 2))
    set_now(at(2025, 10, 2))
    with pytest.raises(ParticipationError) as excinfo:
        publish(people, consultation)
    assert code_of(excinfo) == ParticipationErrorCode.ALREADY_CLOSED


def test_a_consultation_is_published_once(people: People, set_now: SetNow) -> None:
    set_now(at(2025, 8, 25))
    consultation = publish(people, draft(people, opens_at=at(2025, 9, 1, 9)))
    with pytest.raises(ParticipationError) as excinfo:
        publish(people, consultation)
    assert code_of(excinfo) == ParticipationErrorCode.NOT_DRAFT
    assert AuditEvent.objects.filter(action="participation.consultation.publish").count() == 1


# ---- Comments -----------------------------------------------------------------------------------


@pytest.fixture
def published(people: People, set_now: SetNow) -> Consultation:
    """Open from 1 Sep 2025 09:00 to the end of 1 October (2 Oct 00:00)."""
    set_now(at(2025, 8, 25))
    return publish(people, draft(people, opens_at=at(2025, 9, 1, 9), closes_at=at(2025, 10, 2)))


def comment(
    people: People, consultation: Consultation, text: str = "建议延长夜间优惠时段。", **kw: int
) -> Comment:
    return services.comment_submit(
        author=people.citizen, consultation=consultation, text=text, **kw
    )


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (at(2025, 9, 1, 8, 59), "未开始"),
        (at(2025, 10, 2), "已截止"),
        (at(2025, 10, 5, 12), "已截止"),
    ],
)
def test_comments_are_refused_before_opening_and_after_closing(
    people: People, published: Consultation, set_now: SetNow, now: datetime, phase: str
) -> None:
    set_now(now)
    with pytest.raises(ParticipationError) as excinfo:
        comment(people, published)
    assert code_of(excinfo) == ParticipationErrorCode.NOT_OPEN
    assert excinfo.value.message == f"该意见征集{phase}，不能提交意见。"
    assert not Comment.objects.exists()


def test_a_draft_takes_no_comments(people: People, set_now: SetNow) -> None:
    consultation = draft(people, opens_at=at(2025, 9, 1, 9))
    set_now(at(2025, 9, 10))
    with pytest.raises(ParticipationError) as excinfo:
        comment(people, consultation)
    assert excinfo.value.params["phase"] == "未发布"


@pytest.mark.parametrize("now", [at(2025, 9, 1, 9), at(2025, 10, 1, 23, 59)])
def test_a_comment_on_paragraph_three_of_an_open_consultation(
    people: People, published: Consultation, set_now: SetNow, now: datetime
) -> None:
    set_now(now)
    saved = comment(people, published, paragraph_number=3)
    assert saved.paragraph is not None
    assert saved.paragraph.number == 3
    assert saved.receipt_no == f"YJ2025{saved.pk:08d}"
    assert saved.submitted_at == now
    event = AuditEvent.objects.get(action="participation.comment.submit")
    assert event.summary == f"提交意见：{published.title} 第 3 段"


def test_a_comment_on_a_missing_paragraph_is_refused(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    with pytest.raises(ParticipationError) as excinfo:
        comment(people, published, paragraph_number=9)
    assert code_of(excinfo) == ParticipationErrorCode.UNKNOWN_PARAGRAPH
    assert not Comment.objects.exists()


def test_an_empty_comment_is_refused(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    with pytest.raises(ParticipationError) as excinfo:
        comment(people, published, text="   ")
    assert code_of(excinfo) == ParticipationErrorCode.INVALID
    assert excinfo.value.params["field"] == "意见内容"


def test_personal_data_is_kept_for_staff_and_masked_for_the_public(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    text = f"我是东城区居民，身份证号{ID_NUMBER}，电话{PHONE}，建议增加夜间停车位。"
    saved = comment(people, published, text=text)
    assert saved.text == text
    assert saved.public_text == (
        "我是东城区居民，身份证号1101**********1233，电话138****8000，建议增加夜间停车位。"
    )
    event = AuditEvent.objects.get(action="participation.comment.submit")
    assert ID_NUMBER not in event.summary
    assert PHONE not in event.summary


# ---- Moderation ---------------------------------------------------------------------------------


def test_a_hidden_comment_is_kept_with_who_hid_it_and_why(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    saved = comment(people, published, text="广告：代办停车证，联系微信。")
    set_now(at(2025, 9, 11))
    hidden = services.comment_moderate(
        actor=people.reviewer, comment=saved, reason="  与征求意见内容无关的广告。 "
    )
    assert (hidden.hidden_at, hidden.hidden_by, hidden.hidden_reason) == (
        at(2025, 9, 11),
        people.reviewer,
        "与征求意见内容无关的广告。",
    )
    assert Comment.objects.filter(pk=saved.pk, hidden_at__isnull=False).exists()
    assert AuditEvent.objects.filter(action="participation.comment.hide").count() == 1


def test_hiding_needs_a_reason_and_happens_once(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    set_now(at(2025, 9, 10))
    saved = comment(people, published)
    with pytest.raises(ParticipationError) as excinfo:
        services.comment_moderate(actor=people.office, comment=saved, reason=" ")
    assert code_of(excinfo) == ParticipationErrorCode.REASON_REQUIRED
    saved.refresh_from_db()
    assert not saved.is_hidden
    services.comment_moderate(actor=people.office, comment=saved, reason="重复提交。")
    with pytest.raises(ParticipationError) as excinfo:
        services.comment_moderate(actor=people.reviewer, comment=saved, reason="再次屏蔽。")
    assert code_of(excinfo) == ParticipationErrorCode.ALREADY_HIDDEN
    saved.refresh_from_db()
    assert (saved.hidden_by, saved.hidden_reason) == (people.office, "重复提交。")


def test_comments_open_and_close_with_the_times_after_publication(
    people: People, published: Consultation, set_now: SetNow
) -> None:
    """Nothing is flipped by a job: the same consultation takes comments between its times."""
    for now in (at(2025, 9, 1, 8), at(2025, 10, 2)):
        set_now(now)
        with pytest.raises(ParticipationError):
            comment(people, published)
    for now in (at(2025, 9, 1, 9), at(2025, 10, 2) - timedelta(seconds=1)):
        set_now(now)
        comment(people, published)
    assert Comment.objects.count() == 2
