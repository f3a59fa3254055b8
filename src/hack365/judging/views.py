"""Jury pages: the organizers' rounds (criteria, jurors, entries and
assignments, conflicts, opening and closing) and the jury members' own
evaluations (the solution, blind when the round says so, and the score
form). Thin views: parse, call one selector or service, render or redirect
with a message."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hack365.challenges.models import Challenge, Event
from hack365.core.errors import PermissionDenied
from hack365.core.permissions import is_organizer
from hack365.core.viewhelpers import add_service_errors, form_errors_as_messages
from hack365.submissions import licences
from hack365.submissions.views import content_disposition
from hack365.teams.rules import public_name

from . import rules, selectors, services
from .forms import (
    AssignmentAddForm,
    ConflictForm,
    CriterionForm,
    JurorAddForm,
    RoundCreateForm,
    RoundForm,
    ScoreForm,
)
from .models import Assignment, AssignmentStatus, EvaluationRound, RoundStatus


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _require_organizer(request: HttpRequest) -> None:
    if not is_organizer(request.user):
        raise PermissionDenied(_("Only organizers may do this."))


def _round_url(round: EvaluationRound | int, anchor: str = "") -> str:
    pk = round if isinstance(round, int) else round.pk
    url = reverse("judging:round_detail", kwargs={"pk": pk})
    return f"{url}#{anchor}" if anchor else url


# --- the organizers' pages -------------------------------------------------------------


_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def _slug_param(request: HttpRequest, name: str) -> str:
    """A slug from the query string; anything else (NUL bytes, spaces, too
    long) counts as not given, as no event or challenge can be named so."""
    value = str(request.GET.get(name, ""))
    return value if _SLUG.fullmatch(value) else ""


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Organizers: the rounds (of one event or challenge with ?event= or
    ?challenge=); everyone else: their own evaluations."""
    if not is_organizer(request.user):
        return redirect("judging:mine")
    event = challenge = None
    slug = _slug_param(request, "event")
    if slug:
        event = Event.objects.filter(slug=slug).first()
    slug = _slug_param(request, "challenge")
    if slug:
        challenge = Challenge.objects.filter(slug=slug).first()
    rounds = selectors.rounds_for_organizer(request.user, event=event, challenge=challenge)
    return render(
        request,
        "judging/round_list.html",
        {"rounds": list(rounds), "event": event, "challenge": challenge, "nav": "evaluation"},
    )


def _round_data(form: RoundForm) -> dict[str, Any]:
    names = ("title", "guidance", "opens_at", "closes_at", "blind", "jurors_per_solution")
    return {name: form.cleaned_data[name] for name in names}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    _require_organizer(request)
    initial: dict[str, Any] = {}
    event_slug = _slug_param(request, "event")
    if event_slug and (event := Event.objects.filter(slug=event_slug).first()):
        initial["event"] = event.pk
        initial["opens_at"] = event.submission_deadline
        initial["closes_at"] = event.evaluation_ends
    challenge_slug = _slug_param(request, "challenge")
    if challenge_slug and (challenge := Challenge.objects.filter(slug=challenge_slug).first()):
        initial["challenge"] = challenge.pk
    form = RoundCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(
                actor=request.user,
                event=form.cleaned_data["event"],
                challenge=form.cleaned_data["challenge"],
                previous_round=form.cleaned_data["previous_round"],
                **_round_data(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "The round is created with the default criteria. Edit them, add jury "
                    "members and open the round when you are ready."
                ),
            )
            return redirect(_round_url(round))
    return render(request, "judging/round_form.html", {"form": form, "nav": "evaluation"})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    progress = selectors.round_progress(round)
    entries = [(p.entry.pk, f"{p.number}. {p.entry.solution.title}") for p in progress.entries]
    jurors = [(p.juror.pk, public_name(p.juror.user)) for p in progress.jurors]
    return render(
        request,
        "judging/round_detail.html",
        {
            "round": round,
            "criteria": selectors.round_criteria(round),
            "progress": progress,
            "draft": round.status == RoundStatus.DRAFT,
            "closed": round.status == RoundStatus.CLOSED,
            "locked": rules.is_locked(round),
            "criterion_form": CriterionForm(auto_id="id_new_%s"),
            "juror_form": JurorAddForm(),
            "assignment_form": AssignmentAddForm(entries=entries, jurors=jurors),
            "nav": "evaluation",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    if round.status == RoundStatus.CLOSED:
        messages.error(request, _("The round is closed; nothing can change."))
        return redirect(_round_url(round))
    initial = {name: getattr(round, name) for name in _round_fields()}
    form = RoundForm(request.POST or None, initial=initial)
    if round.status != RoundStatus.DRAFT:
        form.fields["blind"].disabled = True
    if round.status != RoundStatus.DRAFT and rules.is_locked(round):
        form.fields["closes_at"].disabled = True
        form.fields["closes_at"].help_text = _(
            "Scoring has closed and the scores are locked; the closing time can no longer move."
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, round=round, **_round_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The round is saved."))
            return redirect(_round_url(round))
    return render(
        request, "judging/round_form.html", {"form": form, "round": round, "nav": "evaluation"}
    )


def _round_fields() -> tuple[str, ...]:
    return ("title", "guidance", "opens_at", "closes_at", "blind", "jurors_per_solution")


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    try:
        round = services.round_open(actor=request.user, round=round)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("The round is open with %(n)d solutions. Assign the jury members now.")
            % {"n": round.entries.count()},
        )
    return redirect(_round_url(pk))


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    try:
        services.round_close(actor=request.user, round=round)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The round is closed; every score is locked."))
    return redirect(_round_url(pk))


@login_required
@require_POST
def criterion_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    form = CriterionForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(_round_url(round, "criteria"))
    try:
        criterion = services.criterion_add(actor=request.user, round=round, **form.cleaned_data)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("“%(name)s” is added.") % {"name": criterion.name})
    return redirect(_round_url(round, "criteria"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def criterion_edit(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.access_criterion_for_organizer(request.user, pk)
    if criterion.round.status != RoundStatus.DRAFT:
        messages.error(
            request, _("The criteria can only be changed while the round is being prepared.")
        )
        return redirect(_round_url(criterion.round_id, "criteria"))
    initial = {
        "name": criterion.name,
        "guidance": criterion.guidance,
        "weight": criterion.weight,
        "scale": criterion.scale,
    }
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_update(actor=request.user, criterion=criterion, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The criterion is saved."))
            return redirect(_round_url(criterion.round_id, "criteria"))
    return render(
        request,
        "judging/criterion_form.html",
        {"form": form, "criterion": criterion, "round": criterion.round, "nav": "evaluation"},
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = selectors.access_criterion_for_organizer(request.user, pk)
    name = criterion.name
    try:
        services.criterion_delete(actor=request.user, criterion=criterion)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("“%(name)s” is removed.") % {"name": name})
    return redirect(_round_url(criterion.round_id, "criteria"))


@login_required
@require_POST
def juror_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    form = JurorAddForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(_round_url(round, "jury"))
    try:
        user = services.account_find(form.cleaned_data["account"])
        services.juror_add(
            actor=request.user,
            round=round,
            user=user,
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("%(name)s is a jury member of the round; an e-mail tells them.")
            % {"name": public_name(user)},
        )
    return redirect(_round_url(round, "jury"))


@login_required
@require_POST
def juror_remove(request: HttpRequest, pk: int) -> HttpResponse:
    juror = selectors.access_juror_for_organizer(request.user, pk)
    name = public_name(juror.user)
    try:
        services.juror_remove(actor=request.user, juror=juror)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("%(name)s is no longer in the jury.") % {"name": name})
    return redirect(_round_url(juror.round_id, "jury"))


@login_required
@require_POST
def assignment_add(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    entries = [(pk, "") for pk in round.entries.values_list("pk", flat=True)]
    jurors = [(pk, "") for pk in round.jurors.values_list("pk", flat=True)]
    form = AssignmentAddForm(request.POST, entries=entries, jurors=jurors)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(_round_url(round, "entries"))
    entry = round.entries.select_related("round").get(pk=form.cleaned_data["entry"])
    juror = round.jurors.select_related("user").get(pk=form.cleaned_data["juror"])
    try:
        services.assignment_add(actor=request.user, entry=entry, juror=juror)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The jury member is assigned."))
    return redirect(_round_url(round, "entries"))


@login_required
@require_POST
def assignments_auto(request: HttpRequest, pk: int) -> HttpResponse:
    round = selectors.access_round_for_organizer(request.user, pk)
    try:
        added = services.assignments_auto(actor=request.user, round=round)
    except ValidationError as error:
        _refusal(request, error)
    else:
        if added:
            messages.success(
                request, _("%(n)d assignments were added, loads balanced.") % {"n": added}
            )
        else:
            messages.info(request, _("Every solution already has enough jury members."))
    return redirect(_round_url(round, "entries"))


# --- the jury members' pages ------------------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "judging/mine.html",
        {"rows": selectors.juror_assignments(request.user), "nav": "my_evaluations"},
    )


def _assignment_context(assignment: Assignment) -> dict[str, Any]:
    round = assignment.entry.round
    solution = assignment.entry.solution
    return {
        "assignment": assignment,
        "round": round,
        "solution": solution,
        "blind": round.blind,
        "number": selectors.entry_number(assignment.entry),
        "team_name": "" if round.blind else solution.team.name,
        "dataset_uses": selectors.solution_dataset_uses(assignment),
        "attachments": selectors.assignment_attachments(assignment),
        "licence_label": licences.licence_label(solution.licence) if solution.licence else "",
        "takes_scores": rules.takes_scores(round),
        "locked": rules.is_locked(round),
        "lock_message": services.lock_message(round) if rules.is_locked(round) else "",
        "submitted": assignment.status == AssignmentStatus.SUBMITTED,
        "nav": "my_evaluations",
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_assignment(request.user, pk)
    criteria = selectors.round_criteria(item.entry.round)
    scores = selectors.own_scores(item)
    if request.method == "POST":
        form = ScoreForm(request.POST, criteria=criteria)
        submit = request.POST.get("action") == "submit"
        if form.is_valid():
            try:
                services.scores_save(
                    actor=request.user, assignment=item, values=form.values(), submit=submit
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submit:
                    messages.success(
                        request,
                        _("Your scores are submitted. You can change them until the round closes."),
                    )
                else:
                    messages.success(request, _("Your scores are saved."))
                return redirect("judging:assignment", pk=item.pk)
    else:
        initial: dict[str, Any] = {}
        for criterion_id, score in scores.items():
            initial[f"value_{criterion_id}"] = str(score.value)
            initial[f"justification_{criterion_id}"] = score.justification
        form = ScoreForm(initial=initial, criteria=criteria)
    context = _assignment_context(item)
    context.update(
        {
            "form": form,
            "criteria": criteria,
            "scores": scores,
            "score_rows": [(c, scores.get(c.pk)) for c in criteria],
        }
    )
    return render(request, "judging/assignment.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.access_assignment(request.user, pk)
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recusal = services.conflict_declare(
                actor=request.user,
                assignment_or_entry=item,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if recusal.replacement is not None:
                message = _(
                    "Thank you. You are recused from this solution, your scores for it no "
                    "longer count, and it goes to another jury member."
                )
            else:
                message = _(
                    "Thank you. You are recused from this solution and your scores for it no "
                    "longer count. No other jury member is free to take it over; the "
                    "organizers see that it needs one."
                )
            messages.success(request, message)
            return redirect("judging:mine")
    context = _assignment_context(item)
    context["form"] = form
    return render(request, "judging/conflict.html", context)


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int, number: int) -> FileResponse:
    """An attachment of an assigned solution, under a neutral name in a
    blind round (``attachment-2.pdf``)."""
    item, numbered = selectors.access_assignment_attachment(request.user, pk, number)
    stored = numbered.attachment
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The file is missing") from None
    name = numbered.neutral_name if item.entry.round.blind else stored.original_name
    response = FileResponse(handle, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition(name)
    response["Content-Length"] = str(stored.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
