from __future__ import annotations

import pytest

from hack365.demo import loader
from hack365.demo import teams as demo_teams
from hack365.teams.models import (
    Invitation,
    JoinRequest,
    RequestStatus,
    RolePosting,
    Team,
    TeamMembership,
    TeamRole,
    TeamSeeker,
)

pytestmark = pytest.mark.django_db


def test_the_demo_teams_load_through_the_services(monkeypatch: pytest.MonkeyPatch) -> None:
    from hack365.core.models import AuditLogEntry

    monkeypatch.setattr(loader, "DEMO_PARTS", [demo_teams.load])
    result = loader.load_demo()
    counts = result.counts
    assert counts["teams"] == Team.objects.count() == 8
    assert counts["team members"] == TeamMembership.objects.count()
    assert TeamMembership.objects.filter(role=TeamRole.LEAD).count() == 8
    assert counts["team members"] > 8
    assert counts["role postings"] == RolePosting.objects.filter(is_open=True).count() >= 6
    assert counts["pending team invitations"] == (
        Invitation.objects.filter(status=RequestStatus.PENDING).count()
    )
    assert counts["pending join requests"] == (
        JoinRequest.objects.filter(status=RequestStatus.PENDING).count()
    )
    assert counts["people looking for a team"] == TeamSeeker.objects.filter(is_active=True).count()
    assert Invitation.objects.filter(status=RequestStatus.ACCEPTED).exists()
    assert JoinRequest.objects.filter(status=RequestStatus.ACCEPTED).exists()
    assert Invitation.objects.filter(status=RequestStatus.PENDING, user__isnull=True).exists()
    # every team is on an open challenge
    assert set(Team.objects.values_list("challenge__status", flat=True)) == {"published"}
    assert AuditLogEntry.objects.filter(action="teams.team.created").count() == 8
