"""Background tasks of the catalog (django-tasks). Tasks take ids and call
services; test settings run them immediately.

Scheduled harvests: run ``enqueue_due_harvests`` periodically — from cron
(``hack365 harvest schedule`` every few minutes) or by enqueueing this task
from a periodic worker loop."""

from __future__ import annotations

from django_tasks import task

from .services import harvest_job_run, harvest_schedule_due


@task()
def run_harvest_job(job_id: int) -> str:
    """Run one harvest job; returns its final status."""
    return str(harvest_job_run(job_id=job_id).status)


@task()
def enqueue_due_harvests() -> int:
    """Start a job for every source whose schedule says it is due; returns
    how many were started."""
    return len(harvest_schedule_due())
