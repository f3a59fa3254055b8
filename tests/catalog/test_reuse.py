"""Reuse records (solution → dataset) on the dataset and organisation pages:
public solutions only, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hack365.catalog import selectors
from hack365.submissions import services
from tests.accounts.factories import UserFactory
from tests.catalog.factories import DatasetFactory, PublisherFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.organizations.factories import OrganizationFactory
from tests.submissions.factories import make_team

pytestmark = pytest.mark.django_db


def _solution(dataset: Any, *, submit: bool = True, title: str = "") -> Any:
    user = UserFactory()
    team = make_team(PublishedChallengeFactory(event=EventFactory()), lead=user)
    solution = services.solution_create(user=user, team=team, title=title or "Lösning")
    services.solution_save(
        user=user,
        solution=solution,
        expected_version=1,
        title=title or "Lösning",
        summary="Sammanfattning.",
        problem="Problem.",
        dataset_ids=[dataset.pk],
        licence="MIT",
    )
    if submit:
        services.solution_submit(user=user, solution=solution)
    return solution


@pytest.fixture
def organisation_dataset(db: Any) -> Any:
    org = OrganizationFactory(slug="utgivande-myndighet")
    return DatasetFactory(publisher=PublisherFactory(organization=org))


def test_only_public_solutions_are_listed(organisation_dataset: Any) -> None:
    shown = _solution(organisation_dataset, title="Inlämnad")
    _solution(organisation_dataset, submit=False, title="Utkast")
    withdrawn = _solution(organisation_dataset, title="Återtagen")
    services.solution_withdraw(user=withdrawn.created_by, solution=withdrawn)
    reuse = selectors.solutions_reusing(organisation_dataset)
    assert [s.pk for s in reuse.solutions] == [shown.pk]
    org = organisation_dataset.publisher.organization
    by_org = selectors.organization_reuse(org)
    assert [s.pk for s in by_org.solutions] == [shown.pk]
    assert by_org.solutions[0].reused_datasets == [organisation_dataset]


def _queries(client: Any, path: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_pages_do_not_grow_with_the_reuse(client: Any, organisation_dataset: Any) -> None:
    org = organisation_dataset.publisher.organization
    _solution(organisation_dataset, title="Första")
    dataset_page = _queries(client, organisation_dataset.get_absolute_url())
    org_page = _queries(client, org.get_absolute_url())
    for n in range(8):
        _solution(organisation_dataset, title=f"Lösning {n}")
    assert _queries(client, organisation_dataset.get_absolute_url()) == dataset_page
    assert _queries(client, org.get_absolute_url()) == org_page
    page = client.get(organisation_dataset.get_absolute_url()).content.decode()
    assert "Första" in page and "Lösning 7" in page
