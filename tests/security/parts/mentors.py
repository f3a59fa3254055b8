"""Permission matrix rows and URL samples for the mentors pages (see __init__.py).

The roles here: ``part`` (the participant) is a member of team A, which has
booked the sample mentor; ``other`` (need owner of another organisation) is
that mentor; team B and a second mentor belong to users outside the roles.
Bookings are not public: only the team's members, the booked mentor and
organizers see one (organizers look, they don't cancel)."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.security.world import World

MATRIX_TEXT = """
# pattern[on]                         method anon   part   own    other  pub    org
# mentors: public pages (an inactive profile only for its owner and organizers)
mentors:list                          GET    200    200    200    200    200    200
mentors:list                          POST   405    405    405    405    405    405
mentors:detail[active]                GET    200    200    200    200    200    200
mentors:detail[inactive]              GET    404    404    404    404    404    200
mentors:detail[active]                POST   405    405    405    405    405    405

# my mentor profile and times (other is the sample mentor)
mentors:profile                       GET    login  200    200    200    200    200
mentors:profile                       POST   login  302*   302*   302*   302*   302*
mentors:slots                         GET    login  302    302    200    302    302
mentors:slots                         POST   login  302    302    302*   302    302
mentors:slot_withdraw[free]           GET    login  405    405    405    405    405
mentors:slot_withdraw[free]           POST   login  404    404    302*   404    404
mentors:slot_withdraw[booked]         POST   login  404    404    302*   404    404
mentors:slot_withdraw[past]           POST   login  404    404    302    404    404
mentors:slot_withdraw[elsewhere]      POST   login  404    404    404    404    404

# booking (members of a team) and cancelling (members and the mentor)
mentors:book[free]                    GET    login  405    405    405    405    405
mentors:book[free]                    POST   login  302*   302    302    302    302
mentors:book[booked]                  POST   login  302    302    302    302    302
mentors:book[past]                    POST   login  302    302    302    302    302
mentors:book[withdrawn]               POST   login  404    404    404    404    404
mentors:booking_cancel[mine]          GET    login  405    405    405    405    405
mentors:booking_cancel[mine]          POST   login  302*   404    302*   404    403
mentors:booking_cancel[theirs]        POST   login  404    404    404    404    403
mentors:booking_cancel[cancelled]     POST   login  302    404    302    404    403

# the teams I meet, my calendar; the feed is opened by its secret address alone
mentors:mentoring                     GET    login  200    200    200    200    200
mentors:mentoring                     POST   login  405    405    405    405    405
mentors:calendar                      GET    login  200    200    200    200    200
mentors:calendar                      POST   login  405    405    405    405    405
mentors:calendar_rotate               GET    login  405    405    405    405    405
mentors:calendar_rotate               POST   login  302*   302*   302*   302*   302*
mentors:calendar_feed[participant]    GET    200    200    200    200    200    200
mentors:calendar_feed[unknown]        GET    404    404    404    404    404    404
mentors:calendar_feed[participant]    POST   405    405    405    405    405    405
"""


def _slot_start(world: World, *, days: int) -> str:
    moment = timezone.localtime(timezone.now() + timedelta(days=days)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    return moment.strftime("%Y-%m-%dT%H:%M")


def _team_a(world: World) -> Any:
    return world.parts["mentors"]["teams"]["a"]


POST_DATA: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "mentors:profile": lambda w, u: {
        "skills": "Öppna data, Tillgänglighet",
        "organization": "",
        "organisation_name": "Provbyrån",
        "languages": ["sv"],
        "bio": "Jag hjälper team att hitta data.",
        "is_active": "on",
    },
    "mentors:slots": lambda w, u: {
        "starts_at": _slot_start(w, days=9),
        "duration_minutes": "30",
        "online_url": "https://meet.example.se/prov",
        "place": "",
        "note": "",
    },
    "mentors:slot_withdraw": lambda w, u: {"reason": "Förhinder."},
    "mentors:book": lambda w, u: {"team": str(_team_a(w).pk), "topic": "Datamodellen."},
    "mentors:booking_cancel": lambda w, u: {"reason": "Vi hann inte."},
    "mentors:calendar_rotate": lambda w, u: {},
}


def _pick(world: World, kind: str, variant: str | None, default: str) -> Any:
    from tests.security.world import _pick as pick

    return pick(world.parts["mentors"][kind], variant, default)


SAMPLES: dict[str, Callable[[World, str | None], dict[str, str]]] = {
    "mentors:detail": lambda w, v: {"pk": str(_pick(w, "mentors", v, "active").pk)},
    "mentors:slot_withdraw": lambda w, v: {"pk": str(_pick(w, "slots", v, "free").pk)},
    "mentors:book": lambda w, v: {"pk": str(_pick(w, "slots", v, "free").pk)},
    "mentors:booking_cancel": lambda w, v: {"pk": str(_pick(w, "bookings", v, "mine").pk)},
    "mentors:calendar_feed": lambda w, v: {"token": _pick(w, "feeds", v, "participant")},
}


def add_samples(world: World) -> None:
    from hack365.teams.models import (
        Booking,
        BookingStatus,
        CalendarFeed,
        MentorProfile,
        MentorSlot,
        TeamMembership,
    )
    from tests.accounts.factories import UserFactory
    from tests.teams.mentor_factories import make_team

    participant = world.users["participant"]
    mentor_user = world.users["need_owner_other"]
    teams_part = world.parts.get("teams", {})
    team_a = teams_part.get("mine") or make_team(participant, name="Prov: lag A")
    assert TeamMembership.objects.filter(team=team_a, user=participant).exists()
    team_b = teams_part.get("theirs") or make_team(
        UserFactory(username="mentorprov-b1"), UserFactory(username="mentorprov-b2"),
        name="Prov: mentorlag B",
    )  # fmt: skip
    for team in (team_a, team_b):
        assert not TeamMembership.objects.filter(team=team, user=mentor_user).exists()
    assert not TeamMembership.objects.filter(team=team_b, user=participant).exists()

    now = timezone.now()
    mentor = MentorProfile.objects.create(
        user=mentor_user, skills=["Geodata", "Python"], languages=["sv", "en"], bio="Prov."
    )
    second = MentorProfile.objects.create(
        user=UserFactory(username="mentorprov-2"), skills=["UX"], languages=["sv"]
    )
    inactive = MentorProfile.objects.create(
        user=UserFactory(username="mentorprov-sover"), skills=["Juridik"], is_active=False
    )

    def slot(profile: Any, days: float, **fields: Any) -> MentorSlot:
        return MentorSlot.objects.create(
            mentor=profile,
            starts_at=now + timedelta(days=days),
            duration_minutes=30,
            online_url="https://meet.example.se/prov",
            **fields,
        )

    slots = {
        "free": slot(mentor, 3),
        "booked": slot(mentor, 4),
        "past": slot(mentor, -2),
        "withdrawn": slot(mentor, 5, is_withdrawn=True),
        "elsewhere": slot(second, 3),
    }
    theirs_slot = slot(second, 4)
    cancelled_slot = slot(mentor, 6)
    bookings = {
        "mine": Booking.objects.create(
            slot=slots["booked"], team=team_a, booked_by=participant, topic="Prov"
        ),
        "theirs": Booking.objects.create(slot=theirs_slot, team=team_b, topic="Hemligt"),
        "cancelled": Booking.objects.create(
            slot=cancelled_slot,
            team=team_a,
            status=BookingStatus.CANCELLED_BY_TEAM,
            cancelled_by=participant,
            cancelled_at=now,
            cancel_reason="Krock.",
        ),
    }
    feed = CalendarFeed.objects.create(user=participant, token=secrets.token_urlsafe(32))
    world.parts["mentors"] = {
        "teams": {"a": team_a, "b": team_b},
        "mentors": {"active": mentor, "second": second, "inactive": inactive},
        "slots": slots,
        "bookings": bookings,
        "feeds": {"participant": feed.token, "unknown": secrets.token_urlsafe(32)},
    }
