"""Demo teams: teams on the open demo challenges with leads and members,
open role postings, a pending invitation and join request, and people
looking for a team. Made through the teams services, as people would."""

from __future__ import annotations

from typing import Any

from hack365.accounts.services import profile_update
from hack365.teams import services
from hack365.teams.models import Team

from .loader import DemoContext

# Skills of the participants in the demo teams (shown on the matchmaking page).
SKILLS = {
    "nora": ["UX-design", "Figma", "tillgänglighet"],
    "ahmed": ["JavaScript", "kartor", "Leaflet"],
    "linnea": ["projektledning", "civilsamhälle", "kommunikation"],
    "johan": ["GIS", "statistik", "Python"],
    "sofia": ["offentlig förvaltning", "juridik", "dataskydd"],
    "kim": ["maskininlärning", "Python", "visualisering"],
}

# key, challenge key, team name, lead, description, members joining through an
# accepted invitation, members joining through an approved join request,
# role postings (title, skills, description)
TEAMS: list[
    tuple[str, str, str, str, str, list[str], list[str], list[tuple[str, list[str], str]]]
] = [
    (
        "trangselkollen",
        "kollektivtrafik-trangsel",
        "Trängselkollen",
        "deltagare",
        "Vi bygger en app som visar hur fulla bussarna brukar vara, timme för timme, "
        "med GTFS-data och öppna resandeuppgifter.",
        ["utvecklare"],
        ["nora"],
        [("UX-designer", ["Figma", "användartester"], "Någon som vill testa appen med resenärer.")],
    ),
    (
        "bussradarn",
        "kollektivtrafik-trangsel",
        "Bussradarn",
        "ahmed",
        "En karta i realtid över förseningar och trängsel, byggd för skärmar på hållplatser.",
        [],
        [],
        [("Dataanalytiker", ["Python", "statistik"], "Hjälp oss att förutsäga trängsel.")],
    ),
    (
        "halkfri-vag",
        "vintervaglag-norr",
        "Halkfri väg",
        "forskare",
        "Prognoser för halka på vägar i Norrland, från SMHI:s väderdata och Trafikverkets "
        "vägväderstationer.",
        ["deltagare"],
        [],
        [("Geodataexpert", ["GIS", "rasterdata"], "")],
    ),
    (
        "snorojarna",
        "vintervaglag-norr",
        "Snöröjarna",
        "linnea",
        "Vi vill göra det lättare för kommuner att planera snöröjningen.",
        [],
        ["johan"],
        [],
    ),
    (
        "skyfallsgruppen",
        "klimatanpassning-skyfall",
        "Skyfallsgruppen",
        "utvecklare",
        "Kartor över var vatten samlas vid skyfall, så att fastighetsägare kan skydda sig.",
        ["sofia"],
        [],
        [("Hydrolog", ["hydrologi", "modellering"], "Någon som kan avrinning.")],
    ),
    (
        "regnkartan",
        "klimatanpassning-skyfall",
        "Regnkartan",
        "nora",
        "En enkel tjänst där invånare rapporterar översvämningar och ser riskområden.",
        [],
        [],
        [("Backend-utvecklare", ["Django", "PostgreSQL"], "")],
    ),
    (
        "trygg-skolvag",
        "skolvag-trygghet",
        "Trygg skolväg",
        "ahmed",
        "Vi kartlägger skolvägar och farliga korsningar tillsammans med elever och föräldrar.",
        ["linnea"],
        [],
        [("Tjänstedesigner", ["tjänstedesign", "workshoppar"], "")],
    ),
    (
        "renbete-och-vind",
        "renskotsel-och-vindkraft",
        "Renbete och vind",
        "johan",
        "Ett verktyg som visar betesområden, flyttleder och planerade vindkraftsparker "
        "i samma karta.",
        [],
        ["sofia"],
        [("Domänexpert inom rennäring", ["rennäring", "samiska förhållanden"], "")],
    ),
]

# Pending, left for the demo's visitors to see: (team key, invitee)
PENDING_INVITATIONS = [
    ("skyfallsgruppen", "forskare"),
    ("regnkartan", "ny.deltagare@demo.hack365.se"),
]
# (team key, asker, message)
PENDING_JOIN_REQUESTS = [
    ("bussradarn", "kim", "Jag kan maskininlärning och vill gärna hjälpa till med prognoserna."),
    ("renbete-och-vind", "deltagare", "Jag har byggt kartor med Leaflet förut."),
]
# (user, challenge key or None, note)
SEEKERS = [
    ("kim", None, "Jag söker ett team som vill använda maskininlärning på öppna data."),
    ("mentor", "skolvag-trygghet", "Jag är tjänstedesigner och vill vara med från början."),
    ("forskare", "kollektivtrafik-trangsel", "Statistiker, gärna med folkhälsofokus."),
    ("jury", None, "Jag kan offentlig upphandling och söker ett team som vill bli upphandlat."),
]


def _set_skills(user: Any, skills: list[str]) -> None:
    profile = user.profile
    profile_update(
        user=user,
        display_name=profile.display_name,
        bio=profile.bio,
        skills=skills,
        sector=profile.sector,
        county=profile.county,
        languages=list(profile.languages or []),
    )


def load(ctx: DemoContext) -> None:
    users = ctx.users
    for username, skills in SKILLS.items():
        if username in users:
            _set_skills(users[username], skills)

    teams: dict[str, Team] = {}
    members = postings = 0
    for key, challenge_key, name, lead, description, invited, asking, roles in TEAMS:
        lead_user = users[lead]
        team = services.team_create(
            user=lead_user,
            name=name,
            challenge=ctx.challenges[challenge_key],
            description=description,
        )
        teams[key] = team
        members += 1
        for username in invited:
            invitation = services.invitation_create(
                user=lead_user, team=team, invitee=users[username].email, notify=False
            )
            services.invitation_accept(user=users[username], invitation=invitation)
            members += 1
        for username in asking:
            join_request = services.join_request_create(
                user=users[username], team=team, message="Får jag vara med?"
            )
            services.join_request_approve(user=lead_user, join_request=join_request)
            members += 1
        for title, skills, posting_description in roles:
            services.posting_create(
                user=lead_user,
                team=team,
                title=title,
                skills=skills,
                description=posting_description,
            )
            postings += 1

    lead_of = {row[0]: users[row[3]] for row in TEAMS}
    for team_key, invitee in PENDING_INVITATIONS:
        target = users[invitee].username if invitee in users else invitee
        services.invitation_create(
            user=lead_of[team_key],
            team=teams[team_key],
            invitee=target,
            message="Vi behöver någon med din bakgrund!",
            notify=False,
        )
    for team_key, asker, message in PENDING_JOIN_REQUESTS:
        services.join_request_create(user=users[asker], team=teams[team_key], message=message)
    for username, sought, note in SEEKERS:
        services.seeker_upsert(
            user=users[username],
            challenge=ctx.challenges[sought] if sought else None,
            note=note,
        )

    counts = ctx.result.counts
    counts["teams"] = len(teams)
    counts["team members"] = members
    counts["role postings"] = postings
    counts["pending team invitations"] = len(PENDING_INVITATIONS)
    counts["pending join requests"] = len(PENDING_JOIN_REQUESTS)
    counts["people looking for a team"] = len(SEEKERS)
