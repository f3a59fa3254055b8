"""Read-mostly admin: organizers change challenges, questions and events
through the pages (and so through the services and the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Challenge, Event, Question


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "hacking_starts", "submission_deadline", "results_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    date_hierarchy = "hacking_starts"


class QuestionInline(admin.TabularInline[Question, Any]):
    model = Question
    fields = ["created_at", "author", "body", "answer", "is_hidden", "hidden_reason"]
    readonly_fields = ["created_at", "author", "body", "answer", "is_hidden", "hidden_reason"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyAdmin):
    list_display = ["title", "owner", "status", "level", "event", "published_at"]
    list_filter = ["status", "level", "themes"]
    list_select_related = ["owner", "event"]
    search_fields = ["title", "slug", "owner__name"]
    date_hierarchy = "created_at"
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "challenge", "author", "answered_at", "is_hidden", "created_at"]
    list_filter = ["is_hidden"]
    list_select_related = ["challenge", "author"]
    search_fields = ["body", "answer", "challenge__title"]
