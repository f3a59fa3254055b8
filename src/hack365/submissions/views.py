"""Solution pages: the public gallery, one solution, the team's forms
(create, edit, submit, withdraw, attachments) and the versions with what
changed between them. Thin views: parse, call one selector or service,
render or redirect."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hack365.catalog import selectors as catalog_selectors
from hack365.catalog.models import ChallengeDataset, Dataset
from hack365.challenges.models import Challenge, Event
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.uploads import upload_too_big
from hack365.core.viewhelpers import add_service_errors, form_errors_as_messages
from hack365.teams.models import Team

from . import licences, rules, selectors, services
from .files import too_large_message
from .forms import AttachmentForm, DatasetFinderForm, GalleryForm, SolutionCreateForm, SolutionForm
from .models import Solution

PAGE_SIZE = 20
FINDER_RESULTS = 8
DIFF_FIELDS = [
    ("title", gettext_lazy("Title")),
    ("summary", gettext_lazy("Summary")),
    ("problem", gettext_lazy("The problem it solves")),
    ("target_group", gettext_lazy("Target group")),
    ("datasets", gettext_lazy("Datasets used")),
    ("other_data", gettext_lazy("Other data")),
    ("repository_url", gettext_lazy("Code repository")),
    ("demo_url", gettext_lazy("Demo")),
    ("video_url", gettext_lazy("Video")),
    ("licence", gettext_lazy("Licence")),
]


# --- the gallery ------------------------------------------------------------------------


@require_GET
def gallery(request: HttpRequest) -> HttpResponse:
    public = selectors.public_solutions()
    events = list(
        Event.objects.filter(challenges__solutions__in=public)
        .distinct()
        .order_by("-hacking_starts")
        .values_list("slug", "name")
    )
    challenges = list(
        Challenge.objects.filter(solutions__in=public)
        .distinct()
        .order_by("title")
        .values_list("slug", "title")
    )
    form = GalleryForm(request.GET or None, events=events, challenges=challenges)
    filters = form.filters()
    solutions = selectors.gallery(
        q=filters.get("q", ""),
        event=filters.get("event", ""),
        challenge=filters.get("challenge", ""),
        dataset=filters.get("dataset"),
        licence=filters.get("licence", ""),
    )
    page_obj = Paginator(solutions, PAGE_SIZE).get_page(request.GET.get("page"))
    dataset = None
    if filters.get("dataset"):
        dataset = Dataset.objects.filter(pk=filters["dataset"]).first()
    return render(
        request,
        "submissions/gallery.html",
        {
            "form": form,
            "page_obj": page_obj,
            "solutions": page_obj.object_list,
            "filtered": bool(filters),
            "filter_dataset": dataset,
            "nav": "solutions",
        },
    )


# --- one solution -----------------------------------------------------------------------


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    solution, access = selectors.access_solution(request.user, pk)
    actions = rules.solution_actions(access, solution)
    return render(
        request,
        "submissions/detail.html",
        {
            "solution": solution,
            "access": access,
            "actions": actions,
            "member": access.member,
            "frozen": rules.is_frozen(solution),
            "deadline": rules.deadline_of(solution),
            "dataset_uses": list(solution.dataset_uses.all()),
            "attachments": selectors.visible_attachments(solution, access),
            "attachment_form": AttachmentForm() if actions.upload else None,
            "licence_label": licences.licence_label(solution.licence) if solution.licence else "",
            "licence_is_open": licences.is_open(solution.licence),
            "nav": "solutions",
        },
    )


def _member_team(request: HttpRequest, team_pk: int) -> Team:
    try:
        team = Team.objects.select_related("challenge", "challenge__event").get(pk=team_pk)
    except (Team.DoesNotExist, ValueError, OverflowError):
        raise Http404("No such team") from None
    if not rules.is_team_member(request.user, team):
        raise PermissionDenied(_("Only the team's members may start its solution."))
    return team


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = _member_team(request, team_pk)
    existing = selectors.team_solution(team)
    if existing is not None:
        messages.info(request, _("The team already has a solution; here it is."))
        return redirect("submissions:edit", pk=existing.pk)
    form = SolutionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            solution = services.solution_create(
                user=request.user, team=team, title=form.cleaned_data["title"]
            )
        except (ApplicationError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The draft is saved. Only your team and the organizers can see it.")
            )
            return redirect("submissions:edit", pk=solution.pk)
    return render(
        request,
        "submissions/create.html",
        {"team": team, "form": form, "nav": "solutions"},
    )


def _dataset_choices(solution: Solution, extra: list[Dataset]) -> list[tuple[str, str]]:
    """The challenge's linked datasets, the solution's own and ``extra`` (found
    by a search), each once."""
    seen: dict[int, str] = {}
    for use in solution.dataset_uses.all():
        seen[use.dataset_id] = use.dataset.display_title
    links = (
        ChallengeDataset.objects.filter(challenge_id=solution.challenge_id)
        .select_related("dataset")
        .only("dataset", "dataset__key", "dataset__title", "dataset__withdrawn")
    )
    for link in links:
        if not link.dataset.withdrawn:
            seen.setdefault(link.dataset_id, link.dataset.display_title)
    for dataset in extra:
        if not dataset.withdrawn:
            seen.setdefault(dataset.pk, dataset.display_title)
    return [(str(pk), title) for pk, title in seen.items()]


def _initial(solution: Solution) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(solution, name) for name in services.EDITABLE_FIELDS}
    initial["version"] = solution.version
    initial["datasets"] = [str(use.dataset_id) for use in solution.dataset_uses.all()]
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    solution, access = selectors.access_solution(request.user, pk)
    if not access.member:
        raise PermissionDenied(_("Only the team's members may edit its solution."))
    if not rules.accepts_changes(solution):
        deadline = rules.deadline_of(solution)
        if deadline is not None and rules.is_frozen(solution):
            messages.error(request, services.frozen_message(deadline))
        else:
            messages.error(
                request, _("The challenge is not open; the solution can no longer be changed.")
            )
        return redirect(solution)
    finder = DatasetFinderForm(request.GET or None)
    query = finder.cleaned_data["dq"].strip() if finder.is_valid() else ""
    found: list[Dataset] = []
    if query:
        found = catalog_selectors.search_page(
            query=query, filters={}, page_size=FINDER_RESULTS
        ).datasets
    choices = _dataset_choices(solution, found)
    conflict: services.SolutionConflict | None = None
    diff_url = ""
    if request.method == "POST":
        form = SolutionForm(request.POST, dataset_choices=choices)
        if form.is_valid():
            try:
                services.solution_save(
                    user=request.user, solution=solution, **form.service_fields()
                )
            except services.SolutionConflict as error:
                # The editor's text stays in the form, now based on the newest
                # version: saving again (after reviewing) is a deliberate choice.
                conflict = error
                diff_url = reverse("submissions:versions", kwargs={"pk": solution.pk}) + (
                    f"?a={form.cleaned_data['version']}&b={error.current_version}"
                )
                data = request.POST.copy()
                data["version"] = str(error.current_version)
                form = SolutionForm(data, dataset_choices=choices)
                form.is_valid()
                form.add_error(None, error.messages[0])
            except (ApplicationError, ValidationError) as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Saved as version %(n)d.") % {"n": solution.version},
                )
                return redirect(solution)
    else:
        form = SolutionForm(initial=_initial(solution), dataset_choices=choices)
    return render(
        request,
        "submissions/edit.html",
        {
            "solution": solution,
            "form": form,
            "finder": finder,
            "query": query,
            "found": found,
            "conflict": conflict,
            "diff_url": diff_url,
            "deadline": rules.deadline_of(solution),
            "nav": "solutions",
        },
    )


def _member_action(request: HttpRequest, pk: int) -> Solution:
    solution, access = selectors.access_solution(request.user, pk)
    if not access.member:
        raise PermissionDenied(_("Only the team's members may change its solution."))
    return solution


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    solution = _member_action(request, pk)
    try:
        services.solution_submit(user=request.user, solution=solution)
    except (ApplicationError, ValidationError) as error:
        for message in error.messages:
            messages.error(request, message)
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            return redirect("submissions:edit", pk=solution.pk)
    else:
        messages.success(
            request,
            _(
                "The solution is submitted and shown in the gallery. "
                "You can change it until the deadline."
            ),
        )
    return redirect(solution)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    solution = _member_action(request, pk)
    try:
        services.solution_withdraw(user=request.user, solution=solution)
    except (ApplicationError, ValidationError) as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The solution is withdrawn; only your team and the organizers can see it now."),
        )
    return redirect(solution)


# --- versions ---------------------------------------------------------------------------


@login_required
@require_GET
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    solution, access = selectors.access_solution_versions(request.user, pk)
    all_versions = selectors.versions(solution)
    changes = None
    pair = None
    a, b = request.GET.get("a"), request.GET.get("b")
    if a is not None or b is not None:
        pair = selectors.version_pair(solution, a, b)
        if pair is None:
            messages.error(request, _("There are no such versions of the solution."))
        else:
            changes = selectors.compare(pair[0], pair[1], DIFF_FIELDS)
    return render(
        request,
        "submissions/versions.html",
        {
            "solution": solution,
            "versions": all_versions,
            "pair": pair,
            "changes": changes,
            "nav": "solutions",
        },
    )


# --- attachments ------------------------------------------------------------------------


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    solution = _member_action(request, pk)
    if upload_too_big(request):
        messages.error(request, too_large_message())
        return redirect(solution.get_absolute_url() + "#attachments")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(solution)
    try:
        attachment = services.attachment_add(
            user=request.user,
            solution=solution,
            upload=form.cleaned_data["file"],
            is_confidential=form.cleaned_data["is_confidential"],
        )
    except (ApplicationError, ValidationError) as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(name)s” is attached.") % {"name": attachment.original_name})
    return redirect(solution.get_absolute_url() + "#attachments")


def content_disposition(name: str) -> str:
    """``attachment`` with an ASCII fallback name and the real one in UTF-8."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\;' else "_" for c in name)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_GET
def attachment(request: HttpRequest, pk: int, att_pk: int) -> FileResponse:
    item, access = selectors.access_attachment(request.user, pk, att_pk)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Disposition"] = content_disposition(item.original_name)
    response["Content-Length"] = str(item.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if item.is_confidential or not rules.is_public(item.solution):
        response["Cache-Control"] = "private, no-store"
    else:
        response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, att_pk: int) -> HttpResponse:
    item, access = selectors.access_attachment(request.user, pk, att_pk)
    if not access.member:
        raise PermissionDenied(_("Only the team's members may remove its attachments."))
    name = item.original_name
    try:
        services.attachment_remove(user=request.user, attachment=item)
    except (ApplicationError, ValidationError) as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": name})
    return redirect(item.solution.get_absolute_url() + "#attachments")
