"""Forms of disclosure on request: the public application, query and correction forms, staff
registration and the actions of the staff application page. They parse input; the rules are
the services' (and the clock's).

A service's refusal is put on the form with ``add_service_error``: on the field it concerns
when there is one (a bad identity number on 证件号码, …), otherwise above the form.
"""

from collections.abc import Sequence
from dataclasses import fields
from datetime import date
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise

from gongkai.core.forms import ServiceForm as CoreServiceForm
from gongkai.orgs.models import Organisation

from . import clock, selectors, services
from .errors import FoiErrorCode
from .models import (
    Appeal,
    AppealKind,
    AppealResult,
    ApplicantType,
    Application,
    ApplicationEvent,
    Delivery,
    IdType,
    InfoForm,
    Letter,
    LetterKind,
    Outcome,
)

ISO_DATE = "%Y-%m-%d"  # what <input type="date"> reads and sends

SERVICE_ERROR_FIELDS: dict[str, str] = {
    FoiErrorCode.BAD_ID_NUMBER: "id_number",
    FoiErrorCode.BAD_CREDIT_CODE: "id_number",
    FoiErrorCode.ID_TYPE_MISMATCH: "id_type",
    FoiErrorCode.CONTACT_REQUIRED: "contact_person",
    FoiErrorCode.ADDRESS_REQUIRED: "address",
    FoiErrorCode.EMAIL_REQUIRED: "email",
    FoiErrorCode.ORGANISATION_CLOSED: "organisation",
    FoiErrorCode.ATTACHMENT_TOO_LARGE: "attachments",
    FoiErrorCode.TOO_MANY_ATTACHMENTS: "attachments",
    FoiErrorCode.REFERRAL_REQUIRED: "referred_to",
    FoiErrorCode.REASON_REQUIRED: "reason",
    FoiErrorCode.ENCLOSURES_REPLY_ONLY: "enclosures",
    FoiErrorCode.ENCLOSURE_TYPE: "enclosures",
    FoiErrorCode.ENCLOSURE_UNREADABLE: "enclosures",
    FoiErrorCode.FEE_METHOD: "method",
    FoiErrorCode.FEE_PAGES_REQUIRED: "pages",
    FoiErrorCode.DELIVERED_BEFORE_ISSUED: "on",
    clock.ClockErrorCode.BAD_DAYS: "days",
}
"""The form field a service refusal concerns, where there is one."""

APPLICANT_TYPES = [
    (ApplicantType.NATURAL.value, ApplicantType.NATURAL.label),
    (
        _("法人或其他组织"),
        [(kind.value, kind.label) for kind in ApplicantType if kind != ApplicantType.NATURAL],
    ),
]
"""The applicant columns of the annual report's table 三, grouped as its header is."""

REPLY_OUTCOMES = [
    (_("（一）予以公开"), [Outcome.GRANTED]),
    (_("（二）部分公开"), [Outcome.PARTIAL]),
    (_("（三）不予公开"), [Outcome(f"d{i}") for i in range(1, 9)]),
    (_("（四）无法提供"), [Outcome(f"u{i}") for i in range(1, 4)]),
    (_("（五）不予处理"), [Outcome(f"n{i}") for i in range(1, 6)]),
    (_("（六）其他处理"), [Outcome.O3, Outcome.NOT_THIS_AGENCY, Outcome.SPECIAL_RULES]),
]
"""The outcomes a reply may have, grouped as the rows of table 三. Lapsed corrections and fees
(o1, o2) close by themselves; a withdrawal has its own action."""
REPLY_OUTCOME_CHOICES = [
    (group, [(outcome.value, outcome.label) for outcome in outcomes])
    for group, outcomes in REPLY_OUTCOMES
]


def _date_field(label: StrPromise, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput({"type": "date"}, format=ISO_DATE), **kwargs
    )


def _note_field(label: StrPromise, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}), **kwargs
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; ``cleaned_data`` holds a list (empty when none chosen)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return cast(list[UploadedFile], super().clean(None, initial) or [])
        single = super().clean
        return [single(item, initial) for item in (data if isinstance(data, list) else [data])]


class ServiceForm(CoreServiceForm):
    error_fields = SERVICE_ERROR_FIELDS

    def choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def model_field(self, name: str) -> forms.ModelChoiceField:
        return cast(forms.ModelChoiceField, self.fields[name])


# ---- The application (art. 29) ---------------------------------------------------------------


def _attachments_help() -> str:
    return str(
        _(
            "可上传身份证明等材料，最多 %(count)d 个，每个不超过 %(size)d MB。"
            "提交未成功时，已选择的附件须重新选择。"
        )
        % {
            "count": settings.GONGKAI_FOI_ATTACHMENTS_MAX,
            "size": settings.GONGKAI_FOI_ATTACHMENT_MAX_MB,
        }
    )


class ApplicationForm(ServiceForm):
    """What an application says (art. 29): the public form, and the staff registration form
    (``RegisterForm``) for one that arrived on paper."""

    organisation = forms.ModelChoiceField(
        label=_("受理机关"),
        queryset=Organisation.objects.none(),
        help_text=_("向掌握该政府信息的行政机关提出申请。"),
    )
    applicant_type = forms.ChoiceField(label=_("申请人类型"), choices=APPLICANT_TYPES)
    name = forms.CharField(
        label=_("姓名或名称"), max_length=100, help_text=_("法人或其他组织填写单位全称。")
    )
    contact_person = forms.CharField(
        label=_("联系人"),
        max_length=50,
        required=False,
        help_text=_("法人或其他组织申请的必填。"),
    )
    id_type = forms.ChoiceField(label=_("身份证明类型"), choices=IdType.choices)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        help_text=_("法人或其他组织填写统一社会信用代码。"),
    )
    phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(
        label=_("电子邮箱"), required=False, help_text=_("选择以电子邮件获取信息的必填。")
    )
    address = forms.CharField(
        label=_("通信地址"), max_length=200, required=False, help_text=_("选择邮寄的必填。")
    )
    postcode = forms.CharField(
        label=_("邮政编码"),
        max_length=6,
        required=False,
        validators=[RegexValidator(r"^[0-9]{6}$", _("邮政编码应为 6 位数字。"))],
    )
    information = forms.CharField(
        label=_("所需信息的名称或描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "写明所需政府信息的名称；不知道名称的，写明便于查找的特征，如制作机关、时间、事项。"
        ),
    )
    doc_no = forms.CharField(
        label=_("文号"), max_length=100, required=False, help_text=_("知道文号的请填写。")
    )
    form = forms.ChoiceField(
        label=_("信息的载体形式"), choices=InfoForm.choices, widget=forms.RadioSelect
    )
    delivery = forms.ChoiceField(label=_("获取信息的方式"), choices=Delivery.choices)
    attachments = MultipleFileField(label=_("附件"), required=False)

    FIELDSETS: Sequence[tuple[Promise, Sequence[str]]] = (
        (_("受理机关"), ("organisation",)),
        (
            _("申请人信息"),
            (
                "applicant_type",
                "name",
                "contact_person",
                "id_type",
                "id_number",
                "phone",
                "email",
                "address",
                "postcode",
            ),
        ),
        (_("所需信息"), ("information", "doc_no", "form", "delivery")),
        (_("收到申请"), ("channel", "submitted_on", "signed_on", "confirmed_on")),
        (_("附件"), ("attachments",)),
    )

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        organisations: QuerySet[Organisation] | None = None,
    ) -> None:
        super().__init__(data, files)
        self.model_field("organisation").queryset = (
            Organisation.objects.filter(is_active=True).order_by("level", "code")
            if organisations is None
            else organisations
        )
        self.fields["attachments"].help_text = _attachments_help()

    def fieldsets(self) -> list[tuple[Promise, list[forms.BoundField]]]:
        """The fields present, by fieldset, for the template."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def applicant(self) -> services.ApplicantInput:
        data = self.cleaned_data
        return services.ApplicantInput(
            **{field.name: data[field.name] for field in fields(services.ApplicantInput)}
        )


class RegisterForm(ApplicationForm):
    """An application that arrived in person, by post or by fax, with the dates art. 31 needs."""

    channel = forms.ChoiceField(
        label=_("提交渠道"),
        choices=[(c.value, c.label) for c in clock.Channel if c != clock.Channel.ONLINE],
    )
    submitted_on = _date_field(_("提交日期"), help_text=_("当面提交的，即收到申请之日。"))
    signed_on = _date_field(
        _("签收日期"), required=False, help_text=_("邮寄（需签收）的，以签收之日为收到申请之日。")
    )
    confirmed_on = _date_field(
        _("双方确认日期"),
        required=False,
        help_text=_("平常信函或传真的，以与申请人确认之日为收到申请之日。"),
    )


class QueryForm(ServiceForm):
    receipt_no = forms.CharField(label=_("申请编号"), max_length=20)
    code = forms.CharField(label=_("查询码"), max_length=20)


class CorrectionForm(ServiceForm):
    """The applicant's corrected description (art. 30)."""

    information = forms.CharField(
        label=_("补正后的所需信息描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("按补正告知的要求写明所需信息；提交后答复期限自今日起重新计算。"),
    )
    doc_no = forms.CharField(label=_("文号"), max_length=100, required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("申请编号、申请人或所需信息"), max_length=100, required=False)
    status = forms.ChoiceField(
        label=_("办理状态"),
        choices=[("", _("全部状态")), *((s.value, s.label) for s in clock.Status)],
        required=False,
    )


# ---- The actions of the staff application page ----------------------------------------------


class ActionForm(ServiceForm):
    """One act on an application; ``prefix`` is the action's name."""

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        application: Application,
        today: date,
        prefix: str,
    ) -> None:
        super().__init__(data, files, prefix=prefix)
        self.application = application
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.initial = today


class CorrectionRequestForm(ActionForm):
    on = _date_field(_("告知补正日期"))
    days = forms.IntegerField(
        label=_("补正期限（工作日）"),
        min_value=1,
        help_text=_("申请人应在此期限内补正；逾期未补正的，视为放弃申请。"),
    )
    note = _note_field(_("需要补正的事项"), required=True)

    def __init__(self, data: Any = None, files: Any = None, **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.fields["days"].initial = settings.GONGKAI_FOI_CORRECTION_PERIOD_DAYS


class CorrectionReceivedForm(ActionForm):
    on = _date_field(_("收到补正日期"))
    note = _note_field(_("补正内容"))


class ConsultationSendForm(ActionForm):
    on = _date_field(_("发出征求意见日期"))
    party = forms.ChoiceField(
        label=_("征求对象"),
        choices=[
            (clock.Party.THIRD_PARTY.value, _("第三方（条例第三十二条）")),
            (clock.Party.AGENCY.value, _("其他机关（条例第三十四条）")),
        ],
        widget=forms.RadioSelect,
    )
    note = _note_field(_("征求对象名称和征求事项"), required=True)


class ConsultationAnswerForm(ActionForm):
    key = forms.ChoiceField(label=_("征求意见"))
    on = _date_field(_("收到答复日期"))
    note = _note_field(_("答复意见"))

    def __init__(self, data: Any = None, files: Any = None, **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.choice_field("key").choices = [
            (event.key, _consultation_label(event))
            for event in selectors.open_consultations(self.application)
        ]


def _consultation_label(event: ApplicationEvent) -> str:
    sent = date_format(event.on, "Y年n月j日")
    return f"{event.key}：{sent} {event.note}".strip()


class ExtensionRequestForm(ActionForm):
    days = forms.IntegerField(
        label=_("延长工作日数"), min_value=1, max_value=clock.EXTENSION_MAX, initial=10
    )
    reason = _note_field(_("延期理由"), required=True)


class ExtensionDecideForm(ActionForm):
    APPROVE, REFUSE = "approve", "refuse"

    decision = forms.ChoiceField(
        label=_("审批意见"),
        choices=[(APPROVE, _("同意延期")), (REFUSE, _("不同意延期"))],
        widget=forms.RadioSelect,
    )
    on = _date_field(_("审批日期"), help_text=_("同意的，延长的期限自该日起计入。"))
    note = _note_field(_("说明"))


class FeeNotifyForm(ActionForm):
    method = forms.ChoiceField(
        label=_("计收方式"),
        choices=[("per_piece", _("按件计收")), ("per_page", _("按量计收"))],
        widget=forms.RadioSelect,
    )
    pages = forms.IntegerField(
        label=_("页数"), min_value=1, required=False, help_text=_("按量计收时填写。")
    )
    on = _date_field(_("发出收费通知日期"))


class FeePaidForm(ActionForm):
    on = _date_field(_("缴费日期"))


class ReplyForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("办理结果"),
        choices=[("", "---------"), *REPLY_OUTCOME_CHOICES],
    )
    on = _date_field(_("答复日期"))
    note = _note_field(
        _("答复说明"), help_text=_("不予公开、部分公开的，写明理由和依据（条例第三十六条）。")
    )
    referred_to = forms.CharField(
        label=_("负责公开的机关及联系方式"),
        max_length=200,
        required=False,
        help_text=_("办理结果为“非本机关负责公开”时必填。"),
    )


class WithdrawForm(ActionForm):
    on = _date_field(_("撤回日期"))
    note = _note_field(_("说明"))


class LetterForm(ActionForm):
    """Issue a letter for an act; a reply letter may enclose the information provided."""

    event = forms.ChoiceField(label=_("文书"))
    enclosures = MultipleFileField(
        label=_("随答复提供的信息"),
        required=False,
        help_text=_("仅用于答复告知书；.txt 或 .docx 文件，其中的个人信息由系统遮盖后随答复提供。"),
    )

    def __init__(self, data: Any = None, files: Any = None, **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.letters = {
            f"{kind}-{event.pk if event else ''}": (kind, event)
            for kind, event in selectors.letter_choices(self.application)
        }
        self.choice_field("event").choices = [
            (key, _letter_label(kind, event)) for key, (kind, event) in self.letters.items()
        ]


def _letter_label(kind: LetterKind, event: ApplicationEvent | None) -> str:
    if event is None:
        return str(kind.label)
    return str(
        _("%(letter)s（%(event)s，%(on)s）")
        % {
            "letter": kind.label,
            "event": clock.EventKind(event.kind).label,
            "on": date_format(event.on, "Y年n月j日"),
        }
    )


class _LetterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Letter) -> str:
        return f"{obj.get_kind_display()}（{obj.number}）"


class DeliverForm(ActionForm):
    letter = _LetterChoiceField(label=_("文书"), queryset=Letter.objects.none())
    way = forms.ChoiceField(label=_("送达方式"), choices=Delivery.choices)
    on = _date_field(_("送达日期"))

    def __init__(self, data: Any = None, files: Any = None, **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        self.model_field("letter").queryset = self.application.letters.all()


class AppealForm(ActionForm):
    kind = forms.ChoiceField(label=_("类别"), choices=AppealKind.choices)
    filed_on = _date_field(_("提起日期"))
    case_no = forms.CharField(label=_("案号"), max_length=60, required=False)
    body = forms.CharField(label=_("复议机关或法院"), max_length=100, required=False)
    note = _note_field(_("说明"))


class AppealDecideForm(ActionForm):
    appeal = forms.ModelChoiceField(label=_("复议或诉讼"), queryset=Appeal.objects.none())
    result = forms.ChoiceField(
        label=_("结果"),
        choices=[(r.value, r.label) for r in AppealResult if r != AppealResult.PENDING],
    )
    decided_on = _date_field(_("审结日期"))
    note = _note_field(_("说明"))

    def __init__(self, data: Any = None, files: Any = None, **kwargs: Any) -> None:
        super().__init__(data, files, **kwargs)
        pending = self.application.appeals.filter(result=AppealResult.PENDING)
        self.model_field("appeal").queryset = pending
