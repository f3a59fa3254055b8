from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from hack365.challenges.models import Challenge
from tests.accounts.factories import UserFactory
from tests.catalog.factories import DatasetFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory

from .factories import make_team


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
def media(settings: Any, tmp_path: Any) -> Any:
    """Attachments on disk, in a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path / "media"


def files_under(root: Any) -> list[Any]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def challenge(db: Any) -> Challenge:
    return PublishedChallengeFactory(event=EventFactory(), slug="smart-stad")


@pytest.fixture
def alice(db: Any) -> Any:
    return UserFactory(username="alice")


@pytest.fixture
def bob(db: Any) -> Any:
    return UserFactory(username="bob")


@pytest.fixture
def carol(db: Any) -> Any:
    return UserFactory(username="carol")


@pytest.fixture
def team_a(challenge: Challenge, alice: Any, bob: Any) -> Any:
    return make_team(challenge, lead=alice, members=(bob,), name="Team A")


@pytest.fixture
def team_b(challenge: Challenge, carol: Any) -> Any:
    return make_team(challenge, lead=carol, name="Team B")


@pytest.fixture
def datasets(db: Any) -> list[Any]:
    return [DatasetFactory() for _ in range(3)]


@pytest.fixture
def login() -> Any:
    def make(user: Any) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make
