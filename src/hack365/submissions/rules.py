"""Who may see and change a solution: rules shared by services, selectors,
views and templates.

A :class:`SolutionAccess` is computed once per request and solution (one
query for the team membership, one for the viewer's need-owner
memberships); the rules below are then free of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from hack365.challenges import rules as challenge_rules
from hack365.challenges.models import PUBLIC_STATUSES, ChallengeStatus
from hack365.core.permissions import is_authenticated
from hack365.teams.models import Team, TeamMembership

from .models import Solution, SolutionStatus


def is_team_member(user: Any, team: Team | int) -> bool:
    if not is_authenticated(user) or not user.is_active:
        return False
    team_id = team if isinstance(team, int) else team.pk
    return TeamMembership.objects.filter(team_id=team_id, user=user).exists()


@dataclass(frozen=True)
class SolutionAccess:
    """The facts about one viewer and one solution that the rules need."""

    viewer: challenge_rules.Viewer
    member: bool  # of the solution's team

    @property
    def organizer(self) -> bool:
        return self.viewer.organizer


def access_for(user: Any, solution: Solution) -> SolutionAccess:
    viewer = challenge_rules.viewer_for(user)
    return SolutionAccess(viewer=viewer, member=is_team_member(viewer.user, solution.team_id))


def is_public(solution: Solution) -> bool:
    """Submitted (frozen or not) on a challenge the public may see."""
    return (
        solution.status == SolutionStatus.SUBMITTED and solution.challenge.status in PUBLIC_STATUSES
    )


def can_view(access: SolutionAccess, solution: Solution) -> bool:
    """Drafts and withdrawn solutions: the team and the organizers only."""
    return is_public(solution) or access.member or access.organizer


def can_see_versions(access: SolutionAccess, solution: Solution) -> bool:
    """Versions and what changed between them: the team and the organizers."""
    return access.member or access.organizer


def deadline_of(solution: Solution) -> datetime | None:
    return solution.challenge.effective_deadline


def is_frozen(solution: Solution, now: datetime | None = None) -> bool:
    """The deadline has passed (at the deadline itself the solution is frozen)."""
    deadline = deadline_of(solution)
    return deadline is not None and (now or timezone.now()) >= deadline


def accepts_changes(solution: Solution, now: datetime | None = None) -> bool:
    """Open challenge, deadline ahead: the team may still change the solution."""
    return solution.challenge.status == ChallengeStatus.PUBLISHED and not is_frozen(solution, now)


def can_edit(access: SolutionAccess, solution: Solution, now: datetime | None = None) -> bool:
    return access.member and accepts_changes(solution, now)


def is_assigned_juror(user: Any, solution: Solution) -> bool:
    """True when ``user`` is assigned to evaluate ``solution`` in an evaluation
    round that has opened, and has not declared a conflict of interest with it
    (see hack365.judging.rules)."""
    from hack365.judging import rules as judging_rules  # lazy: judging imports this app

    return judging_rules.is_assigned_juror(user, solution)


def may_see_confidential(
    user: Any, solution: Solution, access: SolutionAccess | None = None
) -> bool:
    """Confidential attachments: the team, the challenge's need owners (of the
    owner organisation or a co-owner), the organizers and the jurors assigned
    to the solution."""
    access = access or access_for(user, solution)
    if access.member or access.organizer:
        return True
    if challenge_rules.is_challenge_need_owner(access.viewer, solution.challenge):
        return True
    return is_assigned_juror(access.viewer.user, solution)


@dataclass(frozen=True)
class SolutionActions:
    """What the solution page offers (for templates)."""

    edit: bool
    submit: bool
    withdraw: bool
    upload: bool
    versions: bool
    see_confidential: bool


def solution_actions(
    access: SolutionAccess, solution: Solution, now: datetime | None = None
) -> SolutionActions:
    editable = can_edit(access, solution, now)
    return SolutionActions(
        edit=editable,
        submit=editable and solution.status != SolutionStatus.SUBMITTED,
        withdraw=editable and solution.status != SolutionStatus.WITHDRAWN,
        upload=editable,
        versions=can_see_versions(access, solution),
        see_confidential=may_see_confidential(access.viewer.user, solution, access),
    )
