"""The database keeps one "looking for a team" entry per person and place
(a challenge, an event, or in general) — on SQLite too, which has no NULLS
NOT DISTINCT, hence three partial unique indexes."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from hack365.challenges.models import ChallengeStatus
from hack365.teams.models import TeamSeeker
from tests.accounts.factories import UserFactory
from tests.challenges.factories import ChallengeFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("where", ["challenge", "event", "general"])
def test_one_seeker_entry_per_person_and_place(where: str) -> None:
    user = UserFactory()
    place: dict[str, object] = {}
    if where == "challenge":
        place["challenge"] = ChallengeFactory(status=ChallengeStatus.PUBLISHED)
    elif where == "event":
        place["event"] = EventFactory()
    TeamSeeker.objects.create(user=user, **place)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamSeeker.objects.create(user=user, **place)
    TeamSeeker.objects.create(user=UserFactory(), **place)  # someone else may


def test_entries_in_different_places_may_coexist() -> None:
    user = UserFactory()
    challenge = ChallengeFactory(status=ChallengeStatus.PUBLISHED)
    TeamSeeker.objects.create(user=user)
    TeamSeeker.objects.create(user=user, event=EventFactory())
    TeamSeeker.objects.create(user=user, challenge=challenge)
    assert TeamSeeker.objects.filter(user=user).count() == 3
