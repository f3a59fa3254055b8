"""Pages after the scoring: a round's results (organizers), the shortlist
and feedback switches, award categories and awards (organizers), the public
people's choice vote, the winners page, and the feedback a team receives.
Thin views: parse, call one selector or service, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hack365.challenges import selectors as challenge_selectors
from hack365.challenges.models import Challenge, Event
from hack365.core.errors import ApplicationError
from hack365.core.permissions import is_organizer, require_organizer
from hack365.core.viewhelpers import add_service_errors, form_errors_as_messages
from hack365.submissions.models import Solution

from . import award_selectors as selectors
from . import award_services as services
from .award_forms import AwardCategoryForm, AwardGiveForm, ToggleForm, VoteForm
from .models import AwardCategory, AwardKind, RoundStatus


def _errors_to_messages(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- a round's results (organizers) ---------------------------------------------------


@login_required
@require_GET
def results(request: HttpRequest, round_pk: int) -> HttpResponse:
    round_ = selectors.access_round_results(request.user, round_pk)
    closed = round_.status == RoundStatus.CLOSED
    return render(
        request,
        "judging/results.html",
        {
            "round": round_,
            "closed": closed,
            "progress": selectors.round_progress(round_),
            "rows": selectors.round_results(round_) if closed else [],
            "nav": "events",
        },
    )


def _results_url(entry: Any) -> str:
    return reverse("judging_awards:results", kwargs={"round_pk": entry.round_id}) + (
        f"#entry-{entry.pk}"
    )


@login_required
@require_POST
def entry_shortlist(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = selectors.access_entry_for_organizer(request.user, entry_pk)
    form = ToggleForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(_results_url(entry))
    try:
        services.entry_shortlist(
            actor=request.user, entry=entry, shortlisted=form.cleaned_data["value"]
        )
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        if form.cleaned_data["value"]:
            message = _("“%(title)s” is on the shortlist.")
        else:
            message = _("“%(title)s” is no longer on the shortlist.")
        messages.success(request, message % {"title": entry.solution.title})
    return redirect(_results_url(entry))


@login_required
@require_POST
def feedback_release(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry = selectors.access_entry_for_organizer(request.user, entry_pk)
    form = ToggleForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(_results_url(entry))
    try:
        services.feedback_release(
            actor=request.user, entry=entry, released=form.cleaned_data["value"]
        )
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        if form.cleaned_data["value"]:
            message = _("The team behind “%(title)s” can now read its feedback.")
        else:
            message = _("The feedback to “%(title)s” is hidden from the team again.")
        messages.success(request, message % {"title": entry.solution.title})
    return redirect(_results_url(entry))


# --- feedback to a team ---------------------------------------------------------------


@login_required
@require_GET
def feedback(request: HttpRequest, entry_pk: int) -> HttpResponse:
    entry, member = selectors.access_feedback(request.user, entry_pk)
    released = entry.feedback_released_at is not None
    show = released or not member  # an organizer previews it
    return render(
        request,
        "judging/feedback.html",
        {
            "entry": entry,
            "solution": entry.solution,
            "released": released,
            "preview": not member,
            "criteria": selectors.entry_feedback(entry) if show else [],
            "nav": "solutions",
        },
    )


# --- award categories (organizers) ----------------------------------------------------


def _scope(request: HttpRequest, slug: str, kind: str) -> tuple[Event | None, Challenge | None]:
    require_organizer(request.user)
    if kind == "event":
        return challenge_selectors.access_event(request.user, slug), None
    return None, challenge_selectors.access_challenge(request.user, slug)


def _categories_url(category: AwardCategory) -> str:
    if category.event_id is not None:
        assert category.event is not None
        return reverse("judging_awards:event_categories", kwargs={"slug": category.event.slug})
    assert category.challenge is not None
    return reverse("judging_awards:challenge_categories", kwargs={"slug": category.challenge.slug})


def _categories_page(request: HttpRequest, slug: str, scope_kind: str) -> HttpResponse:
    event, challenge = _scope(request, slug, scope_kind)
    form = AwardCategoryForm(request.POST or None, initial={"kind": AwardKind.JURY})
    if request.method == "POST" and form.is_valid():
        try:
            category = services.award_category_create(
                actor=request.user, event=event, challenge=challenge, **form.service_fields()
            )
        except (ApplicationError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("The award category “%(name)s” is created.") % {"name": category.name}
            )
            return redirect("judging_awards:category", category_pk=category.pk)
    return render(
        request,
        "judging/award_categories.html",
        {
            "event": event,
            "challenge": challenge,
            "scope": event or challenge,
            "categories": selectors.categories_of(event=event, challenge=challenge),
            "rounds": selectors.rounds_of(event=event, challenge=challenge),
            "form": form,
            "nav": "events" if event else "challenges",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_categories(request: HttpRequest, slug: str) -> HttpResponse:
    return _categories_page(request, slug, "event")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def challenge_categories(request: HttpRequest, slug: str) -> HttpResponse:
    return _categories_page(request, slug, "challenge")


@login_required
@require_POST
def event_default_categories(request: HttpRequest, slug: str) -> HttpResponse:
    event, _challenge = _scope(request, slug, "event")
    assert event is not None
    try:
        made = services.award_categories_create_defaults(actor=request.user, event=event)
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        if made:
            messages.success(
                request,
                _("Created: %(names)s.") % {"names": ", ".join(c.name for c in made)},
            )
        else:
            messages.info(request, _("The event already has the default award categories."))
    return redirect("judging_awards:event_categories", slug=event.slug)


@login_required
@require_GET
def category(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_category_for_organizer(request.user, category_pk)
    people = found.kind == AwardKind.PEOPLE
    state = services.voting_state(found)
    # Nobody, organizers included, follows the count while people vote.
    counts = people and (state == "closed" or found.published_at is not None)
    candidates = selectors.candidates(found, with_counts=counts)
    awarded = {a.solution_id for a in found.awards.all()}
    give_form = AwardGiveForm(
        solution_choices=[
            (c.solution.pk, _label(c)) for c in candidates if c.solution.pk not in awarded
        ]
    )
    return render(
        request,
        "judging/award_category.html",
        {
            "category": found,
            "awards": list(found.awards.all()),
            "people": people,
            "voting_state": state,
            "counts": counts,
            "candidates": candidates,
            "give_form": give_form,
            "categories_url": _categories_url(found),
            "rounds": selectors.rounds_of(event=found.event, challenge=found.challenge),
            "nav": "events" if found.event_id else "challenges",
        },
    )


def _label(candidate: selectors.Candidate) -> str:
    label = f"{candidate.solution.title} ({candidate.solution.team.name})"
    if candidate.votes is not None:
        label += " – " + ngettext("%(n)d vote", "%(n)d votes", candidate.votes) % {
            "n": candidate.votes
        }
    return label


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def category_edit(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_category_for_organizer(request.user, category_pk)
    initial = {
        "name": found.name,
        "description": found.description,
        "kind": found.kind,
        "voting_opens": found.voting_opens,
        "voting_closes": found.voting_closes,
    }
    form = AwardCategoryForm(request.POST or None, initial=initial)
    if found.kind == AwardKind.PEOPLE and services.voting_window_fixed(found):
        for name in ("voting_opens", "voting_closes"):
            form.fields[name].disabled = True
            form.fields[name].help_text = _(
                "Fixed: the category is published or people have voted."
            )
    if request.method == "POST" and form.is_valid():
        try:
            services.award_category_update(
                actor=request.user, category=found, **form.service_fields()
            )
        except (ApplicationError, ValidationError) as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The award category is saved."))
            return redirect("judging_awards:category", category_pk=found.pk)
    return render(
        request,
        "judging/award_category_form.html",
        {"category": found, "form": form, "nav": "events" if found.event_id else "challenges"},
    )


@login_required
@require_POST
def category_delete(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_category_for_organizer(request.user, category_pk)
    back = _categories_url(found)
    try:
        services.award_category_delete(actor=request.user, category=found)
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
        return redirect("judging_awards:category", category_pk=found.pk)
    messages.success(request, _("The award category “%(name)s” is deleted.") % {"name": found.name})
    return redirect(back)


@login_required
@require_POST
def category_publish(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_category_for_organizer(request.user, category_pk)
    try:
        services.award_category_publish(actor=request.user, category=found)
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("“%(name)s” is published: its awards are public on the winners page.")
            % {"name": found.name},
        )
    return redirect("judging_awards:category", category_pk=found.pk)


@login_required
@require_POST
def award_give(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_category_for_organizer(request.user, category_pk)
    choices = [(c.solution.pk, _label(c)) for c in selectors.candidates(found, with_counts=False)]
    form = AwardGiveForm(request.POST, solution_choices=choices)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("judging_awards:category", category_pk=found.pk)
    solution = Solution.objects.filter(pk=form.cleaned_data["solution"]).first()
    if solution is None:
        raise Http404("No such solution")
    try:
        services.award_give(
            actor=request.user,
            category=found,
            solution=solution,
            place=form.cleaned_data["place"],
            citation=form.cleaned_data["citation"],
        )
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("“%(title)s” has the award.") % {"title": solution.title})
    return redirect("judging_awards:category", category_pk=found.pk)


@login_required
@require_POST
def award_give_top_voted(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_category_for_organizer(request.user, category_pk)
    try:
        given = services.award_give_top_voted(actor=request.user, category=found)
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        messages.success(
            request,
            _("The award goes to %(titles)s.")
            % {"titles": ", ".join(f"“{a.solution.title}”" for a in given)},
        )
    return redirect("judging_awards:category", category_pk=found.pk)


@login_required
@require_POST
def award_revoke(request: HttpRequest, award_pk: int) -> HttpResponse:
    award = selectors.access_award_for_organizer(request.user, award_pk)
    category_pk = award.category_id
    try:
        services.award_revoke(actor=request.user, award=award)
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("The award is revoked."))
    return redirect("judging_awards:category", category_pk=category_pk)


# --- the public vote ------------------------------------------------------------------


@require_GET
def vote(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_vote_category(request.user, category_pk)
    state = services.voting_state(found)
    organizer = is_organizer(request.user)
    published = found.published_at is not None
    # The counts are public with the result; organizers see them once the
    # voting has closed (to decide the award), nobody while people vote.
    with_counts = published or (organizer and state == "closed")
    return render(
        request,
        "judging/vote.html",
        {
            "category": found,
            "voting_state": state,
            "published": published,
            "counts_for_organizers_only": with_counts and not published,
            "candidates": selectors.candidates(found, with_counts=with_counts),
            "my_vote": selectors.user_vote(request.user, found),
            "may_vote": services.has_verified_email(request.user),
            "is_organizer": organizer,
            "nav": "events" if found.event_id else "challenges",
        },
    )


@login_required
@require_POST
def vote_cast(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_vote_category(request.user, category_pk)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a solution to vote for."))
        return redirect("judging_awards:vote", category_pk=found.pk)
    solution = Solution.objects.filter(pk=form.cleaned_data["solution"]).first()
    if solution is None:
        messages.error(request, _("There is no such solution to vote for."))
        return redirect("judging_awards:vote", category_pk=found.pk)
    try:
        services.vote_cast(actor=request.user, category=found, solution=solution)
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Your vote goes to “%(title)s”.") % {"title": solution.title})
    return redirect("judging_awards:vote", category_pk=found.pk)


@login_required
@require_POST
def vote_withdraw(request: HttpRequest, category_pk: int) -> HttpResponse:
    found = selectors.access_vote_category(request.user, category_pk)
    try:
        services.vote_withdraw(actor=request.user, category=found)
    except (ApplicationError, ValidationError) as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, _("Your vote is withdrawn."))
    return redirect("judging_awards:vote", category_pk=found.pk)


# --- the winners --------------------------------------------------------------------------


@require_GET
def event_winners(request: HttpRequest, slug: str) -> HttpResponse:
    event = challenge_selectors.access_event(request.user, slug)
    return _winners(request, event=event, challenge=None)


@require_GET
def challenge_winners(request: HttpRequest, slug: str) -> HttpResponse:
    challenge = challenge_selectors.access_challenge(request.user, slug)
    return _winners(request, event=None, challenge=challenge)


def _winners(
    request: HttpRequest, *, event: Event | None, challenge: Challenge | None
) -> HttpResponse:
    people = [
        c
        for c in AwardCategory.objects.filter(
            event=event, challenge=challenge, kind=AwardKind.PEOPLE, published_at__isnull=True
        )
        if services.voting_state(c) == "open"
    ]
    return render(
        request,
        "judging/winners.html",
        {
            "event": event,
            "challenge": challenge,
            "scope": event or challenge,
            "categories": selectors.published_winners(event=event, challenge=challenge),
            "open_votes": people,
            "is_organizer": is_organizer(request.user),
            "nav": "events" if event else "challenges",
        },
    )
