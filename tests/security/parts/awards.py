"""Permission matrix rows and URL samples for the results, shortlist,
feedback, awards, vote and winners pages (see __init__.py).

Samples (world.parts["awards"]), on the sample event and its challenges;
"mine" is the participant's team A's submitted solution (submissions'
submitted_a), "theirs" team B's (submitted_b):

    closed         a closed round with both as entries, scored by two jurors
    open           an open round (progress only; no shortlist or feedback yet)
    mine           closed round: team A's entry, its feedback released
    mine_hidden    (feedback) the same solution's entry in the open round,
                   feedback not released
    theirs         closed round: team B's entry
    open_entry     the open round's entry of team B
    jury           an unpublished jury category with an award to team B
    empty          an unpublished jury category without awards
    open_people    a people's choice open for votes; the participant voted
                   for team B
    closed_people  a people's choice whose voting has closed, two votes for team B
    award          the award in ``jury``
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.security.world import World

MATRIX_TEXT = """
# pattern[on]                                  method anon   part   own    other  pub    org
judging_awards:event_winners                   GET    200    200    200    200    200    200
judging_awards:event_winners                   POST   405    405    405    405    405    405
judging_awards:challenge_winners[published]    GET    200    200    200    200    200    200
judging_awards:challenge_winners[draft]        GET    404    404    200    404    404    200
judging_awards:challenge_winners[published]    POST   405    405    405    405    405    405
judging_awards:results[closed]                 GET    login  403    403    403    403    200
judging_awards:results[open]                   GET    login  403    403    403    403    200
judging_awards:results[closed]                 POST   login  405    405    405    405    405
judging_awards:entry_shortlist[mine]           GET    login  405    405    405    405    405
judging_awards:entry_shortlist[mine]           POST   login  403    403    403    403    302*
judging_awards:entry_shortlist[open_entry]     POST   login  403    403    403    403    302
judging_awards:feedback_release[theirs]        GET    login  405    405    405    405    405
judging_awards:feedback_release[theirs]        POST   login  403    403    403    403    302*
judging_awards:feedback_release[open_entry]    POST   login  403    403    403    403    302
judging_awards:feedback[mine]                  GET    login  200    404    404    404    200
# an organizer previews feedback only once the round is closed (like the ranking)
judging_awards:feedback[mine_hidden]           GET    login  200    404    404    404    404
judging_awards:feedback[theirs]                GET    login  404    404    404    404    200
judging_awards:feedback[mine]                  POST   login  405    405    405    405    405
judging_awards:event_categories                GET    login  403    403    403    403    200
judging_awards:event_categories                POST   login  403    403    403    403    302*
judging_awards:event_default_categories        GET    login  405    405    405    405    405
judging_awards:event_default_categories        POST   login  403    403    403    403    302*
judging_awards:challenge_categories[published] GET    login  403    403    403    403    200
judging_awards:challenge_categories[published] POST   login  403    403    403    403    302*
judging_awards:category[jury]                  GET    login  403    403    403    403    200
judging_awards:category[closed_people]         GET    login  403    403    403    403    200
judging_awards:category[jury]                  POST   login  405    405    405    405    405
judging_awards:category_edit[jury]             GET    login  403    403    403    403    200
judging_awards:category_edit[jury]             POST   login  403    403    403    403    302*
judging_awards:category_delete[empty]          GET    login  405    405    405    405    405
judging_awards:category_delete[empty]          POST   login  403    403    403    403    302*
judging_awards:category_delete[jury]           POST   login  403    403    403    403    302
judging_awards:category_publish[jury]          GET    login  405    405    405    405    405
judging_awards:category_publish[jury]          POST   login  403    403    403    403    302*
judging_awards:category_publish[empty]         POST   login  403    403    403    403    302
judging_awards:award_give[jury]                GET    login  405    405    405    405    405
judging_awards:award_give[jury]                POST   login  403    403    403    403    302*
judging_awards:award_give_top_voted[closed_people] GET login 405    405    405    405    405
judging_awards:award_give_top_voted[closed_people] POST login 403   403    403    403    302*
judging_awards:award_give_top_voted[open_people] POST login  403    403    403    403    302
judging_awards:award_revoke[award]             GET    login  405    405    405    405    405
judging_awards:award_revoke[award]             POST   login  403    403    403    403    302*
judging_awards:vote[open_people]               GET    200    200    200    200    200    200
judging_awards:vote[closed_people]             GET    200    200    200    200    200    200
judging_awards:vote[jury]                      GET    404    404    404    404    404    404
judging_awards:vote[open_people]               POST   405    405    405    405    405    405
judging_awards:vote_cast[open_people]          GET    login  405    405    405    405    405
judging_awards:vote_cast[open_people]          POST   login  302*   302*   302*   302*   302*
judging_awards:vote_cast[closed_people]        POST   login  302    302    302    302    302
judging_awards:vote_cast[jury]                 POST   login  404    404    404    404    404
judging_awards:vote_withdraw[open_people]      GET    login  405    405    405    405    405
judging_awards:vote_withdraw[open_people]      POST   login  302*   302    302    302    302
"""


def _category_data(w: World, user: Any) -> dict[str, Any]:
    return {"name": "Prov: ett nytt pris", "description": "", "kind": "jury"}


POST_DATA: dict[str, Callable[[World, Any], dict[str, Any]]] = {
    "judging_awards:entry_shortlist": lambda w, u: {"value": "1"},
    "judging_awards:feedback_release": lambda w, u: {"value": "1"},
    "judging_awards:event_categories": _category_data,
    "judging_awards:challenge_categories": _category_data,
    "judging_awards:category_edit": lambda w, u: {"name": "Prov: ändrat namn", "kind": "jury"},
    "judging_awards:award_give": lambda w, u: {
        "solution": str(w.parts["submissions"]["submitted_a"].pk),
        "place": "2",
        "citation": "Provmotivering.",
    },
    "judging_awards:vote_cast": lambda w, u: {
        "solution": str(w.parts["submissions"]["submitted_a"].pk)
    },
}


def _pick(w: World, key: str) -> Any:
    from tests.security.world import MissingSample

    samples = w.parts["awards"]
    if key not in samples:
        raise MissingSample(f"no sample {key!r}; there are {sorted(samples)}")
    return samples[key]


def _sampler(param: str, default: str) -> Callable[[World, str | None], dict[str, str]]:
    return lambda w, variant: {param: str(_pick(w, variant or default).pk)}


def _challenge(w: World, variant: str | None) -> dict[str, str]:
    return {"slug": w.challenge(variant or "published").slug}


SAMPLES: dict[str, Callable[[World, str | None], dict[str, str]]] = {
    "judging_awards:event_winners": lambda w, v: {"slug": w.event.slug},
    "judging_awards:challenge_winners": _challenge,
    "judging_awards:results": _sampler("round_pk", "closed"),
    "judging_awards:entry_shortlist": _sampler("entry_pk", "mine"),
    "judging_awards:feedback_release": _sampler("entry_pk", "theirs"),
    "judging_awards:feedback": _sampler("entry_pk", "mine"),
    "judging_awards:event_categories": lambda w, v: {"slug": w.event.slug},
    "judging_awards:event_default_categories": lambda w, v: {"slug": w.event.slug},
    "judging_awards:challenge_categories": _challenge,
    "judging_awards:category": _sampler("category_pk", "jury"),
    "judging_awards:category_edit": _sampler("category_pk", "jury"),
    "judging_awards:category_delete": _sampler("category_pk", "empty"),
    "judging_awards:category_publish": _sampler("category_pk", "jury"),
    "judging_awards:award_give": _sampler("category_pk", "jury"),
    "judging_awards:award_give_top_voted": _sampler("category_pk", "closed_people"),
    "judging_awards:award_revoke": _sampler("award_pk", "award"),
    "judging_awards:vote": _sampler("category_pk", "open_people"),
    "judging_awards:vote_cast": _sampler("category_pk", "open_people"),
    "judging_awards:vote_withdraw": _sampler("category_pk", "open_people"),
}


def add_samples(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from hack365.judging.models import (
        Assignment,
        AssignmentStatus,
        Award,
        AwardCategory,
        AwardKind,
        Criterion,
        Entry,
        EvaluationRound,
        Juror,
        RoundStatus,
        Score,
        Vote,
    )
    from tests.accounts.factories import UserFactory

    now = timezone.now()
    solutions = world.parts["submissions"]
    mine, theirs = solutions["submitted_a"], solutions["submitted_b"]
    closed = EvaluationRound.objects.create(
        event=world.event,
        title="Prov: stängd omgång",
        opens_at=now - timedelta(days=5),
        closes_at=now - timedelta(days=1),
        status=RoundStatus.CLOSED,
        opened_at=now - timedelta(days=5),
        closed_at=now - timedelta(days=1),
    )
    open_round = EvaluationRound.objects.create(
        event=world.event,
        title="Prov: öppen omgång",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
        status=RoundStatus.OPEN,
        opened_at=now - timedelta(days=1),
    )
    criterion = Criterion.objects.create(round=closed, name="Samhällsnytta")
    entry_mine = Entry.objects.create(round=closed, solution=mine, feedback_released_at=now)
    entry_theirs = Entry.objects.create(round=closed, solution=theirs)
    for n, values in enumerate(((4, 2), (5, 3))):
        juror = Juror.objects.create(round=closed, user=UserFactory(username=f"prov-jury-{n}"))
        for entry, value in zip((entry_mine, entry_theirs), values, strict=True):
            assignment = Assignment.objects.create(
                entry=entry, juror=juror, status=AssignmentStatus.SUBMITTED, submitted_at=now
            )
            Score.objects.create(
                assignment=assignment,
                criterion=criterion,
                value=value,
                justification=f"Provmotivering {n}.",
            )
    mine_hidden = Entry.objects.create(round=open_round, solution=mine)
    open_entry = Entry.objects.create(round=open_round, solution=theirs)

    jury = AwardCategory.objects.create(
        event=world.event, name="Prov: juryns pris", kind=AwardKind.JURY, position=10
    )
    award = Award.objects.create(category=jury, solution=theirs, place=1)
    empty = AwardCategory.objects.create(
        event=world.event, name="Prov: tom kategori", kind=AwardKind.JURY, position=11
    )
    open_people = AwardCategory.objects.create(
        event=world.event,
        name="Prov: publikens val",
        kind=AwardKind.PEOPLE,
        voting_opens=now - timedelta(days=1),
        voting_closes=now + timedelta(days=5),
        position=12,
    )
    Vote.objects.create(category=open_people, solution=theirs, user=world.users["participant"])
    closed_people = AwardCategory.objects.create(
        event=world.event,
        name="Prov: stängd omröstning",
        kind=AwardKind.PEOPLE,
        voting_opens=now - timedelta(days=5),
        voting_closes=now - timedelta(days=1),
        position=13,
    )
    for n in range(2):
        Vote.objects.create(
            category=closed_people, solution=theirs, user=UserFactory(username=f"prov-rostare-{n}")
        )
    world.parts["awards"] = {
        "closed": closed,
        "open": open_round,
        "mine": entry_mine,
        "mine_hidden": mine_hidden,
        "theirs": entry_theirs,
        "open_entry": open_entry,
        "jury": jury,
        "empty": empty,
        "open_people": open_people,
        "closed_people": closed_people,
        "award": award,
    }
