from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from hack365.accounts.models import User
from hack365.challenges.models import Challenge, ChallengeStatus, Event
from hack365.core.models import AuditLogEntry
from hack365.organizations.models import Membership, Organization, OrganizationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_has_every_kind_state_and_role(demo: str) -> None:
    assert Organization.objects.count() >= 8
    assert set(Organization.objects.values_list("kind", flat=True)) == set(OrganizationKind.values)
    assert Event.objects.count() == 2
    assert {e.kind for e in Event.objects.all()} == {"crisis", "annual"}
    assert Challenge.objects.count() >= 12
    assert set(Challenge.objects.values_list("status", flat=True)) == set(ChallengeStatus.values)
    covid = Challenge.objects.filter(event__kind="crisis").count()
    assert covid >= 3
    assert User.objects.filter(is_staff=True).exists()
    assert set(Membership.objects.values_list("role", flat=True)) == {"need_owner", "publisher"}
    assert Challenge.objects.filter(questions__answer__gt="").exists()
    # Loaded through the services: the lifecycle is in the audit log.
    assert AuditLogEntry.objects.filter(action="challenges.challenge.published").count() >= 7
    assert "oppna-data-hela-aret" in demo
    assert "arrangor@demo.hack365.se" in demo


def test_demo_event_phases_follow_the_dates(demo: str) -> None:
    assert Event.objects.get(kind="crisis").phase == "results"
    assert Event.objects.get(kind="annual").phase == "registration"


def test_demo_loads_once(demo: str) -> None:
    before = Challenge.objects.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Challenge.objects.count() == before


def test_demo_pages_answer(demo: str, client) -> None:
    paths = ["/sv/", "/en/", "/sv/challenges/", "/sv/events/", "/sv/organisations/"]
    paths += [c.get_absolute_url() for c in Challenge.objects.filter(status="published")]
    paths += [e.get_absolute_url() for e in Event.objects.all()]
    paths += [o.get_absolute_url() for o in Organization.objects.all()]
    for path in paths:
        assert client.get(path).status_code == 200, path
    client.force_login(User.objects.get(email="arrangor@demo.hack365.se"))
    assert client.get("/sv/review/").status_code == 200
