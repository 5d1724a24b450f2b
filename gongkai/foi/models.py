"""Disclosure on request (依申请公开): applications, their events, letters and appeals.

An application's clock is not stored as truth: it is recomputed from the receipt date and the
events by ``clock.compute`` (the cached ``status``/``due_on`` columns serve queues and are
refreshed by ``services`` after every event and when the calendar changes). Writes go through
``services``; who may see what is decided in ``permissions``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .clock import Channel, EventKind, Party, Status


class ApplicantType(models.TextChoices):
    """The applicant columns of the annual report's table 三 (keys as in its JSON form)."""

    NATURAL = "natural", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    SOCIAL_WELFARE = "social_welfare", _("社会公益组织")
    LEGAL_SERVICES = "legal_services", _("法律服务机构")
    OTHER = "other", _("其他")


class IdType(models.TextChoices):
    ID_CARD = "id_card", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_RESIDENT = "foreign_resident", _("外国人永久居留身份证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他证件")


class InfoForm(models.TextChoices):
    """所需信息的指定提供载体形式 (art. 29(3))."""

    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子数据")


class Delivery(models.TextChoices):
    """获取信息的方式、途径 (art. 29(3)); also how a letter was delivered."""

    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    ONLINE = "online", _("网上获取")
    PICKUP = "pickup", _("当面领取")
    FAX = "fax", _("传真")


class Outcome(models.TextChoices):
    """How an application ended: a row of the annual report's table 三, or an ending the format
    gives no row — art. 36(5), art. 36(7), a withdrawal — counted under the row the setting
    ``GONGKAI_FOI_OUTCOME_ROWS`` names (``selectors.report_row``)."""

    GRANTED = "granted", _("予以公开")
    PARTIAL = "partial", _("部分公开")
    D1 = "d1", _("不予公开：属于国家秘密")
    D2 = "d2", _("不予公开：其他法律行政法规禁止公开")
    D3 = "d3", _("不予公开：危及“三安全一稳定”")
    D4 = "d4", _("不予公开：保护第三方合法权益")
    D5 = "d5", _("不予公开：属于三类内部事务信息")
    D6 = "d6", _("不予公开：属于四类过程性信息")
    D7 = "d7", _("不予公开：属于行政执法案卷")
    D8 = "d8", _("不予公开：属于行政查询事项")
    U1 = "u1", _("无法提供：本机关不掌握相关政府信息")
    U2 = "u2", _("无法提供：没有现成信息需要另行制作")
    U3 = "u3", _("无法提供：补正后申请内容仍不明确")
    N1 = "n1", _("不予处理：信访举报投诉类申请")
    N2 = "n2", _("不予处理：重复申请")
    N3 = "n3", _("不予处理：要求提供公开出版物")
    N4 = "n4", _("不予处理：无正当理由大量反复申请")
    N5 = "n5", _("不予处理：要求行政机关确认或重新出具已获取信息")
    O1 = "o1", _("其他处理：申请人无正当理由逾期不补正")
    O2 = "o2", _("其他处理：申请人逾期未按收费通知要求缴纳费用")
    O3 = "o3", _("其他处理：其他")
    NOT_THIS_AGENCY = "not_this_agency", _("非本机关负责公开（告知负责机关）")
    SPECIAL_RULES = "special_rules", _("按特别规定办理（如工商、不动产登记资料）")
    WITHDRAWN = "withdrawn", _("申请人撤回申请")


class Application(models.Model):
    """One request for government information."""

    receipt_no = models.CharField(_("申请编号"), max_length=20, unique=True)
    query_code_hash = models.CharField(max_length=128, editable=False)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="foi_applications",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="foi_applications",
    )
    # The applicant (art. 29(1)).
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType)
    name = models.CharField(_("姓名或名称"), max_length=100)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType)
    id_number = models.CharField(_("证件号码"), max_length=40)
    phone = models.CharField(_("联系电话"), max_length=30)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    # What is asked for (art. 29(2), (3)).
    information = models.TextField(_("所需信息的名称或描述"))
    doc_no = models.CharField(_("文号"), max_length=100, blank=True)
    form = models.CharField(_("信息载体形式"), max_length=20, choices=InfoForm)
    delivery = models.CharField(_("获取方式"), max_length=20, choices=Delivery)
    # How and when it arrived (art. 31).
    channel = models.CharField(
        _("提交渠道"), max_length=20, choices=[(c.value, c.label) for c in Channel]
    )
    submitted_on = models.DateField(_("提交日期"))
    received_on = models.DateField(_("收到申请之日"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # The clock as last computed (``services.refresh_clock``).
    status = models.CharField(
        _("办理状态"),
        max_length=30,
        choices=[(s.value, s.label) for s in Status],
        default=Status.RUNNING,
    )
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    applicant_due_on = models.DateField(_("申请人期限"), null=True, blank=True)
    correction_request_by = models.DateField(_("补正告知期限"), null=True, blank=True)
    provisional = models.BooleanField(_("期限为暂定"), default=False)
    # The answer.
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome, blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    reply_note = models.TextField(_("答复说明"), blank=True)
    referred_to = models.CharField(_("告知的负责机关"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "status", "due_on"], name="foi_app_queue"),
            models.Index(fields=["organisation", "received_on"], name="foi_app_received"),
            models.Index(fields=["organisation", "closed_on"], name="foi_app_closed"),
        ]

    def __str__(self) -> str:
        return self.receipt_no


def attachment_path(instance: "ApplicationAttachment", filename: str) -> str:
    return f"foi/{instance.application.receipt_no}/{filename}"


class ApplicationAttachment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("附件"), upload_to=attachment_path)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("申请附件")
        verbose_name_plural = _("申请附件")

    def __str__(self) -> str:
        return self.name


class ApplicationEvent(models.Model):
    """An act on the clock (``clock.EventKind``), as recorded by staff or by the applicant."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(
        _("事项"), max_length=30, choices=[(k.value, k.label) for k in EventKind]
    )
    on = models.DateField(_("日期"))
    days = models.PositiveSmallIntegerField(_("工作日数"), null=True, blank=True)
    key = models.CharField(max_length=20, blank=True)
    party = models.CharField(
        _("征求对象"), max_length=20, blank=True, choices=[(p.value, p.value) for p in Party]
    )
    note = models.TextField(_("说明"), blank=True)
    amount = models.PositiveIntegerField(
        _("金额（元）"), null=True, blank=True, help_text=_("信息处理费，按整元计收。")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("办理事项")
        verbose_name_plural = _("办理事项")
        ordering = ["on", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind} {self.on}"


class ExtensionRequest(models.Model):
    """A handler's request to extend the limit, and the openness office's decision."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="extension_requests"
    )
    days = models.PositiveSmallIntegerField(_("延长工作日数"))
    reason = models.TextField(_("延期理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    approved = models.BooleanField(_("批准"), null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["requested_at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} +{self.days}"


class LetterKind(models.TextChoices):
    REPLY = "reply", _("政府信息公开申请答复告知书")
    CORRECTION = "correction", _("补正申请告知书")
    EXTENSION = "extension", _("延期答复告知书")
    CONSULTATION = "consultation", _("第三方意见征询函")
    FEE = "fee", _("收费通知书")


def letter_path(instance: "Letter", filename: str) -> str:
    return f"foi/{instance.application.receipt_no}/letters/{filename}"


class LetterTemplate(models.Model):
    """The editable text of a kind of letter (of a reply: one per outcome), seeded from
    ``data/letters.yaml``; placeholders such as ``{applicant}`` are listed in
    ``letters.PLACEHOLDERS``."""

    kind = models.CharField(_("文书"), max_length=20, choices=LetterKind)
    outcome = models.CharField(_("办理结果"), max_length=20, choices=Outcome, blank=True)
    title = models.CharField(_("标题"), max_length=60)
    addressee = models.CharField(_("主送"), max_length=60)
    body = models.TextField(_("正文"), help_text=_("每行为一个自然段。"))
    edited = models.BooleanField(_("已修改"), default=False, editable=False)
    """Changed by staff: the seed leaves it alone."""
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "outcome"], name="foi_lettertemplate_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Letter(models.Model):
    """A generated letter (DOCX and PDF), and how it reached its addressee. Its number is the
    ``sequence``-th of its organisation in ``year``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("文书"), max_length=20, choices=LetterKind)
    event = models.ForeignKey(
        ApplicationEvent,
        verbose_name=_("办理事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("出具机关"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("文书编号"), max_length=120)
    issued_on = models.DateField(_("文书日期"))
    text = models.TextField(_("正文"))
    docx = models.FileField(upload_to=letter_path)
    pdf = models.FileField(upload_to=letter_path)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivered_by = models.CharField(_("送达方式"), max_length=20, choices=Delivery, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("文书")
        verbose_name_plural = _("文书")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "sequence"], name="foi_letter_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number


def enclosure_path(instance: "LetterEnclosure", filename: str) -> str:
    return f"foi/{instance.letter.application.receipt_no}/letters/enclosures/{filename}"


class LetterEnclosure(models.Model):
    """Information sent with a reply, stored with its personal data masked."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="enclosures")
    file = models.FileField(_("附件"), upload_to=enclosure_path)
    name = models.CharField(_("文件名"), max_length=200)
    masked = models.PositiveIntegerField(_("遮盖的个人信息处数"), default=0)

    class Meta:
        verbose_name = _("答复附件")
        verbose_name_plural = _("答复附件")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class AccessLink(models.Model):
    """A one-time link that opens an application for its applicant; only a hash of its token
    is stored."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="access_links"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("一次性访问链接")
        verbose_name_plural = _("一次性访问链接")

    def __str__(self) -> str:
        return f"{self.application_id} {self.expires_at:%Y-%m-%d}"


class AppealKind(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("行政复议")
    LITIGATION_DIRECT = "litigation_direct", _("行政诉讼（未经复议直接起诉）")
    LITIGATION_AFTER = "litigation_after", _("行政诉讼（复议后起诉）")


class AppealResult(models.TextChoices):
    """The result columns of the annual report's table 四."""

    UPHELD = "upheld", _("结果维持")
    CORRECTED = "corrected", _("结果纠正")
    OTHER = "other", _("其他结果")
    PENDING = "pending", _("尚未审结")


class Appeal(models.Model):
    """A 行政复议 or 行政诉讼 about an application's handling."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="appeals")
    kind = models.CharField(_("类别"), max_length=20, choices=AppealKind)
    case_no = models.CharField(_("案号"), max_length=60, blank=True)
    body = models.CharField(_("复议机关或法院"), max_length=100, blank=True)
    filed_on = models.DateField(_("提起日期"))
    result = models.CharField(
        _("结果"), max_length=20, choices=AppealResult, default=AppealResult.PENDING
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.case_no}"
