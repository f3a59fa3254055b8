"""Concurrent saves on PostgreSQL: the solution row lock and the version
check let exactly one of several saves from the same version through; the
others get the conflict (SQLite serialises writes anyway)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hack365.core.errors import ApplicationError
from hack365.submissions import services
from hack365.submissions.models import Solution
from tests import concurrency
from tests.accounts.factories import UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.conftest import need_postgresql

from .factories import make_team

pytestmark = pytest.mark.django_db(transaction=True)


def _need_postgresql() -> None:
    need_postgresql(
        "concurrency needs PostgreSQL's row locks: run with DATABASE_URL=postgres://...",
    )


def run_at_once(calls: list[Callable[[], Any]]) -> list[str]:
    return concurrency.run_at_once(
        calls, [(services.SolutionConflict, "conflict"), (ApplicationError, "refused")]
    )


def test_one_of_many_saves_from_the_same_version_wins() -> None:
    _need_postgresql()
    members = [UserFactory() for _ in range(6)]
    team = make_team(
        PublishedChallengeFactory(event=EventFactory()), lead=members[0], members=tuple(members[1:])
    )
    solution = services.solution_create(user=members[0], team=team)

    def save(user: Any, n: int) -> Callable[[], Any]:
        def call() -> Any:
            mine = Solution.objects.get(pk=solution.pk)
            return services.solution_save(
                user=user, solution=mine, expected_version=1, title=f"Version av {n}"
            )

        return call

    outcomes = run_at_once([save(user, n) for n, user in enumerate(members)])
    assert sorted(outcomes) == ["conflict"] * 5 + ["ok"], outcomes
    solution.refresh_from_db()
    assert solution.version == 2
    assert solution.versions.count() == 2


def test_two_members_start_the_solution_at_once() -> None:
    _need_postgresql()
    lead, member = UserFactory(), UserFactory()
    team = make_team(PublishedChallengeFactory(event=EventFactory()), lead=lead, members=(member,))
    outcomes = run_at_once(
        [lambda u=u: services.solution_create(user=u, team=team) for u in (lead, member)]
    )
    assert sorted(outcomes) == ["ok", "refused"], outcomes
    assert Solution.objects.filter(team=team).count() == 1
