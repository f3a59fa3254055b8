"""Who is a juror of what, and when a round takes scores: rules shared by
services, selectors, views and the solution pages (through
``hack365.submissions.rules.is_assigned_juror``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from hack365.core.permissions import is_authenticated

from .models import Assignment, AssignmentStatus, EvaluationRound, RoundStatus


def is_assigned_juror(user: Any, solution: Any) -> bool:
    """``user`` is assigned to ``solution`` in a round that is not a draft,
    and has not recused themself (declared a conflict of interest)."""
    if not is_authenticated(user) or not user.is_active:
        return False
    solution_id = solution if isinstance(solution, int) else getattr(solution, "pk", None)
    if solution_id is None:
        return False
    return (
        Assignment.objects.filter(entry__solution_id=solution_id, juror__user=user)
        .exclude(status=AssignmentStatus.RECUSED)
        .exclude(entry__round__status=RoundStatus.DRAFT)
        .exists()
    )


def is_locked(round: EvaluationRound, now: datetime | None = None) -> bool:
    """Closed, or its closing time has come (server time; at ``closes_at``
    itself the round is locked): no score may change any more."""
    if round.status == RoundStatus.CLOSED:
        return True
    return (now or timezone.now()) >= round.closes_at


def has_opened(round: EvaluationRound, now: datetime | None = None) -> bool:
    """Scoring has begun: the round is open and its opening time has come."""
    return round.status != RoundStatus.DRAFT and (now or timezone.now()) >= round.opens_at


def takes_scores(round: EvaluationRound, now: datetime | None = None) -> bool:
    """Open for scoring now: opened, ``opens_at <= now < closes_at``."""
    now = now or timezone.now()
    return round.status == RoundStatus.OPEN and has_opened(round, now) and not is_locked(round, now)


def is_draft(round: EvaluationRound) -> bool:
    return round.status == RoundStatus.DRAFT
