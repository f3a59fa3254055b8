"""Ten members of ten teams book the same time at the same moment: exactly one
booking, nine clear refusals (PostgreSQL: the row lock and the partial unique
index; SQLite serialises writers and has no row locks to test)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from hack365.core.errors import ApplicationError
from hack365.teams import mentor_services as services
from hack365.teams.models import Booking, BookingStatus, MentorSlot, Team
from tests.accounts.factories import UserFactory
from tests.conftest import need_postgresql

from .mentor_factories import MentorSlotFactory, make_team

THREADS = 10


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_bookings_of_one_slot_end_with_one() -> None:
    need_postgresql(
        "concurrent bookings need PostgreSQL's row locks (set DATABASE_URL=postgres://...)",
    )
    slot = MentorSlotFactory()
    members = [UserFactory(username=f"booker{n}") for n in range(THREADS)]
    teams = [make_team(user) for user in members]
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def book(n: int) -> None:
        try:
            user = type(members[n]).objects.get(pk=members[n].pk)
            team = Team.objects.get(pk=teams[n].pk)
            the_slot = MentorSlot.objects.get(pk=slot.pk)
            barrier.wait(timeout=10)
            try:
                services.booking_create(user=user, slot=the_slot, team=team)
                outcome = "booked"
            except ApplicationError as error:
                outcome = f"refused:{error.code}"
            except Exception as error:  # noqa: BLE001 - recorded, and the test fails
                outcome = f"error:{type(error).__name__}:{error}"
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["booked"] + ["refused:booked"] * (THREADS - 1), results
    assert Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 1
    assert Booking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_overlapping_times_by_one_team_end_with_one() -> None:
    """Members of one team book overlapping times of different mentors at the
    same moment: the team row lock lets one through."""
    need_postgresql(
        "concurrent bookings need PostgreSQL's row locks (set DATABASE_URL=postgres://...)",
    )
    members = [UserFactory(username=f"member{n}") for n in range(5)]
    team = make_team(*members)
    start = MentorSlotFactory().starts_at
    slots = [MentorSlotFactory(starts_at=start, duration_minutes=60) for _ in members]
    barrier = threading.Barrier(len(members))
    results: list[str] = []
    lock = threading.Lock()

    def book(n: int) -> None:
        try:
            user = type(members[n]).objects.get(pk=members[n].pk)
            the_team = Team.objects.get(pk=team.pk)
            the_slot = MentorSlot.objects.get(pk=slots[n].pk)
            barrier.wait(timeout=10)
            try:
                services.booking_create(user=user, slot=the_slot, team=the_team)
                outcome = "booked"
            except ApplicationError as error:
                outcome = f"refused:{error.code}"
            except Exception as error:  # noqa: BLE001 - recorded, and the test fails
                outcome = f"error:{type(error).__name__}:{error}"
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(len(members))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["booked"] + ["refused:team_overlap"] * (len(members) - 1), results
    assert Booking.objects.filter(team=team, status=BookingStatus.BOOKED).count() == 1
