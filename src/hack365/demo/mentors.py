"""Demo mentors: three mentor profiles with times over the coming days, teams'
bookings of them and one booking the mentor cancelled with a reason — all
through the mentor services, after the teams part has made the teams."""

from __future__ import annotations

from hack365.teams import mentor_services as services
from hack365.teams.models import Booking, MentorSlot, Team

from .loader import DemoContext, _day

# demo user name -> (skills, organisation slug or None, free-text organisation, languages, bio)
MENTORS = [
    (
        "mentor",
        ["produktutveckling", "tjänstedesign", "öppna data"],
        None,
        "Civic Tech Sverige",
        ["sv", "en", "ar"],
        "Jag har byggt digitala tjänster i civilsamhället i tio år och hjälper gärna team "
        "att **pröva sin idé på riktiga användare** tidigt.",
    ),
    (
        "forskare",
        ["statistik", "R", "folkhälsa", "enkätmetod"],
        None,
        "Umeå universitet",
        ["sv", "en"],
        "Forskare i folkhälsovetenskap. Fråga mig om registerdata, urval och hur man "
        "redovisar små grupper utan att röja någon.",
    ),
    (
        "smhi",
        ["meteorologi", "geodata", "API:er"],
        "smhi",
        "",
        ["sv", "en", "fi"],
        "Jag arbetar med SMHI:s öppna data och kan hjälpa till med väder- och "
        "klimatdata, format och gränssnitt.",
    ),
]

# (day offset, hour, minutes, online?) for every mentor's times
TIMES = [
    (1, 10, 30, True),
    (2, 13, 45, False),
    (3, 9, 30, True),
    (5, 15, 60, True),
    (8, 11, 30, False),
]

TOPICS = [
    "Vi vill veta om vår datamodell håller innan vi bygger vidare.",
    "Hur testar vi prototypen med användare på kort tid?",
    "Vilka öppna datamängder finns om det här, och hur kombinerar vi dem?",
    "Vi behöver hjälp att formulera nyttan för behovsägaren.",
]


def load(ctx: DemoContext) -> None:
    profiles = []
    for username, skills, org_slug, org_name, languages, bio in MENTORS:
        user = ctx.users[username]
        profiles.append(
            services.mentor_profile_upsert(
                user=user,
                skills=skills,
                organization=ctx.organisations.get(org_slug) if org_slug else None,
                organisation_name=org_name,
                languages=languages,
                bio=bio,
            )
        )
    slots: list[MentorSlot] = []
    for n, profile in enumerate(profiles):
        for days, hour, minutes, online in TIMES:
            slots.append(
                services.slot_create(
                    user=profile.user,
                    starts_at=_day(days + n % 2, hour),
                    duration_minutes=minutes,
                    online_url=f"https://meet.demo.hack365.se/{profile.user.username}"
                    if online
                    else "",
                    place="" if online else "Hack365-huset, Drottninggatan 1, Stockholm",
                    note="Ta gärna med en skiss eller en länk till er kod.",
                )
            )

    bookings: list[Booking] = []
    used: set[int] = set()
    teams = list(Team.objects.prefetch_related("memberships__user").order_by("pk"))
    for t, team in enumerate(teams):
        members = [m.user for m in team.memberships.all()]
        if not members:
            continue
        booker = members[0]
        member_ids = {m.pk for m in members}
        # Two bookings for the first teams, one for the rest, at different times.
        wanted = 2 if t < 3 else 1
        for slot in slots:
            if wanted == 0:
                break
            if slot.pk in used or slot.mentor.user_id in member_ids:
                continue
            if any(b.team_id == team.pk and b.slot.starts_at == slot.starts_at for b in bookings):
                continue
            bookings.append(
                services.booking_create(
                    user=booker, slot=slot, team=team, topic=TOPICS[len(bookings) % len(TOPICS)]
                )
            )
            used.add(slot.pk)
            wanted -= 1

    cancelled = 0
    if bookings:
        first = bookings[0]
        services.booking_cancel(
            user=first.slot.mentor.user,
            booking=first,
            reason="Jag har blivit sjuk och kan tyvärr inte. Boka gärna en annan av mina tider!",
        )
        cancelled = 1

    ctx.result.counts["mentors"] = len(profiles)
    ctx.result.counts["mentor times"] = len(slots)
    ctx.result.counts["mentor bookings"] = len(bookings) - cancelled
    ctx.result.counts["cancelled mentor bookings"] = cancelled
