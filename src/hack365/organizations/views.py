"""Pages for organisations: a public list and detail page, and organizer
pages to create and edit organisations and their memberships."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hack365.catalog import selectors as catalog_selectors
from hack365.core.permissions import require_organizer

from . import selectors, services
from .forms import MembershipAddForm, OrganizationFilterForm, OrganizationForm

PAGE_SIZE = 24


def _apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field where there is one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_http_methods(["GET", "HEAD"])
def organization_list(request: HttpRequest) -> HttpResponse:
    form = OrganizationFilterForm(request.GET or None)
    filters = form.filters()
    form = form.without_invalid()
    organizations = selectors.organization_list(**filters)
    page_obj = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/organization_list.html",
        {
            "nav": "organisations",
            "form": form,
            "filtered": bool(filters),
            "page_obj": page_obj,
            "organizations": page_obj.object_list,
        },
    )


@require_http_methods(["GET", "HEAD"])
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.access_organization(request.user, slug)
    detail = selectors.organization_detail(request.user, organization)
    datasets = catalog_selectors.organization_datasets(organization)
    search = (
        reverse("catalog:dataset_list")
        + "?"
        + urlencode([("publisher", pk) for pk in datasets.publisher_ids])
    )
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "nav": "organisations",
            "organization": organization,
            "detail": detail,
            "datasets": datasets,
            "dataset_search": search,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    require_organizer(request.user)
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation has been created."))
            return redirect(organization)
    return render(
        request,
        "organizations/organization_form.html",
        {"nav": "organisations", "form": form, "organization": None},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.access_organization_for_management(request.user, slug)
    form = OrganizationForm(
        request.POST or None,
        initial=OrganizationForm.initial_for(organization),
        require_slug=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=request.user, organization=organization, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(organization)
    return render(
        request,
        "organizations/organization_form.html",
        {"nav": "organisations", "form": form, "organization": organization},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_members(request: HttpRequest, slug: str) -> HttpResponse:
    organization = selectors.access_organization_for_management(request.user, slug)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=request.user,
                organization=organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s is now %(role)s in %(organization)s.")
                % {
                    "user": membership.user,
                    "role": membership.get_role_display().lower(),
                    "organization": organization.name,
                },
            )
            return redirect("organizations:members", slug=organization.slug)
    context: dict[str, Any] = {
        "nav": "organisations",
        "organization": organization,
        "memberships": selectors.membership_list(organization),
        "form": form,
    }
    return render(request, "organizations/organization_members.html", context)


@login_required
@require_POST
def organization_member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organization = selectors.access_organization_for_management(request.user, slug)
    membership = selectors.access_membership(request.user, organization, pk)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(user)s is no longer %(role)s in %(organization)s.")
            % {
                "user": membership.user,
                "role": membership.get_role_display().lower(),
                "organization": organization.name,
            },
        )
    return redirect("organizations:members", slug=organization.slug)
