"""Background tasks of the teams app (django-tasks). Tasks take ids and call
services or send mail; test settings run them immediately."""

from __future__ import annotations

from django_tasks import task


@task()
def send_booking_notice(booking_id: int, kind: str) -> int:
    """Tell the other side about a new or cancelled mentor booking, each
    person in their own language; returns how many e-mails were sent."""
    from .mentor_services import booking_notice_send

    return booking_notice_send(booking_id=booking_id, kind=kind)
