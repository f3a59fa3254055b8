"""Reads for the organizers' harvesting pages: sources, jobs and their
per-record results. Every ``access_*`` checks that the user is an organizer
before it looks anything up, so others learn nothing about ids."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from hack365.core.permissions import require_organizer

from .models import HarvestJob, HarvestRecord, HarvestSource, JobStatus, RecordStatus

ACTIVE_STATUSES = (JobStatus.PENDING, JobStatus.RUNNING)
RECENT_JOBS = 10


def _newest_jobs() -> QuerySet[HarvestJob]:
    return HarvestJob.objects.order_by("-created_at", "-id")


def harvest_source_list(user: Any) -> QuerySet[HarvestSource]:
    """Every source by name, with its organisation and its latest job (as
    ``latest_jobs``, a list of at most one), in a constant number of queries."""
    require_organizer(user)
    return (
        HarvestSource.objects.select_related("organization")
        .prefetch_related(Prefetch("jobs", queryset=_newest_jobs()[:1], to_attr="latest_jobs"))
        .order_by("name", "pk")
    )


def harvest_recent_jobs(user: Any, limit: int = RECENT_JOBS) -> list[HarvestJob]:
    """The latest jobs of all sources (and of files harvested from the command line)."""
    require_organizer(user)
    return list(_newest_jobs().select_related("source")[:limit])


def access_harvest_source(user: Any, pk: int) -> HarvestSource:
    """The source, for an organizer; 403 for others, 404 for an unknown id."""
    require_organizer(user)
    source = HarvestSource.objects.select_related("organization").filter(pk=pk).first()
    if source is None:
        raise Http404("No such harvest source")
    return source


def harvest_source_jobs(source: HarvestSource) -> QuerySet[HarvestJob]:
    """The source's jobs, newest first (to paginate)."""
    return _newest_jobs().filter(source=source).select_related("started_by__profile")


def harvest_source_active_job(source: HarvestSource) -> HarvestJob | None:
    """The job of the source that is waiting or running, if there is one."""
    return _newest_jobs().filter(source=source, status__in=ACTIVE_STATUSES).first()


def access_harvest_job(user: Any, pk: int) -> HarvestJob:
    """The job with its source and who started it, for an organizer; 403 for
    others, 404 for an unknown id."""
    require_organizer(user)
    job = HarvestJob.objects.select_related("source", "started_by__profile").filter(pk=pk).first()
    if job is None:
        raise Http404("No such harvest job")
    return job


def harvest_job_records(job: HarvestJob, *, failed_only: bool = False) -> QuerySet[HarvestRecord]:
    """What happened to each record of the job, in the order they were
    stored (to paginate); only the failed ones if ``failed_only``."""
    records = HarvestRecord.objects.filter(job=job).order_by("id")
    if failed_only:
        records = records.filter(status=RecordStatus.FAILED)
    return records


def harvest_job_is_active(job: HarvestJob) -> bool:
    return job.status in ACTIVE_STATUSES
