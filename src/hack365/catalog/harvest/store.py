"""Storing mapped records: upsert by key, one transaction per batch.

For each batch the existing rows' keys and content hashes come in one query;
unchanged records (same hash, same source, not withdrawn) cause no writes at
all; new ones are inserted in bulk (COPY on PostgreSQL, executemany on
SQLite), changed ones rewritten with bulk_update, their distributions and
themes replaced. After each batch that
changed anything, ``datasets_changed`` is sent once the batch commits.

A dry run reads the same way and counts what would happen, writing nothing
but the job's own report rows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hack365.catalog.models import (
    DataService,
    Dataset,
    Distribution,
    HarvestJob,
    HarvestRecord,
    HarvestSource,
    Publisher,
    RecordStatus,
)
from hack365.catalog.quality import Quality, dataset_quality
from hack365.catalog.signals import datasets_changed
from hack365.core.models import DataTheme
from hack365.organizations.models import Organization

from .records import DataServiceRecord, DatasetRecord, PublisherRecord, RecordFailure

ProgressCallback = Callable[[str, int, int | None], None]
# A mapped record with its content hash and quality ("" and None for a failure).
Prepared = tuple[DatasetRecord | RecordFailure, str, Quality | None]

# The Dataset columns a harvest writes (bulk_update rewrites these).
DATASET_FIELDS = (
    "source",
    "iri",
    "identifier",
    "title",
    "description",
    "keywords",
    "publisher",
    "contact_point",
    "license_uri",
    "access_rights",
    "issued",
    "modified",
    "landing_page",
    "spatial",
    "temporal",
    "frequency",
    "formats",
    "content_hash",
    "withdrawn",
    "withdrawn_at",
    "quality_score",
    "quality_missing",
    "updated_at",
)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    failed: int = 0

    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)


def _datetime(value: str) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _sqlite_json(value: Any) -> str:
    return _JSON.encode(value)


@lru_cache(maxsize=8192)
def _sqlite_datetime(value: datetime) -> str:
    # As Django's SQLite backend stores them: naive, in UTC.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a field's Python value is handed to the database driver (what
    get_db_prep_save does, without its per-value overhead)."""
    ops = connection.ops
    sqlite = connection.vendor == "sqlite" and settings.USE_TZ
    if isinstance(field, models.JSONField):
        if sqlite and field.encoder is None:
            return _sqlite_json
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else ops.adapt_datetimefield_value
    if isinstance(
        field,
        (
            models.CharField,
            models.TextField,
            models.BooleanField,
            models.IntegerField,
            models.ForeignKey,
        ),
    ):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def bulk_insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """INSERT rows (dicts by field attname): COPY on PostgreSQL, one
    executemany on SQLite. Much faster than bulk_create for the thousands of
    rows of a harvest. Fields a row leaves out get the model field's default."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    plan = [(f.attname, _adapter(f), f.get_default()) for f in fields]
    params = []
    for row in rows:
        values = []
        for attname, adapt, default in plan:
            value = row.get(attname, default)
            values.append(None if value is None else adapt(value))
        params.append(values)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Names come from the model's metadata, quoted; values are streamed.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, params)


@dataclass
class Store:
    job: HarvestJob
    source: HarvestSource | None
    dry_run: bool = False
    batch_size: int = 500
    progress: ProgressCallback | None = None
    counts: Counts = field(default_factory=Counts)
    seen_keys: set[str] = field(default_factory=set)
    _publisher_ids: dict[str, int] = field(default_factory=dict)
    _publishers_done: set[str] = field(default_factory=set)
    _theme_codes: set[str] | None = None
    _orgs_by_number: dict[str, int] | None = None
    _orgs_by_uri: dict[str, int] | None = None

    # --- datasets ------------------------------------------------------------

    def store(self, records: Sequence[DatasetRecord | RecordFailure]) -> Counts:
        """Store mapped records (hashing them here), batch by batch."""
        for start in range(0, len(records), self.batch_size):
            self.store_prepared(
                [
                    (r, "", None)
                    if isinstance(r, RecordFailure)
                    else (r, r.content_hash(), dataset_quality(r))
                    for r in records[start : start + self.batch_size]
                ]
            )
        return self.counts

    def store_prepared(self, batch: Sequence[Prepared]) -> None:
        """Upsert one batch in one transaction."""
        good: list[tuple[DatasetRecord, str, Quality]] = []
        failures: list[RecordFailure] = []
        for record, content_hash, quality in batch:
            if isinstance(record, RecordFailure):
                failures.append(record)
                self.seen_keys.add(record.key)
            elif record.key in self.seen_keys:
                failures.append(
                    RecordFailure(
                        key=record.key,
                        error=_("Another record in this harvest has the same key."),
                    )
                )
            else:
                self.seen_keys.add(record.key)
                assert quality is not None
                good.append((record, content_hash, quality))
        source_id = self.source.pk if self.source else None
        with transaction.atomic():
            existing = {
                key: (pk, content_hash, withdrawn, row_source)
                for pk, key, content_hash, withdrawn, row_source in Dataset.objects.filter(
                    key__in=[r.key for r, _h, _q in good]
                ).values_list("id", "key", "content_hash", "withdrawn", "source_id")
            }
            new: list[tuple[DatasetRecord, str, Quality]] = []
            changed: list[tuple[DatasetRecord, str, Quality, int]] = []
            for record, content_hash, quality in good:
                found = existing.get(record.key)
                if found is None:
                    new.append((record, content_hash, quality))
                elif found[1] != content_hash or found[2] or found[3] != source_id:
                    changed.append((record, content_hash, quality, found[0]))
                else:
                    self.counts.unchanged += 1
            self.counts.created += len(new)
            self.counts.updated += len(changed)
            self.counts.failed += len(failures)
            if self.dry_run:
                self._report(
                    [(r.key, RecordStatus.CREATED, "", None) for r, _h, _q in new]
                    + [(r.key, RecordStatus.UPDATED, "", pk) for r, _h, _q, pk in changed]
                    + [(f.key, RecordStatus.FAILED, f.error, None) for f in failures]
                )
                return
            if not new and not changed and not failures:
                return
            self._write(new, changed, failures)

    def _write(
        self,
        new: list[tuple[DatasetRecord, str, Quality]],
        changed: list[tuple[DatasetRecord, str, Quality, int]],
        failures: list[RecordFailure],
    ) -> None:
        now = timezone.now()
        publisher_ids = self._publishers(
            [r.publisher for r, _h, _q in new if r.publisher]
            + [r.publisher for r, _h, _q, _pk in changed if r.publisher]
        )
        new_ids: dict[str, int] = {}
        if new:
            bulk_insert(
                Dataset,
                [
                    self._row(record, digest, quality, publisher_ids, now)
                    for record, digest, quality in new
                ],
            )
            keys = [r.key for r, _h, _q in new]
            new_ids = dict(Dataset.objects.filter(key__in=keys).values_list("key", "id"))
        updated = [
            Dataset(pk=pk, **self._row(record, digest, quality, publisher_ids, now))
            for record, digest, quality, pk in changed
        ]
        if updated:
            Dataset.objects.bulk_update(updated, DATASET_FIELDS)
            changed_ids = [d.pk for d in updated]
            Distribution.objects.filter(dataset_id__in=changed_ids).delete()
            Dataset.themes.through.objects.filter(dataset_id__in=changed_ids).delete()
        stored = [(r, new_ids[r.key]) for r, _h, _q in new] + [(r, pk) for r, _h, _q, pk in changed]
        bulk_insert(
            Distribution,
            [
                {
                    "dataset_id": pk,
                    "iri": d.iri,
                    "title": d.title,
                    "description": d.description,
                    "access_url": d.access_url,
                    "download_url": d.download_url,
                    "format": d.format,
                    "media_type": d.media_type,
                    "license_uri": d.license_uri,
                    "byte_size": d.byte_size,
                    "position": position,
                }
                for record, pk in stored
                for position, d in enumerate(record.distributions)
            ],
        )
        themes = self._themes()
        bulk_insert(
            Dataset.themes.through,
            [
                {"dataset_id": pk, "datatheme_id": code}
                for record, pk in stored
                for code in record.themes
                if code in themes
            ],
        )
        self._report(
            [(r.key, RecordStatus.CREATED, "", new_ids[r.key]) for r, _h, _q in new]
            + [(r.key, RecordStatus.UPDATED, "", pk) for r, _h, _q, pk in changed]
            + [(f.key, RecordStatus.FAILED, f.error, None) for f in failures]
        )
        ids = [pk for _r, pk in stored]
        if ids:
            transaction.on_commit(lambda: datasets_changed.send(sender=Dataset, dataset_ids=ids))

    def _row(
        self,
        record: DatasetRecord,
        content_hash: str,
        quality: Quality,
        publisher_ids: dict[str, int],
        now: datetime,
    ) -> dict[str, Any]:
        return {
            "key": record.key,
            "source_id": self.source.pk if self.source else None,
            "iri": record.iri,
            "identifier": record.identifier,
            "title": record.title,
            "description": record.description,
            "keywords": record.keywords,
            "publisher_id": publisher_ids.get(record.publisher.key) if record.publisher else None,
            "contact_point": record.contact_point,
            "license_uri": record.license_uri,
            "access_rights": record.access_rights,
            "issued": _datetime(record.issued),
            "modified": _datetime(record.modified),
            "landing_page": record.landing_page,
            "spatial": list(record.spatial),
            "temporal": record.temporal,
            "frequency": record.frequency,
            "formats": record.formats,
            "content_hash": content_hash,
            "withdrawn": False,
            "withdrawn_at": None,
            "quality_score": quality.score,
            "quality_missing": quality.missing,
            "created_at": now,
            "updated_at": now,
        }

    def _report(self, rows: Iterable[tuple[str, str, str, int | None]]) -> None:
        bulk_insert(
            HarvestRecord,
            [
                {
                    "job_id": self.job.pk,
                    "key": key[:1000],
                    "status": str(status),
                    "error": error,
                    "dataset_id": pk,
                }
                for key, status, error, pk in rows
            ],
        )

    def _themes(self) -> set[str]:
        if self._theme_codes is None:
            self._theme_codes = set(DataTheme.objects.values_list("code", flat=True))
        return self._theme_codes

    # --- publishers -------------------------------------------------------------

    def _organisation_for(self, publisher: PublisherRecord) -> int | None:
        if self._orgs_by_number is None or self._orgs_by_uri is None:
            self._orgs_by_number = {}
            self._orgs_by_uri = {}
            for pk, number, uri in Organization.objects.values_list(
                "id", "organisation_number", "publisher_uri"
            ):
                if number:
                    self._orgs_by_number[number] = pk
                if uri:
                    self._orgs_by_uri[uri.rstrip("/")] = pk
        if publisher.organisation_number in self._orgs_by_number:
            return self._orgs_by_number[publisher.organisation_number]
        return self._orgs_by_uri.get(publisher.key.rstrip("/"))

    def _publishers(self, publishers: list[PublisherRecord]) -> dict[str, int]:
        """Publisher ids by key, creating and updating publishers once per job."""
        wanted: dict[str, PublisherRecord] = {}
        for publisher in publishers:
            if publisher.key not in self._publishers_done:
                wanted.setdefault(publisher.key, publisher)
        if wanted:
            rows = {
                iri: (pk, name, number, org)
                for pk, iri, name, number, org in Publisher.objects.filter(
                    iri__in=list(wanted)
                ).values_list("id", "iri", "name", "organisation_number", "organization_id")
            }
            to_create: list[Publisher] = []
            for key, publisher in wanted.items():
                organization_id = self._organisation_for(publisher)
                found = rows.get(key)
                if found is None:
                    to_create.append(
                        Publisher(
                            iri=key,
                            name=publisher.name,
                            organisation_number=publisher.organisation_number,
                            organization_id=organization_id,
                        )
                    )
                    continue
                pk, name, number, current_org = found
                self._publisher_ids[key] = pk
                # A link an organizer made by hand stays when nothing matches.
                new_org = organization_id if organization_id is not None else current_org
                if (name, number, current_org) != (
                    publisher.name,
                    publisher.organisation_number,
                    new_org,
                ):
                    Publisher.objects.filter(pk=pk).update(
                        name=publisher.name,
                        organisation_number=publisher.organisation_number,
                        organization_id=new_org,
                        updated_at=timezone.now(),
                    )
            for created in Publisher.objects.bulk_create(to_create):
                if created.pk is None:
                    created.pk = Publisher.objects.only("id").get(iri=created.iri).pk
                self._publisher_ids[created.iri] = created.pk
            self._publishers_done.update(wanted)
        return self._publisher_ids

    # --- withdrawal ---------------------------------------------------------------

    def withdraw_missing(self) -> int:
        """Mark the source's datasets that this harvest did not see as
        withdrawn. They are never deleted: challenges and solutions may link them."""
        if self.source is None:
            return 0
        gone = [
            (pk, key)
            for pk, key in Dataset.objects.filter(source=self.source, withdrawn=False).values_list(
                "id", "key"
            )
            if key not in self.seen_keys
        ]
        self.counts.withdrawn += len(gone)
        if self.dry_run:
            self._report((key, RecordStatus.WITHDRAWN, "", pk) for pk, key in gone)
            return len(gone)
        now = timezone.now()
        for start in range(0, len(gone), self.batch_size):
            chunk = gone[start : start + self.batch_size]
            ids = [pk for pk, _key in chunk]
            with transaction.atomic():
                Dataset.objects.filter(id__in=ids).update(
                    withdrawn=True, withdrawn_at=now, updated_at=now
                )
                self._report((key, RecordStatus.WITHDRAWN, "", pk) for pk, key in chunk)
                transaction.on_commit(
                    lambda ids=ids: datasets_changed.send(sender=Dataset, dataset_ids=ids)  # type: ignore[misc]
                )
        return len(gone)

    # --- data services ---------------------------------------------------------------

    def store_services(self, services: Sequence[DataServiceRecord], *, complete: bool) -> None:
        if self.dry_run:
            return
        seen: set[str] = set()
        with transaction.atomic():
            existing = {
                s.key: s for s in DataService.objects.filter(key__in=[r.key for r in services])
            }
            for record in services:
                if record.key in seen:
                    continue
                seen.add(record.key)
                content_hash = record.content_hash()
                service = existing.get(record.key)
                if (
                    service is not None
                    and service.content_hash == content_hash
                    and not service.withdrawn
                    and service.source_id == (self.source.pk if self.source else None)
                ):
                    continue
                publisher_ids = self._publishers([record.publisher] if record.publisher else [])
                values: dict[str, Any] = {
                    "source": self.source,
                    "title": record.title,
                    "description": record.description,
                    "endpoint_url": record.endpoint_url,
                    "endpoint_description": record.endpoint_description,
                    "publisher_id": publisher_ids.get(record.publisher.key)
                    if record.publisher
                    else None,
                    "license_uri": record.license_uri,
                    "content_hash": content_hash,
                    "withdrawn": False,
                }
                service, _created = DataService.objects.update_or_create(
                    key=record.key, defaults=values
                )
                service.serves_datasets.set(
                    Dataset.objects.filter(key__in=record.serves_datasets).values_list(
                        "id", flat=True
                    )
                )
            if complete and self.source is not None:
                gone = [
                    pk
                    for pk, key in DataService.objects.filter(
                        source=self.source, withdrawn=False
                    ).values_list("id", "key")
                    if key not in seen
                ]
                if gone:
                    DataService.objects.filter(id__in=gone).update(withdrawn=True)
