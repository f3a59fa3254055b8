from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from hack365.challenges.models import Challenge, ChallengeStatus
from hack365.core.models import DataTheme
from hack365.organizations.models import Organization
from tests.challenges.factories import ChallengeFactory
from tests.organizations.factories import OrganizationFactory, need_owner_of

ROLES = ["anonymous", "participant", "need_owner", "other_need_owner", "organizer"]


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _swedish() -> Any:
    """Each test starts in Swedish (the default language): a request to an
    /en/ page leaves English active in the thread, which would change what
    reverse() and gettext return in later tests."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture
def co_owner_organization(db: Any) -> Organization:
    return OrganizationFactory(name="Region Samverkan", slug="region-samverkan")


@pytest.fixture
def co_owner(co_owner_organization: Organization) -> Any:
    return need_owner_of(co_owner_organization, user__username="coowner")


@pytest.fixture
def users(
    request: pytest.FixtureRequest,
) -> Any:
    """``users(role)``: the user for a role name (None for anonymous)."""

    def get(role: str) -> Any:
        if role == "anonymous":
            return None
        return request.getfixturevalue(role)

    return get


@pytest.fixture
def client_for(users: Any) -> Any:
    """``client_for(role)``: a test client logged in as that role."""

    def make(role: str) -> Client:
        client = Client()
        user = users(role)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def theme(db: Any) -> DataTheme:
    return DataTheme.objects.get(code="EDUC")


@pytest.fixture
def make_challenge(organization: Organization, theme: DataTheme) -> Any:
    """``make_challenge(status, **fields)``: a challenge of ``organization``
    (the need_owner fixture's organisation), complete enough to submit."""

    def make(status: str = ChallengeStatus.DRAFT, **fields: Any) -> Challenge:
        from django.utils import timezone

        fields.setdefault("owner", organization)
        if status in (ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED, ChallengeStatus.ARCHIVED):
            fields.setdefault("published_at", timezone.now())
        if status in (ChallengeStatus.CLOSED, ChallengeStatus.ARCHIVED):
            fields.setdefault("closed_at", timezone.now())
        if status == ChallengeStatus.CHANGES_REQUESTED:
            fields.setdefault("review_comment", "Beskriv målgruppen tydligare.")
        if status in (ChallengeStatus.IN_REVIEW, ChallengeStatus.CHANGES_REQUESTED):
            fields.setdefault("submitted_at", timezone.now())
        challenge = ChallengeFactory(status=status, **fields)
        challenge.themes.add(theme)
        return challenge

    return make
