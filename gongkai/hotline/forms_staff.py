"""Forms of the 12345 staff pages: the operator's intake and the actions of the order page.
They parse input; the rules are the services'. A service's refusal is put on the form with
``add_service_error``: on the field it concerns when there is one, otherwise above the form."""

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import ServiceForm as CoreServiceForm
from gongkai.orgs.models import Kind, Level, Organisation

from .errors import HotlineErrorCode
from .models import Category, RequestType, Satisfaction, Urgency, WorkOrder

SERVICE_ERROR_FIELDS: dict[str, str] = {
    HotlineErrorCode.CONTENT_REQUIRED: "content",
    HotlineErrorCode.CONTACT_REQUIRED: "caller_phone",
    HotlineErrorCode.STREET_OUTSIDE_DISTRICT: "street",
    HotlineErrorCode.LEAD_ALSO_CO: "co",
    HotlineErrorCode.EXTENSION_NOT_LATER: "until",
    HotlineErrorCode.MERGE_INTO_SELF: "into",
    HotlineErrorCode.MERGE_TARGET_CLOSED: "into",
}
"""The form field a service refusal concerns, where there is one."""


def _text(label: Any, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ServiceForm(CoreServiceForm):
    error_fields = SERVICE_ERROR_FIELDS

    def __init__(self, *args: Any, order: WorkOrder | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order = order


def category_choices() -> list[tuple[Any, Any]]:
    """The active leaf categories, grouped by their parent."""
    leaves = Category.objects.filter(is_active=True, children__isnull=True).select_related("parent")
    groups: dict[str, list[tuple[int, str]]] = {}
    for leaf in leaves.order_by("parent__sort_order", "parent__code", "sort_order", "code"):
        parent = leaf.parent.name if leaf.parent else str(_("其他"))
        groups.setdefault(parent, []).append((leaf.pk, leaf.name))
    return [("", "---------"), *groups.items()]


class StreetField(forms.ModelChoiceField):
    """Streets named with their district ("东城区 · 东华门街道"), in district order."""

    def label_from_instance(self, obj: Any) -> str:
        name = obj.short_name or obj.name
        if obj.parent is None:
            return str(name)
        return f"{obj.parent.short_name or obj.parent.name} · {name}"


class IntakeForm(ServiceForm):
    """The operator's form: every field reachable by Tab in reading order, Enter submits."""

    caller_name = forms.CharField(label=_("来电人"), max_length=50, required=False)
    caller_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    content = forms.CharField(
        label=_("诉求内容"), widget=forms.TextInput(attrs={"size": 80, "autocomplete": "off"})
    )
    """One line, so that Enter submits the form from any field."""
    request_type = forms.ChoiceField(label=_("诉求类型"), choices=RequestType.choices)
    category = forms.ModelChoiceField(
        label=_("诉求类别"),
        queryset=Category.objects.filter(is_active=True, children__isnull=True),
        required=False,
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"),
        choices=[("", _("按类别默认")), *Urgency.choices],
        required=False,
    )
    district = forms.ModelChoiceField(
        label=_("区"),
        queryset=Organisation.objects.filter(level=Level.DISTRICT, kind=Kind.GOVERNMENT),
        required=False,
    )
    street = StreetField(
        label=_("街道（乡镇）"),
        queryset=Organisation.objects.filter(level=Level.STREET, is_active=True)
        .select_related("parent")
        .order_by("parent__code", "code"),
        required=False,
    )
    address = forms.CharField(label=_("详细地址"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["caller_name"].widget.attrs["autofocus"] = True
        cast(forms.ModelChoiceField, self.fields["category"]).choices = category_choices()
        self.fields["caller_phone"].widget.attrs.update(inputmode="tel", autocomplete="off")


class AnswerForm(ServiceForm):
    answer = _text(_("答复内容"))


class DispatchForm(ServiceForm):
    ORGANISATIONS = Organisation.objects.filter(is_active=True)
    lead = forms.ModelChoiceField(label=_("主办单位"), queryset=ORGANISATIONS)
    co = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=ORGANISATIONS,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    note = forms.CharField(label=_("派单说明"), max_length=200, required=False)

    def propose(self, *candidates: object) -> None:
        """Preselect the first candidate lead (an organisation's key, as given — e.g. the
        ``?lead=`` of a suggestion the dispatcher took) that may be chosen."""
        for candidate in map(str, candidates):
            if candidate.isdigit() and self.ORGANISATIONS.filter(pk=int(candidate)).exists():
                self.fields["lead"].initial = int(candidate)
                return


class MergeForm(ServiceForm):
    into = forms.CharField(label=_("并入工单编号"), max_length=20)
    reason = _text(_("并单理由"), rows=2)

    def clean_into(self) -> WorkOrder:
        number = self.cleaned_data["into"].strip()
        found = WorkOrder.objects.filter(number=number).first()
        if found is None:
            raise forms.ValidationError(
                _("没有编号为 %(number)s 的工单。"), params={"number": number}
            )
        return found


class EmptyForm(ServiceForm):
    """An action without input (签收, 办结)."""


class ReasonForm(ServiceForm):
    reason = _text(_("理由"), rows=2)


class NoteForm(ServiceForm):
    text = _text(_("内容"), rows=2)


class ReplyForm(ServiceForm):
    reply = _text(_("答复内容"), rows=4)


class ExtensionRequestForm(ServiceForm):
    until = forms.DateTimeField(
        label=_("申请延至"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = _text(_("延期理由"), rows=2)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.order is not None:
            self.fields["until"].initial = timezone.localtime(self.order.due_at)


class ExtensionDecideForm(ServiceForm):
    decision = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("yes", _("批准")), ("no", _("不批准"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("审批意见"), max_length=200, required=False)


class CallBackForm(ServiceForm):
    resolved = forms.TypedChoiceField(
        label=_("诉求是否解决"),
        choices=[("yes", _("已解决")), ("no", _("未解决"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)


class SuperviseForm(ServiceForm):
    note = _text(_("督办意见"), rows=2)
    hours = forms.IntegerField(
        label=_("反馈时限（小时）"), min_value=1, max_value=720, required=False
    )


class TopicsFilterForm(forms.Form):
    """The period (both days included; by default the last ``DEFAULT_DAYS`` days up to today)
    and the district of 诉求汇总 (``selectors.topic_summary``)."""

    DEFAULT_DAYS = 30
    LONGEST_DAYS = 366
    FIRST_DAY = date(2000, 1, 1)
    LAST_DAY = date(2099, 12, 31)

    start = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    district = forms.ModelChoiceField(
        label=_("区"), queryset=Organisation.objects.none(), required=False, empty_label=_("全部")
    )

    def __init__(self, *args: Any, districts: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or timezone.localdate()
        start = data.get("start") or end - timedelta(days=self.DEFAULT_DAYS - 1)
        if start < self.FIRST_DAY or end > self.LAST_DAY:
            raise forms.ValidationError(_("日期应在 2000 年至 2099 年之间。"))
        if start > end:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        if (end - start).days + 1 > self.LONGEST_DAYS:
            raise forms.ValidationError(
                _("统计期间最长 %(days)d 天。"), params={"days": self.LONGEST_DAYS}
            )
        data["start"], data["end"] = start, end
        return data
