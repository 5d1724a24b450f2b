"""The organisation tree: governments at 市/区/街道乡镇 level and their departments.

``parent`` makes one tree per city: every organisation hangs under the government (or body) it
belongs to — departments under their government, 部门管理机构 under the department that manages
them, district governments and the city's own 派出机构 under the city government, streets and
townships under their district. Party bodies and vertically managed bodies that the city's
documents name as responsible units (市委宣传部, 市编办, 国家税务总局北京市税务局) are kept
in the tree under the city government so that they can be resolved and can have staff; their
``kind`` keeps them out of "市政府各部门".

Names change over time; ``OrganisationName`` keeps every name an organisation has had (the open
row is the current one, mirrored in ``Organisation.name``/``short_name``). Write names, aliases
and merges only through ``services``.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .names import normalise_name


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
    PARTY = "party", _("党委工作机关")
    VERTICAL = "vertical", _("垂直管理机构")


CODE_PATTERN = re.compile(r"[0-9A-Z]+(-[0-9A-Z]+)*")
CODE_VALIDATOR = RegexValidator(
    f"^{CODE_PATTERN.pattern}$",
    _("机构代码只能包含数字、大写字母和连字符，例如 110000 或 110000-FGW。"),
)


class Organisation(models.Model):
    """One organisation. ``parent`` is the government (or body) it belongs to."""

    code = models.CharField(_("机构代码"), max_length=32, unique=True, validators=[CODE_VALIDATOR])
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
    established_on = models.DateField(
        _("设立日期"), null=True, blank=True, help_text=_("不详时留空")
    )
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
    dissolution_notice = models.TextField(
        _("撤并依据"), blank=True, help_text=_("撤销或并入其他机构所依据的文件")
    )
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

    @property
    def is_jurisdiction(self) -> bool:
        """Whether it governs a territory of its own: a 人民政府, or a territorial 派出机构
        (a 街道办事处, or a district-level body such as 北京经济技术开发区管委会)."""
        return self.kind == Kind.GOVERNMENT or (
            self.kind == Kind.AGENCY and self.level != Level.CITY
        )

    def clean(self) -> None:
        """The parent must not be the organisation itself or one of its descendants."""
        if self.pk is None:
            return
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("上级机构不能是本机构或其下级机构。")}, code="parent_cycle"
                )
            ancestor = ancestor.parent


class OrganisationName(models.Model):
    """A name an organisation bore from ``valid_from`` (inclusive) to ``valid_to`` (exclusive).

    An empty ``valid_from`` means "since before our records"; an empty ``valid_to`` marks the
    current name. ``notice`` is the decision that gave the name (e.g. 《北京市机构改革方案》).
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="names"
    )
    name = models.CharField(_("全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    valid_from = models.DateField(_("启用日期"), null=True, blank=True)
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    notice = models.TextField(_("依据"), blank=True)
    name_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)
    short_key = models.CharField(max_length=50, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("名称沿革")
        verbose_name_plural = _("名称沿革")
        ordering = [F("valid_from").asc(nulls_first=True), "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(valid_to__isnull=True),
                name="orgs_one_current_name",
                violation_error_message=_("一个机构只能有一个现用名称。"),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gt=F("valid_from")),
                name="orgs_name_period_forward",
                violation_error_message=_("停用日期必须晚于启用日期。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name_key = normalise_name(self.name)
        self.short_key = normalise_name(self.short_name)
        if not self.name_key:
            raise ValidationError({"name": _("名称不能为空。")}, code="blank_name")


class OrganisationAlias(models.Model):
    """Another name the organisation is known by (e.g. 市发改委), valid at any date."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("机构"), on_delete=models.CASCADE, related_name="aliases"
    )
    alias = models.CharField(_("别名"), max_length=100)
    key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("别名")
        verbose_name_plural = _("别名")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                name="orgs_alias_once_per_org",
                violation_error_message=_("该机构已有这个别名。"),
            ),
        ]

    def __str__(self) -> str:
        return self.alias

    def clean(self) -> None:
        self.key = normalise_name(self.alias)
        if not self.key:
            raise ValidationError({"alias": _("别名不能为空。")}, code="blank_alias")
