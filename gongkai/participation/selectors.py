"""Reads of public participation: phases from the times, the period rule over the calendar, the
public page of a consultation, the staff lists and the overdue-feedback list.

Every function that depends on the time takes ``now``: nothing is stored that a scheduled job
would have to flip when a consultation opens or closes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core import calendar

from . import periods
from .errors import ParticipationError, ParticipationErrorCode
from .models import Comment, Consultation, ConsultationType, Paragraph, Phase
from .permissions import AnyUser, can_manage, managed_consultations


def period_check(
    *, type: ConsultationType, opens_at: datetime, closes_at: datetime
) -> periods.PeriodCheck:
    """The period rule of ``type`` over the working-day calendar, in the site's time zone."""
    snapshot = calendar.snapshot()
    return periods.check_period(
        opens_at,
        closes_at,
        minimum=type.minimum_period,
        unit=periods.Unit(type.period_unit),
        is_workday=lambda day: snapshot.answer(day).is_workday,
        zone=timezone.get_current_timezone(),
    )


def consultation_phase(consultation: Consultation, *, now: datetime) -> Phase:
    if consultation.published_at is None:
        return Phase.DRAFT
    if now < consultation.opens_at:
        return Phase.SCHEDULED
    return Phase.OPEN if now < consultation.closes_at else Phase.CLOSED


def published_consultations() -> QuerySet[Consultation]:
    return Consultation.objects.filter(published_at__isnull=False).select_related(
        "organiser", "type"
    )


def open_consultations(*, now: datetime) -> QuerySet[Consultation]:
    """The consultations taking comments at ``now``, closing soonest first."""
    return (
        published_consultations()
        .filter(opens_at__lte=now, closes_at__gt=now)
        .order_by("closes_at", "pk")
    )


@dataclass(frozen=True)
class PublicComment:
    receipt_no: str
    paragraph_number: int | None
    text: str
    """With personal data masked."""
    submitted_at: datetime


@dataclass(frozen=True)
class PublicView:
    consultation: Consultation
    phase: Phase
    period: periods.PeriodCheck
    paragraphs: list[Paragraph]
    comments: list[PublicComment]
    """The comments not hidden, oldest first."""
    received: int
    hidden: int

    @property
    def shortened(self) -> bool:
        """The period is below the type's minimum: its reason is shown with it."""
        return not self.period.long_enough


def consultation_public_view(*, consultation_id: int, now: datetime) -> PublicView | None:
    """A published consultation as the public see it; None when there is no such one."""
    consultation = published_consultations().filter(pk=consultation_id).first()
    if consultation is None:
        return None
    comments = list(
        consultation.comments.select_related("paragraph").order_by("submitted_at", "pk")
    )
    visible = [comment for comment in comments if not comment.is_hidden]
    return PublicView(
        consultation=consultation,
        phase=consultation_phase(consultation, now=now),
        period=period_check(
            type=consultation.type,
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
        ),
        paragraphs=list(consultation.paragraphs.order_by("number")),
        comments=[
            PublicComment(
                receipt_no=comment.receipt_no,
                paragraph_number=comment.paragraph.number if comment.paragraph else None,
                text=comment.public_text,
                submitted_at=comment.submitted_at,
            )
            for comment in visible
        ],
        received=len(comments),
        hidden=len(comments) - len(visible),
    )


def staff_consultations(*, user: AnyUser) -> QuerySet[Consultation]:
    """The consultations ``user`` works on, drafts included, with ``comment_count`` and
    ``hidden_count``; newest first."""
    return (
        managed_consultations(user)
        .select_related("organiser", "type")
        .annotate(
            comment_count=Count("comments"),
            hidden_count=Count("comments", filter=Q(comments__hidden_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )


def staff_comments(*, user: User, consultation: Consultation) -> QuerySet[Comment]:
    """Every comment of ``consultation`` as written, hidden ones included, for its staff."""
    if not can_manage(user, consultation):
        raise ParticipationError(ParticipationErrorCode.PERMISSION_DENIED)
    return consultation.comments.select_related("paragraph", "author", "hidden_by").order_by(
        "submitted_at", "pk"
    )


def feedback_due_on(consultation: Consultation) -> date:
    """The last day to publish the feedback: ``GONGKAI_PARTICIPATION_FEEDBACK_DAYS`` working
    days after the last day of the consultation (that day not counted)."""
    last_day = periods.last_open_day(consultation.closes_at, zone=timezone.get_current_timezone())
    return calendar.add_workdays(last_day, settings.GONGKAI_PARTICIPATION_FEEDBACK_DAYS)


def feedback_overdue(*, user: AnyUser, now: datetime) -> list[Consultation]:
    """The closed consultations of ``user``'s scope whose feedback is past due, oldest first."""
    today = timezone.localdate(now)
    closed = (
        managed_consultations(user)
        .filter(published_at__isnull=False, closes_at__lte=now, feedback_published_at__isnull=True)
        .select_related("organiser", "type")
        .order_by("closes_at", "pk")
    )
    return [consultation for consultation in closed if feedback_due_on(consultation) < today]
