"""Admin pages: the 12345 reference data the system administrator keeps — the category tree
(诉求类别: names, default urgency, 属地 and complex flags) and the time limits (办理时限) —
saved through ``core.services.reference_row_save`` (audited), never deleted (orders refer to
categories; a time limit is changed, not removed). A changed time limit applies to orders
received afterwards (decision 0008)."""

from django.contrib import admin

from gongkai.core.admin import ReferenceAdmin

from .models import Category, TimeLimitRule


@admin.register(Category)
class CategoryAdmin(ReferenceAdmin):
    list_display = ("code", "name", "parent", "default_urgency", "local", "complex", "is_active")
    list_filter = ("default_urgency", "local", "complex", "is_active")
    search_fields = ("code", "name")
    ordering = ("code",)


@admin.register(TimeLimitRule)
class TimeLimitRuleAdmin(ReferenceAdmin):
    list_display = ("urgency", "complex", "request_type", "amount", "unit")
    list_filter = ("urgency", "complex", "unit")
