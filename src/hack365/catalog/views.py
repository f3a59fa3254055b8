"""Public dataset pages (search with facets, one dataset) and the need
owner's page for linking datasets to a challenge. Thin views: parse, call one
selector or service, render or redirect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from hack365.challenges import rules as challenge_rules
from hack365.challenges import selectors as challenge_selectors
from hack365.challenges.models import Challenge
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.viewhelpers import form_errors_as_messages, is_partial

from . import labels, quality, selectors, services
from .forms import FACET_LABELS, DatasetPickerForm, DatasetSearchForm, LinkDatasetForm
from .models import Dataset
from .search import SearchResult

PAGE_SIZE = 20
PICKER_PAGE_SIZE = 8


@dataclass(frozen=True)
class _Paginator:
    num_pages: int
    count: int


@dataclass(frozen=True)
class SearchPageObj:
    """What includes/pagination.html needs, for a search result."""

    result: SearchResult

    @property
    def number(self) -> int:
        return self.result.page

    @property
    def paginator(self) -> _Paginator:
        return _Paginator(num_pages=self.result.max_page, count=self.result.total)

    def has_previous(self) -> bool:
        return self.result.page > 1

    def has_next(self) -> bool:
        return self.result.page < self.result.max_page

    def previous_page_number(self) -> int:
        return self.result.page - 1

    def next_page_number(self) -> int:
        return self.result.page + 1


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 7 else 1


@require_GET
def dataset_list(request: HttpRequest) -> HttpResponse:
    form = DatasetSearchForm(request.GET or None)
    query, filters = form.query(), form.filters()
    page = selectors.search_page(
        query=query,
        filters=filters,
        sort=form.sort_order(),
        page=_page_number(request),
        page_size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "search": page,
        "datasets": page.datasets,
        "facets": [(facet, FACET_LABELS[facet.name]) for facet in page.facets],
        "page_obj": SearchPageObj(page.result),
        "filtered": bool(query or filters),
        "query": query,
        "nav": "datasets",
    }
    template = "catalog/_results.html" if is_partial(request) else "catalog/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dataset = selectors.access_dataset(request.user, pk)
    distributions = list(dataset.distributions.all())
    return render(
        request,
        "catalog/detail.html",
        {
            "dataset": dataset,
            "distributions": distributions,
            "services": [s for s in dataset.services.all() if not s.withdrawn],
            "links": selectors.challenges_linking(request.user, dataset),
            "licence": labels.licence_label(dataset.license_uri) if dataset.license_uri else "",
            "licence_is_open": labels.is_open_licence(dataset.license_uri),
            "access_rights": labels.access_rights_label(dataset.access_rights)
            if dataset.access_rights
            else "",
            "frequency": labels.frequency_label(dataset.frequency) if dataset.frequency else "",
            "missing": quality.missing_labels(list(dataset.quality_missing or [])),
            "keywords": _keywords(dataset),
            "temporal_start": _date(dataset.temporal, "start"),
            "temporal_end": _date(dataset.temporal, "end"),
            "nav": "datasets",
        },
    )


def _date(period: object, key: str) -> date | None:
    value = period.get(key) if isinstance(period, dict) else None
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _keywords(dataset: Dataset) -> list[str]:
    from .models import pick_language

    values = dataset.keywords or {}
    if not isinstance(values, dict):
        return []
    chosen = pick_language({k: "\x1f".join(v) for k, v in values.items() if isinstance(v, list)})
    return [word for word in chosen.split("\x1f") if word][:50]


# --- linking datasets to a challenge -------------------------------------------------


def _linkable_challenge(request: HttpRequest, slug: str) -> Challenge:
    challenge = challenge_selectors.access_challenge(request.user, slug)
    viewer = challenge_rules.viewer_for(request.user)
    if not challenge_rules.may_link_datasets_role(viewer, challenge):
        raise PermissionDenied(
            _("Only the challenge's need owners and the organizers may link datasets to it.")
        )
    return challenge


@login_required
@require_GET
def challenge_datasets(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _linkable_challenge(request, slug)
    viewer = challenge_rules.viewer_for(request.user)
    form = DatasetPickerForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    links = selectors.challenge_links(challenge)
    linked_ids = {link.dataset_id for link in links}
    found = None
    if query:
        found = selectors.search_page(
            query=query, filters={}, page=_page_number(request), page_size=PICKER_PAGE_SIZE
        )
    context = {
        "challenge": challenge,
        "form": form,
        "query": query,
        "found": found,
        "page_obj": SearchPageObj(found.result) if found else None,
        "links": links,
        "linked_ids": linked_ids,
        "can_link": challenge_rules.can_link_datasets(viewer, challenge),
        "recommendations": selectors.recommended_datasets(challenge, limit=8),
        "max_links": services.MAX_LINKS_PER_CHALLENGE,
        "nav": "mine",
    }
    if is_partial(request):
        response = render(request, "catalog/_picker_results.html", context)
    else:
        response = render(request, "catalog/challenge_datasets.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back(challenge: Challenge, request: HttpRequest) -> str:
    url = reverse("catalog:challenge_datasets", kwargs={"slug": challenge.slug})
    query = request.POST.get("q", "")
    if isinstance(query, str) and query.strip() and len(query) <= 500:
        from urllib.parse import urlencode

        url += "?" + urlencode({"q": query.strip()})
    return url


@login_required
@require_POST
def challenge_dataset_link(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = _linkable_challenge(request, slug)
    form = LinkDatasetForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(_back(challenge, request))
    dataset = Dataset.objects.filter(pk=form.cleaned_data["dataset"]).first()
    if dataset is None:
        messages.error(request, _("There is no such dataset."))
        return redirect(_back(challenge, request))
    try:
        services.challenge_dataset_link(
            user=request.user, challenge=challenge, dataset=dataset, note=form.cleaned_data["note"]
        )
    except (ApplicationError, ValidationError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("“%(dataset)s” is now linked to the challenge.") % {"dataset": dataset.display_title},
        )
    return redirect(_back(challenge, request))


@login_required
@require_POST
def challenge_dataset_unlink(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    challenge = _linkable_challenge(request, slug)
    link = selectors.access_link(request.user, challenge, pk)
    title = link.dataset.display_title
    try:
        services.challenge_dataset_unlink(user=request.user, link=link)
    except (ApplicationError, ValidationError) as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("“%(dataset)s” is no longer linked to the challenge.") % {"dataset": title}
        )
    return redirect(_back(challenge, request))
