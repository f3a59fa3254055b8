"""Factories for the realization tests (and the admin sample builder)."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from hack365.realization.models import Decision, FollowUp, Milestone, Realization
from hack365.submissions.models import SolutionStatus
from tests.submissions.factories import SolutionFactory


class RealizationFactory(factory.django.DjangoModelFactory[Realization]):
    class Meta:
        model = Realization

    solution = factory.SubFactory(
        SolutionFactory,
        status=SolutionStatus.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )
    decision = Decision.PILOT
    decided_at = factory.LazyFunction(timezone.now)


class MilestoneFactory(factory.django.DjangoModelFactory[Milestone]):
    class Meta:
        model = Milestone

    realization = factory.SubFactory(RealizationFactory)
    date = factory.LazyFunction(date.today)
    title = factory.Sequence(lambda n: f"Delmål {n}")


class FollowUpFactory(factory.django.DjangoModelFactory[FollowUp]):
    class Meta:
        model = FollowUp

    solution = factory.SubFactory(
        SolutionFactory,
        status=SolutionStatus.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )
    months = 6
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=182))
