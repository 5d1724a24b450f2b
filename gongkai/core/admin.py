"""Admin pages. Calendar edits go through the services (audited, ``calendar_changed`` sent);
the audit log is read-only. ``ReferenceAdmin`` is the base of every app's reference-data pages:
saves go through ``services.reference_row_save`` (audited), and rows are never deleted (records
refer to them: rename or disable instead)."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, CalendarDay, CalendarYear
from .services import (
    calendar_day_delete,
    calendar_day_set,
    calendar_year_set,
    reference_row_save,
)


class ReferenceAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        reference_row_save(actor=request.user, row=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class YearFilter(admin.SimpleListFilter):
    title = _("年度")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(date__year=int(value)) if value and value.isdigit() else queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "notice")
    list_filter = (YearFilter, "kind")
    search_fields = ("name", "notice")

    @admin.display(description=_("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "l")

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarDay | None = None) -> Any:
        return ("date",) if obj else ()

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        saved = calendar_day_set(
            actor=request.user, day=obj.date, kind=obj.kind, name=obj.name, notice=obj.notice
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        calendar_day_delete(actor=request.user, day=obj.date)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        with transaction.atomic():
            for day in queryset.values_list("date", flat=True):
                calendar_day_delete(actor=request.user, day=day)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Years are added and (un)published here; their days are imported with
    ``gongkai calendar import-year`` or edited one by one. Unpublish instead of deleting."""

    list_display = ("year", "is_published", "source", "notice")
    list_filter = ("is_published", "source")
    search_fields = ("notice",)
    fields = ("year", "notice", "is_published", "source")

    def get_readonly_fields(self, request: HttpRequest, obj: CalendarYear | None = None) -> Any:
        return ("year", "source") if obj else ("source",)

    def has_delete_permission(self, request: HttpRequest, obj: CalendarYear | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        saved = calendar_year_set(
            actor=request.user, year=obj.year, notice=obj.notice, is_published=obj.is_published
        )
        obj.pk = saved.pk


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only; the searchable audit pages are at /audit/."""

    list_display = ("seq", "occurred_at", "actor_label", "organisation", "action", "object_repr")
    search_fields = ("actor_label", "organisation", "action", "object_repr", "summary")
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
