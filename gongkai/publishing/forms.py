"""Forms of the staff pages (政府信息管理). They parse input; the rules are the services'.

A service's refusal is put on the form with ``add_service_error``: on the field it concerns
when there is one (a bad 发文字号 on 发文字号, a missing legal basis on 公开依据, …), otherwise
above the form.
"""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import User
from gongkai.core.privacy import KIND_LABELS, Kind
from gongkai.orgs.models import Organisation

from . import permissions, selectors
from .checks import PERSONAL_DATA_CHECK, PersonalFinding, check_label
from .errors import PublishingError, PublishingErrorCode
from .models import (
    CheckResult,
    Disclosure,
    Document,
    Genre,
    InterpretationForm,
    LegalBasis,
    Status,
    Topic,
    Validity,
)

SERVICE_ERROR_FIELDS: dict[PublishingErrorCode, str] = {
    PublishingErrorCode.BAD_DOC_NO: "doc_no",
    PublishingErrorCode.DISCLOSURE_REQUIRED: "disclosure",
    PublishingErrorCode.LEGAL_BASIS_REQUIRED: "legal_basis",
    PublishingErrorCode.LEGAL_BASIS_MISMATCH: "legal_basis",
    PublishingErrorCode.LEGAL_BASIS_NOT_ALLOWED: "legal_basis",
    PublishingErrorCode.DISCLOSURE_REASON_REQUIRED: "disclosure_reason",
    PublishingErrorCode.INTERPRETATION_GENRE: "genre",
    PublishingErrorCode.LEADER_NAME_REQUIRED: "leader_name",
    PublishingErrorCode.POLICY_REQUIRED: "policies",
    PublishingErrorCode.BAD_POLICY: "policies",
    PublishingErrorCode.ATTACHMENT_TOO_LARGE: "file",
}
"""The form field a service refusal concerns, where there is one."""

OVERRIDE_PREFIX = "override_"
OVERRIDE_HELP: dict[str, Promise] = {
    PERSONAL_DATA_CHECK: _(
        "个人信息应先遮盖（见“发布前检查”中的“遮盖个人信息”）。仅当发现的内容依法应当公开"
        "或属于误报时放行，例如已公开的公务人员办公电话、机构地址，并在此写明理由。"
    ),
}
"""Help for the override reason of a check, where it needs more than its label."""
ISO_DATE = "%Y-%m-%d"  # what <input type="date"> reads and sends
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> reads and sends


class ServiceForm(forms.Form):
    def model_field(self, name: str) -> forms.ModelChoiceField:
        """A model choice field of this form instance, e.g. to set its queryset."""
        return cast(forms.ModelChoiceField, self.fields[name])

    def add_service_error(self, error: PublishingError | ValidationError) -> None:
        """Show a service's refusal on the field it concerns, or above the form."""
        if isinstance(error, PublishingError):
            field = SERVICE_ERROR_FIELDS.get(PublishingErrorCode(error.code))
            self.add_error(field if field in self.fields else None, error.message)
            return
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
            return
        for message in error.messages:
            self.add_error(None, message)


class GroupedModelChoiceField(forms.ModelChoiceField):
    """A select with ``<optgroup>``s, set per form with ``set_groups``; the queryset still
    decides what is valid."""

    def set_groups(self, groups: list[tuple[Any, Any]]) -> None:
        self.choices = [("", self.empty_label), *groups]


def _topic_groups() -> list[tuple[Any, Any]]:
    """Top-level topics with their subtopics as groups; a top-level one without subtopics is
    an option of its own."""
    groups: list[tuple[Any, Any]] = []
    for root in Topic.objects.filter(parent=None).prefetch_related("children"):
        children = list(root.children.all())
        groups.append(
            (root.name, [(child.pk, child.name) for child in children])
            if children
            else (root.pk, root.name)
        )
    return groups


def _legal_basis_groups() -> list[tuple[Any, Any]]:
    bases = list(LegalBasis.objects.all())
    return [
        (
            label,
            [
                (basis.pk, f"{basis.article}：{basis.label}")
                for basis in bases
                if basis.attribute == value
            ],
        )
        for value, label in Disclosure.choices
        if value != Disclosure.PROACTIVE
    ]


class _DocumentChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.title}（{obj.index_no}）"


class DocumentForm(ServiceForm):
    """A draft's fields (``services.document_create`` / ``document_update``); with
    ``interpretation`` those of a 政策解读, whose genre the service sets, and at creation
    what it interprets (``services.interpretation_create``)."""

    organisation = forms.ModelChoiceField(label=_("发布机构"), queryset=Organisation.objects.none())
    title = forms.CharField(label=_("标题"), max_length=300)
    genre = forms.ModelChoiceField(
        label=_("体裁"), queryset=Genre.objects.filter(is_interpretation=False)
    )
    topic = GroupedModelChoiceField(
        label=_("主题分类"), queryset=Topic.objects.filter(children__isnull=True)
    )
    doc_no = forms.CharField(
        label=_("发文字号"),
        max_length=60,
        required=False,
        help_text=_(
            "例如：京政办发〔2018〕16号；方括号、圆括号等写法会自动改为六角括号。没有则留空。"
        ),
    )
    written_on = forms.DateField(
        label=_("成文日期"), widget=forms.DateInput({"type": "date"}, format=ISO_DATE)
    )
    formed_on = forms.DateField(
        label=_("信息形成或变更日期"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format=ISO_DATE),
        help_text=_("自该日起20个工作日内公开（条例第二十六条）；留空则与成文日期相同。"),
    )
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices)
    keywords = forms.CharField(label=_("主题词"), max_length=200, required=False)
    co_issuers = forms.ModelMultipleChoiceField(
        label=_("联合发文机构"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("没有则不选；按住 Ctrl 键可多选。"),
    )
    disclosure = forms.ChoiceField(
        label=_("公开属性"), choices=Disclosure.choices, widget=forms.RadioSelect
    )
    legal_basis = GroupedModelChoiceField(
        label=_("公开依据"),
        queryset=LegalBasis.objects.all(),
        required=False,
        help_text=_("依申请公开、不予公开时必填：所依据的《政府信息公开条例》条款。"),
    )
    disclosure_reason = forms.CharField(
        label=_("理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("依申请公开、不予公开时必填。"),
    )
    summary = forms.CharField(label=_("内容概述"), widget=forms.Textarea(attrs={"rows": 3}))
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("可使用 HTML（段落、标题、列表、表格、链接、图片）；保存时清除不安全的内容。"),
    )
    policies = _DocumentChoices(
        label=_("所解读的政策"),
        queryset=Document.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    form = forms.ChoiceField(label=_("解读形式"), choices=InterpretationForm.choices)
    leader_name = forms.CharField(
        label=_("解读负责人"), max_length=50, required=False, help_text=_("负责人解读时必填。")
    )

    FIELDSETS: Sequence[tuple[Promise, Sequence[str]]] = (
        (_("政策解读"), ("policies", "form", "leader_name")),
        (
            _("基本信息"),
            ("organisation", "title", "genre", "topic", "doc_no", "written_on", "formed_on"),
        ),
        (_("公开属性"), ("disclosure", "legal_basis", "disclosure_reason")),
        (_("内容"), ("summary", "body", "keywords")),
        (_("其他"), ("validity", "co_issuers")),
    )
    INTERPRETATION_FIELDS = ("policies", "form", "leader_name")
    DOCUMENT_FIELDS = (
        "title",
        "genre",
        "topic",
        "doc_no",
        "written_on",
        "formed_on",
        "validity",
        "keywords",
        "co_issuers",
        "disclosure",
        "legal_basis",
        "disclosure_reason",
        "summary",
        "body",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        user: User,
        document: Document | None = None,
        interpretation: bool = False,
        initial: dict[str, Any] | None = None,
    ) -> None:
        if document is not None:
            initial = {name: getattr(document, name) for name in self.DOCUMENT_FIELDS} | {
                "co_issuers": list(document.co_issuers.all()),
                "legal_basis": document.legal_basis_id,
                "genre": document.genre_id,
                "topic": document.topic_id,
            }
        super().__init__(data, initial=initial or {"validity": Validity.CURRENT})
        cast(GroupedModelChoiceField, self.fields["topic"]).set_groups(_topic_groups())
        cast(GroupedModelChoiceField, self.fields["legal_basis"]).set_groups(_legal_basis_groups())
        if document is None:
            organisations = permissions.draftable_organisations(user)
            self.model_field("organisation").queryset = organisations
            first_two = list(organisations[:2])
            if len(first_two) == 1:
                self.fields["organisation"].initial = first_two[0].pk
        else:
            del self.fields["organisation"]
        if interpretation:
            del self.fields["genre"]
        if interpretation and document is None:
            self.model_field("policies").queryset = selectors.policy_choices(user=user)
        else:
            for name in self.INTERPRETATION_FIELDS:
                del self.fields[name]

    def fieldsets(self) -> list[tuple[Promise, list[BoundField]]]:
        """The fields present, by fieldset, for the template."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def document_fields(self) -> dict[str, Any]:
        """The cleaned fields ``document_create`` / ``document_update`` take."""
        return {
            name: value for name, value in self.cleaned_data.items() if name in self.DOCUMENT_FIELDS
        }


class AttachmentForm(ServiceForm):
    name = forms.CharField(
        label=_("附件名称"), max_length=200, required=False, help_text=_("留空则使用文件名。")
    )
    file = forms.FileField(label=_("文件"), error_messages={"required": _("请选择要上传的文件。")})


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Status.choices], required=False
    )


# The workflow actions of the document page, one form each (``prefix``: the action).


class ActionForm(ServiceForm):
    def __init__(self, data: Any = None, *, user: User, document: Document, prefix: str) -> None:
        super().__init__(data, prefix=prefix)
        self.user = user
        self.document = document


class ConfirmForm(ActionForm):
    """An action that asks for nothing but the button."""


class ReturnForm(ActionForm):
    note = forms.CharField(
        label=_("退回意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明需要修改的内容，经办人修改后重新提交。"),
    )


class ApproveForm(ActionForm):
    """One reason field per check of the current version that failed
    (``OVERRIDE_PREFIX`` + its code)."""

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.failing = list(
            CheckResult.objects.filter(
                document=self.document, version=self.document.version, passed=False
            )
        )
        for result in self.failing:
            self.fields[f"{OVERRIDE_PREFIX}{result.code}"] = forms.CharField(
                label=_("“%(check)s”未通过，放行理由") % {"check": check_label(result.code)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=str(OVERRIDE_HELP.get(result.code, "")),
            )


class PublishForm(ActionForm):
    NOW, SCHEDULE = "now", "schedule"

    when = forms.ChoiceField(
        label=_("发布时间"),
        choices=[(NOW, _("立即发布")), (SCHEDULE, _("定时发布"))],
        initial=NOW,
        widget=forms.RadioSelect,
    )
    at = forms.DateTimeField(
        label=_("定时发布时间"),
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput({"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("选择“定时发布”时填写。"),
    )
    interpretations = _DocumentChoices(
        label=_("同时发布的政策解读"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("规范性文件须与其政策解读同步发布（已审核通过、关联本文件的解读）。"),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        candidates = selectors.publishable_interpretations(user=self.user, policy=self.document)
        if candidates.exists():
            field = self.model_field("interpretations")
            field.queryset = candidates
            field.initial = [interpretation.pk for interpretation in candidates]
        else:
            del self.fields["interpretations"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == self.SCHEDULE:
            at = data.get("at")
            if at is None and "at" not in self.errors:
                self.add_error("at", _("请填写定时发布时间。"))
            elif at is not None and at <= timezone.now():
                self.add_error("at", _("定时发布时间须晚于当前时间。"))
        return data


class RevisionForm(ActionForm):
    change_note = forms.CharField(
        label=_("修订说明"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明修订的原因和内容，随新版本公开。新版本发布前，公众仍看到当前版本。"),
    )


class WithdrawForm(ActionForm):
    reason = forms.CharField(
        label=_("撤回理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("撤回后，公开页面只显示撤回公告和理由。"),
    )


class ExemptForm(ActionForm):
    reason = forms.CharField(
        label=_("免于同步解读的理由"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ValidityForm(ActionForm):
    validity = forms.ChoiceField(label=_("有效性"), choices=Validity.choices)
    replaced_by = forms.CharField(
        label=_("替代文件的索引号"),
        max_length=64,
        required=False,
        help_text=_("已修改或废止时，可填写替代它的已发布文件的索引号。"),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["validity"].initial = self.document.validity
        if self.document.replaced_by is not None:
            self.fields["replaced_by"].initial = self.document.replaced_by.index_no

    def clean_replaced_by(self) -> Document | None:
        index_no = self.cleaned_data["replaced_by"]
        if not index_no:
            return None
        replacement = selectors.replacement_document(user=self.user, index_no=index_no)
        if replacement is None:
            raise ValidationError(
                _("找不到索引号为“%(index_no)s”的已发布政府信息。") % {"index_no": index_no}
            )
        return replacement


class LinkForm(ActionForm):
    policies = _DocumentChoices(
        label=_("增加所解读的政策"),
        queryset=Document.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.model_field("policies").queryset = selectors.policy_choices(user=self.user).exclude(
            interpretations__document=self.document
        )


class MaskPersonalDataForm(ServiceForm):
    """The kinds of personal information to mask (``services.document_mask_personal_data``):
    those found in the document, all chosen at first."""

    PREFIX = "mask"

    kinds = forms.MultipleChoiceField(
        label=_("遮盖以下类别"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一类要遮盖的个人信息。")},
        help_text=_("以星号替换标题、内容概述和正文中的这些信息，正文格式不变。"),
    )

    def __init__(self, data: Any = None, *, findings: Sequence[PersonalFinding]) -> None:
        super().__init__(data, prefix=self.PREFIX)
        found = {finding.kind: 0 for finding in findings}
        for finding in findings:
            found[finding.kind] += 1
        field = cast(forms.MultipleChoiceField, self.fields["kinds"])
        field.choices = [
            (
                kind.value,
                _("%(kind)s（%(count)d 处）") % {"kind": KIND_LABELS[kind], "count": found[kind]},
            )
            for kind in Kind
            if kind in found
        ]
        field.initial = [kind.value for kind in Kind if kind in found]

    def chosen_kinds(self) -> list[Kind]:
        return [Kind(value) for value in self.cleaned_data["kinds"]]
