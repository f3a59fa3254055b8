"""Read-only admin: solutions change through the team's pages (and so
through the services, the versions and the audit log)."""

from __future__ import annotations

from django.contrib import admin

from hack365.core.admin import ReadOnlyMixin

from .models import Attachment, Solution, SolutionDataset


class DatasetInline(ReadOnlyMixin, admin.TabularInline[SolutionDataset, Solution]):
    model = SolutionDataset
    fields = ["dataset", "position", "note"]
    extra = 0


class AttachmentInline(ReadOnlyMixin, admin.TabularInline[Attachment, Solution]):
    model = Attachment
    fields = ["original_name", "content_type", "size", "is_confidential", "created_at"]
    extra = 0


@admin.register(Solution)
class SolutionAdmin(ReadOnlyMixin, admin.ModelAdmin[Solution]):
    list_display = ["title", "team", "challenge", "status", "version", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["title", "team__name", "challenge__title"]
    date_hierarchy = "created_at"
    inlines = [DatasetInline, AttachmentInline]
    exclude = ["search_text"]
