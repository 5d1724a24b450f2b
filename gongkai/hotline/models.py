"""12345 and public messages (接诉即办): work orders from intake to call-back.

A work order (工单) is received from a channel, answered at once or dispatched to a lead
organisation (主办) and co-handling organisations (协办), accepted or sent back, replied to,
called back and closed, or reopened (重办). Its status moves only along ``workflow.TRANSITIONS``;
every move is an ``OrderEvent``. Each order has an expected completion time from the time-limit
rules (``TimeLimitRule``, editable; defaults in migration 0001, regulatory-facts §4.2 [X]).
Writes go through ``services``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestType(models.TextChoices):
    """诉求类型 (《北京市接诉即办工作条例》: 咨询、求助、投诉、举报、建议; plus 表扬)."""

    CONSULT = "consult", _("咨询")
    HELP = "help", _("求助")
    COMPLAINT = "complaint", _("投诉")
    REPORT = "report", _("举报")
    SUGGESTION = "suggestion", _("建议")
    PRAISE = "praise", _("表扬")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    URGENT = "urgent", _("紧急")
    EMERGENCY = "emergency", _("特急")


class Channel(models.TextChoices):
    PHONE = "phone", _("电话")
    WEB = "web", _("网站留言")
    API = "api", _("移动端/接口")
    EMAIL = "email", _("电子邮件")


class Status(models.TextChoices):
    """Where an order is (allowed moves: ``workflow.TRANSITIONS``)."""

    RECEIVED = "received", _("待派单")
    DISPATCHED = "dispatched", _("已派单")
    RETURNED = "returned", _("已退单")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")
    MERGED = "merged", _("已并单")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    WORKING_DAYS = "working_days", _("工作日")


class Category(models.Model):
    """A node of the configurable 12345 category tree (seeded from ``data/categories.yaml``)."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级类别"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    local = models.BooleanField(_("属地事项"), default=False)
    """Handled by the street or township of the location (else by a department)."""
    complex = models.BooleanField(_("复杂事项"), default=False)
    default_urgency = models.CharField(
        _("默认紧急程度"), max_length=20, choices=Urgency, default=Urgency.NORMAL
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class TimeLimitRule(models.Model):
    """How long an order may take: by urgency, for complex matters, optionally for one request
    type. The most specific rule applies (``selectors.time_limit``)."""

    urgency = models.CharField(_("紧急程度"), max_length=20, choices=Urgency)
    complex = models.BooleanField(_("复杂事项"), default=False)
    request_type = models.CharField(
        _("诉求类型"), max_length=20, choices=RequestType, blank=True, help_text=_("留空：所有类型")
    )
    amount = models.PositiveIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=20, choices=LimitUnit)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        constraints = [
            models.UniqueConstraint(
                fields=["urgency", "complex", "request_type"], name="hotline_limit_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_urgency_display()} {self.amount}{self.get_unit_display()}"


class WorkOrder(models.Model):
    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel)
    received_at = models.DateTimeField(_("受理时间"))
    # The caller: personal data, masked outside the handling chain.
    caller_name = models.CharField(_("来电人"), max_length=50, blank=True)
    caller_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    caller_email = models.EmailField(_("电子邮箱"), blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公众账户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hotline_orders",
    )
    title = models.CharField(_("标题"), max_length=100, blank=True)
    content = models.TextField(_("诉求内容"))
    request_type = models.CharField(_("诉求类型"), max_length=20, choices=RequestType)
    category = models.ForeignKey(
        Category, verbose_name=_("诉求类别"), null=True, blank=True, on_delete=models.PROTECT
    )
    urgency = models.CharField(
        _("紧急程度"), max_length=20, choices=Urgency, default=Urgency.NORMAL
    )
    complex = models.BooleanField(_("复杂事项"), default=False)
    # Where.
    district = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    street = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("街道（乡镇）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("详细地址"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Where it is.
    status = models.CharField(_("状态"), max_length=20, choices=Status, default=Status.RECEIVED)
    lead = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hotline_orders",
    )
    due_at = models.DateTimeField(_("预计办结时间"))
    answered_directly = models.BooleanField(_("直接办结"), default=False)
    send_backs = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    reopened = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入工单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    publish_consent = models.BooleanField(_("同意公开"), default=False)
    source_ref = models.CharField(_("来源标识"), max_length=250, blank=True, editable=False)
    """What identifies the order in its channel, so that receiving it again is harmless: an
    e-mail's Message-ID."""
    # The citizen's own rating of the reply, from their account (``services.order_rate``). It is
    # shown with the published message; the rates count the centre's call-back (``CallBack``).
    citizen_rating = models.CharField(
        _("诉求人评价"), max_length=20, choices=Satisfaction, blank=True
    )
    citizen_rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the order counts in the three rates (``MonthlyTally``), derived from its assignments
    # and call-backs by ``selectors.rate_facts``; kept by the services, repaired by
    # ``services.rates_rebuild``.
    responded_in_time = models.BooleanField(_("按时签收"), default=False, editable=False)
    callback_resolved = models.BooleanField(_("回访已解决"), default=False, editable=False)
    callback_satisfaction = models.CharField(
        _("回访满意度"), max_length=20, choices=Satisfaction, blank=True, editable=False
    )
    """Of the last call-back; empty: not called back."""

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="hotline_order_received_once",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="hotline_order_queue"),
            models.Index(fields=["lead", "status"], name="hotline_order_lead"),
            models.Index(fields=["received_at"], name="hotline_order_received"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def citizen_rating_label(self) -> str:
        """The citizen's rating of the current reply; "" if none, or if it rated an earlier
        reply (the order was reopened and replied anew since)."""
        rated, replied = self.citizen_rated_at, self.replied_at
        if not self.citizen_rating or rated is None or replied is None or rated < replied:
            return ""
        return str(Satisfaction(self.citizen_rating).label)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("主办")
    CO = "co", _("协办")


class Assignment(models.Model):
    """One dispatch of an order to an organisation; a send-back ends it."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("承办方式"), max_length=10, choices=AssignmentRole)
    dispatched_at = models.DateTimeField(_("派单时间"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    returned_at = models.DateTimeField(_("退单时间"), null=True, blank=True)
    return_reason = models.TextField(_("退单理由"), blank=True)
    active = models.BooleanField(_("有效"), default=True)

    class Meta:
        verbose_name = _("派单")
        verbose_name_plural = _("派单")
        ordering = ["dispatched_at", "id"]
        indexes = [models.Index(fields=["organisation", "active"], name="hotline_assign_org")]

    def __str__(self) -> str:
        return f"{self.order_id} → {self.organisation_id} ({self.role})"


class EventKind(models.TextChoices):
    RECEIVED = "received", _("受理")
    ANSWERED = "answered", _("直接答复办结")
    DISPATCHED = "dispatched", _("派单")
    ACCEPTED = "accepted", _("签收")
    SENT_BACK = "sent_back", _("退单")
    NOTE = "note", _("办理记录")
    CONTACT = "contact", _("联系诉求人")
    REPLIED = "replied", _("答复")
    CALLED_BACK = "called_back", _("回访")
    REOPENED = "reopened", _("重办")
    CLOSED = "closed", _("办结")
    EXTENDED = "extended", _("延期")
    SUPERVISED = "supervised", _("督办")
    MERGED = "merged", _("并单")


class OrderEvent(models.Model):
    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=20, choices=EventKind)
    at = models.DateTimeField(_("时间"))
    organisation = models.ForeignKey(
        "orgs.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("工单记录")
        verbose_name_plural = _("工单记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"


class CallBack(models.Model):
    """回访: whether the request was resolved and how satisfied the caller is."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="callbacks")
    at = models.DateTimeField(_("回访时间"))
    resolved = models.BooleanField(_("已解决"))
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction)
    note = models.TextField(_("回访记录"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} {self.satisfaction}"


class ExtensionRequest(models.Model):
    """The lead organisation asks for more time; a dispatcher approves or refuses."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="extensions")
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    until = models.DateTimeField(_("申请延至"))
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
        return f"{self.order_id} → {self.until:%Y-%m-%d %H:%M}"


class SupervisionReason(models.TextChoices):
    OVERDUE = "overdue", _("超期未办结")
    SENT_BACK = "sent_back", _("多次退单")
    REPEATED = "repeated", _("同一地点或事项反复投诉")
    MANUAL = "manual", _("督办员督办")


class Supervision(models.Model):
    """督办: an order followed by the supervisors, with a deadline for the organisation."""

    order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="supervisions")
    reason = models.CharField(_("督办原因"), max_length=20, choices=SupervisionReason)
    note = models.TextField(_("督办意见"), blank=True)
    deadline = models.DateTimeField(_("督办期限"))
    created_at = models.DateTimeField(_("督办时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "reason"],
                condition=models.Q(resolved_at__isnull=True),
                name="hotline_supervision_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.reason}"


class MonthlyTally(models.Model):
    """The counts behind the three rates of one lead organisation for the orders received in
    one month (decision 0008, "Rates rollup"). The services apply each order's change to it in
    their transaction; ``services.rates_rebuild`` recomputes it from the orders. A row exists
    only while it counts at least one order."""

    month = models.DateField(_("月份"))
    """The first day of the month of receipt (the site's time zone)."""
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    orders = models.IntegerField(_("工单数"), default=0)
    responded = models.IntegerField(_("按时签收数"), default=0)
    called_back = models.IntegerField(_("回访数"), default=0)
    resolved = models.IntegerField(_("解决数"), default=0)
    satisfied = models.IntegerField(_("满意数"), default=0)
    basic = models.IntegerField(_("基本满意数"), default=0)

    class Meta:
        verbose_name = _("考核月度统计")
        verbose_name_plural = _("考核月度统计")
        ordering = ["month", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["month", "organisation"], name="hotline_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.organisation_id}"
