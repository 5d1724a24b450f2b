"""Public participation (公众参与): consultations on drafts (意见征集 / 决策预公开) and comments.

A consultation's phase (draft, scheduled, open, closed) is not stored: it follows from whether
it is published and from its opening and closing times (``selectors.consultation_phase``), so
consultations open and close by themselves. Writes go through ``services``; who may do what is
decided in ``permissions``; the period rule is ``periods``.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .periods import MAX_PERIOD_DAYS, Unit

COMMENT_MAX_LENGTH = 5000


class Phase(models.TextChoices):
    """Where a consultation stands, derived from the times (``selectors.consultation_phase``)."""

    DRAFT = "draft", _("未发布")
    SCHEDULED = "scheduled", _("未开始")
    OPEN = "open", _("正在征求意见")
    CLOSED = "closed", _("已截止")


class ConsultationType(models.Model):
    """A kind of consultation and the minimum period it must run (seeded by migration 0002,
    edited by the system administrator in the admin)."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    minimum_period = models.PositiveSmallIntegerField(
        _("最短征求意见期"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PERIOD_DAYS)],
    )
    period_unit = models.CharField(
        _("期限单位"), max_length=20, choices=[(u.value, u.label) for u in Unit]
    )
    legal_basis = models.TextField(_("依据"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("征求意见类型")
        verbose_name_plural = _("征求意见类型")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class Consultation(models.Model):
    """A draft put to the public for comments."""

    title = models.CharField(_("标题"), max_length=200)
    organiser = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("征集单位"),
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    type = models.ForeignKey(
        ConsultationType, verbose_name=_("征求意见类型"), on_delete=models.PROTECT
    )
    explanation = models.TextField(_("起草说明"))
    basis = models.TextField(_("决策依据"), blank=True)
    how_to_comment = models.TextField(_("意见提交方式"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    shortened_reason = models.TextField(
        _("缩短征求意见期的理由"),
        blank=True,
        help_text=_("征求意见期短于该类型的最短期限时必须填写，并向社会公开。"),
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    feedback_published_at = models.DateTimeField(_("意见采纳情况发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("意见征集")
        verbose_name_plural = _("意见征集")
        ordering = ["-opens_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="participation_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Paragraph(models.Model):
    """One paragraph of a consultation's draft, numbered from 1 (comments may point at it)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="paragraphs"
    )
    number = models.PositiveIntegerField(_("段落序号"), validators=[MinValueValidator(1)])
    text = models.TextField(_("内容"))

    class Meta:
        verbose_name = _("草案段落")
        verbose_name_plural = _("草案段落")
        ordering = ["consultation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "number"], name="participation_paragraph_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}#{self.number}"


class Comment(models.Model):
    """A comment from the public. The text as written is kept for the staff; the public see
    ``public_text``, the same with personal data masked. A hidden comment stays, with who hid it
    and why, and is counted on the public page."""

    receipt_no = models.CharField(_("意见编号"), max_length=20, unique=True)
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("意见征集"), on_delete=models.PROTECT, related_name="comments"
    )
    paragraph = models.ForeignKey(
        Paragraph,
        verbose_name=_("针对段落"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="participation_comments",
    )
    text = models.TextField(_("意见内容"), validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])
    public_text = models.TextField(_("公开的意见内容"))
    submitted_at = models.DateTimeField(_("提交时间"))
    hidden_at = models.DateTimeField(_("屏蔽时间"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("屏蔽人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hidden_reason = models.TextField(_("屏蔽理由"), blank=True)

    class Meta:
        verbose_name = _("公众意见")
        verbose_name_plural = _("公众意见")
        ordering = ["submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True, hidden_reason="")
                | (Q(hidden_at__isnull=False) & ~Q(hidden_reason="")),
                name="participation_hidden_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_no

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
