from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CHROMIUM = "/usr/bin/chromium"


def need(condition: bool, reason: str) -> None:
    """Skip when a resource is missing on a developer machine; fail under CI."""
    if condition:
        return
    if CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


def need_postgresql(reason: str) -> None:
    """Skip on other databases, under CI too: .ci/run runs the whole suite on
    PostgreSQL as well, where these tests run."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(reason)


def need_chromium() -> str:
    need(
        Path(CHROMIUM).exists() or shutil.which("chromium") is not None,
        "Chromium is not installed (apt-get install chromium chromium-driver)",
    )
    return CHROMIUM if Path(CHROMIUM).exists() else str(shutil.which("chromium"))


def need_shared() -> Path:
    need(SHARED.is_dir(), f"../shared is not beside the project ({SHARED})")
    return SHARED


@pytest.fixture
def organizer(db):
    from tests.accounts.factories import OrganizerFactory

    return OrganizerFactory(username="organizer")


@pytest.fixture
def participant(db):
    from tests.accounts.factories import UserFactory

    return UserFactory(username="participant")


@pytest.fixture
def organization(db):
    from tests.organizations.factories import OrganizationFactory

    return OrganizationFactory(name="Länsstyrelsen Test", slug="lansstyrelsen-test")


@pytest.fixture
def other_organization(db):
    from tests.organizations.factories import OrganizationFactory

    return OrganizationFactory(name="Annan kommun", slug="annan-kommun")


@pytest.fixture
def need_owner(organization):
    from tests.organizations.factories import need_owner_of

    return need_owner_of(organization, user__username="needowner")


@pytest.fixture
def other_need_owner(other_organization):
    from tests.organizations.factories import need_owner_of

    return need_owner_of(other_organization, user__username="otherowner")


def pytest_configure(config: pytest.Config) -> None:
    """Start each run with an empty captured log (see tests/test_logs.py)."""
    from django.conf import settings

    log_file = Path(getattr(settings, "TEST_LOG_FILE", ""))
    if log_file.name:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text("")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked run_last (the log grep) run after everything else."""
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)


@pytest.fixture(autouse=True)
def _fresh_content_types() -> None:
    """A test that empties the tables (a transactional test's flush) gets new
    content type ids; forget the ids cached by earlier tests, or the audit log
    would point at rows that are gone."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
