"""Read-only admin: decisions and milestones change through the need
owner's pages (and so through the services and the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import FollowUp, Milestone, Realization


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MilestoneInline(_ReadOnly, admin.TabularInline[Milestone, Realization]):
    model = Milestone
    fields = ["date", "title", "update"]
    extra = 0


@admin.register(Realization)
class RealizationAdmin(_ReadOnly, admin.ModelAdmin[Realization]):
    list_display = ["solution", "decision", "decided_at"]
    list_filter = ["decision"]
    inlines = [MilestoneInline]


@admin.register(FollowUp)
class FollowUpAdmin(_ReadOnly, admin.ModelAdmin[FollowUp]):
    list_display = ["solution", "months", "due_at", "sent_at", "answered_at"]
