"""The organizers' pages for harvesting: sources (list, add, edit, one
source with its jobs), starting a harvest, and one job with its log and
per-record results.

Thin views: parse a form, call one service, then render or redirect. Only
organizers get past the selectors (``require_organizer``); other logged-in
users get 403, visitors are sent to log in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hack365.core.permissions import require_organizer

from . import harvest_selectors as selectors
from . import services
from .harvest_forms import HarvestRunForm, HarvestSourceForm, RecordFilterForm

SOURCE_PAGE_SIZE = 50
JOB_PAGE_SIZE = 20
RECORD_PAGE_SIZE = 50
NAV = "harvest"


def _add_errors(form: Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field where the form has
    it, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "history_restore_request", False)


# --- sources --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def source_list(request: HttpRequest) -> HttpResponse:
    sources = selectors.harvest_source_list(request.user)
    page_obj = Paginator(sources, SOURCE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/harvest/source_list.html",
        {
            "page_obj": page_obj,
            "sources": page_obj.object_list,
            "jobs": selectors.harvest_recent_jobs(request.user),
            "nav": NAV,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_create(request: HttpRequest) -> HttpResponse:
    require_organizer(request.user)
    form = HarvestSourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.harvest_source_create(user=request.user, **form.source_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The source %(name)s was added. Start a harvest when you are ready.")
                % {"name": source.name},
            )
            return redirect("harvest:source_detail", pk=source.pk)
    return render(
        request, "catalog/harvest/source_form.html", {"form": form, "source": None, "nav": NAV}
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.access_harvest_source(request.user, pk)
    page_obj = Paginator(selectors.harvest_source_jobs(source), JOB_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "catalog/harvest/source_detail.html",
        {
            "source": source,
            "page_obj": page_obj,
            "jobs": page_obj.object_list,
            "active_job": selectors.harvest_source_active_job(source),
            "run_form": HarvestRunForm(),
            "nav": NAV,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.access_harvest_source(request.user, pk)
    form = HarvestSourceForm(request.POST or None, request.FILES or None, instance=source)
    if request.method == "POST" and form.is_valid():
        data = form.source_data()
        if data["file"] is None:
            data["file"] = services.UNSET  # keep the file it has, if any
        try:
            services.harvest_source_update(user=request.user, source=source, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("harvest:source_detail", pk=source.pk)
    return render(
        request, "catalog/harvest/source_form.html", {"form": form, "source": source, "nav": NAV}
    )


@login_required
@require_POST
def source_run(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.access_harvest_source(request.user, pk)
    back = redirect("harvest:source_detail", pk=source.pk)
    form = HarvestRunForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else str(message))
        return back
    try:
        job = services.harvest_job_start(
            user=request.user,
            source=source,
            dry_run=form.cleaned_data["dry_run"],
            max_items=form.cleaned_data["max_items"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    if job.dry_run:
        messages.success(request, _("The dry run has started. Nothing will be saved."))
    else:
        messages.success(request, _("The harvest has started."))
    return redirect("harvest:job_detail", pk=job.pk)


# --- jobs -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.access_harvest_job(request.user, pk)
    filter_form = RecordFilterForm(request.GET or None)
    failed_only = filter_form.failed_only()
    records = selectors.harvest_job_records(job, failed_only=failed_only)
    page_obj = Paginator(records, RECORD_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "job": job,
        "active": selectors.harvest_job_is_active(job),
        "filter_form": filter_form,
        "failed_only": failed_only,
        "page_obj": page_obj,
        "records": page_obj.object_list,
        "nav": NAV,
    }
    template = "catalog/harvest/_job.html" if _is_partial(request) else "catalog/harvest/job.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
