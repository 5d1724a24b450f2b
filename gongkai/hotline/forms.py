"""Forms of the public side of 12345: the web form, the citizen's rating, the message board's
filters and the rates page's month. They parse input; the rules are the services'.

A service's refusal is put on the form with ``add_service_error``: on the field it concerns when
there is one, otherwise above the form.
"""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import ServiceForm as CoreServiceForm
from gongkai.orgs.models import Kind, Level, Organisation

from .errors import HotlineErrorCode
from .models import Category, RequestType, Satisfaction
from .selectors import published_messages
from .services import Intake

SERVICE_ERROR_FIELDS: dict[str, str] = {
    HotlineErrorCode.CONTENT_REQUIRED: "content",
    HotlineErrorCode.CONTACT_REQUIRED: "caller_phone",
    HotlineErrorCode.STREET_OUTSIDE_DISTRICT: "street",
}
"""The form field a service refusal concerns, where there is one."""

MONTH_INPUT = "%Y-%m"


class ServiceForm(CoreServiceForm):
    error_fields = SERVICE_ERROR_FIELDS


def _districts() -> "forms.ModelChoiceField[Organisation]":
    return forms.ModelChoiceField(
        label=_("所在区"),
        queryset=Organisation.objects.filter(
            level=Level.DISTRICT, kind=Kind.GOVERNMENT, is_active=True
        ).order_by("code"),
        required=False,
        empty_label=_("（请选择）"),
    )


class WebOrderForm(ServiceForm):
    """网上留言: a request from the public to 12345 (``services.order_create``, channel web)."""

    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    content = forms.CharField(
        label=_("诉求内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("请写明时间、地点、事情经过和您的诉求。"),
        error_messages={"required": _("请填写诉求内容。")},
    )
    request_type = forms.ChoiceField(
        label=_("诉求类型"),
        choices=RequestType.choices,
        error_messages={"required": _("请选择诉求类型。")},
    )
    category = forms.ModelChoiceField(
        label=_("诉求类别"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=_("（不确定可不选）"),
    )
    district = _districts()
    street = forms.ModelChoiceField(
        label=_("所在街道（乡镇）"),
        queryset=Organisation.objects.filter(level=Level.STREET, is_active=True).order_by("code"),
        required=False,
        empty_label=_("（请选择）"),
    )
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)
    caller_name = forms.CharField(label=_("姓名或称呼"), max_length=50, required=False)
    caller_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    caller_email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请填写有效的电子邮箱地址。")},
    )
    publish_consent = forms.BooleanField(
        label=_("同意将本留言及答复公开在网民留言栏目"),
        required=False,
        help_text=_("公开时隐去您的姓名、电话和电子邮箱，留言中的个人信息也会遮蔽。"),
    )

    def intake(self) -> Intake:
        data = self.cleaned_data
        return Intake(
            content=data["content"],
            request_type=data["request_type"],
            category=data["category"],
            title=data["title"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            caller_email=data["caller_email"],
            district=data["district"],
            street=data["street"],
            address=data["address"],
            publish_consent=data["publish_consent"],
        )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对答复的评价"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择评价。"),
            "invalid_choice": _("请选择满意、基本满意或不满意。"),
        },
    )


def _parse_month(value: str) -> date | None:
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


class MonthField(forms.CharField):
    """A month written as 2026-10."""

    default_error_messages = {"invalid": _("月份格式应为“年-月”，例如 2026-10。")}

    def to_python(self, value: object) -> date | None:  # type: ignore[override]
        text = str(super().to_python(value)).strip()
        if not text:
            return None
        month = _parse_month(text)
        if month is None or not 2000 <= month.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class BoardFilterForm(forms.Form):
    """The filters of the message board (all optional)."""

    category = forms.ModelChoiceField(
        label=_("诉求类别"),
        queryset=Category.objects.filter(parent__isnull=True),
        required=False,
        empty_label=_("全部"),
        error_messages={"invalid_choice": _("没有这个诉求类别。")},
    )
    organisation = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("全部"),
        error_messages={"invalid_choice": _("没有这个承办单位。")},
    )
    month = MonthField(label=_("答复月份"), required=False, help_text=_("例如 2026-10"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        # Only the organisations that answered a published message.
        field.queryset = Organisation.objects.filter(
            pk__in=published_messages().values("lead")
        ).order_by("code")


class RatesMonthForm(forms.Form):
    month = MonthField(label=_("月份"), required=False)
