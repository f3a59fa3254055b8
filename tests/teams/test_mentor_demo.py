"""The demo's mentors part: profiles, times, bookings and a cancellation, made
through the services after the teams part (or, until it exists, after a
team made here)."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from hack365.accounts.models import User
from hack365.core.models import AuditLogEntry
from hack365.demo import loader
from hack365.demo import mentors as mentors_demo
from hack365.teams.models import Booking, BookingStatus, MentorProfile, MentorSlot

pytestmark = pytest.mark.django_db


def _teams_by_hand(ctx: loader.DemoContext) -> None:
    from tests.teams.mentor_factories import make_team

    event = next(iter(ctx.events.values()))
    make_team(ctx.users["deltagare"], ctx.users["utvecklare"], name="Datadrakarna", event=event)
    make_team(ctx.users["forskare"], name="Folkhälsoforskarna", event=event)


def _teams_part() -> Any:
    try:
        return importlib.import_module("hack365.demo.teams").load
    except ImportError:
        return _teams_by_hand


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(loader, "DEMO_PARTS", [_teams_part(), mentors_demo.load])
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_mentors_times_bookings_and_a_cancellation(demo: str, client: Any) -> None:
    mentor = User.objects.get(email="mentor@demo.hack365.se")
    assert MentorProfile.objects.filter(is_active=True).count() == 3
    assert MentorProfile.objects.filter(user=mentor).exists()
    assert MentorSlot.objects.count() >= 15
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() >= 1
    cancelled = Booking.objects.get(status=BookingStatus.CANCELLED_BY_MENTOR)
    assert cancelled.cancel_reason and cancelled.cancelled_by == cancelled.slot.mentor.user
    # made through the services: the audit log tells it
    assert AuditLogEntry.objects.filter(action="teams.booking.created").count() == (
        Booking.objects.count()
    )
    assert AuditLogEntry.objects.filter(action="teams.booking.cancelled").count() == 1
    # nobody booked a time of their own team's mentor, and no team overlaps itself
    for booking in Booking.objects.select_related("slot__mentor"):
        assert not booking.team.memberships.filter(user=booking.slot.mentor.user).exists()
    assert "mentor bookings" in demo

    # and its pages answer
    assert client.get(reverse("mentors:list")).status_code == 200
    for profile in MentorProfile.objects.all():
        assert client.get(profile.get_absolute_url()).status_code == 200
    mentor = User.objects.get(email="mentor@demo.hack365.se")
    client.force_login(mentor)
    for name in ("mentors:slots", "mentors:mentoring", "mentors:calendar", "mentors:profile"):
        assert client.get(reverse(name)).status_code == 200, name
