from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hack365.teams.models import Invitation, JoinRequest, RequestStatus, Team, TeamRole
from tests.accounts.factories import UserFactory
from tests.challenges.factories import ChallengeFactory, PublishedChallengeFactory

from .factories import (
    InvitationFactory,
    JoinRequestFactory,
    RolePostingFactory,
    TeamFactory,
    TeamMembershipFactory,
    TeamSeekerFactory,
)

pytestmark = pytest.mark.django_db


def client_for(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def lead_of(team: Team) -> Any:
    return team.memberships.get(role=TeamRole.LEAD).user


def test_matchmaking_lists_teams_and_people(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge, name="Datadrivna")
    RolePostingFactory(team=team, title="Designer", skills=["Figma", "tjänstedesign"])
    seeker = TeamSeekerFactory(challenge=challenge, note="Jag kan statistik.")
    seeker.user.profile.skills = ["R", "folkhälsa"]
    seeker.user.profile.save()
    hidden = TeamFactory(challenge=ChallengeFactory(status="draft"), name="Hemligt")
    page = client_for().get("/sv/teams/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Datadrivna" in text and "Designer" in text and "Figma" in text
    assert "Jag kan statistik." in text and "folkhälsa" in text
    assert hidden.name not in text
    assert seeker.user.email not in text


@pytest.mark.parametrize(
    ("query", "team_shown", "person_shown"),
    [
        ("skill=figma", True, False),
        ("skill=folkhälsa", False, True),
        ("skill=FOLKHÄLSA", False, True),
        ("q=statistik", False, True),
        ("challenge=oppen-utmaning", True, True),
        ("challenge=nothing-here", True, True),  # an unknown choice is ignored
    ],
)
def test_matchmaking_filters(
    challenge: Any, query: str, team_shown: bool, person_shown: bool
) -> None:
    team = TeamFactory(challenge=challenge, name="Datadrivna")
    RolePostingFactory(team=team, title="Designer", skills=["Figma"])
    seeker = TeamSeekerFactory(challenge=challenge, note="Jag kan statistik.")
    seeker.user.profile.skills = ["R", "Folkhälsa"]
    seeker.user.profile.display_name = "Sam Söker"
    seeker.user.profile.save()
    text = client_for().get(f"/sv/teams/?{query}").content.decode()
    assert ("Datadrivna" in text) is team_shown
    assert ("Sam Söker" in text) is person_shown


def _count_matchmaking() -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client_for().get("/sv/teams/").status_code == 200
    return len(queries)


def test_matchmaking_queries_do_not_grow_with_rows(db: Any) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            team = TeamFactory()
            RolePostingFactory(team=team)
            TeamMembershipFactory(team=team)
            TeamSeekerFactory()

    add(2)
    few = _count_matchmaking()
    add(18)
    assert _count_matchmaking() == few


def test_challenge_page_lists_its_teams_in_constant_queries(challenge: Any) -> None:
    """Counted on the teams section alone: the rest of the challenge page
    (dataset recommendations from the search backend) varies by backend."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get(challenge.get_absolute_url())
    request.user = UserFactory()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            render_to_string(
                "teams/_challenge_teams.html", {"challenge": challenge}, request=request
            )
        return len(queries)

    TeamFactory(challenge=challenge, name="Lag Ett")
    few = count()
    for _ in range(10):
        RolePostingFactory(team=TeamFactory(challenge=challenge))
    assert count() == few <= 3
    text = client_for(UserFactory()).get(challenge.get_absolute_url()).content.decode()
    assert "Lag Ett" in text and "/sv/teams/new/?challenge=oppen-utmaning" in text


def test_create_a_team_from_the_challenge_link(challenge: Any) -> None:
    user = UserFactory()
    client = client_for(user)
    page = client.get("/sv/teams/new/?challenge=oppen-utmaning")
    assert page.status_code == 200
    assert 'value="oppen-utmaning" selected' in page.content.decode()
    response = client.post(
        "/sv/teams/new/",
        {"name": "Datadrivna", "challenge": "oppen-utmaning", "looking_for_members": "on"},
    )
    team = Team.objects.get()
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    assert lead_of(team) == user
    again = client.post("/sv/teams/new/", {"name": "Två", "challenge": "oppen-utmaning"})
    assert again.status_code == 200
    assert "redan" in again.content.decode()
    assert Team.objects.count() == 1


def test_team_page_shows_members_without_emails(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    member = TeamMembershipFactory(team=team).user
    member.profile.display_name = ""
    member.profile.save()
    InvitationFactory(team=team, user=None, email="inbjuden@example.se")
    JoinRequestFactory(team=team, message="Ta med mig!")
    for viewer in (None, UserFactory()):
        text = client_for(viewer).get(team.get_absolute_url()).content.decode()
        assert lead_of(team).profile.display_name in text
        assert member.email not in text and lead_of(team).email not in text
        assert "inbjuden@example.se" not in text and "Ta med mig!" not in text
    text = client_for(lead_of(team)).get(team.get_absolute_url()).content.decode()
    assert "inbjuden@example.se" in text and "Ta med mig!" in text


def test_a_team_on_a_hidden_challenge_is_404_except_for_members(db: Any) -> None:
    team = TeamFactory(challenge=ChallengeFactory(status="draft"))
    assert client_for().get(team.get_absolute_url()).status_code == 404
    assert client_for(UserFactory()).get(team.get_absolute_url()).status_code == 404
    assert client_for(lead_of(team)).get(team.get_absolute_url()).status_code == 200
    assert client_for().get("/sv/teams/999999/").status_code == 404


def test_the_invitation_page_is_only_for_the_invitee(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    invitation = InvitationFactory(team=team)
    url = f"/sv/teams/invitations/{invitation.token}/"
    assert client_for().get(url).status_code == 302  # log in first
    for other in (UserFactory(), lead_of(team)):
        client = client_for(other)
        assert client.get(url).status_code == 404
        assert client.post(f"{url}accept/").status_code == 404
        assert client.post(f"{url}decline/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == RequestStatus.PENDING
    client = client_for(invitation.user)
    assert client.get(url).status_code == 200
    response = client.post(f"{url}accept/")
    assert response.status_code == 302 and response["Location"] == team.get_absolute_url()
    assert team.memberships.filter(user=invitation.user).exists()


def test_invite_join_approve_leave_through_the_pages(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    lead = client_for(lead_of(team))
    response = lead.post(f"/sv/teams/{team.pk}/invite/", {"invitee": "ny@example.se"})
    assert response.status_code == 302
    assert Invitation.objects.filter(team=team, email="ny@example.se").exists()
    asker = UserFactory()
    response = client_for(asker).post(f"/sv/teams/{team.pk}/join/", {"message": "Hej"})
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    response = lead.post(f"/sv/teams/{team.pk}/requests/{join_request.pk}/approve/")
    assert response.status_code == 302
    assert team.memberships.filter(user=asker).exists()
    response = client_for(asker).post(f"/sv/teams/{team.pk}/leave/")
    assert response.status_code == 302 and response["Location"] == "/sv/teams/mine/"
    assert not team.memberships.filter(user=asker).exists()


def test_non_members_cannot_act(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    stranger = client_for(UserFactory())
    assert (
        stranger.post(f"/sv/teams/{team.pk}/invite/", {"invitee": "x@example.se"}).status_code
        == 403
    )
    assert stranger.get(f"/sv/teams/{team.pk}/edit/").status_code == 403
    posting = RolePostingFactory(team=team)
    assert stranger.post(f"/sv/teams/{team.pk}/postings/{posting.pk}/close/").status_code == 403
    join_request = JoinRequestFactory(team=team)
    assert (
        stranger.post(f"/sv/teams/{team.pk}/requests/{join_request.pk}/approve/").status_code == 404
    )
    assert not Invitation.objects.exists()


def test_mine_and_seeker_pages(challenge: Any) -> None:
    user = UserFactory()
    client = client_for(user)
    assert client.get("/sv/teams/mine/").status_code == 200
    assert client.get("/sv/teams/looking/?challenge=oppen-utmaning").status_code == 200
    response = client.post("/sv/teams/looking/", {"challenge": "oppen-utmaning", "note": "Hej"})
    assert response.status_code == 302
    text = client.get("/sv/teams/mine/").content.decode()
    assert challenge.title in text
    assert client_for().get("/sv/teams/mine/").status_code == 302


def test_english_pages(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge)
    assert client_for().get("/en/teams/").status_code == 200
    assert "Members" in client_for().get(f"/en/teams/{team.pk}/").content.decode()


def test_published_challenge_only_in_create_form(db: Any) -> None:
    PublishedChallengeFactory(slug="oppen")
    ChallengeFactory(status="draft", slug="hemlig")
    text = client_for(UserFactory()).get("/sv/teams/new/").content.decode()
    assert 'value="oppen"' in text and 'value="hemlig"' not in text


def test_team_page_queries_do_not_grow_with_members(challenge: Any) -> None:
    team = TeamFactory(challenge=challenge, challenge__max_team_size=30)
    lead = lead_of(team)

    def count() -> int:
        cache.clear()
        client = client_for(lead)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(team.get_absolute_url()).status_code == 200
        return len(queries)

    TeamMembershipFactory(team=team)
    RolePostingFactory(team=team)
    JoinRequestFactory(team=team)
    InvitationFactory(team=team)
    few = count()
    for _ in range(8):
        TeamMembershipFactory(team=team)
        RolePostingFactory(team=team)
        JoinRequestFactory(team=team)
        InvitationFactory(team=team)
    assert count() == few


def test_matchmaking_htmx_partial(challenge: Any) -> None:
    TeamFactory(challenge=challenge, name="Datadrivna")
    response = client_for().get("/sv/teams/?q=Datadrivna", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "Datadrivna" in text and "<html" not in text
    assert "HX-Request" in response["Vary"]
