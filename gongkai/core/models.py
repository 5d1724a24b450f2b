"""Core data: the working-day calendar and the append-only audit log."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import AuditError, AuditErrorCode


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    WORKDAY = "workday", _("调休上班日")


class YearSource(models.TextChoices):
    NOTICE = "notice", _("国务院办公厅通知")
    PACKAGE = "package", _("chinesecalendar 数据包")
    ADMIN = "admin", _("管理员录入")


class CalendarDay(models.Model):
    """A day whose status differs from the weekday rule (or that is named in a notice).

    ``kind`` decides: a holiday is never a working day, a make-up workday always is.
    """

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("节日名称"), max_length=50, blank=True, help_text=_("例如：春节"))
    notice = models.CharField(
        _("依据通知"), max_length=200, blank=True, help_text=_("例如：国办发明电〔2024〕12号")
    )

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".rstrip()


class CalendarYear(models.Model):
    """A year whose holiday arrangement is known. Unpublished years are answered provisionally."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    notice = models.CharField(_("依据通知"), max_length=200, blank=True)
    source = models.CharField(
        _("数据来源"),
        max_length=16,
        choices=YearSource.choices,
        help_text=_("该年度节假日安排最近一次整体载入的来源"),
    )
    is_published = models.BooleanField(
        _("已公布"), default=True, help_text=_("未公布的年度按周末和固定法定节日临时推算")
    )

    class Meta:
        verbose_name = _("节假日年度")
        verbose_name_plural = _("节假日年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarRevision(models.Model):
    """One row whose token changes with every calendar write (see ``calendar.py``'s cache)."""

    token = models.UUIDField(_("版本标识"))

    class Meta:
        verbose_name = _("日历版本")
        verbose_name_plural = _("日历版本")

    def __str__(self) -> str:
        return str(self.token)


class AuditEvent(models.Model):
    """One entry of the append-only, hash-chained audit log (see ``audit.py``)."""

    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人账户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("操作人"), max_length=200)
    role = models.CharField(_("角色"), max_length=200, blank=True)
    organisation = models.CharField(_("所属机构"), max_length=200, blank=True)
    action = models.CharField(_("动作"), max_length=100, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象标识"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    summary = models.TextField(_("摘要"), blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    prev_hash = models.CharField(_("前序哈希"), max_length=64)
    hash = models.CharField(_("哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditError(AuditErrorCode.IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditError(AuditErrorCode.IMMUTABLE)


class AuditChainHead(models.Model):
    """The single row naming the last event of the chain; appends lock it first."""

    seq = models.PositiveBigIntegerField(_("最后序号"))
    hash = models.CharField(_("最后哈希"), max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"
