from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _swedish() -> Any:
    """Each test starts in Swedish (see tests/challenges/conftest.py)."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def challenge(db: Any) -> Any:
    from tests.challenges.factories import PublishedChallengeFactory

    return PublishedChallengeFactory(slug="oppen-utmaning")
