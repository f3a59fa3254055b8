"""Harvest services: sources (organizers only), starting jobs (enqueued
through django-tasks, run at once in tests), scheduled harvests, the audit log."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hack365.catalog.models import (
    Dataset,
    HarvestJob,
    HarvestSource,
    JobStatus,
    Schedule,
    SourceKind,
)
from hack365.catalog.services import (
    harvest_job_start,
    harvest_schedule_due,
    harvest_source_create,
    harvest_source_update,
)
from hack365.catalog.tasks import run_harvest_job
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import AuditLogEntry

from .conftest import LocalServer
from .factories import HarvestSourceFactory, catalog_ttl

pytestmark = pytest.mark.usefixtures("quiet_signals", "english")


def test_organizers_create_sources(organizer: Any) -> None:
    source = harvest_source_create(
        user=organizer,
        name="  Lantmäteriet  ",
        kind=SourceKind.DCAT_RDF,
        url="https://lm.example.se/dcat",
    )
    assert source.name == "Lantmäteriet"
    entry = AuditLogEntry.objects.get(action="catalog.harvest_source.created")
    assert entry.actor == organizer and entry.data["url"] == "https://lm.example.se/dcat"


@pytest.mark.parametrize("who", ["participant", "need_owner", None])
def test_others_may_not_create_sources(
    request: pytest.FixtureRequest, who: str | None, db: None
) -> None:
    user = request.getfixturevalue(who) if who else None
    with pytest.raises(PermissionDenied):
        harvest_source_create(
            user=user, name="X", kind=SourceKind.CKAN, url="https://ckan.example.se"
        )
    assert not HarvestSource.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"kind": "ftp"}, "kind"),
        ({"url": "file:///etc/passwd"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://e.se/" + "a" * 1000}, "url"),
        ({"url": ""}, "url"),
        ({"schedule": "yearly"}, "schedule"),
        ({"file": SimpleUploadedFile("c.ttl", b"x")}, "url"),
    ],
)
def test_bad_sources_are_refused(organizer: Any, kwargs: dict[str, Any], field: str) -> None:
    values = {"name": "Källa", "kind": SourceKind.DCAT_RDF, "url": "https://e.se/c.ttl", **kwargs}
    with pytest.raises(ApplicationError) as raised:
        harvest_source_create(user=organizer, **values)
    assert field in raised.value.message_dict
    assert not HarvestSource.objects.exists()


def test_source_names_are_unique_whatever_the_case(organizer: Any) -> None:
    HarvestSourceFactory(name="SCB")
    with pytest.raises(ApplicationError):
        harvest_source_create(user=organizer, name="scb", kind=SourceKind.CKAN, url="https://e.se")


def test_an_uploaded_file_source(organizer: Any) -> None:
    upload = SimpleUploadedFile("katalog.ttl", catalog_ttl([1]).encode())
    source = harvest_source_create(
        user=organizer, name="Fil", kind=SourceKind.DCAT_RDF, file=upload
    )
    assert source.file and not source.url
    with pytest.raises(ApplicationError):
        harvest_source_create(
            user=organizer,
            name="Fil 2",
            kind=SourceKind.DCAT_RDF,
            file=SimpleUploadedFile("k.ttl", b"x"),
            schedule=Schedule.DAILY,
        )


def test_update_changes_given_fields_and_forgets_the_etag(organizer: Any) -> None:
    source = HarvestSourceFactory(etag='"abc"', last_modified_header="yesterday")
    harvest_source_update(user=organizer, source=source, schedule=Schedule.WEEKLY)
    source.refresh_from_db()
    assert source.schedule == Schedule.WEEKLY and source.etag == '"abc"'
    harvest_source_update(user=organizer, source=source, url="https://ny.example.se/c.ttl")
    source.refresh_from_db()
    assert (source.url, source.etag, source.last_modified_header) == (
        "https://ny.example.se/c.ttl",
        "",
        "",
    )
    assert AuditLogEntry.objects.filter(action="catalog.harvest_source.updated").count() == 2
    harvest_source_update(user=organizer, source=source, url="https://ny.example.se/c.ttl")
    assert AuditLogEntry.objects.filter(action="catalog.harvest_source.updated").count() == 2


def test_participants_may_not_update_sources(participant: Any) -> None:
    source = HarvestSourceFactory()
    with pytest.raises(PermissionDenied):
        harvest_source_update(user=participant, source=source, enabled=False)


def test_an_organizer_starts_a_job_that_runs_through_the_task(
    organizer: Any, local_server: LocalServer, django_capture_on_commit_callbacks: Any
) -> None:
    source = HarvestSourceFactory(url=local_server.serve("/c.ttl", catalog_ttl([1, 2])))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = harvest_job_start(user=organizer, source=source)
    assert callbacks  # the job was enqueued after commit
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.created_count == 2
    assert job.started_by == organizer
    actions = list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["catalog.harvest_job.started", "catalog.harvest_job.finished"]
    source.refresh_from_db()
    assert source.last_harvested_at is not None


def test_the_task_runs_a_waiting_job_once(db: None, tmp_path: Path) -> None:
    path = tmp_path / "c.ttl"
    path.write_text(catalog_ttl([1]))
    job = HarvestJob.objects.create(file_name=str(path))
    result = run_harvest_job.enqueue(job.pk)
    assert result.return_value == JobStatus.SUCCEEDED
    assert Dataset.objects.count() == 1
    run_harvest_job.enqueue(job.pk)  # a second delivery does nothing
    job.refresh_from_db()
    assert job.created_count == 1


@pytest.mark.parametrize("who", ["participant", "need_owner"])
def test_others_may_not_start_jobs(request: pytest.FixtureRequest, who: str) -> None:
    with pytest.raises(PermissionDenied):
        harvest_job_start(user=request.getfixturevalue(who), source=HarvestSourceFactory())
    assert not HarvestJob.objects.exists()


def test_only_the_command_line_harvests_server_files(organizer: Any, tmp_path: Path) -> None:
    path = tmp_path / "c.ttl"
    path.write_text(catalog_ttl([1]))
    with pytest.raises(PermissionDenied):
        harvest_job_start(user=organizer, file_path=str(path))
    assert not HarvestJob.objects.exists()


def test_one_job_per_source_at_a_time(organizer: Any) -> None:
    source = HarvestSourceFactory()
    HarvestJob.objects.create(source=source, status=JobStatus.RUNNING)
    with pytest.raises(ApplicationError, match="already waiting or running"):
        harvest_job_start(user=organizer, source=source)


def test_bad_job_arguments_are_refused(organizer: Any) -> None:
    with pytest.raises(ApplicationError):
        harvest_job_start(user=organizer)
    with pytest.raises(ApplicationError):
        harvest_job_start(user=organizer, source=HarvestSourceFactory(), max_items=0)


def test_scheduled_sources_are_started_when_due(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    now = timezone.now()
    due_daily = HarvestSourceFactory(
        schedule=Schedule.DAILY, last_harvested_at=now - timedelta(days=2)
    )
    HarvestSourceFactory(schedule=Schedule.DAILY, last_harvested_at=now - timedelta(hours=2))
    due_hourly = HarvestSourceFactory(schedule=Schedule.HOURLY, last_harvested_at=None)
    HarvestSourceFactory(schedule=Schedule.WEEKLY, last_harvested_at=now - timedelta(days=3))
    HarvestSourceFactory(schedule=Schedule.MANUAL)
    HarvestSourceFactory(schedule=Schedule.DAILY, enabled=False)
    tried = HarvestSourceFactory(schedule=Schedule.HOURLY)
    HarvestJob.objects.create(source=tried, status=JobStatus.FAILED)  # an attempt within the hour
    with django_capture_on_commit_callbacks(execute=False):
        jobs = harvest_schedule_due(now=now)
    assert {job.source for job in jobs} == {due_daily, due_hourly}
    with django_capture_on_commit_callbacks(execute=False):
        assert harvest_schedule_due(now=now) == []  # they are waiting now
