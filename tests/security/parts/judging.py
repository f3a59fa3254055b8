"""Permission matrix rows and URL samples for the jury pages (see __init__.py).

The roles here: ``other`` (need owner of another organisation) and ``pub``
(the publisher) are jury members of the sample rounds; nobody else is. The
rounds belong to an event of their own ("prov-bedomning", one challenge,
two submitted solutions by teams outside the roles), so that no other
area's confidential attachments become visible to a juror.

    open        an open round; jurors other and pub
    draft       a round being prepared (default criteria); juror pub
    closed      a closed round; juror other, who submitted scores
    mine        other's assignment in the open round (solution 1, which has
                a public and a confidential attachment)
    pubs        pub's assignment in the open round (solution 2)
    recused     other's assignment to solution 2, recused (a conflict)
    closed_a    other's assignment in the closed round
    criterion   a criterion of the draft round; criterion_open: of the open one
    removable   pub as juror of the draft round; busy: other in the closed round
    declared    other as juror of the open round (declared a conflict)
    past        an open round whose closing time has passed (scores locked)

Organizers manage rounds; they never see another person's assignment page
(404): a jury member's scores are their own until the round closes."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.security.world import World

MATRIX_TEXT = """
# pattern[on]                         method anon   part   own    other  pub    org
# the jury's start page: organizers see the rounds, everyone else their own evaluations
judging:index                         GET    login  302    302    302    302    200
judging:index                         POST   login  405    405    405    405    405
judging:mine                          GET    login  200    200    200    200    200
judging:mine                          POST   login  405    405    405    405    405

# rounds (organizers only; a round does not reveal that it exists)
judging:round_create                  GET    login  403    403    403    403    200
judging:round_create                  POST   login  403    403    403    403    302*
judging:round_detail[open]            GET    login  404    404    404    404    200
judging:round_detail[draft]           GET    login  404    404    404    404    200
judging:round_detail[closed]          GET    login  404    404    404    404    200
judging:round_detail[open]            POST   login  405    405    405    405    405
judging:round_edit[open]              GET    login  404    404    404    404    200
judging:round_edit[open]              POST   login  404    404    404    404    302*
judging:round_edit[draft]             POST   login  404    404    404    404    302*
judging:round_edit[closed]            GET    login  404    404    404    404    302
judging:round_edit[closed]            POST   login  404    404    404    404    302
judging:round_open[draft]             GET    login  405    405    405    405    405
judging:round_open[draft]             POST   login  404    404    404    404    302*
judging:round_open[open]              POST   login  404    404    404    404    302
judging:round_close[open]             GET    login  405    405    405    405    405
judging:round_close[open]             POST   login  404    404    404    404    302*
judging:round_close[closed]           POST   login  404    404    404    404    302

# criteria: only while the round is being prepared
judging:criterion_add[draft]          GET    login  405    405    405    405    405
judging:criterion_add[draft]          POST   login  404    404    404    404    302*
judging:criterion_add[open]           POST   login  404    404    404    404    302
judging:criterion_edit[criterion]     GET    login  404    404    404    404    200
judging:criterion_edit[criterion]     POST   login  404    404    404    404    302*
judging:criterion_edit[criterion_open] GET   login  404    404    404    404    302
judging:criterion_edit[criterion_open] POST  login  404    404    404    404    302
judging:criterion_delete[criterion]   GET    login  405    405    405    405    405
judging:criterion_delete[criterion]   POST   login  404    404    404    404    302*
judging:criterion_delete[criterion_open] POST login 404    404    404    404    302

# the jury and the assignments
judging:juror_add[draft]              GET    login  405    405    405    405    405
judging:juror_add[draft]              POST   login  404    404    404    404    302*
judging:juror_add[closed]             POST   login  404    404    404    404    302
judging:juror_add[past]               POST   login  404    404    404    404    302
judging:juror_remove[removable]       GET    login  405    405    405    405    405
judging:juror_remove[removable]       POST   login  404    404    404    404    302*
judging:juror_remove[busy]            POST   login  404    404    404    404    302
judging:juror_remove[declared]        POST   login  404    404    404    404    302
judging:assignment_add[open]          GET    login  405    405    405    405    405
judging:assignment_add[open]          POST   login  404    404    404    404    302*
judging:assignment_add[draft]         POST   login  404    404    404    404    302
judging:assignments_auto[open]        GET    login  405    405    405    405    405
judging:assignments_auto[open]        POST   login  404    404    404    404    302*
judging:assignments_auto[draft]       POST   login  404    404    404    404    302
judging:assignments_auto[past]        POST   login  404    404    404    404    302

# a jury member's own assignment: nobody else's, not after a recusal
judging:assignment[mine]              GET    login  404    404    200    404    404
judging:assignment[mine]              POST   login  404    404    302*   404    404
judging:assignment[pubs]              GET    login  404    404    404    200    404
judging:assignment[pubs]              POST   login  404    404    404    302*   404
judging:assignment[recused]           GET    login  404    404    404    404    404
judging:assignment[recused]           POST   login  404    404    404    404    404
judging:assignment[closed_a]          GET    login  404    404    200    404    404
judging:assignment[closed_a]          POST   login  404    404    200    404    404
judging:conflict[mine]                GET    login  404    404    200    404    404
judging:conflict[mine]                POST   login  404    404    302*   404    404
judging:conflict[pubs]                POST   login  404    404    404    302*   404
judging:conflict[recused]             GET    login  404    404    404    404    404
judging:conflict[closed_a]            POST   login  404    404    200    404    404
judging:attachment[mine]              GET    login  404    404    200    404    404
judging:attachment[secret]            GET    login  404    404    200    404    404
judging:attachment[none]              GET    login  404    404    404    404    404
judging:attachment[mine]              POST   login  405    405    405    405    405
"""

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _pick(w: World, key: str) -> Any:
    from tests.security.world import MissingSample

    samples = w.parts["judging"]
    if key not in samples:
        raise MissingSample(f"no sample {key!r}; there are {sorted(samples)}")
    return samples[key]


def _local(days: float) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _round_data(w: World, user: Any) -> dict[str, Any]:
    return {
        "title": "Ändrad omgång",
        "guidance": "Läs lösningen noga.",
        "opens_at": _local(-1),
        "closes_at": _local(7),
        "jurors_per_solution": "2",
    }


def _round_create_data(w: World, user: Any) -> dict[str, Any]:
    return {**_round_data(w, user), "event": str(_pick(w, "event").pk), "title": "Ny omgång"}


def _scores(w: World, user: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"action": "draft"}
    for criterion in _pick(w, "criteria"):
        data[f"value_{criterion.pk}"] = "3"
        data[f"justification_{criterion.pk}"] = "Tydlig nytta."
    return data


def _assignment_add(w: World, user: Any) -> dict[str, Any]:
    pair = _pick(w, "assignable")
    return {"entry": str(pair[0].pk), "juror": str(pair[1].pk)}


POST_DATA: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "judging:round_create": _round_create_data,
    "judging:round_edit": _round_data,
    "judging:criterion_add": lambda w, u: {
        "name": "Tillgänglighet",
        "guidance": "",
        "weight": "1",
        "scale": "yes-no",
    },
    "judging:criterion_edit": lambda w, u: {
        "name": "Samhällsnytta (ändrad)",
        "guidance": "",
        "weight": "2",
        "scale": "1-10",
    },
    "judging:juror_add": lambda w, u: {"account": "participant"},
    "judging:assignment_add": _assignment_add,
    "judging:assignment": _scores,
    "judging:conflict": lambda w, u: {"reason": "knows_member", "explanation": "Min granne."},
}


def _by(param: str, default: str) -> Callable[[World, str | None], dict[str, str]]:
    def sample(w: World, variant: str | None) -> dict[str, str]:
        return {param: str(_pick(w, variant or default).pk)}

    return sample


def _attachment(w: World, variant: str | None) -> dict[str, str]:
    """Attachment 1 (public) or 2 (``secret``, confidential) of solution 1,
    through other's assignment; ``none``: pub's solution has none."""
    if variant == "none":
        return {"pk": str(_pick(w, "pubs").pk), "number": "1"}
    number = "2" if variant == "secret" else "1"
    return {"pk": str(_pick(w, "mine").pk), "number": number}


SAMPLES: dict[str, Callable[[World, str | None], dict[str, str]]] = {
    "judging:round_detail": _by("pk", "open"),
    "judging:round_edit": _by("pk", "open"),
    "judging:round_open": _by("pk", "draft"),
    "judging:round_close": _by("pk", "open"),
    "judging:criterion_add": _by("pk", "draft"),
    "judging:criterion_edit": _by("pk", "criterion"),
    "judging:criterion_delete": _by("pk", "criterion"),
    "judging:juror_add": _by("pk", "draft"),
    "judging:juror_remove": _by("pk", "removable"),
    "judging:assignment_add": _by("pk", "open"),
    "judging:assignments_auto": _by("pk", "open"),
    "judging:assignment": _by("pk", "mine"),
    "judging:conflict": _by("pk", "mine"),
    "judging:attachment": _attachment,
}


def add_samples(world: World) -> None:
    from django.core.files.base import ContentFile

    from hack365.judging import services
    from hack365.judging.models import Juror
    from hack365.submissions.models import Attachment
    from tests.challenges.factories import ChallengeFactory, EventFactory
    from tests.judging.factories import submitted_solution

    organizer = world.users["organizer"]
    other = world.users["need_owner_other"]
    pub = world.users["publisher"]
    published = world.challenge("published")
    event = EventFactory(slug="prov-bedomning", name="Provbedömning")
    challenge = ChallengeFactory(
        owner=world.organization,
        status="published",
        published_at=published.published_at,
        event=event,
        slug="prov-bedomning-utmaning",
    )
    first = submitted_solution(challenge, title="Bedömd lösning 1")
    second = submitted_solution(challenge, title="Bedömd lösning 2")
    for name, confidential in (("bilaga.pdf", False), ("hemlig.pdf", True)):
        Attachment.objects.create(
            solution=first,
            file=ContentFile(PDF, name="prov.pdf"),
            original_name=name,
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            is_confidential=confidential,
        )
    now = timezone.now()

    def new_round(title: str) -> Any:
        return services.round_create(
            actor=organizer,
            event=event,
            title=title,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
        )

    def juror(round: Any, user: Any) -> Juror:
        return services.juror_add(actor=organizer, round=round, user=user, notify=False)

    def entry_of(round: Any, solution: Any) -> Any:
        return round.entries.get(solution=solution)

    # the closed round: other scored solution 1 and submitted
    closed = new_round("Stängd omgång")
    busy = juror(closed, other)
    services.round_open(actor=organizer, round=closed)
    closed_a = services.assignment_add(actor=organizer, entry=entry_of(closed, first), juror=busy)
    services.scores_save(
        actor=other,
        assignment=closed_a,
        values={c.pk: (4, "Bra.") for c in closed.criteria.all()},
        submit=True,
    )
    services.round_close(actor=organizer, round=closed)

    # the open round: other on solution 1, pub on solution 2, other recused from 2
    open_round = new_round("Öppen omgång")
    other_juror, pub_juror = juror(open_round, other), juror(open_round, pub)
    services.round_open(actor=organizer, round=open_round)
    mine = services.assignment_add(
        actor=organizer, entry=entry_of(open_round, first), juror=other_juror
    )
    pubs = services.assignment_add(
        actor=organizer, entry=entry_of(open_round, second), juror=pub_juror
    )
    recused = services.assignment_add(
        actor=organizer, entry=entry_of(open_round, second), juror=other_juror
    )
    services.conflict_declare(
        actor=other, assignment_or_entry=recused, reason="involved", explanation=""
    )
    recused.refresh_from_db()

    draft = new_round("Omgång under förberedelse")
    removable = juror(draft, pub)

    # open, but its closing time has passed: nobody joins or is assigned
    past = new_round("Omgång efter stängningstiden")
    juror(past, pub)
    services.round_open(actor=organizer, round=past)
    type(past).objects.filter(pk=past.pk).update(closes_at=now - timedelta(hours=1))
    past.refresh_from_db()
    world.parts["judging"] = {
        "event": event,
        "open": open_round,
        "draft": draft,
        "closed": closed,
        "mine": mine,
        "pubs": pubs,
        "recused": recused,
        "closed_a": closed_a,
        "criterion": draft.criteria.order_by("position").first(),
        "criterion_open": open_round.criteria.order_by("position").first(),
        "criteria": [*open_round.criteria.all(), *closed.criteria.all()],
        "removable": removable,
        "busy": busy,
        "declared": other_juror,
        "past": past,
        # pub may still be assigned to solution 1 by hand
        "assignable": (entry_of(open_round, first), pub_juror),
    }
