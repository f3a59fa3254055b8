"""Runs every row of permission_matrix.py, for every role, and checks that the
table and the URL patterns cover each other."""

from __future__ import annotations

from typing import Any

import pytest

from .checks import answer_of, follow_to_login, login_url, request
from .permission_matrix import (
    IGNORED,
    MATRIX,
    POST_DATA,
    Row,
    admin_model_rows,
)
from .walker import route_by_key
from .world import (
    ROLES,
    SAMPLES,
    World,
    client_for,
    diff,
    rolled_back,
    sample_path,
    snapshot,
    snapshot_ignore,
)

pytestmark = pytest.mark.django_db

ROUTES = route_by_key()
ALL_ROWS = MATRIX + admin_model_rows(list(ROUTES))
REFUSALS = ("login", "403", "404", "405")
ADMIN_LOGIN = "/sv/admin/login/"


def test_every_url_pattern_has_rows() -> None:
    missing = []
    for key in ROUTES:
        if key in IGNORED:
            continue
        methods = {row.method for row in ALL_ROWS if row.pattern == key}
        for method in ("GET", "POST"):
            if method not in methods:
                missing.append(
                    f"add rows for {key} ({method}) to tests/security/permission_matrix.py"
                )
    assert not missing, "\n".join(missing)


def test_every_row_names_a_url_pattern() -> None:
    stale = sorted(
        {row.pattern for row in MATRIX if row.pattern not in ROUTES}
        | {key for key in IGNORED if key not in ROUTES}
        | {key for key in POST_DATA if key not in ROUTES}
        | {key for key in SAMPLES if key not in ROUTES}
    )
    assert not stale, (
        "no URL pattern has these names any more; remove their rows (and samples, POST "
        f"data) from tests/security/: {stale}"
    )


def test_rows_are_not_repeated() -> None:
    seen: dict[tuple[str, str | None, str], int] = {}
    repeated = []
    for row in MATRIX:
        key = (row.pattern, row.on, row.method)
        if key in seen:
            repeated.append(f"{row.id}: lines {seen[key]} and {row.line}")
        seen[key] = row.line
    assert not repeated, repeated


def test_ignored_patterns_say_why() -> None:
    assert all(len(reason) > 20 for reason in IGNORED.values())


AUDIT = "core.AuditLogEntry"


def _check(row: Row, role: str, world: World, path: str, expected: str) -> str | None:
    """Run one cell; None when it matches, else what went wrong."""
    user = world.user(role)
    data: dict[str, Any] = {}
    if row.method == "POST" and row.pattern in POST_DATA:
        data = POST_DATA[row.pattern](world, user)
    ignore = snapshot_ignore(row.pattern, user)
    with rolled_back():
        client = client_for(world, role)
        before = snapshot(ignore=ignore)
        response = request(client, row.method, path, data)
        after = snapshot(ignore=ignore)
        got = answer_of(response)
        sent_to_login = got.location == login_url(path, "sv")
        if expected == "login" and got.location.startswith(ADMIN_LOGIN):
            # The admin sends visitors to its own login page, which sends
            # anonymous ones on to the site's (and refuses logged-in ones).
            sent_to_login = follow_to_login(client, got.location, "sv")[-1:] == [
                login_url(path, "sv")
            ]
    if got.status >= 500:
        return f"{got} (server error)"
    want = expected.rstrip("*")
    problems = []
    if want == "login":
        if not sent_to_login:
            problems.append(f"got {got}, expected a redirect to {login_url(path, 'sv')}")
    elif want == "302":
        if got.status != 302 or sent_to_login:
            problems.append(f"got {got}, expected a redirect (not to log in)")
    elif got.status != int(want):
        problems.append(f"got {got}, expected {want}")
    wrote = after[AUDIT] > before[AUDIT]
    if wrote != expected.endswith("*"):
        problems.append("the audit log grew" if wrote else "nothing was written to the audit log")
    changed = diff(before, after)
    if expected in REFUSALS and changed:
        problems.append(f"refused, yet changed {changed}")
    if row.method == "GET" and changed:
        problems.append(f"a GET changed {changed}")
    return "; ".join(problems) or None


@pytest.mark.parametrize("row", ALL_ROWS, ids=[row.id for row in ALL_ROWS])
def test_permission_matrix(row: Row, world: World) -> None:
    if row.pattern not in ROUTES:
        pytest.fail(f"{row.id}: no such URL pattern (line {row.line})")
    path = sample_path(ROUTES[row.pattern], world, row.on)
    failures = []
    for role in ROLES:
        problem = _check(row, role, world, path, row.expected[role])
        if problem:
            failures.append(f"  {role}: {problem}")
    where = f"permission_matrix.py line {row.line}" if row.line else "ADMIN_MODEL_PAGES"
    assert not failures, f"{row.method} {path} ({where}):\n" + "\n".join(failures)
