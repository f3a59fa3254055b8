from __future__ import annotations

from datetime import timedelta

import pytest

from hack365.judging import rules, services
from hack365.judging.models import ConflictReason, Juror, RoundStatus
from hack365.submissions import rules as submission_rules
from tests.accounts.factories import UserFactory
from tests.submissions.factories import AttachmentFactory

from .factories import EvaluationRoundFactory, open_round

pytestmark = pytest.mark.django_db


def test_an_assigned_juror_is_one_until_recused() -> None:
    round, organizer, users = open_round(solutions=2, jurors=2)
    entry, other = round.entries.order_by("id")
    assignment = services.assignment_add(
        actor=organizer, entry=entry, juror=Juror.objects.get(user=users[0])
    )
    assert rules.is_assigned_juror(users[0], entry.solution)
    assert submission_rules.is_assigned_juror(users[0], entry.solution)
    assert not rules.is_assigned_juror(users[0], other.solution)
    assert not rules.is_assigned_juror(users[1], entry.solution)
    assert not rules.is_assigned_juror(None, entry.solution)
    services.conflict_declare(
        actor=users[0], assignment_or_entry=assignment, reason=ConflictReason.KNOWS_MEMBER
    )
    assert not rules.is_assigned_juror(users[0], entry.solution)


def test_no_juror_in_a_draft_round_and_inactive_accounts_are_none() -> None:
    round, organizer, users = open_round(solutions=1, jurors=1)
    entry = round.entries.get()
    services.assignment_add(actor=organizer, entry=entry, juror=Juror.objects.get(user=users[0]))
    users[0].is_active = False
    assert not rules.is_assigned_juror(users[0], entry.solution)
    users[0].is_active = True
    round.status = RoundStatus.DRAFT
    round.save(update_fields=["status"])
    assert not rules.is_assigned_juror(users[0], entry.solution)


def test_assigned_jurors_see_confidential_attachments() -> None:
    round, organizer, users = open_round(solutions=1, jurors=1)
    entry = round.entries.get()
    AttachmentFactory(solution=entry.solution, is_confidential=True)
    stranger = UserFactory()
    assert not submission_rules.may_see_confidential(stranger, entry.solution)
    assert not submission_rules.may_see_confidential(users[0], entry.solution)
    services.assignment_add(actor=organizer, entry=entry, juror=Juror.objects.get(user=users[0]))
    assert submission_rules.may_see_confidential(users[0], entry.solution)


def test_the_lock_is_at_the_closing_time_itself() -> None:
    round = EvaluationRoundFactory(status=RoundStatus.OPEN)
    assert not rules.is_locked(round, round.closes_at - timedelta(microseconds=1))
    assert rules.is_locked(round, round.closes_at)
    assert rules.takes_scores(round, round.closes_at - timedelta(seconds=1))
    assert not rules.takes_scores(round, round.opens_at - timedelta(seconds=1))
    round.status = RoundStatus.CLOSED
    assert rules.is_locked(round, round.opens_at)
    round.status = RoundStatus.DRAFT
    assert not rules.takes_scores(round, round.opens_at + timedelta(seconds=1))
