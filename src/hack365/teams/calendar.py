"""One person's mentor bookings as an iCalendar feed (RFC 5545), built with
the ``icalendar`` package: an event per booking, times in UTC, cancelled
bookings kept with STATUS:CANCELLED so calendar programs remove them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Booking, BookingStatus

PRODID = "-//hack365//mentor bookings//SV"


def booking_uid(booking: Booking) -> str:
    return f"booking-{booking.pk}@hack365"


def booking_event(booking: Booking, user: Any) -> Event:
    slot = booking.slot
    start = slot.starts_at.astimezone(UTC)
    mentor = slot.mentor.user.display_name
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("last-modified", booking.updated_at.astimezone(UTC))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=slot.duration_minutes))
    if slot.mentor.user_id == user.pk:
        summary = _("Mentoring: %(team)s") % {"team": booking.team.name}
    else:
        summary = _("Mentor meeting with %(mentor)s") % {"mentor": mentor}
    event.add("summary", summary)
    description = [
        _("Team: %(team)s") % {"team": booking.team.name},
        _("Mentor: %(mentor)s") % {"mentor": mentor},
    ]
    if booking.topic:
        description.append(booking.topic)
    if slot.note:
        description.append(slot.note)
    if booking.status != BookingStatus.BOOKED and booking.cancel_reason:
        description.append(
            _("Reason for cancelling: %(reason)s") % {"reason": booking.cancel_reason}
        )
    event.add("description", "\n\n".join(description))
    if slot.place:
        event.add("location", slot.place)
    elif slot.online_url:
        event.add("location", slot.online_url)
    if slot.online_url:
        event.add("url", slot.online_url)
    if booking.status == BookingStatus.BOOKED:
        event.add("status", "CONFIRMED")
    else:
        event.add("status", "CANCELLED")
    # A new sequence number whenever the booking changes (a cancellation).
    event.add("sequence", 0 if booking.status == BookingStatus.BOOKED else 1)
    return event


def bookings_calendar(bookings: Iterable[Booking], user: Any) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("hack365: mentor bookings"))
    for booking in bookings:
        cal.add_component(booking_event(booking, user))
    return bytes(cal.to_ical())
