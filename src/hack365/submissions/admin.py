"""Read-only admin: solutions change through the team's pages (and so
through the services, the versions and the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Attachment, Solution, SolutionDataset


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DatasetInline(_ReadOnly, admin.TabularInline[SolutionDataset, Solution]):
    model = SolutionDataset
    fields = ["dataset", "position", "note"]
    extra = 0


class AttachmentInline(_ReadOnly, admin.TabularInline[Attachment, Solution]):
    model = Attachment
    fields = ["original_name", "content_type", "size", "is_confidential", "created_at"]
    extra = 0


@admin.register(Solution)
class SolutionAdmin(_ReadOnly, admin.ModelAdmin[Solution]):
    list_display = ["title", "team", "challenge", "status", "version", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["title", "team__name", "challenge__title"]
    date_hierarchy = "created_at"
    inlines = [DatasetInline, AttachmentInline]
    exclude = ["search_text"]
