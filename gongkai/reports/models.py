"""The annual report on government information disclosure (政府信息公开工作年度报告) of an
organisation for a year.

Staff write the narrative and enter the cells of table 二 the platform does not count; tables
三 and 四 are computed from the applications and appeals of ``foi`` whenever the report is shown
(``selectors.report_figures``) and frozen into ``frozen`` when it is submitted for publication.
It is published as a document of ``publishing`` (``document``); where it stands follows from
that document (``selectors.report_stage``). Writes go through ``services``.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2021
"""The first year reported in the 2021 format (国办公开办函〔2021〕30号)."""


class Scope(models.TextChoices):
    """Whose applications, appeals and documents the figures count."""

    ORGANISATION = "organisation", _("仅本机关")
    JURISDICTION = "jurisdiction", _("本机关及所属和所辖的全部机构")


class Stage(models.TextChoices):
    """Where a report stands, read from its document (``selectors.report_stage``)."""

    DRAFT = "draft", _("编写中")
    IN_REVIEW = "in_review", _("审核中")
    RETURNED = "returned", _("已退回修改")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回发布")


EDITABLE_STAGES = frozenset({Stage.DRAFT, Stage.RETURNED, Stage.WITHDRAWN})


class AnnualReport(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("报告机关"),
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(FIRST_YEAR)])
    scope = models.CharField(
        _("统计范围"), max_length=16, choices=Scope.choices, default=Scope.ORGANISATION
    )
    # 一、总体情况: an opening, then its five parts; 五 and 六.
    overview = models.TextField(_("总体情况（概述）"), blank=True)
    overview_proactive = models.TextField(_("主动公开"), blank=True)
    overview_on_request = models.TextField(_("依申请公开"), blank=True)
    overview_management = models.TextField(_("政府信息管理"), blank=True)
    overview_platform = models.TextField(_("政府信息公开平台建设"), blank=True)
    overview_supervision = models.TextField(_("监督保障"), blank=True)
    problems = models.TextField(_("存在的主要问题及改进情况"), blank=True)
    other_matters = models.TextField(_("其他需要报告的事项"), blank=True)
    # Table 二 as entered (empty: computed where the platform can count it, else missing).
    rules_issued = models.PositiveIntegerField(_("规章本年制发件数"), null=True, blank=True)
    rules_repealed = models.PositiveIntegerField(_("规章本年废止件数"), null=True, blank=True)
    rules_current = models.PositiveIntegerField(_("规章现行有效件数"), null=True, blank=True)
    normative_issued = models.PositiveIntegerField(
        _("行政规范性文件本年制发件数"), null=True, blank=True
    )
    normative_repealed = models.PositiveIntegerField(
        _("行政规范性文件本年废止件数"), null=True, blank=True
    )
    normative_current = models.PositiveIntegerField(
        _("行政规范性文件现行有效件数"), null=True, blank=True
    )
    licensing_decisions = models.PositiveIntegerField(
        _("行政许可本年处理决定数量"), null=True, blank=True
    )
    penalty_decisions = models.PositiveIntegerField(
        _("行政处罚本年处理决定数量"), null=True, blank=True
    )
    enforcement_decisions = models.PositiveIntegerField(
        _("行政强制本年处理决定数量"), null=True, blank=True
    )
    fees_amount = models.DecimalField(
        _("行政事业性收费本年收费金额（万元）"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    frozen = models.JSONField(_("提交时的统计表"), null=True, blank=True, editable=False)
    document = models.ForeignKey(
        "publishing.Document",
        verbose_name=_("发布的政府信息"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息公开工作年度报告")
        verbose_name_plural = _("政府信息公开工作年度报告")
        ordering = ["-year", "organisation__level", "organisation__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                name="reports_one_per_organisation_and_year",
                violation_error_message=_("该机关这一年度的年度报告已经存在。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}{self.year}年政府信息公开工作年度报告"
