from __future__ import annotations

import contextlib
import secrets

import factory

from hack365.teams.models import (
    Invitation,
    JoinRequest,
    RolePosting,
    Team,
    TeamMembership,
    TeamRole,
    TeamSeeker,
)
from tests.accounts.factories import UserFactory
from tests.challenges.factories import PublishedChallengeFactory


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    """A team on a published challenge; ``lead=`` a user makes them its lead."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Team {n}")
    challenge = factory.SubFactory(PublishedChallengeFactory)
    description = "Vi bygger något bra."

    @factory.post_generation
    def lead(obj: Team, create: bool, extracted: object, **kwargs: object) -> None:  # type: ignore[misc]
        if create:
            user = extracted if extracted is not None else UserFactory()
            TeamMembership.objects.create(team=obj, user=user, role=TeamRole.LEAD)


class TeamMembershipFactory(factory.django.DjangoModelFactory[TeamMembership]):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = TeamRole.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory[Invitation]):
    class Meta:
        model = Invitation

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    email = ""
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))


class JoinRequestFactory(factory.django.DjangoModelFactory[JoinRequest]):
    class Meta:
        model = JoinRequest

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    message = "Får jag vara med?"


class RolePostingFactory(factory.django.DjangoModelFactory[RolePosting]):
    class Meta:
        model = RolePosting

    team = factory.SubFactory(TeamFactory)
    title = "Datavetare"
    skills = factory.LazyFunction(lambda: ["Python", "statistik"])


class TeamSeekerFactory(factory.django.DjangoModelFactory[TeamSeeker]):
    class Meta:
        model = TeamSeeker

    user = factory.SubFactory(UserFactory)
    challenge = factory.SubFactory(PublishedChallengeFactory)
    note = "Jag kan Python."


# the mentors part's factories, once they exist
with contextlib.suppress(ImportError):
    from .mentor_factories import *  # noqa: F401,F403
