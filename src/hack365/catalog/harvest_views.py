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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hack365.core.permissions import require_organizer
from hack365.core.viewhelpers import add_service_errors, form_errors_as_messages, is_partial

from . import harvest_selectors as selectors
from . import services
from .harvest_forms import HarvestRunForm, HarvestSourceForm, RecordFilterForm

SOURCE_PAGE_SIZE = 50
JOB_PAGE_SIZE = 20
RECORD_PAGE_SIZE = 50
NAV = "harvest"


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
            add_service_errors(form, error)
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
            add_service_errors(form, error)
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
        form_errors_as_messages(request, form)
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
    template = "catalog/harvest/_job.html" if is_partial(request) else "catalog/harvest/job.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
