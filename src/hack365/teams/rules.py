"""Who may do what to a team: small rules shared by services, selectors,
views and templates.

Decisions (also in the services' docstrings):

- The **lead** manages the team: edits it, invites, revokes invitations,
  removes members and hands the lead role to another member.
- **Every member** may answer join requests (approve or reject) and manage the
  team's role postings: a team that is looking for people should not wait
  for one person to be online.
- A person is in at most one team per challenge (and, for teams without a
  challenge, one per event).
- The maximum team size is the challenge's, else the event's (the
  challenge's event, or the team's own), else ``DEFAULT_MAX_TEAM_SIZE``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from hack365.challenges.models import ChallengeStatus, EventPhase

from .models import DEFAULT_MAX_TEAM_SIZE, Team, TeamMembership, TeamRole

# Event phases in which a team for the event (without a challenge) may form.
EVENT_TEAM_PHASES = frozenset({EventPhase.REGISTRATION, EventPhase.HACKING})


def max_team_size(team: Team) -> int:
    """The largest number of members ``team`` may have."""
    challenge = team.challenge
    if challenge is not None and challenge.max_team_size:
        return int(challenge.max_team_size)
    event = challenge.event if challenge is not None and challenge.event_id else team.event
    if event is not None and event.max_team_size:
        return int(event.max_team_size)
    return DEFAULT_MAX_TEAM_SIZE


def team_is_active(team: Team) -> bool:
    """The team can still change members: its challenge is open and its
    deadline (if any) lies ahead; a team for an event only, while the event
    registers or hacks."""
    now = timezone.now()
    challenge = team.challenge
    if challenge is not None:
        if challenge.status != ChallengeStatus.PUBLISHED:
            return False
        deadline = challenge.effective_deadline
        return deadline is None or deadline > now
    event = team.event
    return event is not None and event.phase_at(now) in EVENT_TEAM_PHASES


def membership_of(team: Team, user: Any) -> TeamMembership | None:
    """``user``'s membership of ``team`` (uses prefetched memberships)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    for membership in team.memberships.all():
        if membership.user_id == user.pk:
            return membership
    return None


@dataclass(frozen=True)
class TeamActions:
    """What the team page offers its viewer."""

    member: bool
    lead: bool
    active: bool
    full: bool
    can_request_to_join: bool
    pending_request: Any = None  # the viewer's own pending join request

    @property
    def manage(self) -> bool:
        return self.lead and self.active

    @property
    def answer_requests(self) -> bool:
        return self.member and self.active


def team_actions(
    team: Team, user: Any, *, member_count: int, pending_request: Any = None
) -> TeamActions:
    membership = membership_of(team, user)
    active = team_is_active(team)
    full = member_count >= max_team_size(team)
    authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
    return TeamActions(
        member=membership is not None,
        lead=membership is not None and membership.role == TeamRole.LEAD,
        active=active,
        full=full,
        can_request_to_join=(
            authenticated
            and membership is None
            and active
            and not full
            and team.looking_for_members
            and pending_request is None
        ),
        pending_request=pending_request,
    )


def public_name(user: Any) -> str:
    """A person's name as others see it: the display name, never the e-mail
    address (which ``str(user)`` falls back to)."""
    from django.utils.translation import gettext

    profile = getattr(user, "profile", None)
    name = getattr(profile, "display_name", "") if profile is not None else ""
    return str(name) if name else gettext("A participant")
