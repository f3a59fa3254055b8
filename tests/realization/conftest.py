from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from hack365.submissions.models import SolutionStatus
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.submissions.factories import SolutionFactory, make_team


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages in English (the tests match them); pages under /en/."""
    with translation.override("en"):
        yield


@pytest.fixture
def challenge(organization: Any, need_owner: Any) -> Any:
    """A published challenge of ``organization`` (whose need owner is
    ``need_owner``), in an event."""
    return PublishedChallengeFactory(owner=organization, event=EventFactory(), slug="smart-stad")


def submitted(challenge: Any, **fields: Any) -> Any:
    team = make_team(challenge)
    return SolutionFactory(
        team=team,
        challenge=challenge,
        status=SolutionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def solution(challenge: Any) -> Any:
    return submitted(challenge, title="Bussappen")
