"""Background tasks of the realization app (django-tasks). Tasks take ids and
call services; test settings run them immediately.

Follow-ups: ``follow_ups_schedule`` enqueues ``send_follow_up`` to run when
each one falls due, where the backend can defer tasks. Run the sweep
``send_due_follow_ups`` periodically as well — from cron
(``hack365 realization remind``, daily) — so that none is missed."""

from __future__ import annotations

from django_tasks import task


@task()
def send_follow_up(follow_up_id: int) -> int:
    """Send one follow-up if it is due and not sent yet; returns how many
    e-mails were sent."""
    from .services import follow_up_send

    return follow_up_send(follow_up_id=follow_up_id)


@task()
def send_due_follow_ups() -> int:
    """Send every due follow-up not sent yet; returns how many were sent."""
    from .services import follow_ups_send_due

    return follow_ups_send_due()
