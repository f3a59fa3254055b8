"""Template helpers for the results, feedback and awards pages, and two tags
for the solution page: ``{% solution_awards solution %}`` (its published
awards) and ``{% solution_feedback solution %}`` (links to the jury's
released feedback, for the team's members only)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats

from hack365.submissions.models import Solution

register = template.Library()


@register.filter(name="signed2")
def signed2(value: float | None) -> str:
    """+1,21 / −0,50 / 0,00 (two decimals, in the reader's language)."""
    if value is None:
        return ""
    rounded = round(float(value), 2)
    if rounded == 0:
        return formats.number_format(0, decimal_pos=2)
    text = formats.number_format(abs(rounded), decimal_pos=2)
    return ("+" if rounded > 0 else "\u2212") + text


@register.filter(name="percent1")
def percent1(value: float | None) -> str:
    """A 0–1 value on 0–100 with one decimal (75,0)."""
    if value is None:
        return ""
    return str(formats.number_format(round(float(value) * 100, 1), decimal_pos=1))


@register.filter(name="decimal1")
def decimal1(value: float | None) -> str:
    if value is None:
        return ""
    return str(formats.number_format(round(float(value), 1), decimal_pos=1))


@register.inclusion_tag("judging/award_solution_awards.html")
def solution_awards(solution: Solution) -> dict[str, Any]:
    """The solution's awards in published categories (nothing if none)."""
    from hack365.judging.award_selectors import solution_published_awards

    return {"awards": solution_published_awards(solution), "solution": solution}


@register.inclusion_tag("judging/feedback_links.html", takes_context=True)
def solution_feedback(context: Any, solution: Solution) -> dict[str, Any]:
    """For the members of the solution's team: links to the jury's feedback
    of every round in which it has been released (nothing for anyone else)."""
    from hack365.judging.award_selectors import team_feedback_entries
    from hack365.submissions.rules import is_team_member

    user = context.get("user")
    if user is None and context.get("request") is not None:
        user = context["request"].user
    if not is_team_member(user, solution.team_id):
        return {"entries": []}
    return {"entries": team_feedback_entries(solution)}
