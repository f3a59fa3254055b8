"""The admin shows challenges, questions and events read-only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hack365.challenges.models import ChallengeStatus
from tests.accounts.factories import SuperuserFactory
from tests.challenges.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(db: Any) -> Client:
    client = Client()
    client.force_login(SuperuserFactory(username="root"))
    return client


def test_admin_pages_are_read_only(admin_client_: Client, make_challenge: Any) -> None:
    challenge = make_challenge(ChallengeStatus.PUBLISHED)
    question = QuestionFactory(challenge=challenge)
    event = EventFactory()
    for model, pk in [("challenge", challenge.pk), ("question", question.pk), ("event", event.pk)]:
        base = f"/sv/admin/challenges/{model}/"
        assert admin_client_.get(base).status_code == 200
        assert admin_client_.get(f"{base}{pk}/change/").status_code == 200
        assert admin_client_.get(f"{base}add/").status_code == 403
        response = admin_client_.post(f"{base}{pk}/delete/", {"post": "yes"})
        assert response.status_code == 403
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.PUBLISHED
