"""Template helpers for teams: names without e-mail addresses, the teams of
a challenge (for its page), paging one of several lists on a page."""

from __future__ import annotations

from typing import Any

from django import template

from .. import rules, selectors

register = template.Library()


@register.simple_tag(name="public_name")
def public_name_tag(user: Any) -> str:
    return rules.public_name(user)


@register.filter(name="posting_skills")
def posting_skills(postings: Any) -> list[str]:
    """The skills of several postings, each once (first spelling kept)."""
    seen: set[str] = set()
    skills: list[str] = []
    for posting in postings or ():
        for skill in posting.skills or ():
            key = str(skill).casefold()
            if key not in seen:
                seen.add(key)
                skills.append(str(skill))
    return skills


@register.simple_tag(takes_context=True)
def team_query_replace(context: dict[str, Any], param: str, value: Any) -> str:
    """The current query string with ``param`` set to ``value`` (for paging
    one of two lists) and the htmx-free page otherwise unchanged."""
    request = context["request"]
    query = request.GET.copy()
    query[param] = value
    return f"?{query.urlencode()}"


@register.inclusion_tag("teams/_challenge_teams_list.html", takes_context=True)
def challenge_teams(context: dict[str, Any], challenge: Any) -> dict[str, Any]:
    """The teams of ``challenge`` and the viewer's own (two or three queries)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "challenge": challenge,
        "teams": selectors.challenge_teams(challenge),
        "my_team": selectors.user_team_for(user, challenge),
        "user": user,
        "request": request,
        "can_form": challenge.status == "published",
    }
