"""Reads for teams, with their access checks, and the matchmaking lists.

Teams are public when their challenge is visible to the viewer (or, for a
team without a challenge, always: events are public). Members always see
their own team. Invitations and join requests are shown only to members
(and each to the person it concerns)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from hack365.challenges.models import PUBLIC_STATUSES, Challenge
from hack365.challenges.selectors import visible_challenges
from hack365.core.permissions import is_authenticated

from .models import (
    Invitation,
    JoinRequest,
    RequestStatus,
    RolePosting,
    Team,
    TeamMembership,
    TeamSeeker,
)
from .services import may_answer_invitation

PUBLIC_STATUS_CODES = tuple(str(s) for s in PUBLIC_STATUSES)


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _visible_team_filter(user: Any) -> Q:
    visible = Q(challenge__isnull=True) | Q(challenge__in=visible_challenges(user))
    if is_authenticated(user):
        visible |= Q(Exists(TeamMembership.objects.filter(team_id=OuterRef("pk"), user=user)))
    return visible


def _open_postings() -> Prefetch[Any]:
    return Prefetch(
        "postings",
        queryset=RolePosting.objects.filter(is_open=True).order_by("-created_at", "-pk"),
        to_attr="open_postings",
    )


def _memberships() -> Prefetch[Any]:
    return Prefetch(
        "memberships",
        queryset=TeamMembership.objects.select_related("user__profile").order_by(
            "role", "created_at", "pk"
        ),
    )


def access_team(user: Any, pk: Any) -> Team:
    """The team if ``user`` may see it, else 404 (whether or not it exists)."""
    number = _int(pk)
    if number is None:
        raise Http404("No such team")
    team = (
        Team.objects.filter(_visible_team_filter(user), pk=number)
        .select_related("challenge__owner", "challenge__event", "event")
        .prefetch_related(_memberships(), _open_postings())
        .first()
    )
    if team is None:
        raise Http404("No such team")
    return team


def member_team(user: Any, pk: Any) -> Team:
    """The team if ``user`` is one of its members, else 404."""
    team = access_team(user, pk)
    if not any(m.user_id == getattr(user, "pk", None) for m in team.memberships.all()):
        raise Http404("No such team")
    return team


def access_membership(user: Any, team: Team, pk: Any) -> TeamMembership:
    number = _int(pk)
    for membership in team.memberships.all():
        if membership.pk == number:
            return membership
    raise Http404("No such member")


def access_invitation(user: Any, token: str) -> Invitation:
    """The invitation behind ``token``, for the invited account only (404 for
    everybody else: the link is not theirs, and nothing says it exists)."""
    if not token or len(token) > 64:
        raise Http404("No such invitation")
    invitation = (
        Invitation.objects.select_related("team__challenge", "team__event", "invited_by__profile")
        .filter(token=token)
        .first()
    )
    if invitation is None or not may_answer_invitation(user, invitation):
        raise Http404("No such invitation")
    return invitation


def access_team_invitation(user: Any, team: Team, pk: Any) -> Invitation:
    """An invitation of ``team`` (whose lead asks to revoke it)."""
    number = _int(pk)
    invitation = Invitation.objects.filter(team=team, pk=number).first() if number else None
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def access_join_request(user: Any, team: Team, pk: Any) -> JoinRequest:
    """A join request of ``team``: for its members, and for the person who asked."""
    number = _int(pk)
    join_request = (
        JoinRequest.objects.select_related("team", "user__profile")
        .filter(team=team, pk=number)
        .first()
        if number
        else None
    )
    if join_request is None:
        raise Http404("No such join request")
    uid = getattr(user, "pk", None)
    if join_request.user_id != uid and not any(m.user_id == uid for m in team.memberships.all()):
        raise Http404("No such join request")
    return join_request


def access_posting(user: Any, team: Team, pk: Any) -> RolePosting:
    number = _int(pk)
    posting = RolePosting.objects.filter(team=team, pk=number).first() if number else None
    if posting is None:
        raise Http404("No such role posting")
    return posting


def access_seeker(user: Any, pk: Any) -> TeamSeeker:
    number = _int(pk)
    seeker = (
        TeamSeeker.objects.filter(user=user, pk=number).first()
        if number and is_authenticated(user)
        else None
    )
    if seeker is None:
        raise Http404("No such entry")
    return seeker


def team_pending(team: Team) -> dict[str, list[Any]]:
    """For members: the team's pending invitations and join requests."""
    return {
        "invitations": list(
            Invitation.objects.filter(team=team, status=RequestStatus.PENDING).select_related(
                "user__profile"
            )
        ),
        "join_requests": list(
            JoinRequest.objects.filter(team=team, status=RequestStatus.PENDING).select_related(
                "user__profile"
            )
        ),
    }


def own_pending_request(user: Any, team: Team) -> JoinRequest | None:
    if not is_authenticated(user):
        return None
    return JoinRequest.objects.filter(team=team, user=user, status=RequestStatus.PENDING).first()


# --- my teams ---------------------------------------------------------------------------


def my_teams(user: Any) -> list[Team]:
    return list(
        Team.objects.filter(memberships__user=user)
        .select_related("challenge", "event")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-created_at", "-pk")
    )


def my_invitations(user: Any) -> list[Invitation]:
    """Pending invitations to ``user``'s account or to one of its verified addresses."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return list(
        Invitation.objects.filter(status=RequestStatus.PENDING)
        .filter(Q(user=user) | Q(user__isnull=True, email__in=addresses))
        .select_related("team__challenge", "team__event", "invited_by__profile")
        .order_by("-created_at", "-pk")
    )


def my_join_requests(user: Any) -> list[JoinRequest]:
    return list(
        JoinRequest.objects.filter(user=user, status=RequestStatus.PENDING)
        .select_related("team__challenge", "team__event")
        .order_by("-created_at", "-pk")
    )


def my_seekers(user: Any) -> list[TeamSeeker]:
    return list(
        TeamSeeker.objects.filter(user=user, is_active=True)
        .select_related("challenge", "event")
        .order_by("-created_at", "-pk")
    )


# --- matchmaking --------------------------------------------------------------------------


def _json_forms(term: str) -> set[str]:
    """Both spellings a word may have in stored JSON text (SQLite keeps å as
    \\u00e5), for a case-insensitive text match on a JSON list."""
    return {term, *(json.dumps(t)[1:-1] for t in (term, term.lower(), term.upper()))}


def _skill_q(field: str, skill: str) -> Q:
    q = Q()
    for form in _json_forms(skill):
        q |= Q(**{f"{field}__icontains": form})
    return q


def _challenge_filter(value: Any) -> Q | None:
    if isinstance(value, Challenge):
        return Q(challenge=value)
    if value:
        return Q(challenge__slug=str(value))
    return None


def teams_looking(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[Team]:
    """Teams looking for members, with their open postings and member count.

    ``filters`` (all optional): ``challenge`` (slug), ``event`` (slug: the
    team's event or its challenge's), ``skill`` (a word in an open posting's
    skills or title), ``q`` (words in the name, description or postings)."""
    filters = filters or {}
    qs = Team.objects.filter(looking_for_members=True).filter(
        Q(challenge__isnull=True)
        | Q(challenge__in=visible_challenges(user).filter(status="published"))
    )
    challenge = _challenge_filter(filters.get("challenge"))
    if challenge is not None:
        qs = qs.filter(challenge)
    event = filters.get("event")
    if event:
        slug = getattr(event, "slug", event)
        qs = qs.filter(Q(event__slug=slug) | Q(challenge__event__slug=slug))
    skill = (filters.get("skill") or "").strip()
    if skill:
        postings = RolePosting.objects.filter(team_id=OuterRef("pk"), is_open=True).filter(
            _skill_q("skills", skill) | Q(title__icontains=skill)
        )
        qs = qs.filter(Exists(postings))
    q = filters.get("q")
    if isinstance(q, str):
        for term in q.split()[:10]:
            in_posting = RolePosting.objects.filter(team_id=OuterRef("pk"), is_open=True).filter(
                Q(title__icontains=term) | Q(description__icontains=term) | _skill_q("skills", term)
            )
            qs = qs.filter(
                Q(name__icontains=term) | Q(description__icontains=term) | Exists(in_posting)
            )
    return (
        qs.select_related("challenge", "event", "challenge__event")
        .prefetch_related(_open_postings())
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("-created_at", "-pk")
    )


def seekers_looking(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[TeamSeeker]:
    """People looking for a team, with their profiles' skills.

    ``filters`` (all optional): ``challenge`` (slug), ``event`` (slug: the
    entry's event or its challenge's), ``skill`` (a word in the person's
    skills), ``county`` (code), ``sector``, ``q`` (words in the note, name or
    skills)."""
    filters = filters or {}
    qs = TeamSeeker.objects.filter(is_active=True, user__is_active=True).filter(
        Q(challenge__isnull=True)
        | Q(challenge__in=visible_challenges(user).filter(status="published"))
    )
    challenge = _challenge_filter(filters.get("challenge"))
    if challenge is not None:
        qs = qs.filter(challenge)
    event = filters.get("event")
    if event:
        slug = getattr(event, "slug", event)
        qs = qs.filter(Q(event__slug=slug) | Q(challenge__event__slug=slug))
    skill = (filters.get("skill") or "").strip()
    if skill:
        qs = qs.filter(_skill_q("user__profile__skills", skill))
    county = filters.get("county")
    if county:
        qs = qs.filter(user__profile__county_id=getattr(county, "pk", county))
    sector = filters.get("sector")
    if sector:
        qs = qs.filter(user__profile__sector=sector)
    q = filters.get("q")
    if isinstance(q, str):
        for term in q.split()[:10]:
            qs = qs.filter(
                Q(note__icontains=term)
                | Q(user__profile__display_name__icontains=term)
                | _skill_q("user__profile__skills", term)
            )
    return qs.select_related(
        "user__profile", "user__profile__county", "challenge", "event"
    ).order_by("-created_at", "-pk")


def challenge_teams(challenge: Challenge) -> list[Team]:
    """The teams of a challenge (for its page), with member counts and
    open postings: two queries."""
    return list(
        Team.objects.filter(challenge=challenge)
        .select_related("challenge", "event")
        .prefetch_related(_open_postings())
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name", "pk")
    )


def user_team_for(user: Any, challenge: Challenge) -> Team | None:
    """``user``'s team for ``challenge``, if any."""
    if not is_authenticated(user):
        return None
    return Team.objects.filter(challenge=challenge, memberships__user=user).first()
