"""The demo's solutions part: solutions in every state, made through the
services after the teams part (or, until it exists, after teams made here)."""

from __future__ import annotations

import importlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from hack365.catalog.models import Reuse
from hack365.core.models import AuditLogEntry
from hack365.demo import loader
from hack365.demo import solutions as solutions_demo
from hack365.submissions import files, rules
from hack365.submissions.models import Attachment, Solution, SolutionStatus

pytestmark = pytest.mark.django_db


def _teams_by_hand(ctx: loader.DemoContext) -> None:
    from .factories import make_team

    open_challenges = [c for c in ctx.challenges.values() if c.status == "published"]
    names = list(solutions_demo.PLANS)
    users = list(ctx.users.values())
    for n, name in enumerate(names):
        challenge = open_challenges[n % len(open_challenges)]
        make_team(
            challenge, lead=users[n % len(users)], members=(users[(n + 1) % len(users)],), name=name
        )


def _teams_part() -> Any:
    try:
        return importlib.import_module("hack365.demo.teams").load
    except ImportError:
        return _teams_by_hand


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(loader, "DEMO_PARTS", [_teams_part(), solutions_demo.load])
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_solutions_in_every_state(demo: str, client: Any) -> None:
    states = set(Solution.objects.values_list("status", flat=True))
    assert states == {SolutionStatus.DRAFT, SolutionStatus.SUBMITTED, SolutionStatus.WITHDRAWN}
    submitted = Solution.objects.filter(status=SolutionStatus.SUBMITTED)
    assert submitted.count() >= 3
    frozen = [s for s in submitted if rules.is_frozen(s)]
    assert frozen, "a submitted solution whose deadline has passed"
    assert any(s.versions.count() >= 3 for s in Solution.objects.all())
    # submitted ones reuse the datasets linked to their challenges
    assert Reuse.objects.count() >= 3
    for reuse in Reuse.objects.select_related("solution"):
        assert reuse.solution.status == SolutionStatus.SUBMITTED
        assert reuse.solution.challenge.dataset_links.filter(dataset=reuse.dataset).exists()
    # attachments made in code: a PDF and a CSV, one confidential
    types = set(Attachment.objects.values_list("content_type", flat=True))
    assert {"application/pdf", "text/csv"} <= types
    assert Attachment.objects.filter(is_confidential=True).exists()
    for attachment in Attachment.objects.all():
        with attachment.file.open("rb") as handle:
            kind = files.check_upload(_Upload(attachment.original_name, handle.read())).kind
        assert kind.content_type == attachment.content_type
    # through the services
    assert AuditLogEntry.objects.filter(action="submissions.solution.submitted").count() >= 3
    assert AuditLogEntry.objects.filter(action="submissions.solution.withdrawn").count() == 1
    assert "submitted solutions" in demo

    # and the pages answer
    assert client.get(reverse("submissions:gallery")).status_code == 200
    for solution in submitted:
        assert client.get(solution.get_absolute_url()).status_code == 200
        for reuse in solution.reuses.all():
            page = client.get(reuse.dataset.get_absolute_url()).content.decode()
            assert solution.title in page
    draft = Solution.objects.filter(status=SolutionStatus.DRAFT).first()
    assert client.get(draft.get_absolute_url()).status_code == 404


class _Upload:
    def __init__(self, name: str, data: bytes) -> None:
        self.name, self.size, self._data = name, len(data), data

    def chunks(self) -> Any:
        yield self._data
