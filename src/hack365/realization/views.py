"""Realization pages: the public overview of awarded solutions, one
solution's realization (public), and the need owner's forms to record the
decision and the milestones. Thin views: parse, call one selector or
service, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.viewhelpers import add_service_errors

from . import rules, selectors, services
from .forms import DecisionForm, MilestoneForm, OverviewForm
from .selectors import RealizationPage

PAGE_SIZE = 25


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    form = OverviewForm(request.GET or None, events=selectors.overview_events())
    filters = form.filters()
    solutions = selectors.overview(
        decision=filters.get("decision", ""), event=filters.get("event", "")
    )
    page_obj = Paginator(solutions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "realization/overview.html",
        {
            "form": form,
            "filtered": bool(filters),
            "page_obj": page_obj,
            "solutions": page_obj.object_list,
            "counts": selectors.overview_counts(),
            "nav": "solutions",
        },
    )


def _page_url(page: RealizationPage, anchor: str = "") -> str:
    url = reverse("realization:solution", kwargs={"pk": page.solution.pk})
    return f"{url}#{anchor}" if anchor else url


def _render(
    request: HttpRequest,
    page: RealizationPage,
    *,
    decision_form: DecisionForm | None = None,
    milestone_form: MilestoneForm | None = None,
) -> HttpResponse:
    if page.can_manage:
        if decision_form is None:
            initial: dict[str, Any] = {}
            if page.realization is not None:
                initial = {
                    "decision": page.realization.decision,
                    "reason": page.realization.reason,
                }
            decision_form = DecisionForm(initial=initial)
        if milestone_form is None:
            milestone_form = MilestoneForm()
    return render(
        request,
        "realization/solution.html",
        {
            "page": page,
            "solution": page.solution,
            "realization": page.realization,
            "decision_form": decision_form if page.can_manage else None,
            "milestone_form": milestone_form if page.can_manage else None,
            "nav": "solutions",
        },
    )


@require_GET
def solution(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.access_solution_realization(request.user, pk)
    return _render(request, page)


def _managed_page(request: HttpRequest, pk: int) -> RealizationPage:
    page = selectors.access_solution_realization(request.user, pk)
    if not page.can_manage:
        raise PermissionDenied(
            _("Only the challenge's need owners and the organizers may record its realization.")
        )
    return page


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    page = _managed_page(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        had = page.realization
        old = had.decision if had is not None else None
        try:
            realization = services.realization_decide(
                actor=request.user,
                solution=page.solution,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except (ApplicationError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            label = rules.decision_label(realization.decision)
            if had is None:
                messages.success(request, _("The decision is recorded: %(d)s.") % {"d": label})
            elif old != realization.decision:
                messages.success(request, _("The decision is changed to %(d)s.") % {"d": label})
            else:
                messages.success(request, _("The decision is saved: %(d)s.") % {"d": label})
            return redirect(_page_url(page, "decision"))
    return _render(request, page, decision_form=form)


@login_required
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    page = _managed_page(request, pk)
    form = MilestoneForm(request.POST)
    if page.realization is None:
        messages.error(request, _("Record a decision first; then add its milestones."))
        return redirect(_page_url(page, "decision"))
    if form.is_valid():
        try:
            services.milestone_add(
                actor=request.user,
                realization=page.realization,
                date=form.cleaned_data["date"],
                title=form.cleaned_data["title"],
                update=form.cleaned_data["update"],
            )
        except (ApplicationError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The milestone “%(t)s” is added.") % {"t": form.cleaned_data["title"]}
            )
            return redirect(_page_url(page, "milestones"))
    return _render(request, page, milestone_form=form)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone, page = selectors.access_milestone(request.user, pk, milestone_pk)
    if request.method == "POST":
        form = MilestoneForm(request.POST)
        if form.is_valid():
            try:
                services.milestone_update(
                    actor=request.user,
                    milestone=milestone,
                    date=form.cleaned_data["date"],
                    title=form.cleaned_data["title"],
                    update=form.cleaned_data["update"],
                )
            except (ApplicationError, ValidationError) as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The milestone is saved."))
                return redirect(_page_url(page, "milestones"))
    else:
        form = MilestoneForm(
            initial={"date": milestone.date, "title": milestone.title, "update": milestone.update}
        )
    return render(
        request,
        "realization/milestone_edit.html",
        {"page": page, "solution": page.solution, "milestone": milestone, "form": form},
    )


@login_required
@require_POST
def milestone_delete(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    milestone, page = selectors.access_milestone(request.user, pk, milestone_pk)
    title = milestone.title
    try:
        services.milestone_delete(actor=request.user, milestone=milestone)
    except (ApplicationError, ValidationError) as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The milestone “%(t)s” is removed.") % {"t": title})
    return redirect(_page_url(page, "milestones"))
