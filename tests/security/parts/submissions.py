"""Permission matrix rows and URL samples for the submissions pages (see __init__.py).

Samples (world.parts["submissions"]): the participant ("part") is a member
of team A's teams; team B belongs to other users. Every solution here is at
version 2 (created, saved once), which the edit POST sends as its version.

    draft_a      team A's draft (complete: it can be submitted), with a
                 confidential attachment ``secret_a``
    submitted_a  team A's submitted solution (another challenge)
    withdrawn_a  team A's withdrawn solution (a third challenge)
    submitted_b  team B's submitted solution, with a public attachment
                 ``public_b`` and a confidential one ``secret_b``
    draft_b      team B's draft
    fresh        a team of the participant without a solution yet
    theirs       team B (no solution can be started by the participant)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import SimpleUploadedFile

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.security.world import World

MATRIX_TEXT = """
# pattern[on]                         method anon   part   own    other  pub    org
submissions:gallery                   GET    200    200    200    200    200    200
submissions:gallery                   POST   405    405    405    405    405    405
submissions:detail[submitted_b]       GET    200    200    200    200    200    200
submissions:detail[draft_a]           GET    404    200    404    404    404    200
submissions:detail[draft_b]           GET    404    404    404    404    404    200
submissions:detail[withdrawn_a]       GET    404    200    404    404    404    200
submissions:detail[submitted_b]       POST   405    405    405    405    405    405
submissions:create[fresh]             GET    login  200    403    403    403    403
submissions:create[fresh]             POST   login  302*   403    403    403    403
submissions:create[mine]              GET    login  302    403    403    403    403
submissions:create[theirs]            GET    login  403    403    403    403    403
submissions:create[theirs]            POST   login  403    403    403    403    403
submissions:edit[draft_a]             GET    login  200    404    404    404    403
submissions:edit[draft_a]             POST   login  302*   404    404    404    403
submissions:edit[submitted_a]         POST   login  302*   403    403    403    403
submissions:edit[draft_b]             GET    login  404    404    404    404    403
submissions:edit[draft_b]             POST   login  404    404    404    404    403
submissions:edit[submitted_b]         GET    login  403    403    403    403    403
submissions:edit[submitted_b]         POST   login  403    403    403    403    403
submissions:submit[draft_a]           GET    login  405    405    405    405    405
submissions:submit[draft_a]           POST   login  302*   404    404    404    403
submissions:submit[withdrawn_a]       POST   login  302*   404    404    404    403
submissions:submit[draft_b]           POST   login  404    404    404    404    403
submissions:submit[submitted_a]       POST   login  302    403    403    403    403
submissions:withdraw[submitted_a]     GET    login  405    405    405    405    405
submissions:withdraw[submitted_a]     POST   login  302*   403    403    403    403
submissions:withdraw[submitted_b]     POST   login  403    403    403    403    403
submissions:withdraw[draft_b]         POST   login  404    404    404    404    403
submissions:versions[draft_a]         GET    login  200    404    404    404    200
submissions:versions[submitted_a]     GET    login  200    404    404    404    200
submissions:versions[submitted_b]     GET    login  404    404    404    404    200
submissions:versions[draft_b]         GET    login  404    404    404    404    200
submissions:versions[draft_a]         POST   login  405    405    405    405    405
submissions:attachment_add[draft_a]   GET    login  405    405    405    405    405
submissions:attachment_add[draft_a]   POST   login  302*   404    404    404    403
submissions:attachment_add[submitted_b] POST login  403    403    403    403    403
submissions:attachment_add[draft_b]   POST   login  404    404    404    404    403
submissions:attachment[public_b]      GET    200    200    200    200    200    200
submissions:attachment[secret_b]      GET    404    404    200    404    404    200
submissions:attachment[secret_a]      GET    404    200    404    404    404    200
submissions:attachment[mismatch]      GET    404    404    404    404    404    404
submissions:attachment[public_b]      POST   405    405    405    405    405    405
submissions:attachment_remove[secret_a] GET  login  405    405    405    405    405
submissions:attachment_remove[secret_a] POST login  302*   404    404    404    403
submissions:attachment_remove[secret_b] POST login  404    403    404    404    403
submissions:attachment_remove[public_b] POST login  403    403    403    403    403
"""

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _edit_data(world: World, user: Any) -> dict[str, Any]:
    return {
        "version": "2",
        "title": "Ändrad titel",
        "summary": "En sammanfattning.",
        "problem": "Problemet.",
        "target_group": "Invånare",
        "datasets": [str(world.datasets["listed"].pk)],
        "other_data": "",
        "repository_url": "https://example.org/kod",
        "demo_url": "",
        "video_url": "",
        "licence": "EUPL-1.2",
    }


POST_DATA: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "submissions:create": lambda w, u: {"title": "Ny lösning"},
    "submissions:edit": _edit_data,
    "submissions:attachment_add": lambda w, u: {
        "file": SimpleUploadedFile("bilaga.pdf", PDF),
        "is_confidential": "on",
    },
}


def _solution(default: str) -> Callable[[World, str | None], dict[str, str]]:
    def sample(w: World, variant: str | None) -> dict[str, str]:
        return {"pk": str(_pick(w, variant or default).pk)}

    return sample


def _pick(w: World, key: str) -> Any:
    from tests.security.world import MissingSample

    samples = w.parts["submissions"]
    if key not in samples:
        raise MissingSample(f"no sample {key!r}; there are {sorted(samples)}")
    return samples[key]


def _team(w: World, variant: str | None) -> dict[str, str]:
    return {"team_pk": str(_pick(w, variant or "fresh").pk)}


def _attachment(w: World, variant: str | None) -> dict[str, str]:
    """An attachment under its own solution's address; ``mismatch``: team A's
    confidential file under team B's submitted solution's address."""
    if variant == "mismatch":
        return {
            "pk": str(_pick(w, "submitted_b").pk),
            "att_pk": str(_pick(w, "secret_a").pk),
        }
    item = _pick(w, variant or "public_b")
    return {"pk": str(item.solution_id), "att_pk": str(item.pk)}


SAMPLES: dict[str, Callable[[World, str | None], dict[str, str]]] = {
    "submissions:detail": _solution("submitted_b"),
    "submissions:create": _team,
    "submissions:edit": _solution("draft_a"),
    "submissions:submit": _solution("draft_a"),
    "submissions:withdraw": _solution("submitted_a"),
    "submissions:versions": _solution("draft_a"),
    "submissions:attachment_add": _solution("draft_a"),
    "submissions:attachment": _attachment,
    "submissions:attachment_remove": _attachment,
}


def add_samples(world: World) -> None:
    from hack365.submissions import services
    from hack365.teams.models import Team, TeamMembership, TeamRole
    from tests.accounts.factories import UserFactory
    from tests.challenges.factories import ChallengeFactory

    participant = world.users["participant"]
    published = world.challenge("published")
    teams = world.parts.get("teams", {})

    def challenge(n: int) -> Any:
        return ChallengeFactory(
            owner=world.organization,
            status="published",
            published_at=published.published_at,
            event=world.event,
            slug=f"prov-losningar-{n}",
        )

    def team(name: str, on: Any, lead: Any) -> Team:
        made = Team.objects.create(name=name, challenge=on)
        TeamMembership.objects.create(team=made, user=lead, role=TeamRole.LEAD)
        return made

    mine = teams.get("mine") or team("Lag A", published, participant)
    theirs = teams.get("theirs") or team("Lag B", published, UserFactory(username="team-b-lead"))
    b_user = theirs.memberships.get(role=TeamRole.LEAD).user
    second, third, fourth = challenge(2), challenge(3), challenge(4)
    dataset = world.datasets["listed"]

    def solution(on_team: Team, user: Any, title: str) -> Any:
        made = services.solution_create(user=user, team=on_team, title=title)
        return services.solution_save(
            user=user,
            solution=made,
            expected_version=1,
            title=title,
            summary="En sammanfattning.",
            problem="Problemet som löses.",
            dataset_ids=[dataset.pk],
            licence="EUPL-1.2",
        )

    draft_a = solution(mine, participant, "Lag A:s utkast")
    submitted_a = solution(team("Lag A2", second, participant), participant, "Lag A:s bidrag")
    services.solution_submit(user=participant, solution=submitted_a)
    withdrawn_a = solution(team("Lag A3", third, participant), participant, "Lag A:s återtagna")
    services.solution_submit(user=participant, solution=withdrawn_a)
    services.solution_withdraw(user=participant, solution=withdrawn_a)
    submitted_b = solution(theirs, b_user, "Lag B:s bidrag")
    services.solution_submit(user=b_user, solution=submitted_b)
    draft_b = solution(team("Lag B2", second, b_user), b_user, "Lag B:s utkast")
    secret_a = services.attachment_add(
        user=participant,
        solution=draft_a,
        upload=SimpleUploadedFile("hemlig-a.pdf", PDF),
        is_confidential=True,
    )
    public_b = services.attachment_add(
        user=b_user, solution=submitted_b, upload=SimpleUploadedFile("oppen-b.pdf", PDF)
    )
    secret_b = services.attachment_add(
        user=b_user,
        solution=submitted_b,
        upload=SimpleUploadedFile("hemlig-b.pdf", PDF),
        is_confidential=True,
    )
    world.parts["submissions"] = {
        "draft_a": draft_a,
        "submitted_a": submitted_a,
        "withdrawn_a": withdrawn_a,
        "submitted_b": submitted_b,
        "draft_b": draft_b,
        "secret_a": secret_a,
        "public_b": public_b,
        "secret_b": secret_b,
        "mine": mine,
        "fresh": team("Lag A4", fourth, participant),
        "theirs": theirs,
    }
