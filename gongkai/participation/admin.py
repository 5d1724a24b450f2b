"""Admin pages. The consultation types are the system administrator's: their minimum periods
are changed here, saved through ``core.services.reference_row_save`` (checked and audited), and
never deleted (consultations refer to them; a type no longer used is disabled)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.core.admin import ReferenceAdmin

from .models import ConsultationType


@admin.register(ConsultationType)
class ConsultationTypeAdmin(ReferenceAdmin):
    list_display = ("name", "code", "minimum_period", "period_unit", "is_active", "sort_order")
    list_filter = ("period_unit", "is_active")
    search_fields = ("name", "code", "legal_basis")

    def get_readonly_fields(self, request: HttpRequest, obj: ConsultationType | None = None) -> Any:
        return ("code",) if obj else ()
