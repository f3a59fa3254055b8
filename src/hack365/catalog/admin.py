"""Read-mostly admin for the catalog: sources, jobs with their per-record
results, publishers and datasets. Changes go through the services (the
organizer pages and ``hack365 harvest``), so that they are checked and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import (
    ChallengeDataset,
    DataService,
    Dataset,
    Distribution,
    HarvestJob,
    HarvestRecord,
    HarvestSource,
    Publisher,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HarvestSource)
class HarvestSourceAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "url", "schedule", "enabled", "last_harvested_at"]
    list_filter = ["kind", "schedule", "enabled"]
    search_fields = ["name", "url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class HarvestRecordInline(ReadOnlyInline):
    model = HarvestRecord
    fields = ["key", "status", "error", "dataset"]
    readonly_fields = ["key", "status", "error", "dataset"]
    raw_id_fields = ["dataset"]

    def get_queryset(self, request: HttpRequest) -> Any:
        # Failures first: they are what an organizer looks for.
        return super().get_queryset(request).order_by("-status", "id")


@admin.register(HarvestJob)
class HarvestJobAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "status",
        "dry_run",
        "created_count",
        "updated_count",
        "unchanged_count",
        "withdrawn_count",
        "failed_count",
        "finished_at",
    ]
    list_filter = ["status", "dry_run", "source"]
    list_select_related = ["source"]
    date_hierarchy = "created_at"
    inlines = [HarvestRecordInline]


@admin.register(Publisher)
class PublisherAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "iri", "organisation_number", "organization"]
    list_select_related = ["organization"]
    search_fields = ["iri", "organisation_number"]


class DistributionInline(ReadOnlyInline):
    model = Distribution
    fields = ["access_url", "download_url", "format", "media_type", "license_uri"]
    readonly_fields = ["access_url", "download_url", "format", "media_type", "license_uri"]
    show_change_link = False


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "publisher", "source", "quality_score", "withdrawn", "modified"]
    list_filter = ["withdrawn", "source", "themes"]
    list_select_related = ["publisher", "source"]
    search_fields = ["key", "identifier"]
    inlines = [DistributionInline]


@admin.register(DataService)
class DataServiceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "endpoint_url", "publisher", "withdrawn"]
    list_select_related = ["publisher"]
    search_fields = ["key", "endpoint_url"]


@admin.register(ChallengeDataset)
class ChallengeDatasetAdmin(ReadOnlyAdmin):
    list_display = ["challenge", "dataset", "added_by", "created_at"]
    list_select_related = ["challenge", "dataset", "added_by"]
    raw_id_fields = ["challenge", "dataset"]
