"""The admin for mentor profiles, slots, bookings and calendar feeds:
read-only, as changes go through the pages (the services and the audit log).
A calendar feed's token is never shown."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Booking, CalendarFeed, MentorProfile, MentorSlot


class _ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MentorProfile)
class MentorProfileAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "organization", "organisation_name", "is_active", "created_at"]
    list_filter = ["is_active"]
    list_select_related = ["user__profile", "organization"]
    search_fields = ["user__email", "user__profile__display_name", "organisation_name"]


@admin.register(MentorSlot)
class MentorSlotAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "mentor", "starts_at", "duration_minutes", "is_withdrawn"]
    list_filter = ["is_withdrawn"]
    list_select_related = ["mentor__user__profile"]
    date_hierarchy = "starts_at"


@admin.register(Booking)
class BookingAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "team", "status", "cancelled_at"]
    list_filter = ["status"]
    list_select_related = ["team", "slot__mentor__user__profile"]
    search_fields = ["team__name", "topic"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(_ReadOnlyAdmin):
    list_display = ["__str__", "created_at", "updated_at"]
    list_select_related = ["user__profile"]
    fields = ["user", "created_at", "updated_at"]
    readonly_fields = ["user", "created_at", "updated_at"]
