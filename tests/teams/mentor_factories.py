"""Factories for mentor profiles, slots, bookings and calendar feeds, and a
small team maker for the mentor tests (the teams' own factories live in
factories.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone

from hack365.teams.models import (
    Booking,
    CalendarFeed,
    MentorProfile,
    MentorSlot,
    Team,
    TeamMembership,
    TeamRole,
)
from tests.accounts.factories import UserFactory
from tests.challenges.factories import EventFactory


def make_team(*members: Any, name: str = "", event: Any = None) -> Team:
    """A team for an event; the first member is its lead."""
    team = Team.objects.create(
        name=name or f"Team {secrets.token_hex(3)}", event=event or EventFactory()
    )
    for n, user in enumerate(members):
        TeamMembership.objects.create(
            team=team, user=user, role=TeamRole.LEAD if n == 0 else TeamRole.MEMBER
        )
    return team


class _MentorTestTeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Mentorteam {n}")
    event = factory.SubFactory(EventFactory)


class MentorProfileFactory(factory.django.DjangoModelFactory[MentorProfile]):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory)
    skills = factory.LazyFunction(lambda: ["Python", "Öppna data"])
    languages = factory.LazyFunction(lambda: ["sv", "en"])
    bio = "Jag hjälper team med dataanalys."
    is_active = True


class MentorSlotFactory(factory.django.DjangoModelFactory[MentorSlot]):
    class Meta:
        model = MentorSlot

    mentor = factory.SubFactory(MentorProfileFactory)
    starts_at = factory.Sequence(lambda n: timezone.now() + timedelta(days=1, hours=n))
    duration_minutes = 30
    online_url = "https://meet.example.se/mentor"


class BookingFactory(factory.django.DjangoModelFactory[Booking]):
    class Meta:
        model = Booking

    slot = factory.SubFactory(MentorSlotFactory)
    team = factory.SubFactory(_MentorTestTeamFactory)
    topic = "Hjälp med datamodellen."


class CalendarFeedFactory(factory.django.DjangoModelFactory[CalendarFeed]):
    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
