"""Government information (政府信息): documents with their disclosure attribute, versions,
interpretations, review checks and the gazette.

Reference data (topics, genres, legal bases) lives in tables loaded from ``data/*.yaml`` so that
administrators can adjust names without a release. Writes go through ``services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Disclosure(models.TextChoices):
    """公开属性."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class Validity(models.TextChoices):
    """有效性."""

    CURRENT = "current", _("现行有效")
    AMENDED = "amended", _("已修改")
    EXPIRED = "expired", _("失效")
    REPEALED = "repealed", _("废止")


class Status(models.TextChoices):
    """Where a document is in its workflow (allowed moves: ``workflow.TRANSITIONS``)."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    IN_REVIEW = "in_review", _("审核中")
    APPROVED = "approved", _("已审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class InterpretationForm(models.TextChoices):
    """解读形式."""

    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    MEDIA = "media", _("音视频解读")
    EXPERT = "expert", _("专家解读")
    LEADER = "leader", _("负责人解读")


class Topic(models.Model):
    """主题分类: a two-level tree (data/topics.yaml)."""

    name = models.CharField(_("名称"), max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="publishing_topic_unique_under_parent"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(parent__isnull=True),
                name="publishing_topic_unique_root",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent else self.name


class Genre(models.Model):
    """体裁: the 15 公文种类 plus local genres (data/genres.yaml)."""

    name = models.CharField(_("名称"), max_length=30, unique=True)
    is_official = models.BooleanField(_("法定公文种类"), default=False)
    is_normative = models.BooleanField(
        _("规范性文件"), default=False, help_text=_("须与政策解读同步发布")
    )
    is_interpretation = models.BooleanField(_("政策解读"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("体裁")
        verbose_name_plural = _("体裁")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class LegalBasis(models.Model):
    """A legal basis for an attribute other than 主动公开 (data/legal_bases.yaml)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    attribute = models.CharField(_("适用公开属性"), max_length=16, choices=Disclosure.choices)
    article = models.CharField(_("条款"), max_length=30)
    label = models.CharField(_("内容"), max_length=200)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("公开属性依据")
        verbose_name_plural = _("公开属性依据")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return f"《政府信息公开条例》{self.article}：{self.label}"


class Document(models.Model):
    """政府信息: one document, its current version's fields, and where it is in the workflow."""

    index_no = models.CharField(_("索引号"), max_length=64, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("发布机构"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    co_issuers = models.ManyToManyField(
        "orgs.Organisation", verbose_name=_("联合发文机构"), blank=True, related_name="+"
    )
    doc_no = models.CharField(_("发文字号"), max_length=60, blank=True)
    genre = models.ForeignKey(Genre, verbose_name=_("体裁"), on_delete=models.PROTECT)
    topic = models.ForeignKey(Topic, verbose_name=_("主题分类"), on_delete=models.PROTECT)
    written_on = models.DateField(_("成文日期"))
    formed_on = models.DateField(
        _("信息形成或变更日期"), help_text=_("自该日起20个工作日内公开（条例第二十六条）")
    )
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True)
    scheduled_at = models.DateTimeField(_("定时发布时间"), null=True, blank=True)
    validity = models.CharField(
        _("有效性"), max_length=16, choices=Validity.choices, default=Validity.CURRENT
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    summary = models.TextField(_("内容概述"))
    keywords = models.CharField(_("主题词"), max_length=200, blank=True)
    body = models.TextField(_("正文"), blank=True, help_text=_("保存时清理为安全的 HTML"))
    disclosure = models.CharField(_("公开属性"), max_length=16, choices=Disclosure.choices)
    legal_basis = models.ForeignKey(
        LegalBasis,
        verbose_name=_("不公开或依申请公开的依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    disclosure_reason = models.TextField(_("理由"), blank=True)
    interpretation_exempt_reason = models.TextField(
        _("免于同步解读的理由"), blank=True, help_text=_("规范性文件未同步发布解读时须说明")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    change_note = models.TextField(
        _("修订说明"), blank=True, help_text=_("开始修订时填写，随新版本发布")
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        related_name="drafted_documents",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "disclosure", "-published_at"]),
            models.Index(fields=["organisation", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(disclosure="proactive") | Q(legal_basis__isnull=False),
                name="publishing_non_proactive_needs_basis",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """A published version of a document, kept for the public version history."""

    document = models.ForeignKey(
        Document, verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="versions"
    )
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标题"), max_length=300)
    doc_no = models.CharField(_("发文字号"), max_length=60, blank=True)
    summary = models.TextField(_("内容概述"))
    body = models.TextField(_("正文"), blank=True)
    change_note = models.TextField(_("修订说明"), blank=True)
    published_at = models.DateTimeField(_("发布时间"))

    class Meta:
        verbose_name = _("历史版本")
        verbose_name_plural = _("历史版本")
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["document", "version"], name="publishing_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.version}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"publishing/{instance.document.index_no.replace('/', '_')}/{filename}"


class Attachment(models.Model):
    document = models.ForeignKey(
        Document, verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Interpretation(models.Model):
    """政策解读: a document of the interpretation genre, linked to the policies it explains."""

    document = models.OneToOneField(
        Document,
        verbose_name=_("解读文件"),
        on_delete=models.CASCADE,
        related_name="interpretation",
    )
    policies = models.ManyToManyField(
        Document, verbose_name=_("所解读的政策"), related_name="interpretations"
    )
    form = models.CharField(_("解读形式"), max_length=16, choices=InterpretationForm.choices)
    leader_name = models.CharField(
        _("解读负责人"), max_length=50, blank=True, help_text=_("负责人解读时填写")
    )

    class Meta:
        verbose_name = _("政策解读")
        verbose_name_plural = _("政策解读")
        constraints = [
            models.CheckConstraint(
                condition=~Q(form="leader") | ~Q(leader_name=""),
                name="publishing_leader_interpretation_names_leader",
            ),
        ]

    def __str__(self) -> str:
        return str(self.document)


class CheckResult(models.Model):
    """The outcome of one automatic pre-publication check, run on submit."""

    document = models.ForeignKey(
        Document, verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="checks"
    )
    version = models.PositiveIntegerField(_("版本"))
    code = models.CharField(_("检查项"), max_length=40)
    passed = models.BooleanField(_("通过"))
    message = models.TextField(_("说明"), blank=True)
    override_reason = models.TextField(_("审核人放行理由"), blank=True)
    created_at = models.DateTimeField(_("检查时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发布前检查")
        verbose_name_plural = _("发布前检查")
        ordering = ["document", "version", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version", "code"], name="publishing_check_once_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} {self.code}"


class ReviewTermKind(models.TextChoices):
    SENSITIVE = "sensitive", _("敏感词")
    WRONG = "wrong", _("易错词")


class ReviewTerm(models.Model):
    """A term the ``terms`` check flags: sensitive wording, or a wrong form with its correction."""

    term = models.CharField(_("词语"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=ReviewTermKind.choices)
    suggestion = models.CharField(
        _("建议写法"), max_length=50, blank=True, help_text=_("易错词必填：正确的写法")
    )

    class Meta:
        verbose_name = _("审核词语")
        verbose_name_plural = _("审核词语")
        ordering = ["kind", "term"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="wrong") | ~Q(suggestion=""),
                name="publishing_wrong_term_has_suggestion",
                violation_error_message=_("易错词须填写建议写法。"),
            ),
        ]

    def __str__(self) -> str:
        return self.term


class ReviewEvent(models.Model):
    """One step of a document's workflow, for its history page."""

    document = models.ForeignKey(
        Document, verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["document", "at", "id"]

    def __str__(self) -> str:
        return f"{self.document}: {self.from_status} → {self.to_status}"


class IndexSequence(models.Model):
    """The last 索引号 sequence number used per organisation and year."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="publishing_seq_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last}"


GAZETTE_NUMBER_MAX = 32767  # the largest issue number ``GazetteIssue.number`` holds


class GazetteIssue(models.Model):
    """政府公报: one issue (year, number) listing its documents in order."""

    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(_("期号"))
    published_on = models.DateField(_("出版日期"))
    pdf = models.FileField(_("公报 PDF"), upload_to="gazette/", blank=True)
    documents: "models.ManyToManyField[Document, GazetteEntry]" = models.ManyToManyField(
        Document, through="GazetteEntry", verbose_name=_("刊登文件"), related_name="gazettes"
    )

    class Meta:
        verbose_name = _("政府公报")
        verbose_name_plural = _("政府公报")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="publishing_gazette_once"),
        ]

    def __str__(self) -> str:
        return _("%(year)d年第%(number)d期") % {"year": self.year, "number": self.number}


class GazetteEntry(models.Model):
    issue = models.ForeignKey(GazetteIssue, on_delete=models.CASCADE, related_name="entries")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    sort_order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("公报目录条目")
        verbose_name_plural = _("公报目录条目")
        ordering = ["issue", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "document"], name="publishing_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.issue} · {self.document}"
