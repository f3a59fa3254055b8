from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from hack365.challenges.models import Challenge, ChallengeStatus, Event, EventKind, Question
from hack365.organizations.models import Level
from tests.accounts.factories import UserFactory
from tests.organizations.factories import OrganizationFactory


class EventFactory(factory.django.DjangoModelFactory[Event]):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Hackathon {n}")
    slug = factory.Sequence(lambda n: f"hackathon-{n}")
    kind = EventKind.ANNUAL
    description = "Ett evenemang."
    registration_opens = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    hacking_starts = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    evaluation_ends = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    results_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=12))


class ChallengeFactory(factory.django.DjangoModelFactory[Challenge]):
    class Meta:
        model = Challenge
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Utmaning {n}")
    slug = factory.Sequence(lambda n: f"utmaning-{n}")
    summary = "En kort sammanfattning."
    problem = "Problemet beskrivs här."
    expected_benefit = "Nyttan för samhället."
    target_group = "Invånare"
    level = Level.NATIONAL
    owner = factory.SubFactory(OrganizationFactory)
    status = ChallengeStatus.DRAFT

    @factory.post_generation
    def index(obj: Challenge, create: bool, extracted: object, **kwargs: object) -> None:  # type: ignore[misc]
        if create:
            from hack365.challenges.services import challenge_search_text

            obj.search_text = challenge_search_text(obj)
            obj.save(update_fields=["search_text"])


class PublishedChallengeFactory(ChallengeFactory):
    status = ChallengeStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    class Meta:
        model = Question

    challenge = factory.SubFactory(PublishedChallengeFactory)
    author = factory.SubFactory(UserFactory)
    body = "Finns det data per kommun?"


def make_public_challenges(n: int, **fields: object) -> list[Challenge]:
    """``n`` published challenges, each with a theme and a co-owner, so that
    list pages show everything a card can show."""
    from hack365.core.models import DataTheme

    themes = list(DataTheme.objects.all()[:2])
    made = []
    for _ in range(n):
        challenge = PublishedChallengeFactory(**fields)
        challenge.themes.add(*themes)
        challenge.co_owners.add(OrganizationFactory())
        made.append(challenge)
    return made
