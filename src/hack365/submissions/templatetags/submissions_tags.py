"""Template tags for the solution parts of other pages: the team page, the
challenge page, the dataset page and the organisation page."""

from __future__ import annotations

from typing import Any

from django import template

from hack365.catalog import selectors as catalog_selectors
from hack365.submissions import rules, selectors
from hack365.submissions.models import Solution, SolutionStatus

register = template.Library()

STATUS_CLASSES: dict[str, str] = {
    SolutionStatus.DRAFT: "draft",
    SolutionStatus.SUBMITTED: "published",
    SolutionStatus.WITHDRAWN: "archived",
}


@register.filter
def solution_status_class(solution: Solution) -> str:
    return STATUS_CLASSES.get(solution.status, "draft")


@register.simple_tag(takes_context=True)
def team_solution(context: dict[str, Any], team: Any) -> dict[str, Any]:
    """The team's solution and what the viewer may see of it:
    ``{"solution", "member", "visible", "can_start"}``."""
    user = context.get("user")
    member = rules.is_team_member(user, team)
    solution = selectors.team_solution(team)
    visible = solution is not None and (
        member or rules.can_view(rules.access_for(user, solution), solution)
    )
    can_start = (
        solution is None
        and member
        and team.challenge_id is not None
        and team.challenge.status == "published"
    )
    return {"solution": solution if visible else None, "member": member, "can_start": can_start}


@register.simple_tag
def challenge_solutions(challenge: Any) -> list[Solution]:
    return selectors.challenge_solutions(challenge)


@register.simple_tag
def dataset_reuse(dataset: Any) -> catalog_selectors.ReusingSolutions:
    return catalog_selectors.solutions_reusing(dataset)


@register.simple_tag
def organization_reuse(organization: Any) -> catalog_selectors.OrganizationReuse:
    return catalog_selectors.organization_reuse(organization)
