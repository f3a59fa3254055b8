"""Factories for the judging tests (and the admin sample builder)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from hack365.judging.models import (
    Assignment,
    Award,
    AwardCategory,
    AwardKind,
    ConflictDeclaration,
    ConflictReason,
    Criterion,
    Entry,
    EvaluationRound,
    Juror,
    RoundStatus,
    Scale,
    Score,
    Vote,
)
from hack365.submissions.models import SolutionStatus
from tests.accounts.factories import UserFactory
from tests.challenges.factories import EventFactory
from tests.submissions.factories import SolutionFactory


class EvaluationRoundFactory(factory.django.DjangoModelFactory[EvaluationRound]):
    class Meta:
        model = EvaluationRound

    event = factory.SubFactory(EventFactory)
    challenge = None
    title = factory.Sequence(lambda n: f"Bedömningsomgång {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    status = RoundStatus.DRAFT


class CriterionFactory(factory.django.DjangoModelFactory[Criterion]):
    class Meta:
        model = Criterion

    round = factory.SubFactory(EvaluationRoundFactory)
    name = factory.Sequence(lambda n: f"Kriterium {n}")
    scale = Scale.ONE_TO_FIVE
    position = factory.Sequence(lambda n: n)


class EntryFactory(factory.django.DjangoModelFactory[Entry]):
    class Meta:
        model = Entry

    round = factory.SubFactory(EvaluationRoundFactory)
    solution = factory.SubFactory(
        SolutionFactory,
        status=SolutionStatus.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )


class JurorFactory(factory.django.DjangoModelFactory[Juror]):
    class Meta:
        model = Juror

    round = factory.SubFactory(EvaluationRoundFactory)
    user = factory.SubFactory(UserFactory)


class AssignmentFactory(factory.django.DjangoModelFactory[Assignment]):
    class Meta:
        model = Assignment

    entry = factory.SubFactory(EntryFactory)
    juror = factory.SubFactory(JurorFactory, round=factory.SelfAttribute("..entry.round"))


class ConflictDeclarationFactory(factory.django.DjangoModelFactory[ConflictDeclaration]):
    class Meta:
        model = ConflictDeclaration

    entry = factory.SubFactory(EntryFactory)
    juror = factory.SubFactory(JurorFactory, round=factory.SelfAttribute("..entry.round"))
    reason = ConflictReason.KNOWS_MEMBER


class ScoreFactory(factory.django.DjangoModelFactory[Score]):
    class Meta:
        model = Score

    assignment = factory.SubFactory(AssignmentFactory)
    criterion = factory.SubFactory(
        CriterionFactory, round=factory.SelfAttribute("..assignment.entry.round")
    )
    value = 3
    justification = "Tydlig nytta för invånarna."


class AwardCategoryFactory(factory.django.DjangoModelFactory[AwardCategory]):
    class Meta:
        model = AwardCategory

    event = factory.SubFactory(EventFactory)
    challenge = None
    name = factory.Sequence(lambda n: f"Pris {n}")
    kind = AwardKind.JURY


class AwardFactory(factory.django.DjangoModelFactory[Award]):
    class Meta:
        model = Award

    category = factory.SubFactory(AwardCategoryFactory)
    solution = factory.SubFactory(
        SolutionFactory,
        status=SolutionStatus.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )


class VoteFactory(factory.django.DjangoModelFactory[Vote]):
    class Meta:
        model = Vote

    category = factory.SubFactory(AwardCategoryFactory, kind=AwardKind.PEOPLE)
    solution = factory.SubFactory(
        SolutionFactory,
        status=SolutionStatus.SUBMITTED,
        submitted_at=factory.LazyFunction(timezone.now),
    )
    user = factory.SubFactory(UserFactory)


# --- the jury flow (helper H1): an open round made through the services -------------------


def submitted_solution(challenge: object, **fields: object) -> object:
    """A submitted solution to ``challenge`` by a new team."""
    from tests.submissions.factories import make_team

    team = make_team(challenge)
    return SolutionFactory(
        team=team,
        challenge=challenge,
        status=SolutionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **fields,
    )


def open_round(  # type: ignore[no-untyped-def]
    *, organizer=None, solutions: int = 3, jurors: int = 3, **fields
):
    """An open round of a new event with ``solutions`` submitted solutions
    (one challenge), ``jurors`` jury members and the default criteria, made
    through the services; returns (round, organizer, [juror users])."""
    from hack365.judging import services
    from tests.accounts.factories import OrganizerFactory
    from tests.challenges.factories import PublishedChallengeFactory

    organizer = organizer or OrganizerFactory()
    event = fields.pop("event", None) or EventFactory()
    challenge = PublishedChallengeFactory(event=event)
    for _ in range(solutions):
        submitted_solution(challenge)
    now = timezone.now()
    made = services.round_create(
        actor=organizer,
        event=event,
        title=fields.pop("title", "Första omgången"),
        opens_at=fields.pop("opens_at", now - timedelta(hours=1)),
        closes_at=fields.pop("closes_at", now + timedelta(days=7)),
        **fields,
    )
    users = [UserFactory() for _ in range(jurors)]
    for user in users:
        services.juror_add(actor=organizer, round=made, user=user, notify=False)
    services.round_open(actor=organizer, round=made)
    made.refresh_from_db()
    return made, organizer, users
