"""Reads for mentors: the mentor list with filters, one mentor, free times,
bookings of a team, the teams a mentor meets and a person's calendar.

Bookings are not public: only the team's members, the booked mentor and
organizers see them. ``access_*`` raise ``Http404`` for what the user may
not see, so that its existence is not revealed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from hack365.core.permissions import is_authenticated, is_organizer

from .models import Booking, BookingStatus, CalendarFeed, MentorProfile, MentorSlot, Team

NEXT_SLOTS_SHOWN = 3
FREE_SLOTS_SHOWN = 50
FEED_PAST_DAYS = 90
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


@dataclass(frozen=True)
class MentorFilters:
    q: str = ""
    skill: str = ""
    language: str = ""
    organisation: str = ""

    def __bool__(self) -> bool:
        return bool(self.q or self.skill or self.language or self.organisation)


def _active_booking() -> Exists:
    return Exists(Booking.objects.filter(slot=OuterRef("pk"), status=BookingStatus.BOOKED))


def free_slots_queryset() -> QuerySet[MentorSlot]:
    """Times not withdrawn, still ahead, without an active booking."""
    return (
        MentorSlot.objects.filter(is_withdrawn=False, starts_at__gt=timezone.now())
        .exclude(_active_booking())
        .order_by("starts_at", "pk")
    )


def mentor_list(filters: MentorFilters | None = None) -> QuerySet[MentorProfile]:
    """Active mentors with their next free times (``next_free_slots``) in a
    constant number of queries."""
    filters = filters or MentorFilters()
    qs = MentorProfile.objects.filter(is_active=True, user__is_active=True).select_related(
        "user__profile", "organization"
    )
    if filters.skill:
        qs = qs.filter(skills__icontains=filters.skill)
    if filters.language:
        # Codes come from a fixed list; quoted, "se" does not match "sv" or "sem".
        qs = qs.filter(languages__icontains=f'"{filters.language}"')
    if filters.organisation:
        qs = qs.filter(
            Q(organization__search_text__icontains=filters.organisation.casefold())
            | Q(organization__name__icontains=filters.organisation)
            | Q(organisation_name__icontains=filters.organisation)
        )
    for word in filters.q.split()[:8]:
        qs = qs.filter(
            Q(user__profile__display_name__icontains=word)
            | Q(bio__icontains=word)
            | Q(skills__icontains=word)
            | Q(organization__name__icontains=word)
            | Q(organisation_name__icontains=word)
        )
    return qs.prefetch_related(
        Prefetch(
            "slots",
            queryset=free_slots_queryset()[:NEXT_SLOTS_SHOWN],
            to_attr="next_free_slots",
        )
    ).order_by("user__profile__display_name", "pk")


def access_mentor(user: Any, pk: int) -> MentorProfile:
    """An active mentor's profile; an inactive one only for its owner and organizers."""
    profile = (
        MentorProfile.objects.select_related("user__profile", "organization")
        .filter(pk=pk, user__is_active=True)
        .first()
    )
    if profile is None:
        raise Http404
    if not profile.is_active and not (
        (is_authenticated(user) and profile.user_id == user.pk) or is_organizer(user)
    ):
        raise Http404
    return profile


def mentor_profile_of(user: Any) -> MentorProfile | None:
    if not is_authenticated(user):
        return None
    return MentorProfile.objects.filter(user=user).select_related("organization").first()


def free_slots(mentor: MentorProfile) -> list[MentorSlot]:
    return list(free_slots_queryset().filter(mentor=mentor)[:FREE_SLOTS_SHOWN])


def mentor_slots(mentor: MentorProfile) -> list[MentorSlot]:
    """The mentor's own coming times (withdrawn ones left out), each with
    ``active_bookings`` (zero or one booking, its team)."""
    return list(
        MentorSlot.objects.filter(
            mentor=mentor,
            is_withdrawn=False,
            starts_at__gt=timezone.now() - timedelta(hours=8),
        )
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status=BookingStatus.BOOKED).select_related("team"),
                to_attr="active_bookings",
            )
        )
        .order_by("starts_at", "pk")
    )


def user_teams(user: Any) -> QuerySet[Team]:
    """The teams the user is a member of (to book for)."""
    if not is_authenticated(user):
        return Team.objects.none()
    return Team.objects.filter(memberships__user=user).order_by("name", "pk").distinct()


def _bookings() -> QuerySet[Booking]:
    return Booking.objects.select_related(
        "slot__mentor__user__profile",
        "slot__mentor__organization",
        "team",
        "booked_by__profile",
        "cancelled_by__profile",
    )


def team_bookings(user: Any, team: Team) -> list[Booking]:
    """A team's bookings, for its members and organizers; the booked mentor
    sees their own bookings with the team; anyone else nothing."""
    if not is_authenticated(user):
        return []
    qs = _bookings().filter(team=team).order_by("slot__starts_at", "pk")
    if is_organizer(user) or team.memberships.filter(user=user).exists():
        return list(qs)
    return list(qs.filter(slot__mentor__user=user))


def can_see_booking(user: Any, booking: Booking) -> bool:
    if not is_authenticated(user):
        return False
    return (
        is_organizer(user)
        or booking.slot.mentor.user_id == user.pk
        or booking.team.memberships.filter(user=user).exists()
    )


def access_booking(user: Any, pk: int) -> Booking:
    booking = _bookings().filter(pk=pk).first()
    if booking is None or not can_see_booking(user, booking):
        raise Http404
    return booking


def access_own_slot(user: Any, pk: int) -> MentorSlot:
    """One of the user's own times; 404 for anyone else's."""
    if not is_authenticated(user):
        raise Http404
    slot = MentorSlot.objects.select_related("mentor").filter(pk=pk, mentor__user=user).first()
    if slot is None:
        raise Http404
    return slot


def access_bookable_slot(pk: int) -> MentorSlot:
    """A slot shown on a mentor's public page (not withdrawn, an active mentor);
    whether it can still be booked is the service's question."""
    slot = (
        MentorSlot.objects.select_related("mentor__user")
        .filter(pk=pk, is_withdrawn=False, mentor__is_active=True, mentor__user__is_active=True)
        .first()
    )
    if slot is None:
        raise Http404
    return slot


@dataclass
class Mentoring:
    upcoming: list[Booking]
    past: list[Booking]


def my_mentoring(user: Any) -> Mentoring:
    """The teams a mentor meets: active bookings ahead, and past meetings."""
    if not is_authenticated(user):
        return Mentoring([], [])
    now = timezone.now()
    qs = _bookings().filter(slot__mentor__user=user, status=BookingStatus.BOOKED)
    return Mentoring(
        upcoming=list(qs.filter(slot__starts_at__gte=now).order_by("slot__starts_at", "pk")),
        past=list(qs.filter(slot__starts_at__lt=now).order_by("-slot__starts_at", "-pk")[:100]),
    )


def user_bookings(user: Any) -> list[Booking]:
    """The user's bookings as a team member: coming ones and the last 90 days."""
    if not is_authenticated(user):
        return []
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return list(
        _bookings()
        .filter(team__memberships__user=user, slot__starts_at__gte=since)
        .order_by("slot__starts_at", "pk")
        .distinct()
    )


def feed_bookings(user: Any) -> list[Booking]:
    """Every booking of the user as mentor or as team member, from 90 days
    back (cancelled ones included, so calendars can mark them cancelled)."""
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return list(
        _bookings()
        .filter(Q(slot__mentor__user=user) | Q(team__memberships__user=user))
        .filter(slot__starts_at__gte=since)
        .order_by("slot__starts_at", "pk")
        .distinct()[:1000]
    )


def feed_by_token(token: str) -> CalendarFeed | None:
    if not TOKEN_RE.fullmatch(token or ""):
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


def calendar_feed_of(user: Any) -> CalendarFeed | None:
    if not is_authenticated(user):
        return None
    return CalendarFeed.objects.filter(user=user).first()
