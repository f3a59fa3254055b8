"""Read-only admin: rounds, scores and awards change through the
organizers' and jurors' pages (and so through the services and the audit
log)."""

from __future__ import annotations

from django.contrib import admin

from hack365.core.admin import ReadOnlyMixin

from .models import (
    Assignment,
    Award,
    AwardCategory,
    ConflictDeclaration,
    Criterion,
    EvaluationRound,
    Juror,
)


class CriterionInline(ReadOnlyMixin, admin.TabularInline[Criterion, EvaluationRound]):
    model = Criterion
    fields = ["position", "name", "weight", "scale"]
    extra = 0


class JurorInline(ReadOnlyMixin, admin.TabularInline[Juror, EvaluationRound]):
    model = Juror
    fields = ["user", "invited_by", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(ReadOnlyMixin, admin.ModelAdmin[EvaluationRound]):
    list_display = ["title", "event", "challenge", "status", "blind", "opens_at", "closes_at"]
    list_filter = ["status", "blind"]
    search_fields = ["title"]
    inlines = [CriterionInline, JurorInline]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyMixin, admin.ModelAdmin[Assignment]):
    list_display = ["entry", "juror", "status", "submitted_at"]
    list_filter = ["status"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyMixin, admin.ModelAdmin[ConflictDeclaration]):
    list_display = ["juror", "entry", "reason", "created_at"]
    list_filter = ["reason"]


class AwardInline(ReadOnlyMixin, admin.TabularInline[Award, AwardCategory]):
    model = Award
    fields = ["solution", "place", "citation"]
    extra = 0


@admin.register(AwardCategory)
class AwardCategoryAdmin(ReadOnlyMixin, admin.ModelAdmin[AwardCategory]):
    list_display = ["name", "event", "challenge", "kind", "published_at"]
    list_filter = ["kind"]
    inlines = [AwardInline]
