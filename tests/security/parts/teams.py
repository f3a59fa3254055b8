"""Permission matrix rows and URL samples for the teams pages (see __init__.py).

The samples: team A (``mine``) on the published sample challenge, led by
``part`` (the participant), with one more member outside the roles; team B
(``theirs``) on the same challenge, led by someone outside the roles; a
team on the draft challenge (``hidden``). Teams are public; invitations and
join requests only for the team's members and the person they concern.

As ``part`` is already in team A, the rule "one team per person per
challenge" refuses them a second team, a join request to team B and
accepting team B's invitation (302/200 without a star: the request was let
through and refused by the service)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.security.world import World

MATRIX_TEXT = """
# pattern[on]                         method anon   part   own    other  pub    org
# teams: public pages
teams:matchmaking                     GET    200    200    200    200    200    200
teams:matchmaking                     POST   405    405    405    405    405    405
teams:detail[mine]                    GET    200    200    200    200    200    200
teams:detail[theirs]                  GET    200    200    200    200    200    200
teams:detail[hidden]                  GET    404    404    200    404    404    200
teams:detail[mine]                    POST   405    405    405    405    405    405

# my teams, creating a team, looking for one
teams:mine                            GET    login  200    200    200    200    200
teams:mine                            POST   login  405    405    405    405    405
teams:create                          GET    login  200    200    200    200    200
teams:create                          POST   login  200    302*   302*   302*   302*
teams:seeker                          GET    login  200    200    200    200    200
teams:seeker                          POST   login  200    302*   302*   302*   302*
teams:seeker_withdraw                 GET    login  405    405    405    405    405
teams:seeker_withdraw                 POST   login  302*   404    404    404    404

# the lead manages team A
teams:edit[mine]                      GET    login  200    403    403    403    403
teams:edit[mine]                      POST   login  302*   403    403    403    403
teams:edit[hidden]                    GET    login  404    403    404    404    403
teams:invite[mine]                    GET    login  405    405    405    405    405
teams:invite[mine]                    POST   login  302*   403    403    403    403
teams:invitation_revoke[mine]         GET    login  405    405    405    405    405
teams:invitation_revoke[mine]         POST   login  302*   403    403    403    403
teams:transfer_lead[mine]             GET    login  405    405    405    405    405
teams:transfer_lead[mine]             POST   login  302*   403    403    403    403
teams:member_remove[mine]             GET    login  405    405    405    405    405
teams:member_remove[mine]             POST   login  302*   403    403    403    403
teams:leave[mine]                     GET    login  405    405    405    405    405
teams:leave[mine]                     POST   login  302    403    403    403    403

# role postings (members)
teams:posting_create[mine]            GET    login  405    405    405    405    405
teams:posting_create[mine]            POST   login  302*   403    403    403    403
teams:posting_close[mine]             GET    login  405    405    405    405    405
teams:posting_close[mine]             POST   login  302*   403    403    403    403

# join requests: asking (anyone not in a team for the challenge), answering (members)
teams:join[theirs]                    GET    login  405    405    405    405    405
teams:join[theirs]                    POST   login  302    302*   302*   302*   302*
teams:join[mine]                      POST   login  302    302*   302*   302*   302*
teams:join[hidden]                    POST   login  404    302    404    404    302
teams:join_request_approve[mine]      GET    login  405    405    405    405    405
teams:join_request_approve[mine]      POST   login  302*   404    404    404    404
teams:join_request_reject[mine]       GET    login  405    405    405    405    405
teams:join_request_reject[mine]       POST   login  302*   404    404    404    404
teams:join_request_withdraw[theirs]   GET    login  405    405    405    405    405
teams:join_request_withdraw[theirs]   POST   login  302*   404    404    404    404

# an invitation (from team B to the participant): the invited account only
teams:invitation                      GET    login  200    404    404    404    404
teams:invitation                      POST   login  405    405    405    405    405
teams:invitation_accept               GET    login  405    405    405    405    405
teams:invitation_accept               POST   login  302    404    404    404    404
teams:invitation_decline              GET    login  405    405    405    405    405
teams:invitation_decline              POST   login  302*   404    404    404    404
"""


def _parts(world: World) -> dict[str, Any]:
    return world.parts["teams"]


def _team(default: str) -> Callable[[World, str | None], dict[str, str]]:
    def sample(world: World, variant: str | None) -> dict[str, str]:
        from tests.security.world import _pick

        return {"pk": str(_pick(_parts(world)["teams"], variant, default).pk)}

    return sample


def _with(
    key: str, kwarg: str, team: str = "mine"
) -> Callable[[World, str | None], dict[str, str]]:
    def sample(world: World, variant: str | None) -> dict[str, str]:
        parts = _parts(world)
        return {"pk": str(parts[team].pk), kwarg: str(parts[key].pk)}

    return sample


POST_DATA: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "teams:create": lambda w, u: {
        "name": "Prov: nytt lag",
        "challenge": w.challenge("published").slug,
        "event": "",
        "description": "",
        "looking_for_members": "on",
    },
    "teams:edit": lambda w, u: {
        "name": "Prov: lag A (nytt namn)",
        "description": "Vi bygger en karttjänst.",
        "looking_for_members": "on",
    },
    "teams:seeker": lambda w, u: {
        "challenge": w.challenge("published").slug,
        "event": "",
        "note": "Jag kan Python.",
    },
    "teams:invite": lambda w, u: {"invitee": "ny.medlem@example.se", "message": "Välkommen!"},
    "teams:transfer_lead": lambda w, u: {"member": str(_parts(w)["teammate_membership"].pk)},
    "teams:posting_create": lambda w, u: {
        "title": "Designer",
        "skills": "Figma, tjänstedesign",
        "description": "",
    },
    "teams:join": lambda w, u: {"message": "Jag kan statistik."},
}

SAMPLES: dict[str, Callable[[World, str | None], dict[str, str]]] = {
    "teams:detail": _team("mine"),
    "teams:edit": _team("mine"),
    "teams:invite": _team("mine"),
    "teams:leave": _team("mine"),
    "teams:transfer_lead": _team("mine"),
    "teams:posting_create": _team("mine"),
    "teams:join": _team("theirs"),
    "teams:invitation_revoke": _with("invitation_from_mine", "invitation_pk"),
    "teams:member_remove": _with("teammate_membership", "membership_pk"),
    "teams:posting_close": _with("posting", "posting_pk"),
    "teams:join_request_approve": _with("request_to_mine", "request_pk"),
    "teams:join_request_reject": _with("request_to_mine", "request_pk"),
    "teams:join_request_withdraw": _with("request_from_participant", "request_pk", "theirs"),
    "teams:seeker_withdraw": lambda w, v: {"seeker_pk": str(_parts(w)["seeker"].pk)},
    "teams:invitation": lambda w, v: {"token": _parts(w)["invitation_to_participant"].token},
    "teams:invitation_accept": lambda w, v: {"token": _parts(w)["invitation_to_participant"].token},
    "teams:invitation_decline": lambda w, v: {
        "token": _parts(w)["invitation_to_participant"].token
    },
}


def add_samples(world: World) -> None:
    from hack365.teams.models import (
        Invitation,
        JoinRequest,
        RolePosting,
        Team,
        TeamMembership,
        TeamRole,
        TeamSeeker,
    )
    from tests.accounts.factories import UserFactory

    participant = world.users["participant"]
    published = world.challenge("published")
    mine = Team.objects.create(
        name="Prov: lag A", challenge=published, event=published.event, created_by=participant
    )
    TeamMembership.objects.create(team=mine, user=participant, role=TeamRole.LEAD)
    teammate = UserFactory(username="teamprov-kamrat")
    teammate_membership = TeamMembership.objects.create(team=mine, user=teammate)
    other_lead = UserFactory(username="teamprov-b")
    theirs = Team.objects.create(name="Prov: lag B", challenge=published, event=published.event)
    TeamMembership.objects.create(team=theirs, user=other_lead, role=TeamRole.LEAD)
    hidden_lead = UserFactory(username="teamprov-utkast")
    hidden = Team.objects.create(name="Prov: lag på utkast", challenge=world.challenge("draft"))
    TeamMembership.objects.create(team=hidden, user=hidden_lead, role=TeamRole.LEAD)

    def token() -> str:
        return secrets.token_urlsafe(32)

    world.parts["teams"] = {
        "mine": mine,
        "theirs": theirs,
        "teams": {"mine": mine, "theirs": theirs, "hidden": hidden},
        "teammate_membership": teammate_membership,
        "posting": RolePosting.objects.create(team=mine, title="Datavetare", skills=["Python"]),
        "invitation_from_mine": Invitation.objects.create(
            team=mine, invited_by=participant, email="inbjuden@example.se", token=token()
        ),
        "invitation_to_participant": Invitation.objects.create(
            team=theirs, invited_by=other_lead, user=participant, token=token()
        ),
        "request_to_mine": JoinRequest.objects.create(
            team=mine, user=UserFactory(username="teamprov-fragar"), message="Hej!"
        ),
        "request_from_participant": JoinRequest.objects.create(team=theirs, user=participant),
        "seeker": TeamSeeker.objects.create(user=participant, note="Söker ett lag i allmänhet."),
    }
