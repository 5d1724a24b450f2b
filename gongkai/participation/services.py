"""Writes of public participation: drafting and publishing consultations, comments from the
public and their moderation, and the consultation types edited in the admin.

Publishing checks the period rule (``periods``, through ``selectors.period_check``): a period
shorter than the type's minimum needs a reason, which is published with the consultation. A
consultation published after its opening time opens on publication: its ``opens_at`` becomes the
time of publication, so the period shown and checked is the one the public really has.
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from gongkai.accounts.models import User
from gongkai.core.audit import audit_record, diff_fields, field_values
from gongkai.core.errors import first_problem
from gongkai.core.privacy import mask
from gongkai.orgs.models import Organisation

from .errors import ParticipationError, ParticipationErrorCode
from .models import Comment, Consultation, ConsultationType, Paragraph, Phase
from .permissions import can_comment, can_draft, can_edit, can_moderate, can_publish
from .selectors import consultation_phase, period_check

# The fields of a consultation its staff fill in (the input's, less the paragraphs).
_FIELDS = (
    "title",
    "type",
    "explanation",
    "basis",
    "how_to_comment",
    "opens_at",
    "closes_at",
    "shortened_reason",
)


def current_time() -> datetime:
    """The time every act is checked against (tests replace it)."""
    return timezone.now()


@dataclass(frozen=True)
class ConsultationInput:
    """What staff write for a consultation; ``paragraphs`` are the draft's, in order."""

    title: str
    type: ConsultationType
    explanation: str
    how_to_comment: str
    opens_at: datetime
    closes_at: datetime
    paragraphs: Sequence[str]
    basis: str = ""
    shortened_reason: str = ""


# ---- Consultations ----------------------------------------------------------------------------


def consultation_create(
    *, actor: User, organiser: Organisation, data: ConsultationInput
) -> Consultation:
    """A draft consultation of ``organiser``: not visible until published."""
    if not can_draft(actor, organiser):
        raise ParticipationError(ParticipationErrorCode.PERMISSION_DENIED)
    if not organiser.is_active:
        raise ParticipationError(ParticipationErrorCode.ORGANISATION_CLOSED, name=organiser.name)
    paragraphs = _check_input(data)
    with transaction.atomic():
        consultation = Consultation(organiser=organiser, created_by=actor)
        _fill(consultation, data)
        _full_clean(consultation)
        consultation.save()
        _save_paragraphs(consultation, paragraphs)
        audit_record(
            actor=actor,
            action="participation.consultation.create",
            target=consultation,
            summary=f"新建意见征集：{consultation.title}（{len(paragraphs)} 段）",
        )
    return consultation


def consultation_update(
    *, actor: User, consultation: Consultation, data: ConsultationInput
) -> Consultation:
    """Change a draft, its paragraphs replaced by ``data.paragraphs``."""
    if not can_edit(actor, consultation):
        raise ParticipationError(ParticipationErrorCode.PERMISSION_DENIED)
    paragraphs = _check_input(data)
    with transaction.atomic():
        consultation = _lock(consultation)
        if consultation.published_at is not None:
            raise ParticipationError(ParticipationErrorCode.NOT_DRAFT)
        before = field_values(consultation, _FIELDS)
        old_paragraphs = list(consultation.paragraphs.values_list("text", flat=True))
        _fill(consultation, data)
        _full_clean(consultation)
        consultation.save()
        consultation.paragraphs.all().delete()  # a draft has no comments to point at them
        _save_paragraphs(consultation, paragraphs)
        changes = diff_fields(before, field_values(consultation, _FIELDS))
        if old_paragraphs != paragraphs:
            changes["paragraphs"] = [len(old_paragraphs), len(paragraphs)]
        audit_record(
            actor=actor,
            action="participation.consultation.update",
            target=consultation,
            summary=f"修改意见征集：{consultation.title}",
            changes=changes,
        )
    return consultation


def consultation_publish(*, actor: User, consultation: Consultation) -> Consultation:
    """Make a draft visible. It opens at ``opens_at`` (or now, if that has passed) and closes
    at ``closes_at``; a period below the type's minimum needs ``shortened_reason``."""
    if not can_publish(actor, consultation):
        raise ParticipationError(ParticipationErrorCode.PERMISSION_DENIED)
    with transaction.atomic():
        consultation = _lock(consultation)
        if consultation.published_at is not None:
            raise ParticipationError(ParticipationErrorCode.NOT_DRAFT)
        now = current_time()
        if consultation.closes_at <= now:
            raise ParticipationError(
                ParticipationErrorCode.ALREADY_CLOSED,
                closes_at=_local_text(consultation.closes_at),
            )
        if not consultation.type.is_active:
            raise ParticipationError(
                ParticipationErrorCode.TYPE_INACTIVE, name=consultation.type.name
            )
        opens_at = max(consultation.opens_at, now)
        period = period_check(
            type=consultation.type, opens_at=opens_at, closes_at=consultation.closes_at
        )
        if not period.long_enough and not consultation.shortened_reason.strip():
            raise ParticipationError(
                ParticipationErrorCode.PERIOD_TOO_SHORT,
                type=consultation.type.name,
                minimum=period.minimum,
                days=period.days,
                unit=period.unit.label,
                earliest=_local_text(period.earliest_close),
            )
        before = field_values(consultation, ("opens_at", "published_at"))
        consultation.opens_at = opens_at
        consultation.published_at = now
        _full_clean(consultation)
        consultation.save(update_fields=["opens_at", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action="participation.consultation.publish",
            target=consultation,
            summary=f"发布意见征集：{consultation.title}（征求意见期 {period.days}"
            f"{period.unit.label}{'' if period.long_enough else '，已说明缩短理由'}）",
            changes=diff_fields(before, field_values(consultation, ("opens_at", "published_at"))),
        )
    return consultation


# ---- Comments ---------------------------------------------------------------------------------


def comment_submit(
    *,
    author: User,
    consultation: Consultation,
    text: str,
    paragraph_number: int | None = None,
) -> Comment:
    """A comment from a logged-in public user on an open consultation, optionally on one
    paragraph of its draft. Durable when it returns, with its receipt number."""
    if not can_comment(author):
        raise ParticipationError(ParticipationErrorCode.PERMISSION_DENIED)
    text = text.strip()
    with transaction.atomic():
        consultation = Consultation.objects.get(pk=consultation.pk)  # as stored, not as passed
        now = current_time()
        phase = consultation_phase(consultation, now=now)
        if phase != Phase.OPEN:
            raise ParticipationError(ParticipationErrorCode.NOT_OPEN, phase=phase.label)
        paragraph = None
        if paragraph_number is not None:
            paragraph = consultation.paragraphs.filter(number=paragraph_number).first()
            if paragraph is None:
                raise ParticipationError(
                    ParticipationErrorCode.UNKNOWN_PARAGRAPH, number=paragraph_number
                )
        comment = Comment(
            receipt_no=f"pending-{secrets.token_hex(6)}",
            consultation=consultation,
            paragraph=paragraph,
            author=author,
            text=text,
            public_text=mask(text),
            submitted_at=now,
        )
        _full_clean(comment)
        comment.save()
        comment.receipt_no = f"YJ{timezone.localdate(now).year}{comment.pk:08d}"
        comment.save(update_fields=["receipt_no"])
        audit_record(
            actor=author,
            action="participation.comment.submit",
            target=comment,
            summary=f"提交意见：{consultation.title}"
            + (f" 第 {paragraph.number} 段" if paragraph else ""),
        )
    return comment


def comment_moderate(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Hide a comment from the public page, with the reason. It is kept and counted."""
    if not can_moderate(actor, comment.consultation):
        raise ParticipationError(ParticipationErrorCode.PERMISSION_DENIED)
    reason = reason.strip()
    if not reason:
        raise ParticipationError(ParticipationErrorCode.REASON_REQUIRED)
    with transaction.atomic():
        comment = Comment.objects.select_for_update().get(pk=comment.pk)
        if comment.is_hidden:
            raise ParticipationError(ParticipationErrorCode.ALREADY_HIDDEN)
        comment.hidden_at = current_time()
        comment.hidden_by = actor
        comment.hidden_reason = reason
        _full_clean(comment)
        comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
        audit_record(
            actor=actor,
            action="participation.comment.hide",
            target=comment,
            summary=f"屏蔽意见 {comment.receipt_no}：{reason}",
        )
    return comment


# ---- Consultation types (admin) ---------------------------------------------------------------


@transaction.atomic
# ---- Helpers ----------------------------------------------------------------------------------


def _check_input(data: ConsultationInput) -> list[str]:
    """The draft's paragraphs without blank ones; refuses what the model cannot say."""
    if not data.type.is_active:
        raise ParticipationError(ParticipationErrorCode.TYPE_INACTIVE, name=data.type.name)
    if data.closes_at <= data.opens_at:
        raise ParticipationError(ParticipationErrorCode.CLOSES_BEFORE_OPENS)
    paragraphs = [text.strip() for text in data.paragraphs if text.strip()]
    if not paragraphs:
        raise ParticipationError(ParticipationErrorCode.NO_PARAGRAPHS)
    return paragraphs


def _fill(consultation: Consultation, data: ConsultationInput) -> None:
    for name in _FIELDS:
        value = getattr(data, name)
        setattr(consultation, name, value.strip() if isinstance(value, str) else value)


def _save_paragraphs(consultation: Consultation, paragraphs: list[str]) -> None:
    Paragraph.objects.bulk_create(
        Paragraph(consultation=consultation, number=number, text=text)
        for number, text in enumerate(paragraphs, start=1)
    )


def _lock(consultation: Consultation) -> Consultation:
    return (
        Consultation.objects.select_for_update()
        .select_related("type", "organiser")
        .get(pk=consultation.pk)
    )


def _local_text(moment: datetime) -> str:
    """A time as notices write it: the end of a day as 24:00 of that day, not 00:00 of the next."""
    local = timezone.localtime(moment)
    if local.time() == time.min:
        return f"{(local - timedelta(days=1)):%Y-%m-%d} 24:00"
    return f"{local:%Y-%m-%d %H:%M}"


def _full_clean(instance: Model) -> None:
    """``full_clean`` with its first message as a ``ParticipationError`` (a 400, not a 500)."""
    try:
        instance.full_clean()
    except ValidationError as error:
        field, message = first_problem(instance, error)
        raise ParticipationError(
            ParticipationErrorCode.INVALID, field=field, message=message
        ) from error
