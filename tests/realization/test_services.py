from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import AuditLogEntry
from hack365.realization import services
from hack365.realization.models import Decision, FollowUp, Milestone, Realization
from hack365.submissions.models import SolutionStatus
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory, publisher_of

pytestmark = pytest.mark.django_db
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def actions() -> list[str]:
    return list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True))


# --- the decision -----------------------------------------------------------------------


def test_need_owner_records_a_decision(need_owner: Any, solution: Any) -> None:
    realization = services.realization_decide(
        actor=need_owner, solution=solution, decision=Decision.PILOT
    )
    realization.refresh_from_db()
    assert realization.decision == Decision.PILOT
    assert realization.decided_by == need_owner
    assert realization.reason == ""
    entry = AuditLogEntry.objects.get(action="realization.realization.decided")
    assert entry.actor == need_owner
    assert entry.data["decision"] == "pilot"


def test_changing_the_decision_is_audited_with_old_and_new(need_owner: Any, solution: Any) -> None:
    services.realization_decide(actor=need_owner, solution=solution, decision=Decision.PILOT)
    services.realization_decide(
        actor=need_owner, solution=solution, decision=Decision.ADOPT, reason="Piloten föll väl ut."
    )
    assert Realization.objects.get(solution=solution).decision == Decision.ADOPT
    entry = AuditLogEntry.objects.get(action="realization.realization.changed")
    assert entry.data["old"] == {"decision": "pilot", "reason": ""}
    assert entry.data["new"] == {"decision": "adopt", "reason": "Piloten föll väl ut."}
    # the same decision again changes and logs nothing
    services.realization_decide(
        actor=need_owner, solution=solution, decision=Decision.ADOPT, reason="Piloten föll väl ut."
    )
    assert actions().count("realization.realization.changed") == 1
    assert Realization.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_decline_needs_a_reason(need_owner: Any, solution: Any, reason: str) -> None:
    with pytest.raises(ApplicationError) as raised:
        services.realization_decide(
            actor=need_owner, solution=solution, decision=Decision.DECLINE, reason=reason
        )
    assert raised.value.message_dict == {
        "reason": ["Give the reason why the solution is declined."]
    }
    assert not Realization.objects.exists()
    made = services.realization_decide(
        actor=need_owner, solution=solution, decision=Decision.DECLINE, reason=" För dyrt. "
    )
    assert made.reason == "För dyrt."


def test_a_declined_decision_keeps_its_reason_when_changing_fails(
    need_owner: Any, solution: Any
) -> None:
    services.realization_decide(
        actor=need_owner, solution=solution, decision=Decision.DECLINE, reason="För dyrt."
    )
    with pytest.raises(ApplicationError):
        services.realization_decide(
            actor=need_owner, solution=solution, decision="burn", reason="x"
        )
    with pytest.raises(ApplicationError):
        services.realization_decide(
            actor=need_owner, solution=solution, decision=Decision.PILOT, reason="x" * 3001
        )
    kept = Realization.objects.get(solution=solution)
    assert (kept.decision, kept.reason) == (Decision.DECLINE, "För dyrt.")


def test_unknown_decision_is_refused(need_owner: Any, solution: Any) -> None:
    with pytest.raises(ApplicationError) as raised:
        services.realization_decide(actor=need_owner, solution=solution, decision="approve")
    assert "decision" in raised.value.message_dict


@pytest.mark.parametrize("status", [SolutionStatus.DRAFT, SolutionStatus.WITHDRAWN])
def test_only_submitted_solutions_get_a_decision(
    need_owner: Any, solution: Any, status: str
) -> None:
    solution.status = status
    solution.save(update_fields=["status"])
    with pytest.raises(ApplicationError, match="Only a submitted solution"):
        services.realization_decide(actor=need_owner, solution=solution, decision=Decision.ADOPT)


def test_co_owner_need_owner_and_organizer_may_decide(
    organizer: Any, other_organization: Any, other_need_owner: Any, solution: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.realization_decide(
            actor=other_need_owner, solution=solution, decision=Decision.ADOPT
        )
    solution.challenge.co_owners.add(other_organization)
    services.realization_decide(actor=other_need_owner, solution=solution, decision=Decision.ADOPT)
    services.realization_decide(actor=organizer, solution=solution, decision=Decision.PILOT)
    assert Realization.objects.get(solution=solution).decided_by == organizer


def test_others_may_not_decide(solution: Any, organization: Any) -> None:
    team_member = solution.team.memberships.first().user
    for actor in [
        None,
        UserFactory(),
        team_member,
        publisher_of(organization),
        MembershipFactory(organization=OrganizationFactory()).user,
    ]:
        with pytest.raises(PermissionDenied):
            services.realization_decide(actor=actor, solution=solution, decision=Decision.ADOPT)
    assert not Realization.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="realization.").exists()


def test_inactive_need_owner_may_not_decide(need_owner: Any, solution: Any) -> None:
    need_owner.is_active = False
    need_owner.save(update_fields=["is_active"])
    with pytest.raises(PermissionDenied):
        services.realization_decide(actor=need_owner, solution=solution, decision=Decision.ADOPT)


# --- milestones -------------------------------------------------------------------------


@pytest.fixture
def realization(need_owner: Any, solution: Any) -> Realization:
    return services.realization_decide(actor=need_owner, solution=solution, decision=Decision.PILOT)


def test_milestones_are_added_changed_and_removed_with_audit(
    need_owner: Any, realization: Realization
) -> None:
    milestone = services.milestone_add(
        actor=need_owner,
        realization=realization,
        date=date(2026, 3, 12),
        title="  Piloten   startar ",
        update="I tre kommuner.",
    )
    assert milestone.title == "Piloten startar"
    assert milestone.created_by == need_owner
    services.milestone_update(
        actor=need_owner,
        milestone=milestone,
        date=date(2026, 4, 1),
        title="Piloten startar",
        update="I fyra kommuner.",
    )
    milestone.refresh_from_db()
    assert (milestone.date, milestone.update) == (date(2026, 4, 1), "I fyra kommuner.")
    changed = AuditLogEntry.objects.get(action="realization.milestone.changed")
    assert changed.data["old"]["date"] == "2026-03-12"
    assert changed.data["new"]["update"] == "I fyra kommuner."
    services.milestone_delete(actor=need_owner, milestone=milestone)
    assert not Milestone.objects.exists()
    deleted = AuditLogEntry.objects.get(action="realization.milestone.deleted")
    assert deleted.data["title"] == "Piloten startar"
    assert actions()[-3:] == [
        "realization.milestone.added",
        "realization.milestone.changed",
        "realization.milestone.deleted",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"update": "x" * 3001}, "update"),
        ({"date": date(1999, 12, 31)}, "date"),
        ({"date": None}, "date"),
        ({"date": "2026-01-01"}, "date"),
    ],
)
def test_bad_milestones_are_refused(
    need_owner: Any, realization: Realization, fields: dict[str, Any], field: str
) -> None:
    data: dict[str, Any] = {"date": date(2026, 3, 12), "title": "Start", "update": "", **fields}
    with pytest.raises(ApplicationError) as raised:
        services.milestone_add(actor=need_owner, realization=realization, **data)
    assert field in raised.value.message_dict
    assert not Milestone.objects.exists()


def test_milestone_dates_at_most_ten_years_ahead(need_owner: Any, realization: Realization) -> None:
    today = timezone.localdate()
    limit = services._years_ahead(today, 10)
    services.milestone_add(actor=need_owner, realization=realization, date=limit, title="Sist")
    with pytest.raises(ApplicationError, match="too far ahead"):
        services.milestone_add(
            actor=need_owner, realization=realization, date=limit + timedelta(days=1), title="X"
        )
    assert services._years_ahead(date(2028, 2, 29), 10) == date(2038, 2, 28)


def test_others_may_not_touch_milestones(
    need_owner: Any, other_need_owner: Any, realization: Realization
) -> None:
    milestone = services.milestone_add(
        actor=need_owner, realization=realization, date=date(2026, 3, 12), title="Start"
    )
    with pytest.raises(PermissionDenied):
        services.milestone_add(
            actor=other_need_owner, realization=realization, date=date(2026, 3, 12), title="X"
        )
    with pytest.raises(PermissionDenied):
        services.milestone_update(
            actor=other_need_owner, milestone=milestone, date=date(2026, 3, 12), title="X"
        )
    with pytest.raises(PermissionDenied):
        services.milestone_delete(actor=other_need_owner, milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.title == "Start"


# --- follow-ups: the dates ---------------------------------------------------------------


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (at(2026, 3, 12), 6, at(2026, 9, 12)),
        (at(2026, 3, 12), 12, at(2027, 3, 12)),
        (at(2025, 8, 31), 6, at(2026, 2, 28)),  # not a leap year
        (at(2027, 8, 31), 6, at(2028, 2, 29)),  # a leap year
        (at(2028, 2, 29), 12, at(2029, 2, 28)),
        (at(2024, 2, 29), 6, at(2024, 8, 29)),
        (at(2026, 3, 31), 6, at(2026, 9, 30)),
        (at(2026, 10, 31), 6, at(2027, 4, 30)),
        (at(2026, 12, 31), 12, at(2027, 12, 31)),
        (at(2026, 7, 15), 6, at(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(
    start: datetime, months: int, expected: datetime
) -> None:
    assert services.add_months(start, months) == expected


def test_add_months_keeps_the_local_time_across_summer_time() -> None:
    # 10:00 in winter (UTC+1) is 10:00 in summer (UTC+2), on the site's clock.
    start = datetime(2026, 1, 15, 9, 0, tzinfo=ZoneInfo("UTC"))
    due = services.add_months(start, 6)
    assert due.astimezone(STOCKHOLM).replace(tzinfo=None) == datetime(2026, 7, 15, 10, 0)
    assert due.utcoffset() == timedelta(hours=2)


def test_add_months_wants_an_aware_datetime() -> None:
    with pytest.raises(ValueError):
        services.add_months(datetime(2026, 1, 1), 6)


def test_follow_ups_are_scheduled_6_and_12_months_after_the_award(solution: Any) -> None:
    awarded = at(2025, 8, 31, 18, 30)
    made = services.follow_ups_schedule(solution=solution, awarded_at=awarded)
    assert [(f.months, f.due_at) for f in made] == [
        (6, at(2026, 2, 28, 18, 30)),
        (12, at(2026, 8, 31, 18, 30)),
    ]
    stored = FollowUp.objects.filter(solution=solution).order_by("months")
    assert [(f.months, f.due_at, f.sent_at) for f in stored] == [
        (6, at(2026, 2, 28, 18, 30), None),
        (12, at(2026, 8, 31, 18, 30), None),
    ]


def test_scheduling_twice_keeps_one_follow_up_per_month(solution: Any) -> None:
    first = services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 3, 1))
    again = services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 5, 1))
    assert [f.pk for f in again] == [f.pk for f in first]
    assert FollowUp.objects.filter(solution=solution).count() == 2
    assert FollowUp.objects.get(solution=solution, months=6).due_at == at(2026, 9, 1)
    # an earlier award (published later) moves the unsent follow-ups earlier
    services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 2, 1))
    assert FollowUp.objects.get(solution=solution, months=6).due_at == at(2026, 8, 1)


def test_a_sent_follow_up_is_not_moved(solution: Any) -> None:
    services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 3, 1))
    FollowUp.objects.filter(months=6).update(sent_at=at(2026, 9, 1))
    services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 1, 1))
    assert FollowUp.objects.get(months=6).due_at == at(2026, 9, 1)
    assert FollowUp.objects.get(months=12).due_at == at(2027, 1, 1)


def test_scheduling_and_moving_follow_ups_is_audited(organizer: Any, solution: Any) -> None:
    services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 3, 1), actor=organizer)
    scheduled = AuditLogEntry.objects.filter(action="realization.follow_up.scheduled")
    assert [(e.data["months"], e.data["due_at"], e.actor) for e in scheduled.order_by("pk")] == [
        (6, at(2026, 9, 1).isoformat(), organizer),
        (12, at(2027, 3, 1).isoformat(), organizer),
    ]
    six = FollowUp.objects.get(months=6)
    assert scheduled.order_by("pk")[0].object_id == str(six.pk)
    services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 5, 1))  # later: kept
    assert actions().count("realization.follow_up.scheduled") == 2
    assert "realization.follow_up.rescheduled" not in actions()
    FollowUp.objects.filter(months=12).update(sent_at=at(2027, 3, 1))
    services.follow_ups_schedule(solution=solution, awarded_at=at(2026, 2, 1))  # earlier
    moved = AuditLogEntry.objects.get(action="realization.follow_up.rescheduled")  # the 6 only
    assert moved.object_id == str(six.pk)
    assert moved.actor is None
    assert (moved.data["old_due_at"], moved.data["due_at"]) == (
        at(2026, 9, 1).isoformat(),
        at(2026, 8, 1).isoformat(),
    )


def test_naive_award_time_is_refused(solution: Any) -> None:
    with pytest.raises(ValueError):
        services.follow_ups_schedule(solution=solution, awarded_at=datetime(2026, 1, 1))


# --- follow-ups: answered by a decision or a milestone ----------------------------------


def test_decision_answers_due_follow_ups_only(need_owner: Any, solution: Any) -> None:
    now = timezone.now()
    services.follow_ups_schedule(
        solution=solution, awarded_at=services.add_months(now, -6) - timedelta(hours=1)
    )
    services.realization_decide(actor=need_owner, solution=solution, decision=Decision.PILOT)
    six, twelve = FollowUp.objects.filter(solution=solution).order_by("months")
    assert six.answered_at is not None
    assert twelve.answered_at is None  # not due yet
    answered = AuditLogEntry.objects.get(action="realization.follow_up.answered")
    assert (answered.object_id, answered.actor) == (str(six.pk), need_owner)
    assert answered.data == {
        "solution": solution.pk,
        "months": 6,
        "by": "decision",
        "reminder_sent": False,
    }
    # a changed decision answers nothing more: the 12 months are not due yet
    services.realization_decide(actor=need_owner, solution=solution, decision=Decision.ADOPT)
    assert actions().count("realization.follow_up.answered") == 1


def test_milestone_answers_due_follow_ups(need_owner: Any, realization: Realization) -> None:
    solution = realization.solution
    past = timezone.now() - timedelta(days=400)
    services.follow_ups_schedule(solution=solution, awarded_at=past)
    FollowUp.objects.filter(months=6).update(sent_at=past)
    services.milestone_add(
        actor=need_owner, realization=realization, date=date(2026, 1, 1), title="Upphandling"
    )
    assert not FollowUp.objects.filter(solution=solution, answered_at__isnull=True).exists()
    answered = AuditLogEntry.objects.filter(action="realization.follow_up.answered")
    assert [
        (e.data["months"], e.data["by"], e.data["reminder_sent"], e.actor)
        for e in answered.order_by("pk")
    ] == [
        (6, "milestone", True, need_owner),
        (12, "milestone", False, need_owner),
    ]
    services.milestone_add(
        actor=need_owner, realization=realization, date=date(2026, 2, 1), title="Avtal"
    )
    assert answered.count() == 2  # answered once


def test_a_milestone_removed_meanwhile_is_not_saved(
    need_owner: Any, realization: Realization
) -> None:
    milestone = services.milestone_add(
        actor=need_owner, realization=realization, date=date(2026, 3, 12), title="Start"
    )
    Milestone.objects.filter(pk=milestone.pk).delete()
    with pytest.raises(ApplicationError, match="removed in the meantime"):
        services.milestone_update(
            actor=need_owner, milestone=milestone, date=date(2026, 3, 13), title="Start"
        )
    with pytest.raises(ApplicationError, match="removed in the meantime"):
        services.milestone_delete(actor=need_owner, milestone=milestone)


def test_a_decision_recorded_meanwhile_is_changed_not_duplicated(
    need_owner: Any, solution: Any, monkeypatch: Any
) -> None:
    """Two need owners deciding at once: the second one's insert fails on the
    one-to-one key, and its decision replaces the first (audited as a change)."""
    from django.db.models.query import QuerySet

    first = Realization.objects.create(
        solution=solution, decision=Decision.PILOT, decided_at=timezone.now()
    )
    real_first = QuerySet.first

    def blind_first(self: Any) -> Any:  # the other's row is not seen yet
        if self.model is Realization:
            return None
        return real_first(self)

    monkeypatch.setattr(QuerySet, "first", blind_first)
    made = services.realization_decide(actor=need_owner, solution=solution, decision="adopt")
    assert made.pk == first.pk
    assert Realization.objects.get().decision == Decision.ADOPT
    assert AuditLogEntry.objects.filter(action="realization.realization.changed").exists()
