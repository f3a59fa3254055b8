"""Concurrent joins on PostgreSQL: the team row lock keeps a team within its
size, the person's row lock keeps "one team per challenge" (SQLite
serialises writes anyway, so these tests say nothing there)."""

from __future__ import annotations

import pytest

from hack365.teams import services
from hack365.teams.models import Team, TeamMembership
from tests.accounts.factories import UserFactory
from tests.challenges.factories import PublishedChallengeFactory
from tests.concurrency import run_at_once
from tests.conftest import need_postgresql

from .factories import InvitationFactory, JoinRequestFactory, TeamFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _need_postgresql() -> None:
    need_postgresql(
        "concurrency needs PostgreSQL's row locks: run with DATABASE_URL=postgres://...",
    )


def test_20_concurrent_invitation_accepts_fill_a_team_of_5_exactly() -> None:
    """Room for 5 (max 5: the lead and 4 more); 20 invitees accept at once:
    4 join, 16 are told the team is full."""
    _need_postgresql()
    team = TeamFactory(challenge=PublishedChallengeFactory(max_team_size=5))
    invitations = [InvitationFactory(team=team) for _ in range(20)]
    calls = [
        (lambda inv=inv: services.invitation_accept(user=inv.user, invitation=inv))
        for inv in invitations
    ]
    outcomes = run_at_once(calls)
    assert [o for o in outcomes if o.startswith("error")] == []
    assert outcomes.count("ok") == 4
    assert TeamMembership.objects.filter(team=team).count() == 5


def test_20_concurrent_approvals_fill_a_team_of_5_exactly() -> None:
    _need_postgresql()
    team = TeamFactory(challenge=PublishedChallengeFactory(max_team_size=5))
    lead = team.memberships.get().user
    requests = [JoinRequestFactory(team=team) for _ in range(20)]
    calls = [
        (lambda jr=jr: services.join_request_approve(user=lead, join_request=jr)) for jr in requests
    ]
    outcomes = run_at_once(calls)
    assert [o for o in outcomes if o.startswith("error")] == []
    assert TeamMembership.objects.filter(team=team).count() == 5


def test_one_person_accepting_10_invitations_to_one_challenge_joins_one_team() -> None:
    _need_postgresql()
    challenge = PublishedChallengeFactory()
    person = UserFactory()
    invitations = [
        InvitationFactory(team=TeamFactory(challenge=challenge), user=person) for _ in range(10)
    ]
    calls = [
        (lambda inv=inv: services.invitation_accept(user=person, invitation=inv))
        for inv in invitations
    ]
    calls.append(lambda: services.team_create(user=person, name="Egen", challenge=challenge))
    outcomes = run_at_once(calls)
    assert [o for o in outcomes if o.startswith("error")] == []
    assert outcomes.count("ok") == 1
    assert TeamMembership.objects.filter(user=person, team__challenge=challenge).count() == 1
    assert Team.objects.filter(challenge=challenge).count() in (10, 11)
