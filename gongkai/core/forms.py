from collections.abc import Mapping
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .errors import CoreError


class ServiceForm(forms.Form):
    """A form whose data a service checks. The service's refusal is shown on the field it
    concerns (``error_fields``: error code → field name), else above the form."""

    error_fields: ClassVar[Mapping[str, str]] = {}

    def add_service_error(self, error: CoreError) -> None:
        field = self.error_fields.get(str(error.code))
        self.add_error(field if field in self.fields else None, error.message)


class AuditFilterForm(forms.Form):
    """The search form of the audit log list (all fields optional)."""

    text = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=100,
        help_text=_("匹配操作人、动作、对象和摘要"),
    )
    action = forms.CharField(
        label=_("动作"),
        required=False,
        max_length=100,
        help_text=_("按前缀匹配，例如 orgs. 或 core.calendarday"),
    )
    organisation = forms.CharField(label=_("所属机构"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("起始日期不能晚于截止日期。"))
        return data
