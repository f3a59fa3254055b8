"""Permission matrix rows and URL samples for the realization pages (see __init__.py).

Samples (world.parts["realization"]), all on challenges of the sample
organisation (so "own" is their need owner, "other" is not):

    open      team B's submitted solution without a decision (submissions' submitted_b)
    decided   team A's submitted solution (the participant's team): decided
              "pilot", with the milestone ``milestone``, a published award
              and its follow-ups
    draft     team A's draft (no realization page for anyone)
    on_draft  a submitted solution on the draft challenge: only its need
              owners and the organizers see it
    mismatch  (milestones) the decided solution's milestone under the open
              solution's address
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.security.world import World

MATRIX_TEXT = """
# pattern[on]                         method anon   part   own    other  pub    org
realization:overview                  GET    200    200    200    200    200    200
realization:overview                  POST   405    405    405    405    405    405
realization:solution[open]            GET    200    200    200    200    200    200
realization:solution[decided]         GET    200    200    200    200    200    200
realization:solution[draft]           GET    404    404    404    404    404    404
realization:solution[on_draft]        GET    404    404    200    404    404    200
realization:solution[open]            POST   405    405    405    405    405    405
realization:decide[open]              GET    login  405    405    405    405    405
realization:decide[open]              POST   login  403    302*   403    403    302*
realization:decide[decided]           POST   login  403    302*   403    403    302*
realization:decide[draft]             POST   login  404    404    404    404    404
realization:decide[on_draft]          POST   login  404    302*   404    404    302*
realization:milestone_add[decided]    GET    login  405    405    405    405    405
realization:milestone_add[decided]    POST   login  403    302*   403    403    302*
realization:milestone_add[open]       POST   login  403    302    403    403    302
realization:milestone_add[draft]      POST   login  404    404    404    404    404
realization:milestone_edit[decided]   GET    login  403    200    403    403    200
realization:milestone_edit[decided]   POST   login  403    302*   403    403    302*
realization:milestone_edit[mismatch]  GET    login  403    404    403    403    404
realization:milestone_edit[mismatch]  POST   login  403    404    403    403    404
realization:milestone_delete[decided] GET    login  405    405    405    405    405
realization:milestone_delete[decided] POST   login  403    302*   403    403    302*
realization:milestone_delete[mismatch] POST  login  403    404    403    403    404
"""


def _today() -> str:
    return timezone.localdate().isoformat()


POST_DATA: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "realization:decide": lambda w, u: {"decision": "adopt", "reason": ""},
    "realization:milestone_add": lambda w, u: {
        "date": _today(),
        "title": "Prov: ett nytt delmål",
        "update": "",
    },
    "realization:milestone_edit": lambda w, u: {
        "date": _today(),
        "title": "Prov: ett ändrat delmål",
        "update": "Ändrat i provet.",
    },
}


def _pick(w: World, key: str) -> Any:
    from tests.security.world import MissingSample

    samples = w.parts["realization"]
    if key not in samples:
        raise MissingSample(f"no sample {key!r}; there are {sorted(samples)}")
    return samples[key]


def _solution(w: World, variant: str | None) -> dict[str, str]:
    return {"pk": str(_pick(w, variant or "open").pk)}


def _milestone(w: World, variant: str | None) -> dict[str, str]:
    milestone = _pick(w, "milestone")
    on = "open" if variant == "mismatch" else "decided"
    return {"pk": str(_pick(w, on).pk), "milestone_pk": str(milestone.pk)}


SAMPLES: dict[str, Callable[[World, str | None], dict[str, str]]] = {
    "realization:solution": _solution,
    "realization:decide": _solution,
    "realization:milestone_add": lambda w, v: _solution(w, v or "decided"),
    "realization:milestone_edit": _milestone,
    "realization:milestone_delete": _milestone,
}


def add_samples(world: World) -> None:
    from datetime import date

    from hack365.judging.models import Award, AwardCategory, AwardKind
    from hack365.realization import services
    from hack365.submissions.models import Solution, SolutionStatus
    from hack365.teams.models import Team, TeamMembership, TeamRole
    from tests.accounts.factories import UserFactory

    solutions = world.parts["submissions"]
    need_owner = world.users["need_owner_this"]
    decided = solutions["submitted_a"]
    realization = services.realization_decide(actor=need_owner, solution=decided, decision="pilot")
    milestone = services.milestone_add(
        actor=need_owner,
        realization=realization,
        date=date(2026, 3, 12),
        title="Piloten startar",
        update="I tre kommuner.",
    )
    now = timezone.now()
    category = AwardCategory.objects.create(
        event=world.event,
        name="Hack for Sweden Award (prov)",
        kind=AwardKind.JURY,
        published_at=now,
    )
    Award.objects.create(category=category, solution=decided)
    services.follow_ups_schedule(solution=decided, awarded_at=now)

    on_draft_team = Team.objects.create(name="Lag på utkast", challenge=world.challenge("draft"))
    TeamMembership.objects.create(
        team=on_draft_team, user=UserFactory(username="draft-lead"), role=TeamRole.LEAD
    )
    on_draft = Solution.objects.create(
        team=on_draft_team,
        challenge=world.challenge("draft"),
        title="Lösning på ett utkast",
        status=SolutionStatus.SUBMITTED,
        submitted_at=now,
    )
    world.parts["realization"] = {
        "open": solutions["submitted_b"],
        "decided": decided,
        "draft": solutions["draft_a"],
        "on_draft": on_draft,
        "milestone": milestone,
    }
