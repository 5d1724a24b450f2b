"""The organisation tree: governments at 市/区/街道乡镇 level and their departments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    CITY = "city", _("市级")
    DISTRICT = "district", _("区级")
    STREET = "street", _("街道乡镇级")


class Kind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    OFFICE = "office", _("办事机构")
    AGENCY = "agency", _("派出机构")
    DIRECT = "direct", _("直属机构")
    ADMINISTERED = "administered", _("部门管理机构")
    INSTITUTION = "institution", _("事业单位")


class Organisation(models.Model):
    """One organisation. ``parent`` is the government (or body) it belongs to."""

    code = models.CharField(_("机构代码"), max_length=32, unique=True)
    name = models.CharField(_("全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("存续"), default=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("承继机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("撤并后承接其职责的机构"),
    )
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("组织机构")
        verbose_name_plural = _("组织机构")
        ordering = ["level", "sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="orgs_org_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name
