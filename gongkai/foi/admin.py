"""Admin pages. The letter templates are the system administrator's: one per kind of letter (of
a reply: per outcome), seeded from ``data/letters.yaml``, changed but never added or deleted here,
and saved through ``services.letter_template_save`` (checked and audited)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import letters
from .errors import FoiError
from .models import LetterTemplate
from .services import letter_template_save


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ("title", "addressee", "body")
        widgets = {"body": forms.Textarea(attrs={"rows": 24, "cols": 100})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = (
            _(
                "每行为一个自然段；填入后为空的行（如没有办理说明时的 {note}）不出现。"
                "可用的占位符：%s"
            )
            % letters.placeholder_help()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            letters.check_template(*(cleaned.get(name, "") for name in self.Meta.fields))
        except FoiError as error:
            raise forms.ValidationError(error.message) from error
        return cleaned


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    form = LetterTemplateForm
    list_display = ("kind", "outcome", "title", "edited", "updated_at")
    list_filter = ("kind", "edited")
    search_fields = ("title", "body")
    readonly_fields = ("kind", "outcome")
    fields = ("kind", "outcome", "title", "addressee", "body")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        letter_template_save(actor=request.user, template=obj)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
