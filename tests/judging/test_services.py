from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import AuditLogEntry
from hack365.judging import rules, services
from hack365.judging.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    ConflictReason,
    Criterion,
    Entry,
    EvaluationRound,
    Juror,
    RoundStatus,
    Scale,
    Score,
)
from hack365.submissions.models import SolutionStatus
from hack365.teams.models import TeamMembership, TeamRole
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.submissions.factories import SolutionFactory, make_team

from .factories import open_round, submitted_solution

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _actions(action: str) -> list[AuditLogEntry]:
    return list(AuditLogEntry.objects.filter(action=action).order_by("id"))


def _new_round(organizer: Any, **fields: Any) -> EvaluationRound:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "event": EventFactory(),
        "title": "Omgång 1",
        "opens_at": now - timedelta(hours=1),
        "closes_at": now + timedelta(days=3),
    }
    defaults.update(fields)
    return services.round_create(actor=organizer, **defaults)


def _all_scores(round: EvaluationRound, value: int = 4, text: str = "Bra.") -> dict:
    return {c.pk: (value, text) for c in round.criteria.all()}


# --- rounds and criteria ----------------------------------------------------------------


def test_a_new_round_has_the_default_criteria_in_the_organizers_language() -> None:
    organizer = OrganizerFactory()
    with translation.override("sv"):
        round = _new_round(organizer)
    names = list(round.criteria.order_by("position").values_list("name", flat=True))
    assert names == [
        "Samhällsnytta",
        "Genomförbarhet i offentlig sektor",
        "Användning av öppna data",
        "Innovation",
        "Lösningens kvalitet",
    ]
    assert all(
        c.weight == Decimal("1") and c.scale == Scale.ONE_TO_FIVE and c.guidance
        for c in round.criteria.all()
    )
    english = _new_round(organizer)
    assert english.criteria.order_by("position").first().name == "Societal benefit"
    assert round.status == RoundStatus.DRAFT
    assert _actions("judging.round.created")


def test_only_organizers_create_rounds() -> None:
    with pytest.raises(PermissionDenied):
        _new_round(UserFactory())
    assert not EvaluationRound.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"closes_at": timezone.now() - timedelta(days=1)}, "closes_at"),
        ({"jurors_per_solution": 0}, "jurors_per_solution"),
        ({"jurors_per_solution": 51}, "jurors_per_solution"),
        ({"guidance": "x" * 2001}, "guidance"),
    ],
)
def test_round_input_is_checked(fields: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _new_round(OrganizerFactory(), **fields)
    assert field in caught.value.message_dict
    assert not EvaluationRound.objects.exists()


def test_a_round_belongs_to_an_event_or_a_challenge() -> None:
    organizer = OrganizerFactory()
    with pytest.raises(ApplicationError):
        _new_round(organizer, event=None)
    with pytest.raises(ApplicationError):
        _new_round(organizer, challenge=PublishedChallengeFactory())


def test_criteria_change_only_while_the_round_is_a_draft() -> None:
    organizer = OrganizerFactory()
    round = _new_round(organizer)
    added = services.criterion_add(
        actor=organizer, round=round, name="Tillgänglighet", weight="2.5", scale=Scale.YES_NO
    )
    assert added.position == 6 and added.weight == Decimal("2.50")
    services.criterion_update(
        actor=organizer, criterion=added, name="Tillgänglighet", weight="3", scale=Scale.ONE_TO_TEN
    )
    added.refresh_from_db()
    assert added.scale == Scale.ONE_TO_TEN and added.weight == Decimal("3")
    assert _actions("judging.criterion.updated")[0].data["weight"] == ["2.50", "3.00"]
    first = round.criteria.order_by("position").first()
    services.criterion_delete(actor=organizer, criterion=first)
    assert round.criteria.count() == 5

    round.status = RoundStatus.OPEN
    round.save(update_fields=["status"])
    with pytest.raises(ApplicationError, match="being prepared"):
        services.criterion_add(actor=organizer, round=round, name="Ny")
    with pytest.raises(ApplicationError):
        services.criterion_update(actor=organizer, criterion=added, name="Annat")
    with pytest.raises(ApplicationError):
        services.criterion_delete(actor=organizer, criterion=added)
    added.refresh_from_db()
    assert added.name == "Tillgänglighet"


@pytest.mark.parametrize("weight", ["0", "-1", "abc", "NaN", "101", "0.001"])
def test_a_weight_must_be_positive(weight: str) -> None:
    organizer = OrganizerFactory()
    round = _new_round(organizer)
    with pytest.raises(ValidationError) as caught:
        services.criterion_add(actor=organizer, round=round, name="X", weight=weight)
    assert "weight" in caught.value.message_dict


def test_a_scale_must_be_one_of_the_scales() -> None:
    organizer = OrganizerFactory()
    round = _new_round(organizer)
    with pytest.raises(ValidationError) as caught:
        services.criterion_add(actor=organizer, round=round, name="X", scale="1-100")
    assert "scale" in caught.value.message_dict


def test_opening_makes_an_entry_per_submitted_solution_of_the_event() -> None:
    organizer = OrganizerFactory()
    event = EventFactory()
    first, second = PublishedChallengeFactory(event=event), PublishedChallengeFactory(event=event)
    a = submitted_solution(first)
    b = submitted_solution(second)
    SolutionFactory(challenge=first, team=make_team(first))  # a draft
    submitted_solution(PublishedChallengeFactory(event=EventFactory()))  # another event
    withdrawn = submitted_solution(first)
    withdrawn.status = SolutionStatus.WITHDRAWN
    withdrawn.save(update_fields=["status"])
    round = _new_round(organizer, event=event)
    services.round_open(actor=organizer, round=round)
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN and round.opened_at is not None
    assert set(round.entries.values_list("solution_id", flat=True)) == {a.pk, b.pk}
    with pytest.raises(ApplicationError, match="already"):
        services.round_open(actor=organizer, round=round)


def test_a_challenge_round_takes_the_challenges_solutions() -> None:
    organizer = OrganizerFactory()
    challenge = PublishedChallengeFactory()
    mine = submitted_solution(challenge)
    submitted_solution(PublishedChallengeFactory())
    round = _new_round(organizer, event=None, challenge=challenge)
    services.round_open(actor=organizer, round=round)
    assert list(round.entries.values_list("solution_id", flat=True)) == [mine.pk]


def test_opening_is_refused_without_criteria_or_entries() -> None:
    organizer = OrganizerFactory()
    round = _new_round(organizer)
    with pytest.raises(ApplicationError, match="No solution"):
        services.round_open(actor=organizer, round=round)
    submitted_solution(PublishedChallengeFactory(event=round.event))
    for criterion in round.criteria.all():
        services.criterion_delete(actor=organizer, criterion=criterion)
    with pytest.raises(ApplicationError, match="no criteria"):
        services.round_open(actor=organizer, round=round)
    round.refresh_from_db()
    assert round.status == RoundStatus.DRAFT and not round.entries.exists()


def test_a_next_round_evaluates_the_shortlist_of_the_closed_previous_round() -> None:
    first, organizer, _users = open_round(solutions=3, jurors=1)
    entries = list(first.entries.order_by("id"))
    Entry.objects.filter(pk__in=[entries[0].pk, entries[2].pk]).update(shortlisted=True)
    second = _new_round(organizer, event=first.event, previous_round=first, title="Final")
    with pytest.raises(ApplicationError, match="previous round"):
        services.round_open(actor=organizer, round=second)
    services.round_close(actor=organizer, round=first)
    services.round_open(actor=organizer, round=second)
    assert set(second.entries.values_list("solution_id", flat=True)) == {
        entries[0].solution_id,
        entries[2].solution_id,
    }
    with pytest.raises(ValidationError):
        _new_round(organizer, previous_round=first)  # another event


def test_closing_locks_the_scores() -> None:
    round, organizer, users = open_round(solutions=1, jurors=1)
    assignment = services.assignment_add(
        actor=organizer, entry=round.entries.get(), juror=Juror.objects.get(user=users[0])
    )
    services.round_close(actor=organizer, round=round)
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED and rules.is_locked(round)
    with pytest.raises(ApplicationError, match="closed"):
        services.scores_save(
            actor=users[0], assignment=assignment, values=_all_scores(round), submit=False
        )
    assert not Score.objects.exists()
    with pytest.raises(ApplicationError):
        services.round_close(actor=organizer, round=round)


def test_the_round_updates_and_blind_review_is_fixed_once_open() -> None:
    round, organizer, _users = open_round(solutions=1, jurors=0)
    later = round.closes_at + timedelta(days=1)
    services.round_update(
        actor=organizer,
        round=round,
        title="Ny titel",
        opens_at=round.opens_at,
        closes_at=later,
        blind=False,
        jurors_per_solution=2,
    )
    round.refresh_from_db()
    assert round.title == "Ny titel" and round.closes_at == later
    with pytest.raises(ValidationError) as caught:
        services.round_update(
            actor=organizer,
            round=round,
            title="Ny titel",
            opens_at=round.opens_at,
            closes_at=later,
            blind=True,
            jurors_per_solution=2,
        )
    assert "blind" in caught.value.message_dict


# --- jurors -----------------------------------------------------------------------------


def test_a_juror_is_found_by_email_or_user_name() -> None:
    user = UserFactory(username="greta")
    assert services.account_find("greta") == user
    assert services.account_find("GRETA@example.se") == user
    for unknown in ("nobody", "nobody@example.se"):
        with pytest.raises(ValidationError, match="no account"):
            services.account_find(unknown)
    with pytest.raises(ValidationError, match="valid e-mail"):
        services.account_find("a@b@c")


def test_adding_a_juror_mails_them_in_their_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    organizer = OrganizerFactory()
    round = _new_round(organizer, title="Vårens omgång")
    juror_user = UserFactory()
    juror_user.profile.languages = ["sv"]
    juror_user.profile.save(update_fields=["languages"])
    with django_capture_on_commit_callbacks(execute=True):
        services.juror_add(
            actor=organizer, round=round, user=juror_user, base_url="https://hack365.example"
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [juror_user.email]
    assert "jurymedlem" in message.subject and "Vårens omgång" in message.subject
    assert "https://hack365.example/sv/evaluation/mine/" in message.body
    with pytest.raises(ValidationError, match="already"):
        services.juror_add(actor=organizer, round=round, user=juror_user)
    assert _actions("judging.juror.added")


def test_a_juror_with_submitted_scores_cannot_be_removed() -> None:
    round, organizer, users = open_round(solutions=1, jurors=2)
    entry = round.entries.get()
    busy, idle = (Juror.objects.get(user=u) for u in users)
    assignment = services.assignment_add(actor=organizer, entry=entry, juror=busy)
    services.assignment_add(actor=organizer, entry=entry, juror=idle)
    services.scores_save(
        actor=users[0], assignment=assignment, values=_all_scores(round), submit=True
    )
    with pytest.raises(ApplicationError, match="submitted scores"):
        services.juror_remove(actor=organizer, juror=busy)
    services.juror_remove(actor=organizer, juror=idle)
    assert list(Juror.objects.filter(round=round)) == [busy]
    assert Assignment.objects.filter(entry=entry).count() == 1


# --- assignments ------------------------------------------------------------------------


def test_manual_assignment_refuses_conflicts_team_members_and_duplicates() -> None:
    round, organizer, users = open_round(solutions=2, jurors=2)
    entry, other_entry = round.entries.order_by("id")
    first, second = (Juror.objects.get(user=u) for u in users)
    services.assignment_add(actor=organizer, entry=entry, juror=first)
    with pytest.raises(ApplicationError, match="already"):
        services.assignment_add(actor=organizer, entry=entry, juror=first)
    services.conflict_declare(
        actor=users[1], assignment_or_entry=other_entry, reason=ConflictReason.KNOWS_MEMBER
    )
    with pytest.raises(ApplicationError, match="conflict"):
        services.assignment_add(actor=organizer, entry=other_entry, juror=second)
    TeamMembership.objects.create(team=entry.solution.team, user=users[1], role=TeamRole.MEMBER)
    with pytest.raises(ApplicationError, match="member of its team"):
        services.assignment_add(actor=organizer, entry=entry, juror=second)
    with pytest.raises(PermissionDenied):
        services.assignment_add(actor=users[0], entry=other_entry, juror=first)


def test_assignment_needs_an_open_round() -> None:
    organizer = OrganizerFactory()
    round = _new_round(organizer)
    with pytest.raises(ApplicationError, match="Open the round"):
        services.assignments_auto(actor=organizer, round=round)


def test_automatic_assignment_covers_balances_and_keeps_what_exists() -> None:
    round, organizer, users = open_round(solutions=5, jurors=4, jurors_per_solution=2)
    entries = list(round.entries.order_by("id"))
    jurors = [Juror.objects.get(user=u) for u in users]
    kept = services.assignment_add(actor=organizer, entry=entries[0], juror=jurors[3])
    # juror 0 is on the team of entry 1: never assigned to it
    TeamMembership.objects.create(
        team=entries[1].solution.team, user=users[0], role=TeamRole.MEMBER
    )
    added = services.assignments_auto(actor=organizer, round=round)
    assert added == 5 * 2 - 1
    assert Assignment.objects.filter(pk=kept.pk).exists()
    for entry in entries:
        assert entry.assignments.count() == 2
    assert not Assignment.objects.filter(entry=entries[1], juror=jurors[0]).exists()
    loads = [j.assignments.count() for j in jurors]
    assert max(loads) - min(loads) <= 1
    assert services.assignments_auto(actor=organizer, round=round) == 0
    audit = _actions("judging.assignment.auto_assigned")
    assert audit[0].data["added"] == 9


def test_with_fewer_jurors_than_asked_every_eligible_juror_is_assigned() -> None:
    round, organizer, _users = open_round(solutions=2, jurors=2, jurors_per_solution=3)
    services.assignments_auto(actor=organizer, round=round)
    for entry in round.entries.all():
        assert entry.assignments.count() == 2


# --- conflicts --------------------------------------------------------------------------


def test_a_conflict_recuses_and_reassigns_to_the_least_loaded_juror() -> None:
    round, organizer, users = open_round(solutions=3, jurors=4, jurors_per_solution=1)
    entries = list(round.entries.order_by("id"))
    a, b, c, d = (Juror.objects.get(user=u) for u in users)
    mine = services.assignment_add(actor=organizer, entry=entries[0], juror=a)
    services.assignment_add(actor=organizer, entry=entries[1], juror=b)
    services.assignment_add(actor=organizer, entry=entries[2], juror=c)
    services.assignment_add(actor=organizer, entry=entries[1], juror=d)
    services.scores_save(actor=users[0], assignment=mine, values=_all_scores(round), submit=True)
    services.conflict_declare(
        actor=users[0],
        assignment_or_entry=mine,
        reason=ConflictReason.SAME_ORGANISATION,
        explanation="Samma myndighet.",
    )
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.RECUSED
    assert not rules.is_assigned_juror(users[0], entries[0].solution)
    # b, c and d carry one each; the tie goes to the first of them
    replacement = Assignment.objects.get(entry=entries[0], status=AssignmentStatus.ASSIGNED)
    assert replacement.juror == b and replacement.assigned_by is None
    assert _actions("judging.conflict.declared")[0].data["reason"] == "organisation"
    assert _actions("judging.assignment.recused")
    assert _actions("judging.assignment.reassigned")
    with pytest.raises(ApplicationError, match="already"):
        services.conflict_declare(
            actor=users[0],
            assignment_or_entry=entries[0],
            reason=ConflictReason.OTHER,
            explanation="Igen.",
        )
    with pytest.raises(ApplicationError, match="conflict of interest"):
        services.scores_save(actor=users[0], assignment=mine, values={}, submit=False)


def test_a_conflict_is_declared_only_by_the_juror_and_another_reason_needs_words() -> None:
    round, organizer, users = open_round(solutions=1, jurors=2)
    entry = round.entries.get()
    assignment = services.assignment_add(
        actor=organizer, entry=entry, juror=Juror.objects.get(user=users[0])
    )
    with pytest.raises(PermissionDenied):
        services.conflict_declare(
            actor=users[1], assignment_or_entry=assignment, reason=ConflictReason.INVOLVED
        )
    with pytest.raises(PermissionDenied):
        services.conflict_declare(
            actor=UserFactory(), assignment_or_entry=entry, reason=ConflictReason.INVOLVED
        )
    with pytest.raises(ValidationError) as caught:
        services.conflict_declare(
            actor=users[0], assignment_or_entry=assignment, reason=ConflictReason.OTHER
        )
    assert "explanation" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.conflict_declare(actor=users[0], assignment_or_entry=assignment, reason="bribe")
    assert not ConflictDeclaration.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


def test_without_another_eligible_juror_nobody_is_reassigned() -> None:
    round, organizer, users = open_round(solutions=1, jurors=1)
    assignment = services.assignment_add(
        actor=organizer, entry=round.entries.get(), juror=Juror.objects.get(user=users[0])
    )
    services.conflict_declare(
        actor=users[0], assignment_or_entry=assignment, reason=ConflictReason.KNOWS_MEMBER
    )
    assert Assignment.objects.count() == 1


# --- scores -----------------------------------------------------------------------------


@pytest.fixture
def scoring() -> tuple[EvaluationRound, Assignment, Any, list[Criterion]]:
    round, organizer, users = open_round(solutions=1, jurors=1)
    assignment = services.assignment_add(
        actor=organizer, entry=round.entries.get(), juror=Juror.objects.get(user=users[0])
    )
    return round, assignment, users[0], list(round.criteria.order_by("position"))


def test_a_draft_may_be_partial(scoring: Any) -> None:
    round, assignment, juror, criteria = scoring
    services.scores_save(
        actor=juror,
        assignment=assignment,
        values={criteria[0].pk: ("4", "Stor nytta.")},
        submit=False,
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert Score.objects.get().value == 4
    audit = _actions("judging.score.changed")
    assert audit[0].data == {
        "criterion": criteria[0].pk,
        "value": [None, 4],
        "justification": ["", "Stor nytta."],
    }


def test_a_submission_needs_every_criterion_with_a_justification(scoring: Any) -> None:
    round, assignment, juror, criteria = scoring
    values = _all_scores(round)
    values[criteria[1].pk] = (3, "   \n ")
    del values[criteria[2].pk]
    with pytest.raises(ApplicationError) as caught:
        services.scores_save(actor=juror, assignment=assignment, values=values, submit=True)
    errors = caught.value.message_dict
    assert f"justification_{criteria[1].pk}" in errors
    assert criteria[1].name in errors[f"justification_{criteria[1].pk}"][0]
    assert f"value_{criteria[2].pk}" in errors
    assert not Score.objects.exists()
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ASSIGNED


@pytest.mark.parametrize(
    ("scale", "bad", "good"),
    [
        (Scale.ONE_TO_FIVE, 6, 5),
        (Scale.ONE_TO_FIVE, 0, 1),
        (Scale.ONE_TO_TEN, 11, 10),
        (Scale.YES_NO, 2, 0),
        (Scale.YES_NO, -1, 1),
    ],
)
def test_values_outside_the_scale_are_refused(
    scoring: Any, scale: str, bad: int, good: int
) -> None:
    round, assignment, juror, criteria = scoring
    Criterion.objects.filter(pk=criteria[0].pk).update(scale=scale)
    values = _all_scores(round)
    values[criteria[0].pk] = (bad, "Motivering.")
    with pytest.raises(ApplicationError) as caught:
        services.scores_save(actor=juror, assignment=assignment, values=values, submit=False)
    assert criteria[0].name in caught.value.messages[0]
    assert not Score.objects.exists()
    values[criteria[0].pk] = (good, "Motivering.")
    services.scores_save(actor=juror, assignment=assignment, values=values, submit=True)
    assert Score.objects.get(criterion=criteria[0]).value == good


def test_garbage_values_are_refused(scoring: Any) -> None:
    round, assignment, juror, criteria = scoring
    for bad in ("fyra", "4.5", "9999999"):
        with pytest.raises(ApplicationError, match="whole number"):
            services.scores_save(
                actor=juror,
                assignment=assignment,
                values={criteria[0].pk: (bad, "x")},
                submit=False,
            )
    with pytest.raises(ApplicationError, match="not part"):
        services.scores_save(
            actor=juror, assignment=assignment, values={10**9: (3, "x")}, submit=False
        )
    with pytest.raises(ApplicationError, match="give a score too"):
        services.scores_save(
            actor=juror,
            assignment=assignment,
            values={criteria[0].pk: ("", "Text")},
            submit=False,
        )
    assert not Score.objects.exists()


def test_after_submitting_scores_may_change_until_the_lock_and_every_change_is_audited(
    scoring: Any,
) -> None:
    round, assignment, juror, criteria = scoring
    services.scores_save(actor=juror, assignment=assignment, values=_all_scores(round), submit=True)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED and assignment.submitted_at
    values = _all_scores(round)
    values[criteria[0].pk] = (2, "Omvärderad.")
    services.scores_save(actor=juror, assignment=assignment, values=values, submit=False)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    last = _actions("judging.score.changed")[-1]
    assert last.data["value"] == [4, 2]
    assert last.data["justification"] == ["Bra.", "Omvärderad."]
    # once submitted, a save must stay complete
    del values[criteria[1].pk]
    with pytest.raises(ApplicationError):
        services.scores_save(actor=juror, assignment=assignment, values=values, submit=False)
    assert Score.objects.filter(assignment=assignment).count() == len(criteria)


def test_only_the_assigned_juror_scores(scoring: Any) -> None:
    round, assignment, juror, criteria = scoring
    for other in (UserFactory(), OrganizerFactory()):
        with pytest.raises(PermissionDenied):
            services.scores_save(
                actor=other, assignment=assignment, values=_all_scores(round), submit=True
            )
    assert not Score.objects.exists()


def test_scores_are_locked_at_the_closing_time_exactly(scoring: Any, monkeypatch: Any) -> None:
    round, assignment, juror, criteria = scoring
    just_before = round.closes_at - timedelta(microseconds=1)
    monkeypatch.setattr(services, "_now", lambda: just_before)
    services.scores_save(actor=juror, assignment=assignment, values=_all_scores(round), submit=True)
    monkeypatch.setattr(services, "_now", lambda: round.closes_at)
    with pytest.raises(ApplicationError, match="locked"):
        services.scores_save(
            actor=juror, assignment=assignment, values=_all_scores(round, 1), submit=False
        )
    assert set(Score.objects.values_list("value", flat=True)) == {4}
    assert round.status == RoundStatus.OPEN
    assert rules.is_locked(round, round.closes_at)
    assert not rules.is_locked(round, just_before)


def test_scores_wait_for_the_opening_time(scoring: Any, monkeypatch: Any) -> None:
    round, assignment, juror, criteria = scoring
    monkeypatch.setattr(services, "_now", lambda: round.opens_at - timedelta(seconds=1))
    with pytest.raises(ApplicationError, match="opens"):
        services.scores_save(
            actor=juror, assignment=assignment, values=_all_scores(round), submit=False
        )


# --- after the closing time (review findings) ---------------------------------------------


def _closing_time_passed(round: EvaluationRound) -> EvaluationRound:
    """The round is still open, but its closing time has passed: locked."""
    EvaluationRound.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN and rules.is_locked(round)
    return round


def _update(organizer: Any, round: EvaluationRound, **fields: Any) -> EvaluationRound:
    data: dict[str, Any] = {
        "title": round.title,
        "opens_at": round.opens_at,
        "closes_at": round.closes_at,
        "blind": round.blind,
        "jurors_per_solution": round.jurors_per_solution,
        "guidance": round.guidance,
    }
    data.update(fields)
    return services.round_update(actor=organizer, round=round, **data)


def test_the_closing_time_cannot_move_once_the_scores_are_locked() -> None:
    round, organizer, _users = open_round(solutions=1, jurors=0)
    round = _closing_time_passed(round)
    locked_at = round.closes_at
    with pytest.raises(ValidationError) as caught:
        _update(organizer, round, closes_at=timezone.now() + timedelta(days=2))
    assert "closes_at" in caught.value.message_dict
    assert "can no longer be moved" in caught.value.message_dict["closes_at"][0]
    round.refresh_from_db()
    assert round.closes_at == locked_at and rules.is_locked(round)
    assert not _actions("judging.round.updated")
    # the rest may still change; the closing time as the form shows it
    # (without seconds) is no move
    _update(
        organizer, round, title="Ny titel", closes_at=locked_at.replace(second=0, microsecond=0)
    )
    round.refresh_from_db()
    assert round.title == "Ny titel" and round.closes_at == locked_at
    assert list(_actions("judging.round.updated")[0].data) == ["title"]


def test_nobody_is_added_or_assigned_after_the_closing_time(
    django_capture_on_commit_callbacks: Any,
) -> None:
    round, organizer, users = open_round(solutions=2, jurors=1)
    round = _closing_time_passed(round)
    entry = round.entries.order_by("id").first()
    assert entry is not None
    juror = Juror.objects.get(user=users[0])
    newcomer = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ApplicationError) as caught,
    ):
        services.juror_add(actor=organizer, round=round, user=newcomer)
    assert caught.value.code == "locked"
    assert "Scoring closed at" in caught.value.messages[0]
    assert not Juror.objects.filter(user=newcomer).exists()
    assert mail.outbox == []  # no "scoring is open until <past>"
    with pytest.raises(ApplicationError) as caught:
        services.assignment_add(actor=organizer, entry=entry, juror=juror)
    assert caught.value.code == "locked"
    with pytest.raises(ApplicationError) as caught:
        services.assignments_auto(actor=organizer, round=round)
    assert caught.value.code == "locked"
    assert not Assignment.objects.exists()


def test_a_draft_round_past_its_closing_time_is_moved_before_jury_members_join() -> None:
    organizer = OrganizerFactory()
    round = _new_round(organizer)
    juror = services.juror_add(actor=organizer, round=round, user=UserFactory(), notify=False)
    assert juror.round == round
    EvaluationRound.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    round.refresh_from_db()
    with pytest.raises(ApplicationError) as caught:
        services.juror_add(actor=organizer, round=round, user=UserFactory(), notify=False)
    assert caught.value.code == "past"
    # a round being prepared has no scores: its closing time may move
    later = timezone.now() + timedelta(days=2)
    _update(organizer, round, closes_at=later)
    round.refresh_from_db()
    assert round.closes_at == later
    services.juror_add(actor=organizer, round=round, user=UserFactory(), notify=False)
    assert round.jurors.count() == 2


def test_a_juror_who_declared_a_conflict_cannot_be_removed() -> None:
    round, organizer, users = open_round(solutions=1, jurors=2)
    entry = round.entries.get()
    declarer = Juror.objects.get(user=users[0])
    assignment = services.assignment_add(actor=organizer, entry=entry, juror=declarer)
    services.conflict_declare(
        actor=users[0], assignment_or_entry=assignment, reason=ConflictReason.KNOWS_MEMBER
    )
    with pytest.raises(ApplicationError) as caught:
        services.juror_remove(actor=organizer, juror=declarer)
    assert caught.value.code == "has_conflicts"
    assert "declared a conflict of interest" in caught.value.messages[0]
    assert Juror.objects.filter(pk=declarer.pk).exists()
    assert ConflictDeclaration.objects.filter(juror=declarer, entry=entry).exists()
    assert not _actions("judging.juror.removed")
    # so the person can never be assigned the solution again
    with pytest.raises(ApplicationError, match="conflict"):
        services.assignment_add(actor=organizer, entry=entry, juror=declarer)


def test_the_round_page_does_not_offer_to_remove_a_juror_with_a_conflict() -> None:
    from hack365.judging import selectors

    round, organizer, users = open_round(solutions=3, jurors=2)
    entries = list(round.entries.order_by("id"))
    declarer, other = (Juror.objects.get(user=u) for u in users)
    for entry in entries:
        services.assignment_add(actor=organizer, entry=entry, juror=other)
        services.assignment_add(actor=organizer, entry=entry, juror=declarer)
    for entry in entries[:2]:
        services.conflict_declare(
            actor=users[0], assignment_or_entry=entry, reason=ConflictReason.KNOWS_MEMBER
        )
    rows = {row.juror.pk: row for row in selectors.round_progress(round).jurors}
    assert not rows[declarer.pk].removable
    # each counted once, although a juror has several assignments and conflicts
    assert (rows[declarer.pk].load, rows[declarer.pk].conflicts) == (1, 2)
    assert rows[other.pk].removable and rows[other.pk].load == 3


def test_a_conflict_tells_whether_the_solution_found_another_juror() -> None:
    round, organizer, users = open_round(solutions=1, jurors=2, jurors_per_solution=1)
    entry = round.entries.get()
    first, second = (Juror.objects.get(user=u) for u in users)
    mine = services.assignment_add(actor=organizer, entry=entry, juror=first)
    outcome = services.conflict_declare(
        actor=users[0], assignment_or_entry=mine, reason=ConflictReason.KNOWS_MEMBER
    )
    assert outcome.recused == mine and outcome.replacement is not None
    assert outcome.replacement.juror == second
    outcome = services.conflict_declare(
        actor=users[1], assignment_or_entry=outcome.replacement, reason=ConflictReason.INVOLVED
    )
    assert outcome.recused is not None and outcome.replacement is None


def test_a_jurors_account_cannot_be_erased_with_their_scores() -> None:
    from hack365.accounts.services import account_delete

    round, organizer, users = open_round(solutions=1, jurors=1)
    juror_user = users[0]
    assignment = services.assignment_add(
        actor=organizer, entry=round.entries.get(), juror=Juror.objects.get(user=juror_user)
    )
    services.scores_save(
        actor=juror_user, assignment=assignment, values=_all_scores(round), submit=True
    )
    services.round_close(actor=organizer, round=round)
    scores = Score.objects.count()
    with pytest.raises(ApplicationError) as caught:
        account_delete(user=juror_user)
    assert caught.value.code == "protected"
    assert "cannot be deleted yet" in caught.value.messages[0]
    assert type(juror_user).objects.filter(pk=juror_user.pk).exists()
    assert Juror.objects.filter(user=juror_user).exists()
    assert Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.SUBMITTED).exists()
    assert Score.objects.count() == scores > 0
    assert not AuditLogEntry.objects.filter(action="accounts.user.deleted").exists()


def test_a_jurors_conflict_declaration_survives_a_refused_erasure() -> None:
    from hack365.accounts.services import account_delete

    round, organizer, users = open_round(solutions=1, jurors=2)
    services.conflict_declare(
        actor=users[0], assignment_or_entry=round.entries.get(), reason=ConflictReason.INVOLVED
    )
    with pytest.raises(ApplicationError):
        account_delete(user=users[0])
    assert ConflictDeclaration.objects.filter(juror__user=users[0]).count() == 1


def test_an_erased_voters_vote_is_withdrawn() -> None:
    from hack365.accounts.services import account_delete
    from hack365.judging.models import Vote
    from tests.judging.factories import VoteFactory

    vote = VoteFactory()
    account_delete(user=vote.user)
    assert not Vote.objects.filter(pk=vote.pk).exists()


@pytest.mark.parametrize("year", [1, 1999, 2101, 9999])
def test_round_dates_must_lie_in_a_sensible_range(year: int) -> None:
    organizer = OrganizerFactory()
    far = timezone.now().replace(year=year, month=6, day=1)
    with pytest.raises(ValidationError) as caught:
        _new_round(organizer, opens_at=far, closes_at=far + timedelta(hours=1))
    assert "2000 to 2100" in caught.value.message_dict["opens_at"][0]
    assert not EvaluationRound.objects.exists()
