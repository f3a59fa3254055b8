"""Template helpers for mentor bookings: the bookings a team page shows (only
to its members, the booked mentor and organizers), and whether the reader
may cancel one."""

from __future__ import annotations

from typing import Any

from django import template

from hack365.core.permissions import is_authenticated, is_organizer

from .. import mentor_selectors as selectors
from ..models import Booking, BookingStatus, Team, TeamMembership

register = template.Library()


@register.simple_tag(takes_context=True)
def team_bookings_for(context: dict[str, Any], team: Team | None) -> dict[str, Any]:
    """``{"visible", "is_member", "bookings"}`` for the reader of the page:
    nothing visible for visitors and for people outside the team."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if team is None or getattr(team, "pk", None) is None or not is_authenticated(user):
        return {"visible": False, "is_member": False, "bookings": []}
    is_member = TeamMembership.objects.filter(team=team, user=user).exists()
    bookings = selectors.team_bookings(user, team)
    visible = is_member or is_organizer(user) or bool(bookings)
    return {"visible": visible, "is_member": is_member, "bookings": bookings}


@register.filter
def language_names(codes: list[str] | None) -> str:
    """Profile language codes as names in the reader's language: "svenska, engelska"."""
    from hack365.accounts.languages import PROFILE_LANGUAGES

    return ", ".join(str(PROFILE_LANGUAGES.get(code, code)) for code in codes or [])


@register.filter
def can_cancel_booking(booking: Booking, user: Any) -> bool:
    """The team's members and the mentor may cancel an active booking."""
    if booking.status != BookingStatus.BOOKED or not is_authenticated(user):
        return False
    if booking.slot.mentor.user_id == user.pk:
        return True
    cache = getattr(booking.team, "_member_ids", None)
    if cache is None:
        cache = set(booking.team.memberships.values_list("user_id", flat=True))
        booking.team._member_ids = cache  # type: ignore[attr-defined]
    return user.pk in cache
