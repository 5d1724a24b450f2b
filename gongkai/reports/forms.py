"""Forms of the annual report pages. They parse input; the rules are the services'."""

from typing import Any, cast

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts.models import User
from gongkai.orgs.models import Organisation

from .content import NARRATIVE
from .layout import TABLE2_CELLS, report_format
from .models import AnnualReport
from .permissions import manageable_organisations
from .services import EDITABLE_FIELDS


class CreateForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("报告机关"), queryset=Organisation.objects.none())
    year = forms.IntegerField(label=_("年度"))

    def __init__(self, data: Any = None, *, user: User) -> None:
        super().__init__(data, initial={"year": timezone.localdate().year - 1})
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = manageable_organisations(user)


class ReportForm(forms.Form):
    """The scope, the narrative and table 二 as staff enter it. Table 二's labels are the
    format's; a cell the platform counts says what it counted (``computed``). ``disabled``
    shows a report that may not be changed."""

    def __init__(
        self,
        data: Any = None,
        *,
        initial: dict[str, Any],
        computed: dict[str, int],
        disabled: bool = False,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields.update(fields_for_model(AnnualReport, fields=EDITABLE_FIELDS))
        for field in self.fields.values():
            field.disabled = disabled
        layout = report_format()
        self.fields["overview"].label = _("%(heading)s（概述，可不填）") % {
            "heading": layout.sections["overview"]
        }
        for key, heading in layout.overview.items():
            self.fields[f"overview_{key}"].label = heading
        self.fields["problems"].label = layout.sections["problems"]
        self.fields["other_matters"].label = layout.sections["other"]
        self.fields["other_matters"].help_text = _(
            "如收取信息处理费的情况；没有需要报告的事项时填写“无”。"
        )
        for name in ("overview", *(f"overview_{key}" for key in layout.overview)):
            self.fields[name].widget.attrs["rows"] = 4
        for key, (row, column) in layout.table2_cells().items():
            self.fields[key].label = f"{row}：{column}"
            if key in computed:
                self.fields[key].help_text = _(
                    "留空则采用平台统计数（当前为 %(count)d）；填写则以填写数为准。"
                ) % {"count": computed[key]}
            else:
                self.fields[key].help_text = _("由本机关统计填报。")
        self.narrative = [self[name] for name in NARRATIVE]
        self.table2 = [self[name] for name in TABLE2_CELLS]
        self.table2_heading = layout.sections["table2"]
