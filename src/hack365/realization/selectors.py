"""Reads for the realization pages: one solution's realization with an
access check, a milestone of it, the public overview of awarded solutions,
and the parts shown on the solution, challenge and organisation pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hack365.challenges import rules as challenge_rules
from hack365.challenges.models import PUBLIC_STATUSES, Challenge, Event
from hack365.judging.models import Award
from hack365.organizations.models import Organization
from hack365.submissions.models import Solution, SolutionStatus

from . import rules
from .forms import NO_DECISION
from .models import Decision, FollowUp, Milestone, Realization

ORGANISATION_LIMIT = 20


def _pk(value: Any, what: str = "solution") -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise Http404(f"No such {what}") from None
    if pk <= 0 or pk > 2**62:
        raise Http404(f"No such {what}")
    return pk


def published_awards() -> QuerySet[Award]:
    """Awards whose category is published (the public may know of them)."""
    return Award.objects.filter(category__published_at__isnull=False)


def _pending(qs: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return qs.filter(sent_at__isnull=True, answered_at__isnull=True).order_by("due_at", "pk")


@dataclass
class RealizationPage:
    """One solution's realization and what ``viewer`` may do with it."""

    solution: Solution
    realization: Realization | None
    milestones: list[Milestone]
    awards: list[Award]
    next_follow_up: FollowUp | None
    viewer: challenge_rules.Viewer
    can_manage: bool


def access_solution_realization(user: Any, pk: Any) -> RealizationPage:
    """The realization page of a solution ``user`` may see; 404 for a
    solution that is not submitted or not visible to them."""
    try:
        solution = Solution.objects.select_related(
            "team", "challenge", "challenge__owner", "challenge__event"
        ).get(pk=_pk(pk))
    except Solution.DoesNotExist:
        raise Http404("No such solution") from None
    viewer = challenge_rules.viewer_for(user)
    if not rules.can_view(viewer, solution):
        raise Http404("No such solution")
    realization = Realization.objects.filter(solution=solution).select_related("decided_by").first()
    milestones: list[Milestone] = []
    if realization is not None:
        realization.solution = solution
        milestones = list(realization.milestones.order_by("date", "pk"))
        for milestone in milestones:
            milestone.realization = realization
    return RealizationPage(
        solution=solution,
        realization=realization,
        milestones=milestones,
        awards=list(
            published_awards()
            .filter(solution=solution)
            .select_related("category", "category__event", "category__challenge")
        ),
        next_follow_up=_pending(FollowUp.objects.filter(solution=solution)).first(),
        viewer=viewer,
        can_manage=rules.can_manage(viewer, solution),
    )


def access_milestone(user: Any, pk: Any, milestone_pk: Any) -> tuple[Milestone, RealizationPage]:
    """A milestone of the solution ``pk`` that ``user`` may change: 404 when
    the solution is not visible or the milestone is not one of its own,
    PermissionDenied for a visitor who may not change it."""
    page = access_solution_realization(user, pk)
    if not page.can_manage:
        raise PermissionDenied(
            _("Only the challenge's need owners and the organizers may record its realization.")
        )
    wanted = _pk(milestone_pk, "milestone")
    for milestone in page.milestones:
        if milestone.pk == wanted:
            return milestone, page
    raise Http404("No such milestone")


# --- the overview -----------------------------------------------------------------------


def awarded_solutions() -> QuerySet[Solution]:
    """Public solutions with at least one published award."""
    return Solution.objects.filter(
        status=SolutionStatus.SUBMITTED,
        challenge__status__in=PUBLIC_STATUSES,
        pk__in=published_awards().values("solution_id"),
    )


def overview_events() -> list[tuple[str, str]]:
    """The events of the awarded solutions, for the filter (slug, name)."""
    return list(
        Event.objects.filter(challenges__solutions__in=awarded_solutions())
        .distinct()
        .order_by("-hacking_starts")
        .values_list("slug", "name")
    )


def overview(*, decision: str = "", event: str = "") -> QuerySet[Solution]:
    """The awarded solutions and where they stand: each with its realization
    (or none), its milestones newest first (``milestones_newest``), its
    published awards (``published_awards``) and its follow-ups not sent yet
    (``pending_follow_ups``), in a constant number of queries."""
    qs = awarded_solutions()
    if decision == NO_DECISION:
        qs = qs.filter(realization__isnull=True)
    elif decision in Decision.values:
        qs = qs.filter(realization__decision=decision)
    if event:
        qs = qs.filter(challenge__event__slug=event)
    return (
        qs.select_related(
            "team", "challenge", "challenge__owner", "challenge__event", "realization"
        )
        .prefetch_related(
            Prefetch(
                "realization__milestones",
                queryset=Milestone.objects.order_by("-date", "-pk"),
                to_attr="milestones_newest",
            ),
            Prefetch(
                "awards",
                queryset=published_awards().select_related("category"),
                to_attr="published_awards",
            ),
            Prefetch(
                "follow_ups",
                queryset=_pending(FollowUp.objects.all()),
                to_attr="pending_follow_ups",
            ),
        )
        .order_by("-submitted_at", "-pk")
    )


@dataclass(frozen=True)
class DecisionCount:
    decision: str
    label: Any
    count: int


def overview_counts() -> list[DecisionCount]:
    """How many awarded solutions stand at each decision, and how many have
    none yet (one query)."""
    found: dict[str | None, int] = dict(
        awarded_solutions()
        .order_by()
        .values("realization__decision")
        .annotate(n=Count("pk"))
        .values_list("realization__decision", "n")
    )
    counts = [
        DecisionCount(value, label, found.get(value, 0))
        for value, label in rules.decision_choices()
    ]
    counts.append(DecisionCount(NO_DECISION, gettext_lazy("No decision yet"), found.get(None, 0)))
    return counts


# --- parts of other pages ----------------------------------------------------------------


def solution_status(solution: Solution) -> tuple[Realization | None, list[Milestone]]:
    """A solution's realization and its milestones newest first (two queries;
    none for a solution that is not submitted)."""
    if solution.status != SolutionStatus.SUBMITTED:
        return None, []
    realization = Realization.objects.filter(solution=solution).first()
    if realization is None:
        return None, []
    return realization, list(realization.milestones.order_by("-date", "-pk"))


def challenge_realizations(challenge: Challenge) -> list[Realization]:
    """The decisions on the challenge's submitted solutions, newest first."""
    return list(
        Realization.objects.filter(
            solution__challenge=challenge, solution__status=SolutionStatus.SUBMITTED
        )
        .select_related("solution", "solution__team")
        .order_by("-decided_at", "-pk")
    )


def organisation_realizations(
    organization: Organization, *, limit: int = ORGANISATION_LIMIT
) -> list[Realization]:
    """Solutions to the organisation's public challenges that it adopts,
    pilots, procures or develops further (not the declined), newest first."""
    return list(
        Realization.objects.filter(
            solution__challenge__owner=organization,
            solution__challenge__status__in=PUBLIC_STATUSES,
            solution__status=SolutionStatus.SUBMITTED,
        )
        .exclude(decision=Decision.DECLINE)
        .select_related("solution", "solution__team", "solution__challenge")
        .order_by("-decided_at", "-pk")[:limit]
    )
