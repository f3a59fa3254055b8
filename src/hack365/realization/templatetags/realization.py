"""Template tags for the realization status on other pages:

    {% load realization %}
    {% realization_status solution %}           the solution page
    {% challenge_realizations challenge %}      the challenge page
    {% organisation_realizations organization %} the organisation page

and the filters ``decision_label`` (a decision's name) and ``decision_class``
(its status colour)."""

from __future__ import annotations

from typing import Any

from django import template

from hack365.challenges import rules as challenge_rules
from hack365.realization import rules, selectors
from hack365.realization.models import Decision, Realization

register = template.Library()

DECISION_CLASSES: dict[str, str] = {
    Decision.ADOPT: "published",
    Decision.PILOT: "hacking",
    Decision.PROCUREMENT: "results",
    Decision.FURTHER_DEVELOPMENT: "in_review",
    Decision.DECLINE: "archived",
}


@register.filter
def decision_class(realization: Realization | str | None) -> str:
    """``status-<this>``: the colour of a decision (words are shown too)."""
    if not realization:  # None, or "" from a missing one in a template
        return "draft"
    return DECISION_CLASSES.get(getattr(realization, "decision", ""), "draft")


@register.filter
def decision_label(realization: Realization | str | None) -> str:
    """The name of a realization's decision, in the page's language."""
    if not realization:
        return ""
    return rules.decision_label(getattr(realization, "decision", ""))


@register.inclusion_tag("realization/_solution_status.html", takes_context=True)
def realization_status(context: template.Context, solution: Any) -> dict[str, Any]:
    """The decision and latest milestones of a submitted solution, and a link
    to record them for its need owners and the organizers."""
    realization, milestones = selectors.solution_status(solution)
    manage = False
    user = context.get("user")
    if solution.status == "submitted" and getattr(user, "is_authenticated", False):
        access = context.get("access")
        viewer = getattr(access, "viewer", None) or challenge_rules.viewer_for(user)
        manage = rules.can_manage(viewer, solution)
    return {
        "solution": solution,
        "realization": realization,
        "milestones": milestones[:3],
        "more_milestones": max(len(milestones) - 3, 0),
        "manage": manage,
        "submitted": solution.status == "submitted",
    }


@register.inclusion_tag("realization/_challenge_realizations.html")
def challenge_realizations(challenge: Any) -> dict[str, Any]:
    """The need owner's decisions on the challenge's solutions."""
    return {"challenge": challenge, "realizations": selectors.challenge_realizations(challenge)}


@register.inclusion_tag("realization/_organisation_realizations.html")
def organisation_realizations(organization: Any) -> dict[str, Any]:
    """Solutions to the organisation's challenges that are being realized."""
    return {
        "organization": organization,
        "realizations": selectors.organisation_realizations(organization),
    }
