"""Read-only admin: decisions and milestones change through the need
owner's pages (and so through the services and the audit log)."""

from __future__ import annotations

from django.contrib import admin

from hack365.core.admin import ReadOnlyMixin

from .models import FollowUp, Milestone, Realization


class MilestoneInline(ReadOnlyMixin, admin.TabularInline[Milestone, Realization]):
    model = Milestone
    fields = ["date", "title", "update"]
    extra = 0


@admin.register(Realization)
class RealizationAdmin(ReadOnlyMixin, admin.ModelAdmin[Realization]):
    list_display = ["solution", "decision", "decided_at"]
    list_filter = ["decision"]
    inlines = [MilestoneInline]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyMixin, admin.ModelAdmin[FollowUp]):
    list_display = ["solution", "months", "due_at", "sent_at", "answered_at"]
