"""Reads for the results, feedback, awards, votes and winners pages, with
their access checks (``access_*`` raise Http404 to hide what a reader may
not know exists, PermissionDenied where the page's existence is no secret).

Only scores of *submitted* assignments count: a juror's draft, and anything
of a recused juror (a declared conflict of interest), never does."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from hack365.challenges.models import PUBLIC_STATUSES, Challenge, Event
from hack365.core.permissions import is_organizer, require_organizer
from hack365.submissions.models import Solution
from hack365.submissions.rules import is_team_member

from . import award_services, ranking
from .models import (
    SCALE_BOUNDS,
    Assignment,
    AssignmentStatus,
    Award,
    AwardCategory,
    AwardKind,
    Criterion,
    Entry,
    EvaluationRound,
    RoundStatus,
    Score,
    Vote,
)
from .selectors import pk_or_404

# --- scores and ranking ---------------------------------------------------------------


def counted_scores(round_: EvaluationRound) -> QuerySet[Score]:
    """The scores that count: those of submitted assignments of the round."""
    return Score.objects.filter(
        assignment__entry__round=round_,
        assignment__status=AssignmentStatus.SUBMITTED,
        criterion__round=round_,
    )


def score_inputs(round_: EvaluationRound) -> list[ranking.ScoreInput]:
    rows = counted_scores(round_).values_list(
        "assignment__juror_id", "assignment__entry_id", "criterion_id", "value"
    )
    return [ranking.ScoreInput(juror=j, entry=e, criterion=c, value=v) for j, e, c, v in rows]


def criterion_specs(criteria: list[Criterion]) -> list[ranking.CriterionSpec]:
    return [
        ranking.CriterionSpec(
            id=c.pk, weight=c.weight, low=SCALE_BOUNDS[c.scale][0], high=SCALE_BOUNDS[c.scale][1]
        )
        for c in criteria
    ]


@dataclass(frozen=True)
class ResultRow:
    entry: Entry
    result: ranking.EntryResult


def round_results(round_: EvaluationRound) -> list[ResultRow]:
    """Every entry of the round, ranked (best first; unscored entries last)."""
    entries = {
        e.pk: e
        for e in Entry.objects.filter(round=round_).select_related(
            "solution", "solution__team", "solution__challenge"
        )
    }
    criteria = list(Criterion.objects.filter(round=round_))
    results = ranking.rank_entries(score_inputs(round_), criterion_specs(criteria), entries=entries)
    return [ResultRow(entry=entries[r.entry], result=r) for r in results if r.entry in entries]  # type: ignore[index]


@dataclass(frozen=True)
class RoundProgress:
    entries: int
    assignments: int
    submitted: int
    to_score: int
    recused: int
    entries_without_scores: int


def round_progress(round_: EvaluationRound) -> RoundProgress:
    statuses = Counter(
        Assignment.objects.filter(entry__round=round_).values_list("status", flat=True)
    )
    entries = Entry.objects.filter(round=round_)
    scored = entries.filter(assignments__status=AssignmentStatus.SUBMITTED).distinct().count()
    total = entries.count()
    return RoundProgress(
        entries=total,
        assignments=sum(statuses.values()),
        submitted=statuses[AssignmentStatus.SUBMITTED],
        to_score=statuses[AssignmentStatus.ASSIGNED],
        recused=statuses[AssignmentStatus.RECUSED],
        entries_without_scores=total - scored,
    )


def access_round_results(user: Any, round_pk: Any) -> EvaluationRound:
    """Organizers only."""
    require_organizer(user)
    found = (
        EvaluationRound.objects.select_related("event", "challenge", "previous_round")
        .filter(pk=pk_or_404(round_pk))
        .first()
    )
    if found is None:
        raise Http404("No such round")
    return found


def access_entry_for_organizer(user: Any, entry_pk: Any) -> Entry:
    require_organizer(user)
    found = Entry.objects.select_related("round", "solution").filter(pk=pk_or_404(entry_pk)).first()
    if found is None:
        raise Http404("No such entry")
    return found


# --- feedback to a team ---------------------------------------------------------------


@dataclass
class CriterionFeedback:
    criterion: Criterion
    low: int
    high: int
    raw_mean: float | None = None
    normalised_mean: float | None = None
    jurors: int = 0
    justifications: list[str] = field(default_factory=list)


def access_feedback(user: Any, entry_pk: Any) -> tuple[Entry, bool]:
    """The entry and whether ``user`` is a member of its solution's team.
    Members of the team may open it; organizers too, to preview what the team
    sees, but only once the round is closed (before that the scores are not
    final, and, like the results ranking, they are not shown); everybody else
    gets 404, whether or not it exists."""
    found = (
        Entry.objects.select_related(
            "round", "round__event", "round__challenge", "solution", "solution__team"
        )
        .filter(pk=pk_or_404(entry_pk))
        .first()
    )
    if found is None:
        raise Http404("No such feedback")
    member = is_team_member(user, found.solution.team_id)
    if not member and not (is_organizer(user) and found.round.status == RoundStatus.CLOSED):
        raise Http404("No such feedback")
    return found, member


def entry_feedback(entry: Entry) -> list[CriterionFeedback]:
    """Per criterion of the entry's round: the mean score, the mean of the
    jurors' normalised values and the justifications — sorted by their text,
    so that nothing ties them to a juror or to each other across entries."""
    round_ = entry.round
    criteria = list(Criterion.objects.filter(round=round_))
    means = ranking.criterion_means(score_inputs(round_), criterion_specs(criteria)).get(
        entry.pk, {}
    )
    texts: dict[int, list[str]] = defaultdict(list)
    for criterion_id, text in (
        counted_scores(round_)
        .filter(assignment__entry=entry)
        .values_list("criterion_id", "justification")
    ):
        texts[criterion_id].append(text)
    out = []
    for criterion in criteria:
        low, high = SCALE_BOUNDS[criterion.scale]
        item = CriterionFeedback(criterion=criterion, low=low, high=high)
        mean = means.get(criterion.pk)
        if mean is not None:
            item.raw_mean = mean.raw_mean
            item.normalised_mean = mean.normalised_mean
            item.jurors = mean.jurors
        item.justifications = sorted(texts.get(criterion.pk, []), key=lambda t: (t.casefold(), t))
        out.append(item)
    return out


def team_feedback_entries(solution: Solution) -> list[Entry]:
    """The entries of ``solution`` whose feedback has been released."""
    return list(
        Entry.objects.filter(solution=solution, feedback_released_at__isnull=False)
        .select_related("round")
        .order_by("round__opens_at", "pk")
    )


# --- award categories and awards ------------------------------------------------------


def _awards_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "awards",
        queryset=Award.objects.select_related("solution", "solution__team", "solution__challenge"),
    )


def categories_of(
    *, event: Event | None = None, challenge: Challenge | None = None
) -> list[AwardCategory]:
    categories = AwardCategory.objects.prefetch_related(_awards_prefetch())
    if event is not None:
        categories = categories.filter(event=event)
    else:
        categories = categories.filter(challenge=challenge)
    return list(categories)


def access_category_for_organizer(user: Any, category_pk: Any) -> AwardCategory:
    require_organizer(user)
    found = (
        AwardCategory.objects.select_related("event", "challenge")
        .prefetch_related(_awards_prefetch())
        .filter(pk=pk_or_404(category_pk))
        .first()
    )
    if found is None:
        raise Http404("No such award category")
    return found


def access_award_for_organizer(user: Any, award_pk: Any) -> Award:
    require_organizer(user)
    found = Award.objects.select_related("category").filter(pk=pk_or_404(award_pk)).first()
    if found is None:
        raise Http404("No such award")
    return found


def rounds_of(
    *, event: Event | None = None, challenge: Challenge | None = None
) -> list[EvaluationRound]:
    if event is not None:
        return list(EvaluationRound.objects.filter(event=event))
    return list(EvaluationRound.objects.filter(challenge=challenge))


@dataclass(frozen=True)
class Candidate:
    solution: Solution
    votes: int | None  # None: not shown (yet)


def candidates(category: AwardCategory, *, with_counts: bool) -> list[Candidate]:
    """The eligible solutions (title order), with their vote counts if asked."""
    counts = award_services.vote_counts(category) if with_counts else {}
    solutions = (
        award_services.eligible_solutions(category)
        .select_related("team", "challenge")
        .order_by("title", "pk")
    )
    return [
        Candidate(solution=s, votes=counts.get(s.pk, 0) if with_counts else None) for s in solutions
    ]


def published_winners(
    *, event: Event | None = None, challenge: Challenge | None = None
) -> list[AwardCategory]:
    """The published categories with their awards (by place), for the
    winners page."""
    categories = AwardCategory.objects.filter(published_at__isnull=False).prefetch_related(
        Prefetch(
            "awards",
            queryset=Award.objects.select_related("solution", "solution__team").order_by(
                "place", "solution__title", "pk"
            ),
        )
    )
    if event is not None:
        categories = categories.filter(event=event)
    else:
        categories = categories.filter(challenge=challenge)
    return list(categories)


def solution_published_awards(solution: Solution) -> list[Award]:
    return list(
        Award.objects.filter(solution=solution, category__published_at__isnull=False)
        .select_related("category", "category__event", "category__challenge")
        .order_by("category__published_at", "place", "pk")
    )


# --- the public vote -------------------------------------------------------------------


def access_vote_category(user: Any, category_pk: Any) -> AwardCategory:
    """A people's choice category whose event or (public) challenge anyone
    may see; 404 otherwise."""
    found = (
        AwardCategory.objects.select_related("event", "challenge")
        .filter(pk=pk_or_404(category_pk), kind=AwardKind.PEOPLE)
        .first()
    )
    if found is None:
        raise Http404("No such vote")
    if found.challenge is not None and found.challenge.status not in PUBLIC_STATUSES:
        raise Http404("No such vote")
    return found


def user_vote(user: Any, category: AwardCategory) -> Vote | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Vote.objects.filter(category=category, user=user).first()
