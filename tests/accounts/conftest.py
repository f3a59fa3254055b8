from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth keeps its rate-limit counters in the cache; start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user_client(client, participant):
    client.force_login(participant)
    return client
