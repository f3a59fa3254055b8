"""The shortlist, feedback release, award categories, awards, publishing
and the people's choice vote (award_services.py), rule by rule."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from hack365.challenges.models import ChallengeStatus
from hack365.core.errors import ApplicationError
from hack365.core.models import AuditLogEntry
from hack365.judging import award_services as services
from hack365.judging.models import (
    Award,
    AwardCategory,
    AwardKind,
    RoundStatus,
    Vote,
)
from hack365.realization.models import FollowUp
from hack365.submissions.models import Solution, SolutionStatus
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.judging.factories import (
    AwardCategoryFactory,
    AwardFactory,
    EntryFactory,
    EvaluationRoundFactory,
    VoteFactory,
)
from tests.submissions.factories import SolutionFactory, make_team

pytestmark = pytest.mark.django_db


# --- helpers (the view tests use them too) ----------------------------------------------


def submitted_solution(event: Any = None, *, challenge: Any = None, **fields: Any) -> Solution:
    """A submitted solution on a published challenge of ``event`` (or on
    ``challenge``)."""
    if challenge is None:
        challenge = PublishedChallengeFactory(event=event or EventFactory())
    team = make_team(
        challenge, **({"name": fields.pop("team_name")} if "team_name" in fields else {})
    )
    return SolutionFactory(
        team=team,
        challenge=challenge,
        status=SolutionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        **fields,
    )


def people_category(event: Any, *, state: str = "open", **fields: Any) -> AwardCategory:
    now = timezone.now()
    opens, closes = {
        "open": (now - timedelta(days=1), now + timedelta(days=1)),
        "before": (now + timedelta(days=1), now + timedelta(days=2)),
        "closed": (now - timedelta(days=2), now - timedelta(days=1)),
    }[state]
    return AwardCategoryFactory(
        event=event,
        kind=AwardKind.PEOPLE,
        name=fields.pop("name", "Publikens pris"),
        voting_opens=opens,
        voting_closes=closes,
        **fields,
    )


@contextmanager
def raises_code(code: str) -> Iterator[None]:
    """An ApplicationError with this code (the messages are in Swedish)."""
    with pytest.raises(ApplicationError) as info:
        yield
    assert info.value.code == code, info.value.messages


def actions(action: str) -> int:
    return AuditLogEntry.objects.filter(action=action).count()


@pytest.fixture
def organizer() -> Any:
    return OrganizerFactory(username="arrangor")


@pytest.fixture
def event() -> Any:
    return EventFactory(slug="hack-for-sweden")


# --- shortlist and feedback -------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "field", "action"),
    [
        ("entry_shortlist", "shortlisted", "judging.entry.shortlisted"),
        ("feedback_release", "released", "judging.feedback.released"),
    ],
)
def test_entry_switches_need_a_closed_round_and_an_organizer(
    organizer: Any, service: str, field: str, action: str
) -> None:
    func = getattr(services, service)
    entry = EntryFactory(round=EvaluationRoundFactory(status=RoundStatus.OPEN))
    with raises_code("round_open"):
        func(actor=organizer, entry=entry, **{field: True})
    entry.round.status = RoundStatus.CLOSED
    entry.round.save()
    with pytest.raises(PermissionDenied):
        func(actor=UserFactory(), entry=entry, **{field: True})
    with pytest.raises(PermissionDenied):
        func(actor=OrganizerFactory(is_staff=False), entry=entry, **{field: True})
    assert actions(action) == 0
    func(actor=organizer, entry=entry, **{field: True})
    func(actor=organizer, entry=entry, **{field: True})  # no change, no second entry
    assert actions(action) == 1
    entry.refresh_from_db()
    if field == "shortlisted":
        assert entry.shortlisted
    else:
        assert entry.feedback_released_at is not None
    func(actor=organizer, entry=entry, **{field: False})
    entry.refresh_from_db()
    assert entry.shortlisted is False and entry.feedback_released_at is None


# --- categories -----------------------------------------------------------------------


def test_category_create_jury_and_people(organizer: Any, event: Any) -> None:
    jury = services.award_category_create(
        actor=organizer, event=event, name="  Juryns pris ", kind=AwardKind.JURY
    )
    assert jury.name == "Juryns pris" and jury.position == 0
    assert jury.voting_opens is None
    now = timezone.now()
    people = services.award_category_create(
        actor=organizer,
        event=event,
        name="Publikens pris",
        kind=AwardKind.PEOPLE,
        voting_opens=now,
        voting_closes=now + timedelta(days=1),
    )
    assert people.position == 1
    assert actions("judging.award_category.created") == 2


def test_category_create_refusals(organizer: Any, event: Any) -> None:
    challenge = PublishedChallengeFactory(event=event)
    with pytest.raises(PermissionDenied):
        services.award_category_create(
            actor=UserFactory(), event=event, name="X", kind=AwardKind.JURY
        )
    with pytest.raises(ApplicationError):
        services.award_category_create(actor=organizer, name="X", kind=AwardKind.JURY)
    with pytest.raises(ApplicationError):
        services.award_category_create(
            actor=organizer, event=event, challenge=challenge, name="X", kind=AwardKind.JURY
        )
    with pytest.raises(ValidationError) as error:
        services.award_category_create(actor=organizer, event=event, name=" ", kind="bogus")
    assert set(error.value.message_dict) == {"name", "kind"}
    with pytest.raises(ValidationError) as error:
        services.award_category_create(
            actor=organizer, event=event, name="x" * 201, description="\x00", kind=AwardKind.JURY
        )
    assert set(error.value.message_dict) == {"name", "description"}
    with pytest.raises(ValidationError) as error:
        services.award_category_create(
            actor=organizer, event=event, name="Publik", kind=AwardKind.PEOPLE
        )
    assert set(error.value.message_dict) == {"voting_opens", "voting_closes"}
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        services.award_category_create(
            actor=organizer,
            event=event,
            name="Publik",
            kind=AwardKind.PEOPLE,
            voting_opens=now,
            voting_closes=now,
        )
    assert "voting_closes" in error.value.message_dict
    services.award_category_create(actor=organizer, event=event, name="Pris", kind=AwardKind.JURY)
    with pytest.raises(ValidationError) as error:
        services.award_category_create(
            actor=organizer, event=event, name="PRIS", kind=AwardKind.JURY
        )
    assert "name" in error.value.message_dict
    assert AwardCategory.objects.count() == 1


def test_category_for_a_challenge(organizer: Any) -> None:
    challenge = PublishedChallengeFactory(event=None)
    category = services.award_category_create(
        actor=organizer, challenge=challenge, name="Pris", kind=AwardKind.JURY
    )
    assert category.challenge == challenge and category.event is None


def test_category_update(organizer: Any, event: Any) -> None:
    category = AwardCategoryFactory(event=event, name="Gammalt")
    services.award_category_update(
        actor=organizer, category=category, name="Nytt", description="Om", kind=AwardKind.JURY
    )
    category.refresh_from_db()
    assert (category.name, category.description) == ("Nytt", "Om")
    assert actions("judging.award_category.updated") == 1
    services.award_category_update(
        actor=organizer, category=category, name="Nytt", description="Om", kind=AwardKind.JURY
    )
    assert actions("judging.award_category.updated") == 1  # nothing changed
    with pytest.raises(PermissionDenied):
        services.award_category_update(
            actor=UserFactory(), category=category, name="Y", kind=AwardKind.JURY
        )


def test_category_kind_is_fixed_after_publishing_or_votes(organizer: Any, event: Any) -> None:
    published = AwardCategoryFactory(event=event, published_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        services.award_category_update(
            actor=organizer,
            category=published,
            name=published.name,
            kind=AwardKind.PEOPLE,
            voting_opens=timezone.now(),
            voting_closes=timezone.now() + timedelta(days=1),
        )
    assert "kind" in error.value.message_dict
    voted = people_category(event)
    VoteFactory(category=voted, solution=submitted_solution(event))
    with pytest.raises(ValidationError) as error:
        services.award_category_update(
            actor=organizer, category=voted, name=voted.name, kind=AwardKind.JURY
        )
    assert "kind" in error.value.message_dict


def test_category_update_audits_old_and_new_values(organizer: Any, event: Any) -> None:
    category = people_category(event, name="Gammalt")
    opens = category.voting_opens
    later = category.voting_closes + timedelta(days=1)
    services.award_category_update(
        actor=organizer,
        category=category,
        name="Nytt",
        kind=AwardKind.PEOPLE,
        voting_opens=opens,
        voting_closes=later,
    )
    entry = AuditLogEntry.objects.get(action="judging.award_category.updated")
    assert entry.data == {
        "name": ["Gammalt", "Nytt"],
        "voting_closes": [
            (later - timedelta(days=1)).isoformat(),
            later.isoformat(),
        ],
    }


@pytest.mark.parametrize("reason", ["published", "votes"])
def test_the_voting_window_is_fixed_once_published_or_voted(
    organizer: Any, event: Any, reason: str
) -> None:
    category = people_category(event, state="closed" if reason == "published" else "open")
    if reason == "published":
        AwardCategory.objects.filter(pk=category.pk).update(published_at=timezone.now())
    else:
        VoteFactory(category=category, solution=submitted_solution(event))
    category.refresh_from_db()
    opens, closes = category.voting_opens, category.voting_closes
    assert opens is not None and closes is not None
    for new_opens, new_closes, fields in (
        (opens, closes + timedelta(days=3), {"voting_closes"}),
        (opens - timedelta(days=3), closes, {"voting_opens"}),
    ):
        with pytest.raises(ValidationError) as error:
            services.award_category_update(
                actor=organizer,
                category=category,
                name="Nytt namn",
                kind=AwardKind.PEOPLE,
                voting_opens=new_opens,
                voting_closes=new_closes,
            )
        assert set(error.value.message_dict) == fields
        assert "omröstningens tider" in " ".join(error.value.messages)
    category.refresh_from_db()
    assert (category.name, category.voting_opens, category.voting_closes) == (
        "Publikens pris",
        opens,
        closes,
    )
    assert actions("judging.award_category.updated") == 0
    # the same times as the form shows them (no seconds) are no change
    services.award_category_update(
        actor=organizer,
        category=category,
        name="Nytt namn",
        kind=AwardKind.PEOPLE,
        voting_opens=opens.replace(second=0, microsecond=0),
        voting_closes=closes.replace(second=0, microsecond=0),
    )
    category.refresh_from_db()
    assert category.name == "Nytt namn" and category.voting_closes == closes


@pytest.mark.parametrize("year", [1, 9999])
def test_voting_times_in_absurd_years_are_refused(organizer: Any, event: Any, year: int) -> None:
    far = timezone.now().replace(year=year, month=6, day=1)
    with pytest.raises(ValidationError) as error:
        services.award_category_create(
            actor=organizer,
            event=event,
            name="Publikens pris",
            kind=AwardKind.PEOPLE,
            voting_opens=far,
            voting_closes=far + timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"voting_opens", "voting_closes"}
    assert not AwardCategory.objects.exists()


def test_category_delete(organizer: Any, event: Any) -> None:
    empty = AwardCategoryFactory(event=event)
    services.award_category_delete(actor=organizer, category=empty)
    assert not AwardCategory.objects.filter(pk=empty.pk).exists()
    assert actions("judging.award_category.deleted") == 1
    with_award = AwardFactory(category=AwardCategoryFactory(event=event)).category
    with raises_code("has_awards"):
        services.award_category_delete(actor=organizer, category=with_award)
    published = AwardCategoryFactory(event=event, published_at=timezone.now())
    with raises_code("published"):
        services.award_category_delete(actor=organizer, category=published)
    voted = people_category(event)
    VoteFactory(category=voted, solution=submitted_solution(event))
    with raises_code("has_votes"):
        services.award_category_delete(actor=organizer, category=voted)
    with pytest.raises(PermissionDenied):
        services.award_category_delete(actor=UserFactory(), category=published)


def test_default_categories_in_the_actors_language_and_once(organizer: Any, event: Any) -> None:
    with translation.override("sv"):
        made = services.award_categories_create_defaults(actor=organizer, event=event)
    names = [c.name for c in made]
    assert names[0] == "Hack for Sweden Award"
    assert len(made) == 3
    assert "Publikens val" in names
    people = next(c for c in made if c.kind == AwardKind.PEOPLE)
    assert people.voting_opens == event.submission_deadline
    assert people.voting_closes == event.results_at
    with translation.override("sv"):
        assert services.award_categories_create_defaults(actor=organizer, event=event) == []
    with translation.override("en"):
        other = services.award_categories_create_defaults(actor=organizer, event=EventFactory())
    assert [c.name for c in other] == [
        "Hack for Sweden Award",
        "Best use of open data",
        "People's choice",
    ]
    with pytest.raises(PermissionDenied):
        services.award_categories_create_defaults(actor=UserFactory(), event=event)


# --- awards ---------------------------------------------------------------------------


def test_award_give_and_revoke(organizer: Any, event: Any) -> None:
    category = AwardCategoryFactory(event=event)
    solution = submitted_solution(event)
    award = services.award_give(
        actor=organizer, category=category, solution=solution, place=1, citation=" Bäst. "
    )
    assert (award.place, award.citation, award.awarded_by) == (1, "Bäst.", organizer)
    assert actions("judging.award.given") == 1
    assert not FollowUp.objects.exists()  # not published yet
    with pytest.raises(ValidationError) as error:
        services.award_give(actor=organizer, category=category, solution=solution)
    assert "solution" in error.value.message_dict
    services.award_revoke(actor=organizer, award=award)
    assert not Award.objects.exists()
    assert actions("judging.award.revoked") == 1
    with raises_code("gone"):
        services.award_revoke(actor=organizer, award=award)


def test_award_give_refusals(organizer: Any, event: Any) -> None:
    category = AwardCategoryFactory(event=event)
    solution = submitted_solution(event)
    with pytest.raises(PermissionDenied):
        services.award_give(actor=UserFactory(), category=category, solution=solution)
    for place in (0, 101, True):
        with pytest.raises(ValidationError) as error:
            services.award_give(actor=organizer, category=category, solution=solution, place=place)
        assert "place" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.award_give(
            actor=organizer, category=category, solution=solution, citation="x" * 2001
        )
    assert "citation" in error.value.message_dict
    elsewhere = submitted_solution(EventFactory())
    draft = submitted_solution(event)
    draft.status = SolutionStatus.DRAFT
    draft.save()
    withdrawn = submitted_solution(event)
    withdrawn.status = SolutionStatus.WITHDRAWN
    withdrawn.save()
    for wrong in (elsewhere, draft, withdrawn):
        with pytest.raises(ValidationError) as error:
            services.award_give(actor=organizer, category=category, solution=wrong)
        assert "solution" in error.value.message_dict
    assert not Award.objects.exists()


def test_award_in_a_challenge_category_only_for_that_challenge(organizer: Any) -> None:
    challenge = PublishedChallengeFactory(event=None)
    category = AwardCategoryFactory(event=None, challenge=challenge)
    services.award_give(
        actor=organizer, category=category, solution=submitted_solution(challenge=challenge)
    )
    with pytest.raises(ValidationError):
        services.award_give(actor=organizer, category=category, solution=submitted_solution())


def test_shared_places_are_allowed(organizer: Any, event: Any) -> None:
    category = AwardCategoryFactory(event=event)
    for _ in range(2):
        services.award_give(
            actor=organizer, category=category, solution=submitted_solution(event), place=2
        )
    assert Award.objects.filter(place=2).count() == 2


# --- publishing -----------------------------------------------------------------------


def test_publish_schedules_follow_ups_at_6_and_12_months(organizer: Any, event: Any) -> None:
    category = AwardCategoryFactory(event=event)
    winner = submitted_solution(event)
    services.award_give(actor=organizer, category=category, solution=winner)
    published = services.award_category_publish(actor=organizer, category=category)
    assert published.published_at is not None
    assert actions("judging.award_category.published") == 1
    follow_ups = list(FollowUp.objects.filter(solution=winner).order_by("months"))
    assert [f.months for f in follow_ups] == [6, 12]
    local = timezone.localtime(published.published_at)
    due6 = timezone.localtime(follow_ups[0].due_at)
    assert (due6.year * 12 + due6.month) - (local.year * 12 + local.month) == 6
    scheduled = AuditLogEntry.objects.filter(action="realization.follow_up.scheduled")
    assert scheduled.count() == 2
    assert set(scheduled.values_list("actor", flat=True)) == {organizer.pk}
    # An award given after publishing schedules its follow-ups at once.
    late = submitted_solution(event)
    services.award_give(actor=organizer, category=category, solution=late, place=2)
    assert FollowUp.objects.filter(solution=late).count() == 2
    with raises_code("published"):
        services.award_category_publish(actor=organizer, category=category)


def test_publish_refusals(organizer: Any, event: Any) -> None:
    empty = AwardCategoryFactory(event=event)
    with raises_code("empty"):
        services.award_category_publish(actor=organizer, category=empty)
    with pytest.raises(PermissionDenied):
        services.award_category_publish(actor=UserFactory(), category=empty)
    voting = people_category(event)
    AwardFactory(category=voting, solution=submitted_solution(event))
    with raises_code("voting_open"):
        services.award_category_publish(actor=organizer, category=voting)
    empty.refresh_from_db()
    assert empty.published_at is None
    assert not FollowUp.objects.exists()


# --- the people's choice vote ---------------------------------------------------------


def test_vote_cast_moves_and_withdraws(event: Any) -> None:
    category = people_category(event)
    voter = UserFactory()
    first, second = submitted_solution(event), submitted_solution(event)
    vote = services.vote_cast(actor=voter, category=category, solution=first)
    assert vote.solution == first
    same = services.vote_cast(actor=voter, category=category, solution=first)
    assert same.pk == vote.pk
    services.vote_cast(actor=voter, category=category, solution=second)
    assert list(Vote.objects.values_list("solution_id", flat=True)) == [second.pk]
    assert actions("judging.vote.cast") == 1
    assert actions("judging.vote.changed") == 1
    services.vote_withdraw(actor=voter, category=category)
    assert not Vote.objects.exists()
    with raises_code("no_vote"):
        services.vote_withdraw(actor=voter, category=category)


def test_only_verified_accounts_vote(event: Any) -> None:
    category = people_category(event)
    solution = submitted_solution(event)
    unverified = UserFactory(verified=False)
    EmailAddress.objects.create(user=unverified, email=unverified.email, verified=False)
    for actor in (None, unverified, UserFactory(is_active=False)):
        with pytest.raises(PermissionDenied):
            services.vote_cast(actor=actor, category=category, solution=solution)
    # A verified address that is not the account's own e-mail does not count.
    other = UserFactory(verified=False)
    EmailAddress.objects.create(user=other, email="annan@example.se", verified=True)
    with pytest.raises(PermissionDenied):
        services.vote_cast(actor=other, category=category, solution=solution)
    assert not Vote.objects.exists()


def test_votes_only_within_the_window(event: Any) -> None:
    solution = submitted_solution(event)
    voter = UserFactory()
    for state, code in (("before", "not_open"), ("closed", "closed")):
        category = people_category(event, state=state, name=state)
        with raises_code(code):
            services.vote_cast(actor=voter, category=category, solution=solution)
        with raises_code(code):
            services.vote_withdraw(actor=voter, category=category)
    jury = AwardCategoryFactory(event=event)
    with raises_code("not_people"):
        services.vote_cast(actor=voter, category=jury, solution=solution)
    assert not Vote.objects.exists()


def test_the_window_is_half_open(event: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    category = people_category(event)
    assert category.voting_closes is not None and category.voting_opens is not None
    assert services.voting_state(category, category.voting_opens) == "open"
    assert services.voting_state(category, category.voting_closes) == "closed"
    assert services.voting_state(category, category.voting_opens - timedelta(seconds=1)) == (
        "before"
    )


def test_votes_only_for_eligible_solutions(event: Any) -> None:
    category = people_category(event)
    voter = UserFactory()
    draft = submitted_solution(event)
    draft.status = SolutionStatus.DRAFT
    draft.save()
    closed_challenge = submitted_solution(event)
    closed_challenge.challenge.status = ChallengeStatus.DRAFT
    closed_challenge.challenge.save()
    for wrong in (submitted_solution(EventFactory()), draft, closed_challenge):
        with pytest.raises(ValidationError):
            services.vote_cast(actor=voter, category=category, solution=wrong)
    assert not Vote.objects.exists()


def test_one_vote_per_account_even_in_a_race(event: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another request created the voter's vote after this one looked for it
    (it was not committed yet): the unique constraint refuses the second
    insert and the voter gets a clear message, not an error page."""
    category = people_category(event)
    voter = UserFactory()
    first, second = submitted_solution(event), submitted_solution(event)
    Vote.objects.create(category=category, solution=first, user=voter)  # the other request
    monkeypatch.setattr(Vote.objects, "select_for_update", lambda: Vote.objects.none())
    with raises_code("race"):
        services.vote_cast(actor=voter, category=category, solution=second)
    monkeypatch.undo()
    assert list(Vote.objects.values_list("solution_id", flat=True)) == [first.pk]
    assert actions("judging.vote.cast") == 0


def test_award_the_top_voted(organizer: Any, event: Any) -> None:
    open_category = people_category(event, name="Öppen")
    with raises_code("voting_open"):
        services.award_give_top_voted(actor=organizer, category=open_category)
    category = people_category(event, state="closed")
    with raises_code("no_votes"):
        services.award_give_top_voted(actor=organizer, category=category)
    a, b, c = (submitted_solution(event) for _ in range(3))
    for solution, n in ((a, 2), (b, 2), (c, 1)):
        for _ in range(n):
            VoteFactory(category=category, solution=solution)
    given = services.award_give_top_voted(actor=organizer, category=category)
    assert sorted(x.solution_id for x in given) == sorted([a.pk, b.pk])  # a tie: both
    assert all(x.place == 1 for x in given)
    with raises_code("already_given"):
        services.award_give_top_voted(actor=organizer, category=category)
    with raises_code("not_people"):
        services.award_give_top_voted(actor=organizer, category=AwardCategoryFactory(event=event))
    with pytest.raises(PermissionDenied):
        services.award_give_top_voted(actor=UserFactory(), category=category)
