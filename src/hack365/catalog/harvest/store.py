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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
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
from hack365.catalog.quality import dataset_quality
from hack365.catalog.signals import datasets_changed
from hack365.core.models import DataTheme
from hack365.organizations.models import Organization

from .records import (
    DataServiceRecord,
    DatasetRecord,
    PublisherRecord,
    RecordFailure,
    dataset_hash,
    to_json,
)

ProgressCallback = Callable[[str, int, int | None], None]

# The Dataset columns a harvest fills from a record, in the order of
# Prepared.values; the store adds key, source, publisher, withdrawn and times.
RECORD_COLUMNS = (
    "iri",
    "identifier",
    "title",
    "description",
    "keywords",
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
    "quality_score",
    "quality_missing",
)
STORE_COLUMNS = ("source_id", "publisher_id", "withdrawn", "withdrawn_at", "updated_at")
DISTRIBUTION_COLUMNS = (
    "dataset_id",
    "iri",
    "title",
    "description",
    "access_url",
    "download_url",
    "format",
    "media_type",
    "license_uri",
    "byte_size",
    "position",
)


# A mapped record as the store writes it, computed where the record was
# mapped (possibly in the forked mapper): (key, content hash, publisher,
# theme codes, values of RECORD_COLUMNS, distributions as values of
# DISTRIBUTION_COLUMNS without dataset_id). Values are already in the form
# the database driver takes (JSON and times as text), so that the storing
# process only runs statements. A plain tuple: cheap to pickle.
Prepared = tuple[
    str, str, PublisherRecord | None, tuple[str, ...], tuple[Any, ...], tuple[tuple[Any, ...], ...]
]
# A record that could not be mapped passes through as it is.
PreparedItem = Prepared | RecordFailure


@lru_cache(maxsize=65_536)
def _db_datetime(value: str, sqlite: bool) -> str | None:
    """An ISO 8601 time in UTC from the mapper as the database takes it: on
    SQLite as Django writes it (naive UTC, space between date and time)."""
    if not value:
        return None
    if not sqlite:
        return value
    return _sqlite_datetime(datetime.fromisoformat(value))


@lru_cache(maxsize=4096)
def _json_list(values: tuple[str, ...]) -> str:
    return to_json(list(values))


def prepare(record: DatasetRecord, *, sqlite: bool) -> Prepared:
    """What the store needs of one record: its content hash, quality and
    column values. Pure; runs in the mapping process."""
    quality = dataset_quality(record)
    texts = [(to_json(d.title), to_json(d.description)) for d in record.distributions]
    distributions = tuple(
        (
            d.iri,
            title,
            description,
            d.access_url,
            d.download_url,
            d.format,
            d.media_type,
            d.license_uri,
            d.byte_size,
            position,
        )
        for position, (d, (title, description)) in enumerate(
            zip(record.distributions, texts, strict=True)
        )
    )
    title = to_json(record.title)
    description = to_json(record.description)
    keywords = to_json(record.keywords)
    contact_point = to_json(record.contact_point)
    spatial = _json_list(record.spatial)
    temporal = to_json(record.temporal)
    content_hash = dataset_hash(
        record, title, description, keywords, contact_point, spatial, temporal, texts
    )
    values = (
        record.iri,
        record.identifier,
        title,
        description,
        keywords,
        contact_point,
        record.license_uri,
        record.access_rights,
        _db_datetime(record.issued, sqlite),
        _db_datetime(record.modified, sqlite),
        record.landing_page,
        spatial,
        temporal,
        record.frequency,
        _json_list(tuple(record.formats)),
        content_hash,
        quality.score,
        _json_list(tuple(quality.missing)),
    )
    return (record.key, content_hash, record.publisher, record.themes, values, distributions)


def prepare_all(
    records: Iterable[DatasetRecord | RecordFailure], *, sqlite: bool | None = None
) -> list[PreparedItem]:
    if sqlite is None:
        sqlite = connection.vendor == "sqlite"
    return [r if isinstance(r, RecordFailure) else prepare(r, sqlite=sqlite) for r in records]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    failed: int = 0

    def changed_anything(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)


@lru_cache(maxsize=8192)
def _sqlite_datetime(value: datetime) -> str:
    # As Django's SQLite backend stores them: naive, in UTC.
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT rows of values the driver takes as they are: COPY on
    PostgreSQL, one executemany on SQLite. Names are the models' own
    (constants), quoted; values are bound or streamed."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


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
        """Store mapped records (preparing them here), batch by batch."""
        for start in range(0, len(records), self.batch_size):
            self.store_prepared(prepare_all(records[start : start + self.batch_size]))
        return self.counts

    def store_prepared(self, batch: Sequence[PreparedItem]) -> None:
        """Upsert one batch in one transaction."""
        good: list[Prepared] = []
        failures: list[RecordFailure] = []
        seen = self.seen_keys
        for item in batch:
            if isinstance(item, RecordFailure):
                failures.append(item)
                seen.add(item.key)
            elif item[0] in seen:
                failures.append(
                    RecordFailure(
                        key=item[0],
                        error=_("Another record in this harvest has the same key."),
                    )
                )
            else:
                seen.add(item[0])
                good.append(item)
        source_id = self.source.pk if self.source else None
        with transaction.atomic():
            existing = self._existing([item[0] for item in good])
            new: list[Prepared] = []
            changed: list[tuple[Prepared, int]] = []
            for item in good:
                found = existing.get(item[0])
                if found is None:
                    new.append(item)
                elif found[1] != item[1] or found[2] or found[3] != source_id:
                    changed.append((item, found[0]))
                else:
                    self.counts.unchanged += 1
            self.counts.created += len(new)
            self.counts.updated += len(changed)
            self.counts.failed += len(failures)
            if self.dry_run:
                self._report(
                    [(item[0], RecordStatus.CREATED, "", None) for item in new]
                    + [(item[0], RecordStatus.UPDATED, "", pk) for item, pk in changed]
                    + [(f.key, RecordStatus.FAILED, f.error, None) for f in failures]
                )
                return
            if not new and not changed and not failures:
                return
            self._write(new, changed, failures)

    def _existing(self, keys: list[str]) -> dict[str, tuple[int, str, bool, int | None]]:
        """The rows with these keys: key → (id, content hash, withdrawn, source)."""
        if not keys:
            return {}
        table = connection.ops.quote_name(Dataset._meta.db_table)
        with connection.cursor() as cursor:
            params: list[Any]
            if connection.vendor == "postgresql":
                where, params = "key = ANY(%s)", [keys]
            else:
                where, params = f"key IN ({', '.join(['%s'] * len(keys))})", list(keys)
            cursor.execute(
                f"SELECT key, id, content_hash, withdrawn, source_id FROM {table} WHERE {where}",  # noqa: S608
                params,
            )
            return {
                key: (pk, digest, bool(withdrawn), source)
                for key, pk, digest, withdrawn, source in cursor.fetchall()
            }

    def _new_ids(self, keys: list[str]) -> list[int]:
        """Primary keys for new datasets, in the order of ``keys``. PostgreSQL:
        taken from the id sequence before inserting; SQLite: the rows are
        inserted without ids and their keys looked up (see ``_write``)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Dataset._meta.db_table, len(keys)],
            )
            return [int(row[0]) for row in cursor.fetchall()]

    def _write(
        self,
        new: list[Prepared],
        changed: list[tuple[Prepared, int]],
        failures: list[RecordFailure],
    ) -> None:
        now = timezone.now()
        postgres = connection.vendor == "postgresql"
        stamp = now if postgres else _sqlite_datetime(now)
        source_id = self.source.pk if self.source else None
        publisher_ids = self._publishers(
            [item[2] for item in new if item[2]] + [item[2] for item, _pk in changed if item[2]]
        )

        def store_values(item: Prepared) -> tuple[Any, ...]:
            publisher = item[2]
            return (
                source_id,
                publisher_ids.get(publisher.key) if publisher else None,
                False,
                None,
                stamp,
            )

        table = Dataset._meta.db_table
        stored: list[tuple[Prepared, int]] = []
        if new:
            keys = [item[0] for item in new]
            if postgres:
                ids = self._new_ids(keys)
                insert_rows(
                    table,
                    ("id", "key", *RECORD_COLUMNS, *STORE_COLUMNS, "created_at"),
                    [
                        (pk, item[0], *item[4], *store_values(item), stamp)
                        for pk, item in zip(ids, new, strict=True)
                    ],
                )
                stored = list(zip(new, ids, strict=True))
            else:
                insert_rows(
                    table,
                    ("key", *RECORD_COLUMNS, *STORE_COLUMNS, "created_at"),
                    [(item[0], *item[4], *store_values(item), stamp) for item in new],
                )
                by_key = self._existing(keys)
                stored = [(item, by_key[item[0]][0]) for item in new]
        if changed:
            quote = connection.ops.quote_name
            assignments = ", ".join(
                f"{quote(column)} = %s" for column in (*RECORD_COLUMNS, *STORE_COLUMNS)
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                    [(*item[4], *store_values(item), pk) for item, pk in changed],
                )
            changed_ids = [pk for _item, pk in changed]
            Distribution.objects.filter(dataset_id__in=changed_ids).delete()
            Dataset.themes.through.objects.filter(dataset_id__in=changed_ids).delete()
            stored += changed
        insert_rows(
            Distribution._meta.db_table,
            DISTRIBUTION_COLUMNS,
            [(pk, *values) for item, pk in stored for values in item[5]],
        )
        themes = self._themes()
        through = Dataset.themes.through._meta
        insert_rows(
            through.db_table,
            ("dataset_id", "datatheme_id"),
            [(pk, code) for item, pk in stored for code in item[3] if code in themes],
        )
        created = len(stored) - len(changed)
        self._report(
            [(item[0], RecordStatus.CREATED, "", pk) for item, pk in stored[:created]]
            + [(item[0], RecordStatus.UPDATED, "", pk) for item, pk in stored[created:]]
            + [(f.key, RecordStatus.FAILED, f.error, None) for f in failures]
        )
        ids = [pk for _item, pk in stored]
        if ids:
            transaction.on_commit(lambda: datasets_changed.send(sender=Dataset, dataset_ids=ids))

    def _report(self, rows: Iterable[tuple[str, str, str, int | None]]) -> None:
        job_id = self.job.pk
        insert_rows(
            HarvestRecord._meta.db_table,
            ("job_id", "key", "status", "error", "dataset_id"),
            [(job_id, key[:1000], str(status), error, pk) for key, status, error, pk in rows],
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
