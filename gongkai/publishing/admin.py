"""Admin pages. The reference data (主题分类, 体裁, 公开属性依据, 审核词语) is the system
administrator's, saved through ``core.services.reference_row_save`` (so audited). Documents are
shown read-only: they change only through the workflow's services."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from gongkai.core.admin import ReferenceAdmin

from .models import (
    CheckResult,
    Document,
    DocumentVersion,
    Genre,
    LegalBasis,
    ReviewEvent,
    ReviewTerm,
    Topic,
)
from .services import reference_delete


@admin.register(Topic)
class TopicAdmin(ReferenceAdmin):
    list_display = ("name", "parent", "sort_order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name",)


@admin.register(Genre)
class GenreAdmin(ReferenceAdmin):
    list_display = ("name", "is_official", "is_normative", "is_interpretation", "sort_order")
    list_filter = ("is_official", "is_normative", "is_interpretation")


@admin.register(LegalBasis)
class LegalBasisAdmin(ReferenceAdmin):
    list_display = ("code", "attribute", "article", "label", "sort_order")
    list_filter = ("attribute",)

    def get_readonly_fields(self, request: HttpRequest, obj: LegalBasis | None = None) -> Any:
        return ("code",) if obj else ()


@admin.register(ReviewTerm)
class ReviewTermAdmin(ReferenceAdmin):
    list_display = ("term", "kind", "suggestion")
    list_filter = ("kind",)
    search_fields = ("term", "suggestion")

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return request.user.has_perm("publishing.delete_reviewterm")

    def delete_model(self, request: HttpRequest, obj: ReviewTerm) -> None:
        reference_delete(actor=request.user, row=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ReviewTerm]) -> None:
        with transaction.atomic():
            for term in queryset:
                reference_delete(actor=request.user, row=term)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class VersionInline(_ReadOnlyInline):
    model = DocumentVersion
    fields = ("version", "title", "doc_no", "change_note", "published_at")


class CheckInline(_ReadOnlyInline):
    model = CheckResult
    fields = ("version", "code", "passed", "message", "override_reason", "created_at")


class EventInline(_ReadOnlyInline):
    model = ReviewEvent
    fields = ("at", "from_status", "to_status", "actor", "note")


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "index_no",
        "title",
        "organisation",
        "genre",
        "disclosure",
        "status",
        "version",
        "published_at",
    )
    list_filter = ("status", "disclosure", "validity", "genre")
    search_fields = ("index_no", "title", "doc_no")
    list_select_related = ("organisation", "genre")
    inlines = (VersionInline, CheckInline, EventInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
