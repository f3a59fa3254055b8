"""Pages for teams: matchmaking, my teams, a team's page and its actions.

Thin views: parse a form, call one service, redirect (POST/redirect/GET)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hack365.core.errors import PermissionDenied
from hack365.core.viewhelpers import add_service_errors, form_errors_as_messages, is_partial

from . import rules, selectors, services
from .forms import (
    InviteForm,
    JoinForm,
    MatchmakingFilterForm,
    PostingForm,
    SeekerForm,
    TeamEditForm,
    TeamForm,
    TransferLeadForm,
)
from .models import Team, TeamRole

PAGE_SIZE = 20


def _refusal(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- public pages -------------------------------------------------------------------------


@require_safe
def matchmaking(request: HttpRequest) -> HttpResponse:
    form = MatchmakingFilterForm(request.GET or None)
    filters = form.filters()
    teams = Paginator(selectors.teams_looking(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("tpage")
    )
    people = Paginator(selectors.seekers_looking(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("ppage")
    )
    context = {
        "form": form,
        "teams_page": teams,
        "people_page": people,
        "filtered": bool(filters),
        "nav": "teams",
    }
    template = (
        "teams/_matchmaking_results.html" if is_partial(request) else "teams/matchmaking.html"
    )
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    return _render_detail(request, team)


def _render_detail(request: HttpRequest, team: Team, **forms: Any) -> HttpResponse:
    memberships = list(team.memberships.all())
    pending_request = selectors.own_pending_request(request.user, team)
    actions = rules.team_actions(
        team, request.user, member_count=len(memberships), pending_request=pending_request
    )
    context: dict[str, Any] = {
        "team": team,
        "viewer": request.user,
        "memberships": memberships,
        "postings": team.open_postings,  # type: ignore[attr-defined]
        "actions": actions,
        "max_size": rules.max_team_size(team),
        "nav": "teams",
    }
    if actions.member:
        context.update(selectors.team_pending(team))
        others = [m for m in memberships if m.user_id != request.user.pk]
        context["posting_form"] = forms.get("posting_form") or PostingForm()
        if actions.lead:
            context["invite_form"] = forms.get("invite_form") or InviteForm()
            context["transfer_form"] = TransferLeadForm(memberships=others) if others else None
    elif actions.can_request_to_join:
        context["join_form"] = forms.get("join_form") or JoinForm()
    return render(request, "teams/detail.html", context)


# --- my teams, creating, editing ----------------------------------------------------------


@login_required
@require_safe
def my_teams(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "teams/mine.html",
        {
            "teams": selectors.my_teams(user),
            "invitations": selectors.my_invitations(user),
            "join_requests": selectors.my_join_requests(user),
            "seekers": selectors.my_seekers(user),
            "nav": "my_teams",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_create(request: HttpRequest) -> HttpResponse:
    initial = {}
    slug = request.GET.get("challenge", "")
    if slug and len(slug) <= 100:
        initial["challenge"] = slug
    form = TeamForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team = services.team_create(
                user=request.user,
                name=data["name"],
                challenge=data["challenge"],
                event=data["event"],
                description=data["description"],
                looking_for_members=data["looking_for_members"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your team was created. Invite people, or wait for them to ask.")
            )
            return redirect(team)
    return render(request, "teams/form.html", {"form": form, "team": None, "nav": "teams"})


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    membership = rules.membership_of(team, request.user)
    if membership is None or membership.role != TeamRole.LEAD:
        raise PermissionDenied(_("Only the team lead may do this."))
    form = TeamEditForm(
        request.POST or None,
        initial={
            "name": team.name,
            "description": team.description,
            "looking_for_members": team.looking_for_members,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(user=request.user, team=team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect(team)
    return render(request, "teams/form.html", {"form": form, "team": team, "nav": "teams"})


# --- actions on a team (POST) ----------------------------------------------------------------


def _act(
    request: HttpRequest, team: Team, call: Callable[[], Any], success: str, target: str = ""
) -> HttpResponse:
    try:
        call()
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, success)
    return redirect(target or team.get_absolute_url())


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                user=request.user,
                team=team,
                invitee=form.cleaned_data["invitee"],
                message=form.cleaned_data["message"],
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The invitation was sent."))
            return redirect(f"{team.get_absolute_url()}#invitations")
    form_errors_as_messages(request, form)
    return redirect(f"{team.get_absolute_url()}#invite")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    invitation = selectors.access_team_invitation(request.user, team, invitation_pk)
    return _act(
        request,
        team,
        lambda: services.invitation_revoke(user=request.user, invitation=invitation),
        _("The invitation was withdrawn."),
    )


@login_required
@require_safe
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.access_invitation(request.user, token)
    return render(
        request,
        "teams/invitation.html",
        {
            "invitation": found,
            "team": found.team,
            "inviter": rules.public_name(found.invited_by) if found.invited_by else "",
            "nav": "teams",
        },
    )


@login_required
@require_POST
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.access_invitation(request.user, token)
    try:
        services.invitation_accept(user=request.user, invitation=found)
    except ValidationError as error:
        _refusal(request, error)
        return redirect("teams:invitation", token=token)
    messages.success(request, _("Welcome to the team!"))
    return redirect(found.team)


@login_required
@require_POST
def invitation_decline(request: HttpRequest, token: str) -> HttpResponse:
    found = selectors.access_invitation(request.user, token)
    try:
        services.invitation_decline(user=request.user, invitation=found)
    except ValidationError as error:
        _refusal(request, error)
        return redirect("teams:invitation", token=token)
    messages.success(request, _("You declined the invitation."))
    return redirect("teams:mine")


@login_required
@require_POST
def join(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    form = JoinForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(team)
    return _act(
        request,
        team,
        lambda: services.join_request_create(
            user=request.user, team=team, message=form.cleaned_data["message"]
        ),
        _("You asked to join the team. Its members will answer."),
    )


def _join_request_action(
    request: HttpRequest, pk: int, request_pk: int, service: Callable[..., Any], success: str
) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    join_request = selectors.access_join_request(request.user, team, request_pk)
    return _act(
        request,
        team,
        lambda: service(user=request.user, join_request=join_request),
        success,
    )


@login_required
@require_POST
def join_request_approve(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    return _join_request_action(
        request, pk, request_pk, services.join_request_approve, _("The person joined the team.")
    )


@login_required
@require_POST
def join_request_reject(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    return _join_request_action(
        request, pk, request_pk, services.join_request_reject, _("The join request was declined.")
    )


@login_required
@require_POST
def join_request_withdraw(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    return _join_request_action(
        request,
        pk,
        request_pk,
        services.join_request_withdraw,
        _("You withdrew your join request."),
    )


@login_required
@require_POST
def leave(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    try:
        dissolved = services.team_leave(user=request.user, team=team)
    except ValidationError as error:
        _refusal(request, error)
        return redirect(team)
    if dissolved:
        messages.success(request, _("You left the team. It had no other members and is dissolved."))
    else:
        messages.success(request, _("You left the team."))
    return redirect("teams:mine")


@login_required
@require_POST
def transfer_lead(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    memberships = [m for m in team.memberships.all() if m.user_id != request.user.pk]
    form = TransferLeadForm(request.POST, memberships=memberships)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(team)
    target = selectors.access_membership(request.user, team, form.cleaned_data["member"])
    return _act(
        request,
        team,
        lambda: services.team_transfer_lead(user=request.user, team=team, new_lead=target.user),
        _("The lead role was handed over."),
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    membership = selectors.access_membership(request.user, team, membership_pk)
    return _act(
        request,
        team,
        lambda: services.member_remove(user=request.user, membership=membership),
        _("The member was removed from the team."),
    )


@login_required
@require_POST
def posting_create(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    form = PostingForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(f"{team.get_absolute_url()}#postings")
    return _act(
        request,
        team,
        lambda: services.posting_create(user=request.user, team=team, **form.cleaned_data),
        _("The role posting is published."),
        f"{team.get_absolute_url()}#postings",
    )


@login_required
@require_POST
def posting_close(request: HttpRequest, pk: int, posting_pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk)
    posting = selectors.access_posting(request.user, team, posting_pk)
    return _act(
        request,
        team,
        lambda: services.posting_close(user=request.user, posting=posting),
        _("The role posting is closed."),
        f"{team.get_absolute_url()}#postings",
    )


# --- looking for a team ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def seeker(request: HttpRequest) -> HttpResponse:
    initial = {}
    slug = request.GET.get("challenge", "")
    if slug and len(slug) <= 100:
        initial["challenge"] = slug
    form = SeekerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.seeker_upsert(
                user=request.user,
                challenge=data["challenge"],
                event=data["event"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("You are listed as looking for a team. Teams can now find you.")
            )
            return redirect(reverse("teams:mine"))
    return render(request, "teams/seeker.html", {"form": form, "nav": "teams"})


@login_required
@require_POST
def seeker_withdraw(request: HttpRequest, seeker_pk: int) -> HttpResponse:
    entry = selectors.access_seeker(request.user, seeker_pk)
    try:
        services.seeker_withdraw(user=request.user, seeker=entry)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("You are no longer listed as looking for a team there."))
    return redirect("teams:mine")
