"""Who may see and record a solution's realization: pure rules shared by
services, selectors, views and templates.

The realization of a submitted solution is public wherever the solution is;
a need owner of the solution's challenge (its owner organisation or a
co-owner) and the organizers record the decision and the milestones."""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext_lazy

from hack365.challenges import rules as challenge_rules
from hack365.challenges.models import PUBLIC_STATUSES
from hack365.submissions.models import Solution, SolutionStatus

from .models import Decision

# The decisions' names as the pages show them (in a context of their own: a
# "Declined" join request elsewhere is "Avböjd", a declined solution "Avböjs").
DECISION_LABELS: dict[str, Any] = {
    Decision.ADOPT: pgettext_lazy("realization decision", "Adopted"),
    Decision.PILOT: pgettext_lazy("realization decision", "Pilot"),
    Decision.PROCUREMENT: pgettext_lazy("realization decision", "Innovation procurement"),
    Decision.FURTHER_DEVELOPMENT: pgettext_lazy("realization decision", "Further development"),
    Decision.DECLINE: pgettext_lazy("realization decision", "Declined"),
}


def decision_label(decision: str) -> str:
    return str(DECISION_LABELS.get(decision, decision))


def decision_choices() -> list[tuple[str, Any]]:
    return [(value, DECISION_LABELS[value]) for value in Decision.values]


def can_manage(viewer: challenge_rules.Viewer, solution: Solution) -> bool:
    """``viewer`` may record the decision and milestones of ``solution``
    (whatever its state: the services refuse a solution not submitted)."""
    return viewer.organizer or challenge_rules.is_challenge_need_owner(viewer, solution.challenge)


def is_public(solution: Solution) -> bool:
    """Submitted, on a challenge the public may see."""
    return (
        solution.status == SolutionStatus.SUBMITTED and solution.challenge.status in PUBLIC_STATUSES
    )


def can_view(viewer: challenge_rules.Viewer, solution: Solution) -> bool:
    """Only submitted solutions have a realization; one on a challenge that is
    not public (any more) is seen by its need owners and the organizers."""
    if solution.status != SolutionStatus.SUBMITTED:
        return False
    return is_public(solution) or can_manage(viewer, solution)
