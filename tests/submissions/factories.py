"""Factories for the submissions tests (and the admin sample builder)."""

from __future__ import annotations

import hashlib

import factory
from django.core.files.base import ContentFile

from hack365.submissions.models import (
    Attachment,
    Solution,
    SolutionDataset,
    SolutionStatus,
    SolutionVersion,
)
from hack365.teams.models import Team, TeamMembership, TeamRole
from tests.accounts.factories import UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory


def make_team(challenge: object = None, *, lead: object = None, members: tuple = (), **fields):  # type: ignore[no-untyped-def]
    """A team on ``challenge`` (a new published one in a new event if None)
    with ``lead`` and ``members`` (users), made with the models directly."""
    if challenge is None:
        challenge = PublishedChallengeFactory(event=EventFactory())
    fields.setdefault("name", f"Team {Team.objects.count() + 1}")
    team = Team.objects.create(challenge=challenge, **fields)
    TeamMembership.objects.create(team=team, user=lead or UserFactory(), role=TeamRole.LEAD)
    for user in members:
        TeamMembership.objects.create(team=team, user=user, role=TeamRole.MEMBER)
    return team


class SolutionFactory(factory.django.DjangoModelFactory[Solution]):
    class Meta:
        model = Solution

    team = factory.LazyFunction(make_team)
    challenge = factory.LazyAttribute(lambda o: o.team.challenge)
    title = factory.Sequence(lambda n: f"Lösning {n}")
    summary = "En app som visar data."
    problem = "Svårt att hitta data."
    target_group = "Invånare"
    licence = "EUPL-1.2"
    status = SolutionStatus.DRAFT


class SolutionDatasetFactory(factory.django.DjangoModelFactory[SolutionDataset]):
    class Meta:
        model = SolutionDataset

    solution = factory.SubFactory(SolutionFactory)
    dataset = factory.SubFactory("tests.catalog.factories.DatasetFactory")


class SolutionVersionFactory(factory.django.DjangoModelFactory[SolutionVersion]):
    class Meta:
        model = SolutionVersion

    solution = factory.SubFactory(SolutionFactory)
    number = 1
    status = SolutionStatus.DRAFT
    data = factory.LazyAttribute(lambda o: {"title": o.solution.title, "datasets": []})


CSV = b"kommun,antal\nStockholm,1\n"


class AttachmentFactory(factory.django.DjangoModelFactory[Attachment]):
    class Meta:
        model = Attachment

    solution = factory.SubFactory(SolutionFactory)
    file = factory.LazyFunction(lambda: ContentFile(CSV, name="data.csv"))
    original_name = "data.csv"
    content_type = "text/csv"
    size = len(CSV)
    sha256 = hashlib.sha256(CSV).hexdigest()
