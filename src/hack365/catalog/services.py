"""Writes for the catalog's harvesting: sources (organizers) and jobs.

``harvest_job_start`` creates a job and enqueues ``run_harvest_job`` after
commit (or runs it at once for the command line); ``harvest_job_run`` does
the work. Unlike the other services it is not one transaction: the harvester
stores in batches of its own (see ``harvest.store``), and a job that fails
before storing changes nothing."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.permissions import require_organizer
from hack365.organizations.models import Organization

from .harvest.base import Harvester
from .harvest.errors import HarvestError, NotModified
from .harvest.store import ProgressCallback
from .models import (
    ChallengeDataset,
    Dataset,
    HarvestJob,
    HarvestSource,
    JobStatus,
    Schedule,
    SourceKind,
)

logger = logging.getLogger(__name__)

SCHEDULE_PERIODS: Final = {
    Schedule.HOURLY: timedelta(hours=1),
    Schedule.DAILY: timedelta(days=1),
    Schedule.WEEKLY: timedelta(weeks=1),
}
MAX_LOG = 100_000
MAX_ITEMS_LIMIT = 10_000_000
_url = URLValidator(schemes=["http", "https"])


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final[Any] = _Unset()


def _refuse(field: str, message: str, code: str) -> ApplicationError:
    return ApplicationError({field: ValidationError(message, code=code)})


def _clean_source(
    *,
    name: str,
    kind: str,
    url: str,
    file: UploadedFile | None,
    has_file: bool,
    schedule: str,
    instance: HarvestSource | None,
) -> tuple[str, str]:
    name = " ".join((name or "").split())
    url = (url or "").strip()
    if not name:
        raise _refuse("name", _("Give the source a name."), "required")
    if len(name) > 200:
        raise _refuse("name", _("The name can be at most 200 characters."), "max_length")
    others = HarvestSource.objects.filter(name__iexact=name)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.exists():
        raise _refuse("name", _("Another source already has this name."), "unique")
    if kind not in SourceKind.values:
        raise _refuse("kind", _("Choose what kind of source it is."), "invalid_choice")
    if schedule not in Schedule.values:
        raise _refuse("schedule", _("Choose a schedule."), "invalid_choice")
    if url:
        if len(url) > 1000:
            raise _refuse("url", _("The address can be at most 1000 characters."), "max_length")
        try:
            _url(url)
        except ValidationError as error:
            raise _refuse(
                "url", _("Enter a web address that starts with http:// or https://."), "invalid"
            ) from error
    if not url and not has_file:
        raise _refuse("url", _("Give an address or upload a file."), "required")
    if url and has_file:
        raise _refuse("url", _("Give an address or upload a file, not both."), "both")
    if file is not None:
        limit = int(getattr(settings, "CATALOG_HARVEST_MAX_BYTES", 200 * 1024 * 1024))
        if file.size is not None and file.size > limit:
            raise _refuse("file", _("The file is larger than the limit."), "too_large")
    if not url and schedule != Schedule.MANUAL:
        raise _refuse(
            "schedule", _("An uploaded file cannot be harvested on a schedule."), "schedule"
        )
    return name, url


@transaction.atomic
def harvest_source_create(
    *,
    user: Any,
    name: str,
    kind: str,
    url: str = "",
    file: UploadedFile | None = None,
    schedule: str = Schedule.MANUAL,
    enabled: bool = True,
    organization: Organization | None = None,
) -> HarvestSource:
    require_organizer(user)
    name, url = _clean_source(
        name=name,
        kind=kind,
        url=url,
        file=file,
        has_file=file is not None,
        schedule=schedule,
        instance=None,
    )
    source = HarvestSource(
        name=name,
        kind=kind,
        url=url,
        schedule=schedule,
        enabled=enabled,
        organization=organization,
    )
    if file is not None:
        source.file.save(Path(file.name or "catalog").name[:100], file, save=False)
    source.save()
    log_action(
        source,
        "catalog.harvest_source.created",
        actor=user,
        data={"name": name, "kind": kind, "url": url, "schedule": schedule},
    )
    return source


@transaction.atomic
def harvest_source_update(
    *,
    user: Any,
    source: HarvestSource,
    name: str = UNSET,
    kind: str = UNSET,
    url: str = UNSET,
    file: UploadedFile | None = UNSET,
    schedule: str = UNSET,
    enabled: bool = UNSET,
    organization: Organization | None = UNSET,
) -> HarvestSource:
    """Change the given fields (the others stay). A new address clears what
    the server said last time (ETag, Last-Modified)."""
    require_organizer(user)
    source = HarvestSource.objects.select_for_update().get(pk=source.pk)
    new_url = source.url if url is UNSET else (url or "").strip()
    new_file = None if file is UNSET else file
    keeps_old_file = bool(source.file) and not new_url and new_file is None
    new_name, new_url = _clean_source(
        name=source.name if name is UNSET else name,
        kind=source.kind if kind is UNSET else kind,
        url=new_url,
        file=new_file,
        has_file=new_file is not None or keeps_old_file,
        schedule=source.schedule if schedule is UNSET else schedule,
        instance=source,
    )
    changed: dict[str, Any] = {}
    for field, value in (
        ("name", new_name),
        ("kind", source.kind if kind is UNSET else kind),
        ("url", new_url),
        ("schedule", source.schedule if schedule is UNSET else schedule),
        ("enabled", source.enabled if enabled is UNSET else bool(enabled)),
    ):
        if getattr(source, field) != value:
            changed[field] = value
            setattr(source, field, value)
    new_org_id = (
        source.organization_id if organization is UNSET else getattr(organization, "pk", None)
    )
    if new_org_id != source.organization_id:
        source.organization_id = new_org_id
        changed["organization"] = new_org_id
    if new_file is not None:
        source.file.save(Path(new_file.name or "catalog").name[:100], new_file, save=False)
        changed["file"] = source.file.name
    elif new_url and source.file:
        source.file = None
        changed["file"] = ""
    if not changed:
        return source
    fields = set(changed) | {"updated_at"}
    if fields & {"url", "file", "kind"}:
        # What the server said about the old document says nothing now.
        source.etag = ""
        source.last_modified_header = ""
        fields |= {"etag", "last_modified_header"}
    source.save(update_fields=sorted(fields))
    log_action(source, "catalog.harvest_source.updated", actor=user, data=changed)
    return source


def harvest_job_start(
    *,
    user: Any,
    source: HarvestSource | None = None,
    file_path: str | None = None,
    dry_run: bool = False,
    max_items: int | None = None,
    enqueue: bool = True,
    progress: ProgressCallback | None = None,
) -> HarvestJob:
    """Create a harvest job and run it: enqueued after commit (the default),
    or at once when ``enqueue`` is False (the command line). ``user`` None
    means the system (the command line, the scheduler); a local
    ``file_path`` is accepted only from it."""
    if user is not None:
        require_organizer(user)
        if file_path:
            raise PermissionDenied(_("Only the command line may harvest a file on the server."))
    if source is None and not file_path:
        raise ApplicationError(_("Choose a source or a file to harvest."))
    if max_items is not None and not 0 < max_items <= MAX_ITEMS_LIMIT:
        raise _refuse("max_items", _("The number of datasets must be positive."), "invalid")
    path = ""
    if file_path:
        resolved = Path(file_path).expanduser().resolve()
        if not resolved.is_file():
            raise ApplicationError(_("There is no file %(path)s.") % {"path": file_path[:300]})
        path = str(resolved)
        if len(path) > 500:
            raise ApplicationError(_("The file's path is too long."))
    with transaction.atomic():
        if source is not None:
            source = HarvestSource.objects.select_for_update().get(pk=source.pk)
            if not source.enabled and user is None and not file_path:
                raise ApplicationError(_("This source is turned off."))
            if not file_path and not source.url and not source.file:
                raise ApplicationError(_("The source has neither an address nor a file."))
            if source.jobs.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING]).exists():
                raise ApplicationError(_("A harvest of this source is already waiting or running."))
        job = HarvestJob.objects.create(
            source=source,
            file_name=path,
            dry_run=dry_run,
            max_items=max_items,
            started_by=user if user is not None and user.is_authenticated else None,
        )
        log_action(
            job,
            "catalog.harvest_job.started",
            actor=user,
            data={
                "source": source.name if source else "",
                "file": Path(path).name if path else "",
                "dry_run": dry_run,
                "max_items": max_items,
            },
        )
        if enqueue:
            from .tasks import run_harvest_job

            job_id = job.pk
            transaction.on_commit(lambda: run_harvest_job.enqueue(job_id))
    if not enqueue:
        job = harvest_job_run(job_id=job.pk, progress=progress)
    return job


def harvest_job_run(*, job_id: int, progress: ProgressCallback | None = None) -> HarvestJob:
    """Run a waiting job to its end and record the outcome. Never raises for
    a harvest problem: the job's status and error say what happened."""
    with transaction.atomic():
        job = (
            HarvestJob.objects.select_for_update(of=("self",))
            .select_related("source")
            .get(pk=job_id)
        )
        if job.status != JobStatus.PENDING:
            return job
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    source = job.source
    harvester = Harvester(
        job=job,
        source=source,
        file_path=job.file_name or None,
        max_items=job.max_items,
        dry_run=job.dry_run,
        progress=progress,
    )
    status = JobStatus.SUCCEEDED
    error = ""
    outcome = None
    try:
        outcome = harvester.run()
    except NotModified:
        status = JobStatus.NOT_MODIFIED
        harvester.log(_("The source has not changed since the last harvest."))
    except HarvestError as failure:
        status = JobStatus.FAILED
        error = failure.message
    except Exception as failure:  # noqa: BLE001 - recorded on the job, then logged
        logger.exception("harvest job %s failed", job.pk)
        status = JobStatus.FAILED
        error = _("An unexpected error stopped the harvest: %(error)s") % {
            "error": f"{type(failure).__name__}: {str(failure)[:500]}"
        }
    now = timezone.now()
    with transaction.atomic():
        job.status = status
        job.error = error[:5000]
        job.finished_at = now
        job.log = "\n".join(harvester.lines)[:MAX_LOG]
        fields = ["status", "error", "finished_at", "log", "updated_at"]
        if outcome is not None:
            counts = outcome.counts
            job.created_count = counts.created
            job.updated_count = counts.updated
            job.unchanged_count = counts.unchanged
            job.withdrawn_count = counts.withdrawn
            job.failed_count = counts.failed
            fields += [
                "created_count",
                "updated_count",
                "unchanged_count",
                "withdrawn_count",
                "failed_count",
            ]
        job.save(update_fields=fields)
        if source is not None and not job.dry_run and status != JobStatus.FAILED:
            source_fields = ["last_harvested_at", "updated_at"]
            source.last_harvested_at = now
            if outcome is not None and outcome.complete and not job.file_name:
                source.etag = outcome.etag
                source.last_modified_header = outcome.last_modified
                source_fields += ["etag", "last_modified_header"]
            source.save(update_fields=source_fields)
        log_action(
            job,
            "catalog.harvest_job.finished",
            data={
                "status": status,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "withdrawn": job.withdrawn_count,
                "failed": job.failed_count,
                "error": error[:300],
            },
        )
    return job


def harvest_schedule_due(*, now: datetime | None = None) -> list[HarvestJob]:
    """Start a job for every enabled source whose schedule says it is due: no
    successful harvest and no attempt within its period (hourly, daily,
    weekly). Run it from cron or a periodic task (``hack365 harvest schedule``)."""
    now = now or timezone.now()
    jobs: list[HarvestJob] = []
    for schedule, period in SCHEDULE_PERIODS.items():
        since = now - period
        due = (
            HarvestSource.objects.filter(enabled=True, schedule=schedule)
            .exclude(url="")
            .filter(Q(last_harvested_at__isnull=True) | Q(last_harvested_at__lte=since))
            .exclude(jobs__created_at__gt=since)
            .distinct()
            .order_by("name")
        )
        for source in due:
            try:
                jobs.append(harvest_job_start(user=None, source=source))
            except ApplicationError as refusal:
                logger.info("not starting a scheduled harvest of %s: %s", source, refusal)
    return jobs


# --- datasets linked to challenges (need owners, organizers) -----------------------

MAX_LINKS_PER_CHALLENGE = 50
MAX_LINK_NOTE = 500


def _require_link_permission(user: Any, challenge: Any) -> Any:
    from hack365.challenges import rules

    viewer = rules.viewer_for(user)
    if not viewer.authenticated:
        raise PermissionDenied(_("You need to log in to do this."))
    if not rules.may_link_datasets_role(viewer, challenge):
        raise PermissionDenied(
            _("Only the challenge's need owners and the organizers may link datasets to it.")
        )
    if not rules.can_link_datasets(viewer, challenge):
        raise ApplicationError(_("The challenge is archived: its datasets can no longer change."))
    return viewer


@transaction.atomic
def challenge_dataset_link(
    *, user: Any, challenge: Any, dataset: Dataset, note: str = ""
) -> ChallengeDataset:
    """Link a catalog dataset to a challenge, with a short note on why it
    helps. Refused for withdrawn datasets, twice the same dataset and more
    than MAX_LINKS_PER_CHALLENGE datasets."""
    from hack365.challenges.models import Challenge

    # Lock the challenge row: concurrent links count against the same limit.
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    viewer = _require_link_permission(user, challenge)
    note = " ".join((note or "").split())
    if len(note) > MAX_LINK_NOTE:
        raise _refuse(
            "note",
            _("The note can be at most %(n)d characters.") % {"n": MAX_LINK_NOTE},
            "max_length",
        )
    dataset = Dataset.objects.get(pk=dataset.pk)
    if dataset.withdrawn:
        raise ApplicationError(
            _("This dataset has been withdrawn by its publisher and cannot be linked.")
        )
    links = ChallengeDataset.objects.filter(challenge=challenge)
    if links.filter(dataset=dataset).exists():
        raise ApplicationError(_("The dataset is already linked to this challenge."))
    if links.count() >= MAX_LINKS_PER_CHALLENGE:
        raise ApplicationError(
            _("A challenge can have at most %(n)d linked datasets. Remove one first.")
            % {"n": MAX_LINKS_PER_CHALLENGE}
        )
    link = ChallengeDataset.objects.create(
        challenge=challenge, dataset=dataset, note=note, added_by=viewer.user
    )
    log_action(
        challenge,
        "catalog.challenge_dataset.linked",
        actor=viewer.user,
        data={"dataset": dataset.pk, "key": dataset.key[:300], "note": note},
    )
    return link


@transaction.atomic
def challenge_dataset_unlink(*, user: Any, link: ChallengeDataset) -> None:
    """Remove a dataset from a challenge (the dataset itself stays)."""
    from hack365.challenges.models import Challenge

    challenge = Challenge.objects.select_for_update().get(pk=link.challenge_id)
    viewer = _require_link_permission(user, challenge)
    dataset_id, key = link.dataset_id, link.dataset.key
    deleted, _rows = ChallengeDataset.objects.filter(pk=link.pk).delete()
    if not deleted:
        return
    log_action(
        challenge,
        "catalog.challenge_dataset.unlinked",
        actor=viewer.user,
        data={"dataset": dataset_id, "key": key[:300]},
    )
