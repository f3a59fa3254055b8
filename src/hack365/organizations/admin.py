"""Admin: counties and municipalities are reference data (read-only);
organisations and memberships are saved through the services, so the admin
is checked and audited like the rest of the site."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import services
from .models import County, Membership, Municipality, Organization


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(County)
class CountyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    ordering = ["code"]
    search_fields = ["code", "name"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "county"]
    list_filter = ["county"]
    ordering = ["code"]
    search_fields = ["code", "name"]


class OrganizationAdminForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"), max_length=200, required=False, assume_scheme="https"
    )
    publisher_uri = forms.URLField(
        label=_("publisher URI in data catalogs"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Organization
        fields = list(services.EDITABLE_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.check_municipality_in_county(data.get("county"), data.get("municipality"))
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return data


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationAdminForm
    list_display = ["name", "kind", "level", "county", "organisation_number"]
    list_filter = ["kind", "level", "county"]
    search_fields = ["name", "slug", "organisation_number"]
    autocomplete_fields = ["county", "municipality"]
    inlines = [MembershipInline]

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        values = {field: form.cleaned_data.get(field) for field in services.EDITABLE_FIELDS}
        values["organisation_number"] = values["organisation_number"] or None
        if change:
            services.organization_update(actor=request.user, organization=obj, **values)
        else:
            created = services.organization_create(actor=request.user, **values)
            obj.pk = created.pk
            obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Challenges point at organisations; there is no audited deletion yet.
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organization__name"]
    autocomplete_fields = ["organization"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Add or remove memberships; a changed role is a removal and an addition.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        created = services.membership_add(
            actor=request.user,
            organization=obj.organization,
            email=obj.user.email,
            role=obj.role,
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        services.membership_remove(actor=request.user, membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("organization"):
            services.membership_remove(actor=request.user, membership=membership)
