from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from hack365.accounts.models import Profile
from hack365.core.models import AuditLogEntry
from hack365.realization import services, tasks
from hack365.realization.models import Decision, FollowUp
from hack365.submissions.models import SolutionStatus
from tests.organizations.factories import (
    OrganizationFactory,
    need_owner_of,
    publisher_of,
)

from .conftest import submitted

pytestmark = pytest.mark.django_db


def speaks(user: Any, *languages: str) -> Any:
    Profile.objects.filter(user=user).update(languages=list(languages))
    user.refresh_from_db()
    return user


def award_months_ago(solution: Any, months: int, extra: timedelta = timedelta(hours=1)) -> Any:
    """An award published ``months`` (and ``extra``) ago, with its follow-ups."""
    from tests.judging.factories import AwardCategoryFactory, AwardFactory

    awarded = services.add_months(timezone.now() - extra, -months)
    category = AwardCategoryFactory(event=None, challenge=solution.challenge, published_at=awarded)
    award = AwardFactory(solution=solution, category=category)
    services.follow_ups_schedule(solution=solution, awarded_at=awarded)
    return award


def test_nothing_is_sent_before_it_is_due(solution: Any) -> None:
    award_months_ago(solution, 6, extra=-timedelta(hours=1))  # due in an hour
    assert services.follow_ups_send_due() == 0
    assert mail.outbox == []
    assert not FollowUp.objects.filter(sent_at__isnull=False).exists()


def test_a_due_follow_up_goes_to_the_owner_organisations_need_owners(
    organization: Any, need_owner: Any, other_need_owner: Any, solution: Any
) -> None:
    second = need_owner_of(organization, user__username="second")
    inactive = need_owner_of(organization, user__username="gone", user__is_active=False)
    publisher_of(organization, user__username="publisher")
    solution.challenge.co_owners.add(other_need_owner.memberships.get().organization)
    award_months_ago(solution, 6)
    assert services.follow_ups_send_due() == 1
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([need_owner.email, second.email])
    assert inactive.email not in to
    six = FollowUp.objects.get(solution=solution, months=6)
    assert six.sent_at is not None
    assert FollowUp.objects.get(solution=solution, months=12).sent_at is None


def test_follow_ups_are_never_sent_twice(need_owner: Any, solution: Any) -> None:
    speaks(need_owner, "en")
    award_months_ago(solution, 6)
    assert services.follow_ups_send_due() == 1
    assert len(mail.outbox) == 1
    assert services.follow_ups_send_due() == 0
    FollowUp.objects.filter(months=12).update(due_at=timezone.now() - timedelta(minutes=1))
    assert services.follow_ups_send_due() == 1
    assert len(mail.outbox) == 2
    assert "12 months" in mail.outbox[1].subject
    for follow_up in FollowUp.objects.all():
        assert services.follow_up_send(follow_up_id=follow_up.pk) == 0
        tasks.send_follow_up.enqueue(follow_up.pk)
    assert len(mail.outbox) == 2


def test_an_award_long_ago_brings_one_reminder_not_two(need_owner: Any, solution: Any) -> None:
    speaks(need_owner, "en")
    award_months_ago(solution, 13)  # both follow-ups are due
    assert services.follow_ups_send_due() == 1
    assert len(mail.outbox) == 1
    assert "12 months" in mail.outbox[0].subject
    assert not FollowUp.objects.filter(sent_at__isnull=True).exists()


def test_the_sweep_schedules_missing_follow_ups(need_owner: Any, solution: Any) -> None:
    from tests.judging.factories import AwardCategoryFactory, AwardFactory

    published = services.add_months(timezone.now(), -6) - timedelta(days=1)
    AwardFactory(
        solution=solution,
        category=AwardCategoryFactory(event=solution.challenge.event, published_at=published),
    )
    AwardFactory(category=AwardCategoryFactory(published_at=None))  # not published: no follow-up
    assert services.follow_ups_send_due() == 1
    assert [(f.months, f.due_at) for f in FollowUp.objects.order_by("months")] == [
        (6, services.add_months(published, 6)),
        (12, services.add_months(published, 12)),
    ]
    assert services.follow_ups_schedule_missing() == 0
    assert len(mail.outbox) == 1


def test_each_need_owner_is_written_to_in_their_language(
    organization: Any, need_owner: Any, solution: Any
) -> None:
    english = speaks(need_owner_of(organization, user__username="english"), "fr", "en")
    speaks(need_owner, "sv")
    award_months_ago(solution, 6)
    services.follow_ups_send_due()
    by_address = {message.to[0]: message for message in mail.outbox}
    swedish_mail, english_mail = by_address[need_owner.email], by_address[english.email]
    path = f"/realization/solutions/{solution.pk}/"
    assert f"/sv{path}" in swedish_mail.body
    assert f"/en{path}" in english_mail.body
    assert english_mail.subject == (
        "How is “Bussappen” doing? A follow-up 6 months after the award"
    )
    assert (
        swedish_mail.subject == "Hur går det för ”Bussappen”? En uppföljning 6 månader efter priset"
    )
    assert "No decision has been recorded on it yet." in english_mail.body
    assert solution.team.name in english_mail.body


def test_the_mail_tells_the_decision_so_far(need_owner: Any, solution: Any) -> None:
    services.realization_decide(actor=need_owner, solution=solution, decision=Decision.PILOT)
    speaks(need_owner, "en")
    award_months_ago(solution, 6)
    services.follow_ups_send_due()
    assert "The decision recorded so far: Pilot" in mail.outbox[0].body


def test_an_answered_follow_up_is_not_sent(need_owner: Any, solution: Any) -> None:
    award_months_ago(solution, 6)
    # the need owner tells where it stands before the sweep runs
    services.realization_decide(actor=need_owner, solution=solution, decision=Decision.ADOPT)
    assert services.follow_ups_send_due() == 0
    assert mail.outbox == []


def test_a_withdrawn_solution_is_not_followed_up(need_owner: Any, solution: Any) -> None:
    award_months_ago(solution, 6)
    solution.status = SolutionStatus.WITHDRAWN
    solution.save(update_fields=["status"])
    assert services.follow_ups_send_due() == 0
    assert mail.outbox == []


def test_without_need_owners_the_follow_up_is_marked_sent(challenge: Any) -> None:
    orphan = submitted(
        challenge.__class__.objects.create(
            title="Utan behovsägare",
            slug="utan",
            summary="s",
            problem="p",
            expected_benefit="b",
            target_group="t",
            level="national",
            owner=OrganizationFactory(),
            status="published",
            published_at=timezone.now(),
        )
    )
    award_months_ago(orphan, 6)
    assert services.follow_ups_send_due() == 1
    assert mail.outbox == []
    assert FollowUp.objects.get(solution=orphan, months=6).sent_at is not None


def test_co_owners_are_asked_when_the_owner_has_no_need_owner(other_need_owner: Any) -> None:
    from tests.challenges.factories import PublishedChallengeFactory

    challenge = PublishedChallengeFactory(owner=OrganizationFactory(), slug="samagd")
    challenge.co_owners.add(other_need_owner.memberships.get().organization)
    award_months_ago(submitted(challenge), 6)
    services.follow_ups_send_due()
    assert [m.to for m in mail.outbox] == [[other_need_owner.email]]


def test_a_failing_send_leaves_the_follow_up_unsent(
    organization: Any, need_owner: Any, solution: Any, monkeypatch: Any, caplog: Any
) -> None:
    """The mail server is down for every need owner: the claim is released
    and the next sweep sends it (the earlier follow-up it stood for too)."""
    need_owner_of(organization, user__username="second")
    award_months_ago(solution, 13)  # both follow-ups are due

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("the mail server is down")

    monkeypatch.setattr(services, "send_mail", broken)
    assert services.follow_ups_send_due() == 0
    assert not FollowUp.objects.filter(sent_at__isnull=False).exists()
    assert "no reminder could be sent" in caplog.text
    assert not AuditLogEntry.objects.filter(action="realization.follow_up.sent").exists()
    monkeypatch.undo()
    assert services.follow_ups_send_due() == 1
    assert len(mail.outbox) == 2
    assert not FollowUp.objects.filter(sent_at__isnull=True).exists()
    assert services.follow_ups_send_due() == 0
    assert len(mail.outbox) == 2


def test_a_send_failing_for_one_need_owner_is_not_repeated_to_the_others(
    organization: Any, need_owner: Any, solution: Any, monkeypatch: Any, caplog: Any
) -> None:
    second = need_owner_of(organization, user__username="second")
    award_months_ago(solution, 6)
    real_send_mail = services.send_mail

    def fails_for_second(subject: str, body: str, sender: str, to: list[str]) -> int:
        if to == [second.email]:
            raise OSError("mailbox unavailable")
        return real_send_mail(subject, body, sender, to)

    monkeypatch.setattr(services, "send_mail", fails_for_second)
    assert services.follow_ups_send_due() == 1
    assert [m.to for m in mail.outbox] == [[need_owner.email]]
    assert FollowUp.objects.get(months=6).sent_at is not None
    entry = AuditLogEntry.objects.get(action="realization.follow_up.sent")
    assert (entry.data["to"], entry.data["failed"]) == (1, [second.pk])
    assert f"not to users [{second.pk}]" in caplog.text
    monkeypatch.undo()
    assert services.follow_ups_send_due() == 0
    for follow_up in FollowUp.objects.all():
        assert services.follow_up_send(follow_up_id=follow_up.pk) == 0
    assert [m.to for m in mail.outbox] == [[need_owner.email]]


@pytest.mark.django_db(transaction=True)
def test_the_claim_is_committed_before_the_mail_goes_out(
    need_owner: Any, solution: Any, monkeypatch: Any
) -> None:
    """No transaction (and on SQLite no write lock) is held while the mail
    server is talked to, and the follow-up is already claimed by then."""
    award_months_ago(solution, 6)
    seen: list[tuple[bool, bool]] = []
    real_send_mail = services.send_mail

    def watching(*args: Any, **kwargs: Any) -> int:
        claimed = FollowUp.objects.get(months=6).sent_at is not None
        seen.append((connection.in_atomic_block, claimed))
        return real_send_mail(*args, **kwargs)

    monkeypatch.setattr(services, "send_mail", watching)
    assert services.follow_ups_send_due() == 1
    assert seen == [(False, True)]


def test_the_link_in_the_mail_is_absolute(settings: Any, need_owner: Any, solution: Any) -> None:
    settings.HACK365 = {**settings.HACK365, "SITE_URL": "https://hack365.example.se/"}
    speaks(need_owner, "en")
    award_months_ago(solution, 6)
    services.follow_ups_send_due()
    link = f"https://hack365.example.se/en/realization/solutions/{solution.pk}/"
    assert link in mail.outbox[0].body.split()


def test_the_link_is_absolute_with_the_default_settings(
    settings: Any, need_owner: Any, solution: Any
) -> None:
    site = settings.HACK365["SITE_URL"]  # http://127.0.0.1:8000 unless SITE_URL is set
    assert site.startswith(("http://", "https://"))
    speaks(need_owner, "sv")
    award_months_ago(solution, 6)
    services.follow_ups_send_due()
    link = f"{site}/sv/realization/solutions/{solution.pk}/"
    assert link in mail.outbox[0].body.split()


def test_a_revoked_award_brings_no_reminder(
    organizer: Any, need_owner: Any, solution: Any, caplog: Any
) -> None:
    from hack365.judging.award_services import award_revoke

    award = award_months_ago(solution, 13)
    award_revoke(actor=organizer, award=award)
    assert services.follow_ups_send_due() == 0
    assert mail.outbox == []
    # marked as not needed: not looked at again, nor sent by a deferred task
    assert not FollowUp.objects.filter(sent_at__isnull=True).exists()
    entry = AuditLogEntry.objects.get(action="realization.follow_up.skipped")
    assert (entry.data["months"], entry.data["with_earlier"]) == (12, 1)
    assert "no longer has a published award" in caplog.text
    assert services.follow_ups_send_due() == 0
    for follow_up in FollowUp.objects.all():
        assert services.follow_up_send(follow_up_id=follow_up.pk) == 0
    assert mail.outbox == []
    assert AuditLogEntry.objects.filter(action="realization.follow_up.skipped").count() == 1


def test_an_unpublished_award_brings_no_reminder(need_owner: Any, solution: Any) -> None:
    award = award_months_ago(solution, 6)
    award.category.published_at = None
    award.category.save(update_fields=["published_at"])
    assert services.follow_ups_send_due() == 0
    assert mail.outbox == []


def test_one_revoked_award_of_two_still_brings_the_reminder(need_owner: Any, solution: Any) -> None:
    award_months_ago(solution, 6).delete()
    award_months_ago(solution, 6)
    assert services.follow_ups_send_due() == 1
    assert len(mail.outbox) == 1


def test_sending_is_audited(need_owner: Any, solution: Any) -> None:
    award_months_ago(solution, 13)
    services.follow_ups_send_due()
    entry = AuditLogEntry.objects.get(action="realization.follow_up.sent")
    assert entry.object_id == str(FollowUp.objects.get(months=12).pk)
    assert entry.data == {
        "solution": solution.pk,
        "months": 12,
        "to": 1,
        "failed": [],
        "with_earlier": 1,
    }


def test_the_sweep_task_and_the_command(need_owner: Any, solution: Any) -> None:
    award_months_ago(solution, 6)
    result = tasks.send_due_follow_ups.enqueue()
    assert result.return_value == 1
    award_months_ago(submitted(solution.challenge), 6)
    out = StringIO()
    call_command("realization", "pending", stdout=out)
    assert "due\t+6" in out.getvalue()
    call_command("realization", "remind", stdout=out)
    assert "sent 1 follow-up(s)" in out.getvalue()
    assert len(mail.outbox) == 2


def test_deferred_tasks_where_the_backend_can_wait(
    settings: Any, solution: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With a backend that supports run_after (the database backend does), a
    task per follow-up is enqueued for its due time once the award is
    committed; with the immediate backend of the tests the sweep sends them."""
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    assert backend.supports_defer
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = services.follow_ups_schedule(solution=solution, awarded_at=timezone.now())
    assert backend.results == []  # nothing before the commit
    for callback in callbacks:
        callback()
    enqueued = [(r.task.func.__name__, r.task.run_after, r.args) for r in backend.results]
    assert enqueued == [("send_follow_up", f.due_at, [f.pk]) for f in made]
    # scheduling again enqueues nothing new
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_ups_schedule(solution=solution, awarded_at=timezone.now())
    assert len(backend.results) == 2


def test_the_immediate_backend_gets_no_deferred_task(
    solution: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.follow_ups_schedule(solution=solution, awarded_at=timezone.now())
    assert mail.outbox == []  # a deferred task run at once would find nothing due
