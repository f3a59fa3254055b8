"""Read-only admin: rounds, scores and awards change through the
organizers' and jurors' pages (and so through the services and the audit
log)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Assignment,
    Award,
    AwardCategory,
    ConflictDeclaration,
    Criterion,
    EvaluationRound,
    Juror,
)


class _ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CriterionInline(_ReadOnly, admin.TabularInline[Criterion, EvaluationRound]):
    model = Criterion
    fields = ["position", "name", "weight", "scale"]
    extra = 0


class JurorInline(_ReadOnly, admin.TabularInline[Juror, EvaluationRound]):
    model = Juror
    fields = ["user", "invited_by", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(_ReadOnly, admin.ModelAdmin[EvaluationRound]):
    list_display = ["title", "event", "challenge", "status", "blind", "opens_at", "closes_at"]
    list_filter = ["status", "blind"]
    search_fields = ["title"]
    inlines = [CriterionInline, JurorInline]


@admin.register(Assignment)
class AssignmentAdmin(_ReadOnly, admin.ModelAdmin[Assignment]):
    list_display = ["entry", "juror", "status", "submitted_at"]
    list_filter = ["status"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(_ReadOnly, admin.ModelAdmin[ConflictDeclaration]):
    list_display = ["juror", "entry", "reason", "created_at"]
    list_filter = ["reason"]


class AwardInline(_ReadOnly, admin.TabularInline[Award, AwardCategory]):
    model = Award
    fields = ["solution", "place", "citation"]
    extra = 0


@admin.register(AwardCategory)
class AwardCategoryAdmin(_ReadOnly, admin.ModelAdmin[AwardCategory]):
    list_display = ["name", "event", "challenge", "kind", "published_at"]
    list_filter = ["kind"]
    inlines = [AwardInline]
