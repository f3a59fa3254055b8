"""Pages for challenges, their questions, the review queue and events.

Thin views: parse a form, call one service, then render or redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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

from hack365.catalog import selectors as catalog_selectors
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.viewhelpers import add_service_errors, form_errors_as_messages, is_partial

from . import rules, selectors, services
from .forms import (
    AnswerForm,
    ChallengeFilterForm,
    ChallengeForm,
    EventForm,
    HideForm,
    QuestionForm,
    RequestChangesForm,
    UnhideForm,
)
from .models import Challenge, ChallengeStatus, Event, Question

PAGE_SIZE = 20
CHALLENGE_FIELDS = (
    "title",
    "summary",
    "problem",
    "expected_benefit",
    "target_group",
    "themes",
    "level",
    "co_owners",
    "event",
    "deadline",
    "max_team_size",
)


# --- public pages -----------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "challenges/home.html",
        {
            "figures": selectors.key_figures(),
            "challenges": selectors.open_challenges(6),
            "events": list(selectors.events_current_and_upcoming()[:4]),
        },
    )


def challenge_list(request: HttpRequest) -> HttpResponse:
    form = ChallengeFilterForm(request.GET or None)
    filters = form.filters()
    paginator = Paginator(selectors.challenge_list(filters), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "challenges": page_obj.object_list,
        "filtered": bool(filters),
        "nav": "challenges",
    }
    partial = is_partial(request)
    template = "challenges/_results.html" if partial else "challenges/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def challenge_detail(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.access_challenge(request.user, slug)
    return _render_detail(request, challenge)


def _render_detail(
    request: HttpRequest,
    challenge: Challenge,
    *,
    question_form: QuestionForm | None = None,
) -> HttpResponse:
    viewer = rules.viewer_for(request.user)
    actions = rules.challenge_actions(viewer, challenge)
    questions = selectors.visible_questions(viewer, challenge)
    items = [
        {
            "question": q,
            "answer_form": (
                AnswerForm(auto_id=f"id_answer{q.pk}_%s")
                if actions.answer and not q.answer
                else None
            ),
            "hide_form": (
                HideForm(auto_id=f"id_hide{q.pk}_%s")
                if actions.moderate and not q.is_hidden
                else None
            ),
        }
        for q in questions
    ]
    context = {
        "challenge": challenge,
        "actions": actions,
        "questions": items,
        "dataset_links": catalog_selectors.challenge_links(challenge),
        "recommendations": catalog_selectors.recommended_datasets(challenge, limit=4),
        "question_form": question_form or QuestionForm(),
        "nav": "challenges",
    }
    return render(request, "challenges/detail.html", context)


# --- creating and editing ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest) -> HttpResponse:
    viewer = rules.viewer_for(request.user)
    if not rules.can_create(viewer):
        raise PermissionDenied(_("Only need owners and organizers can create challenges."))
    form = ChallengeForm(request.POST or None, user=viewer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = services.challenge_create(
                user=viewer,
                organization=data["owner"],
                **{field: data[field] for field in CHALLENGE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The challenge was saved as a draft. Submit it for review when it is ready."),
            )
            return redirect(challenge)
    return render(request, "challenges/form.html", {"form": form, "challenge": None, "nav": "mine"})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.access_challenge(request.user, slug)
    viewer = rules.viewer_for(request.user)
    if not rules.can_edit(viewer, challenge):
        raise PermissionDenied(
            _("The challenge has the status “%(status)s”, and you can't change it now.")
            % {"status": challenge.get_status_display()}
        )
    form = ChallengeForm(request.POST or None, user=viewer, instance=challenge)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.challenge_update(
                user=viewer,
                challenge=challenge,
                owner=data["owner"],
                **{field: data[field] for field in CHALLENGE_FIELDS},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(challenge)
    return render(
        request,
        "challenges/form.html",
        {"form": form, "challenge": challenge, "nav": "mine"},
    )


# --- transitions ------------------------------------------------------------------


def _transition(
    request: HttpRequest,
    slug: str,
    service: Callable[..., Challenge],
    success: str,
) -> HttpResponse:
    challenge = selectors.access_challenge(request.user, slug)
    try:
        service(user=request.user, challenge=challenge)
    except ApplicationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(challenge)


@login_required
@require_POST
def challenge_submit(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(
        request,
        slug,
        services.challenge_submit_for_review,
        _("The challenge was submitted for review. The organizers will look at it soon."),
    )


@login_required
@require_POST
def challenge_publish(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(
        request, slug, services.challenge_publish, _("The challenge is published and open.")
    )


@login_required
@require_POST
def challenge_close(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, services.challenge_close, _("The challenge is closed."))


@login_required
@require_POST
def challenge_archive(request: HttpRequest, slug: str) -> HttpResponse:
    return _transition(request, slug, services.challenge_archive, _("The challenge is archived."))


@login_required
@require_http_methods(["GET", "POST"])
def challenge_request_changes(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.access_challenge(request.user, slug)
    viewer = rules.viewer_for(request.user)
    if not viewer.organizer:
        raise PermissionDenied(_("Only organizers may do this."))
    if challenge.status != ChallengeStatus.IN_REVIEW:
        messages.error(request, _("Only challenges in review can be sent back for changes."))
        return redirect(challenge)
    form = RequestChangesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_request_changes(
                user=viewer, challenge=challenge, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The challenge was sent back to the need owner for changes.")
            )
            return redirect(challenge)
    return render(
        request,
        "challenges/request_changes.html",
        {"form": form, "challenge": challenge, "nav": "review"},
    )


# --- questions --------------------------------------------------------------------


@login_required
@require_POST
def question_ask(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = selectors.access_challenge(request.user, slug)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            question = services.question_ask(
                user=request.user, challenge=challenge, body=form.cleaned_data["body"]
            )
        except ApplicationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(f"{challenge.get_absolute_url()}#questions")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your question was posted."))
            return redirect(f"{challenge.get_absolute_url()}#question-{question.pk}")
    return _render_detail(request, challenge, question_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.access_question(request.user, pk)
    challenge = question.challenge
    viewer = rules.viewer_for(request.user)
    if not rules.can_answer(viewer, challenge):
        raise PermissionDenied(_("Only the challenge's need owners may answer questions."))
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_answer(
                user=viewer, question=question, answer=form.cleaned_data["answer"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer was saved."))
            return redirect(f"{challenge.get_absolute_url()}#question-{question.pk}")
    return render(
        request,
        "challenges/answer.html",
        {"form": form, "question": question, "challenge": challenge, "nav": "challenges"},
    )


def _moderate(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    service: Callable[..., Question],
    success: str,
) -> HttpResponse:
    question = selectors.access_question(request.user, pk)
    viewer = rules.viewer_for(request.user)
    if not viewer.organizer:
        raise PermissionDenied(_("Only organizers may do this."))
    form = form_class(request.POST)
    target = f"{question.challenge.get_absolute_url()}#question-{question.pk}"
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(target)
    try:
        service(user=viewer, question=question, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(target)


@login_required
@require_POST
def question_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderate(request, pk, HideForm, services.question_hide, _("The question is hidden."))


@login_required
@require_POST
def question_unhide(request: HttpRequest, pk: int) -> HttpResponse:
    return _moderate(
        request, pk, UnhideForm, services.question_unhide, _("The question is shown again.")
    )


# --- my challenges and the review queue -------------------------------------------


@login_required
def my_challenges(request: HttpRequest) -> HttpResponse:
    viewer = rules.viewer_for(request.user)
    challenges = list(selectors.challenges_for_need_owner(viewer))
    return render(
        request,
        "challenges/mine.html",
        {
            "challenges": challenges,
            "is_need_owner": viewer.is_need_owner,
            "can_create": rules.can_create(viewer),
            "nav": "mine",
        },
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    challenges = list(selectors.review_queue(request.user))
    return render(
        request,
        "challenges/review_queue.html",
        {"challenges": challenges, "nav": "review"},
    )


# --- events -----------------------------------------------------------------------


def event_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "challenges/event_list.html",
        {
            "current_events": list(selectors.events_current_and_upcoming()),
            "past_events": list(selectors.events_past()),
            "nav": "events",
        },
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.access_event(request.user, slug)
    current = event.phase
    return render(
        request,
        "challenges/event_detail.html",
        {
            "event": event,
            "current_phase": current,
            "phases": event.phases,
            "challenges": list(selectors.event_challenges(event)),
            "is_organizer": rules.viewer_for(request.user).organizer,
            "nav": "events",
        },
    )


def _event_data(form: EventForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.EVENT_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    viewer = rules.viewer_for(request.user)
    if not viewer.organizer:
        raise PermissionDenied(_("Only organizers may do this."))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(user=viewer, **_event_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was created."))
            return redirect(event)
    return render(
        request, "challenges/event_form.html", {"form": form, "event": None, "nav": "events"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, slug: str) -> HttpResponse:
    event: Event = selectors.access_event_for_edit(request.user, slug)
    viewer = rules.viewer_for(request.user)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(user=viewer, event=event, **_event_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(event)
    return render(
        request, "challenges/event_form.html", {"form": form, "event": event, "nav": "events"}
    )
