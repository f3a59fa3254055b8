"""The iCal feed: parsed back with icalendar; the token is the only key."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from hack365.teams import mentor_services as services
from hack365.teams.models import BookingStatus, MentorSlot
from tests.accounts.factories import UserFactory

from .mentor_factories import BookingFactory, MentorProfileFactory, MentorSlotFactory, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _swedish() -> Any:
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _feed(client: Any, token: str) -> Calendar:
    response = client.get(reverse("mentors:calendar_feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    return Calendar.from_ical(response.content)


def test_the_feed_lists_bookings_as_member_and_as_mentor(client: Any) -> None:
    user = UserFactory()
    team = make_team(user, name="Kartkollektivet")
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    as_member = BookingFactory(
        team=team,
        slot=MentorSlotFactory(
            starts_at=start, duration_minutes=45, online_url="https://meet.example.se/a"
        ),
    )
    own_mentor = MentorProfileFactory(user=user)
    as_mentor = BookingFactory(
        slot=MentorSlotFactory(mentor=own_mentor, place="Rum 3", online_url=""),
    )
    cancelled = BookingFactory(
        team=team,
        status=BookingStatus.CANCELLED_BY_MENTOR,
        cancel_reason="Sjuk",
        cancelled_at=timezone.now(),
    )
    BookingFactory()  # someone else's
    old = BookingFactory(team=team)
    MentorSlot.objects.filter(pk=old.slot_id).update(starts_at=timezone.now() - timedelta(days=200))
    feed = services.calendar_feed_token(user=user)

    cal = _feed(client, feed.token)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {f"booking-{b.pk}@hack365" for b in (as_member, as_mentor, cancelled)}
    event = events[f"booking-{as_member.pk}@hack365"]
    assert event.decoded("DTSTART") == start.astimezone(UTC)
    assert event.decoded("DTSTART").tzinfo is not None
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert str(event["URL"]) == "https://meet.example.se/a"
    assert str(event["LOCATION"]) == "https://meet.example.se/a"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert as_member.slot.mentor.user.display_name in str(event["SUMMARY"])
    mentoring = events[f"booking-{as_mentor.pk}@hack365"]
    assert as_mentor.team.name in str(mentoring["SUMMARY"])
    assert str(mentoring["LOCATION"]) == "Rum 3" and "URL" not in mentoring
    gone = events[f"booking-{cancelled.pk}@hack365"]
    assert str(gone["STATUS"]) == "CANCELLED" and "Sjuk" in str(gone["DESCRIPTION"])
    assert b"\r\n" in client.get(reverse("mentors:calendar_feed", args=[feed.token])).content


def test_unknown_rotated_and_malformed_tokens_are_404(client: Any) -> None:
    user = UserFactory()
    old = services.calendar_feed_token(user=user).token
    new = services.calendar_feed_token(user=user, rotate=True).token
    assert client.get(reverse("mentors:calendar_feed", args=[old])).status_code == 404
    assert client.get(reverse("mentors:calendar_feed", args=[new])).status_code == 200
    for token in ("x" * 43, "short", "a" * 65, "bad token with spaces and more chars"):
        assert client.get(reverse("mentors:calendar_feed", args=[token])).status_code == 404
    assert client.get("/sv/mentors/calendar/a%00b" + "c" * 30 + ".ics").status_code == 404


def test_an_inactive_users_feed_is_404(client: Any) -> None:
    user = UserFactory()
    token = services.calendar_feed_token(user=user).token
    user.is_active = False
    user.save()
    assert client.get(reverse("mentors:calendar_feed", args=[token])).status_code == 404


def test_an_empty_feed_is_a_valid_calendar(client: Any) -> None:
    feed = services.calendar_feed_token(user=UserFactory())
    cal = _feed(client, feed.token)
    assert str(cal["VERSION"]) == "2.0" and list(cal.walk("VEVENT")) == []
