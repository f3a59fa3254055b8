"""The admin for teams (members, invitations, join requests, role postings,
people looking for a team); mentors are in mentor_admin.py.

Read-only, like the challenges' admin: teams change through the pages (and
so through the services, their rules and the audit log). Invitation tokens
are never shown: they are the key to someone else's invitation."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hack365.challenges.admin import ReadOnlyAdmin

from . import mentor_admin  # noqa: F401 - registers the mentor models
from .models import Invitation, JoinRequest, RolePosting, Team, TeamMembership, TeamSeeker


class MembershipInline(admin.TabularInline[TeamMembership, Any]):
    model = TeamMembership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "challenge", "event", "looking_for_members", "created_at"]
    list_filter = ["looking_for_members"]
    list_select_related = ["challenge", "event"]
    search_fields = ["name", "challenge__title"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(ReadOnlyAdmin):
    list_display = ["team", "user", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["team", "user"]
    search_fields = ["team__name"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["team", "status", "created_at", "responded_at"]
    list_filter = ["status"]
    list_select_related = ["team"]
    search_fields = ["team__name"]
    exclude = ["token"]


@admin.register(JoinRequest)
class JoinRequestAdmin(ReadOnlyAdmin):
    list_display = ["team", "user", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["team", "user"]
    search_fields = ["team__name"]


@admin.register(RolePosting)
class RolePostingAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "is_open", "created_at"]
    list_filter = ["is_open"]
    list_select_related = ["team"]
    search_fields = ["title", "team__name"]


@admin.register(TeamSeeker)
class TeamSeekerAdmin(ReadOnlyAdmin):
    list_display = ["user", "challenge", "event", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["user", "challenge", "event"]
