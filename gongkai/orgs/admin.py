"""Admin for organisations: every save goes through the services, and so into the audit log.

Names are changed by editing 全称/简称 together with the rename date and notice (a rename keeps
the old name in the history, shown read-only). Organisations are never deleted; merges are
recorded with ``services.org_merge`` through the changelist action "撤并到其他机构", which asks
for the successor, date and notice on an intermediate page. Aliases are edited inline.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gongkai.core.errors import CoreError

from .errors import OrgError, OrgErrorCode
from .models import Organisation, OrganisationAlias, OrganisationName
from .names import normalise_name
from .services import (
    org_alias_add,
    org_alias_remove,
    org_create,
    org_merge,
    org_rename,
    org_rename_check,
    org_update,
)

_NAME_FIELDS = {"name", "short_name"}
_RENAME_FIELDS = ("rename_effective_on", "rename_notice")
_MERGE_FIELDS = ("is_active", "successor", "dissolved_on", "dissolution_notice")


def _may_change(request: HttpRequest) -> bool:
    return request.user.has_perm("orgs.change_organisation")


class OrganisationForm(forms.ModelForm):
    rename_effective_on = forms.DateField(
        label=_("更名生效日期"),
        required=False,
        help_text=_("修改全称或简称时必填：新名称自该日起使用，原名称保留在名称沿革中。"),
    )
    rename_notice = forms.CharField(
        label=_("更名依据"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改全称或简称时必填，如机构改革方案或批复文件。"),
    )

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "short_name",
            "level",
            "kind",
            "parent",
            "sort_order",
            "established_on",
        ]

    def renaming(self) -> bool:
        return self.instance.pk is not None and bool(_NAME_FIELDS & set(self.changed_data))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.renaming():
            return cleaned
        effective_on = cleaned.get("rename_effective_on")
        if effective_on is None:
            self.add_error("rename_effective_on", _("修改名称时请填写更名生效日期。"))
            return cleaned
        try:
            org_rename_check(
                organisation=self.instance,
                name=cleaned.get("name", ""),
                short_name=cleaned.get("short_name", ""),
                effective_on=effective_on,
                notice=cleaned.get("rename_notice", ""),
            )
        except OrgError as error:
            raise ValidationError(error.message, code=str(error.code)) from error
        return cleaned


class MergeForm(forms.Form):
    """The intermediate page of the merge action; ``org_merge`` decides what is accepted."""

    into = forms.ModelChoiceField(
        label=_("承继机构"),
        queryset=Organisation.objects.none(),
        help_text=_("所选机构撤并后由该机构承接其职责，须为存续机构。"),
        error_messages={
            "required": _("请选择承继机构。"),
            "invalid_choice": _("请从列表中选择承继机构：须为存续机构，且不能是要撤并的机构。"),
        },
    )
    effective_on = forms.DateField(
        label=_("撤并日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写撤并日期。"),
            "invalid": _("撤并日期无效，请使用 YYYY-MM-DD 格式。"),
        },
    )
    notice = forms.CharField(
        label=_("撤并依据"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("撤并所依据的文件，如机构改革方案或批复文件的名称和文号。"),
        error_messages={"required": _("请填写撤并依据（如机构改革方案或批复文件）。")},
    )

    # Where a refusal by ``org_merge`` is shown; other refusals go on top of the form.
    error_fields: ClassVar[Mapping[str, str]] = {
        OrgErrorCode.NOTICE_REQUIRED: "notice",
        OrgErrorCode.MERGE_INTO_SOURCE: "into",
        OrgErrorCode.MERGE_TOO_EARLY: "effective_on",
    }

    def __init__(self, *args: Any, sources: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(is_active=True).exclude(
            pk__in=sources.values("pk")
        )

    def add_refusal(self, error: CoreError) -> None:
        field = self.error_fields.get(error.code) if isinstance(error, OrgError) else None
        self.add_error(field, ValidationError(error.message, code=str(error.code)))


class AliasFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            alias = form.cleaned_data.get("alias") if form.cleaned_data else None
            if not alias or form in self.deleted_forms:
                continue
            key = normalise_name(alias)
            if key in seen:
                raise ValidationError(_("别名“%(alias)s”重复。"), params={"alias": alias})
            seen.add(key)


class _FollowsOrganisationPermissions:
    """Inline rows are part of the organisation: whoever may change it may edit them."""

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_change(request) or request.user.has_perm("orgs.view_organisation")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_change(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_change(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_change(request)


class AliasInline(_FollowsOrganisationPermissions, admin.TabularInline):
    model = OrganisationAlias
    formset = AliasFormSet
    fields = ["alias"]
    extra = 1


class NameInline(_FollowsOrganisationPermissions, admin.TabularInline):
    """The name history, read-only: it changes only by renames and merges."""

    model = OrganisationName
    fields = readonly_fields = ("name", "short_name", "valid_from", "valid_to", "notice")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    inlines = (NameInline, AliasInline)
    list_display = ["code", "name", "short_name", "level", "kind", "parent", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name", "short_name", "names__name", "aliases__alias"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["level", "sort_order", "code"]
    actions = ["merge"]

    @admin.action(description=_("撤并到其他机构"), permissions=["change"])
    def merge(
        self, request: HttpRequest, queryset: QuerySet[Organisation]
    ) -> TemplateResponse | None:
        """Ask for the successor, date and notice; on a valid POST merge through the service.

        Returning ``None`` after the merge sends the admin back to the changelist.
        """
        if not self.has_change_permission(request):
            raise PermissionDenied
        sources = queryset.select_related("parent")
        submitted = "apply" in request.POST
        form = MergeForm(request.POST if submitted else None, sources=sources, prefix="merge")
        if submitted and form.is_valid():
            into: Organisation = form.cleaned_data["into"]
            effective_on: date = form.cleaned_data["effective_on"]
            merged = list(sources)
            try:
                org_merge(
                    actor=request.user,
                    sources=merged,
                    into=into,
                    effective_on=effective_on,
                    notice=form.cleaned_data["notice"],
                )
            except CoreError as error:
                form.add_refusal(error)
            else:
                self.message_user(
                    request,
                    gettext("已将%(sources)s并入“%(into)s”，自 %(date)s 起生效。")
                    % {
                        "sources": "、".join(f"“{org.name}”" for org in merged),
                        "into": into.name,
                        "date": effective_on.isoformat(),
                    },
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("撤并到其他机构"),
            "opts": self.opts,
            "sources": sources,
            "form": form,
            "action_name": "merge",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request,
            "admin/orgs/organisation/merge.html",
            context,
            status=400 if submitted else 200,
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Organisation | None = None) -> Any:
        return () if obj is None else ("code", "established_on", *_MERGE_FIELDS)

    def get_fields(self, request: HttpRequest, obj: Organisation | None = None) -> Any:
        if obj is None:
            return OrganisationForm.Meta.fields
        return [*OrganisationForm.Meta.fields, *_RENAME_FIELDS, *_MERGE_FIELDS]

    def has_delete_permission(self, request: HttpRequest, obj: Organisation | None = None) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: OrganisationForm, change: bool
    ) -> None:
        data = form.cleaned_data
        if not change:
            created = org_create(
                actor=request.user,
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                level=data["level"],
                kind=data["kind"],
                parent=data["parent"],
                sort_order=data["sort_order"],
                established_on=data["established_on"],
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj.refresh_from_db()
            return
        current = Organisation.objects.get(pk=obj.pk)
        if form.renaming():
            org_rename(
                actor=request.user,
                organisation=current,
                name=data["name"],
                short_name=data["short_name"],
                effective_on=data["rename_effective_on"],
                notice=data["rename_notice"],
            )
        org_update(
            actor=request.user,
            organisation=current,
            parent=data["parent"],
            level=data["level"],
            kind=data["kind"],
            sort_order=data["sort_order"],
        )
        obj.refresh_from_db()

    def save_formset(
        self, request: HttpRequest, form: OrganisationForm, formset: Any, change: bool
    ) -> None:
        # What the admin's change message reads (formset.save() would set it).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is not OrganisationAlias:
            return  # the name history is read-only
        organisation = form.instance
        for alias_form in formset.forms:
            deleted = alias_form in formset.deleted_forms
            old = alias_form.initial.get("alias")
            if old and (deleted or alias_form.has_changed()):
                org_alias_remove(actor=request.user, organisation=organisation, alias=old)
                formset.deleted_objects.append(alias_form.instance)
            if not deleted and alias_form.has_changed():
                new = alias_form.cleaned_data["alias"]
                added = org_alias_add(actor=request.user, organisation=organisation, alias=new)
                formset.new_objects.append(added)
