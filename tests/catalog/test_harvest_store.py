"""Storing harvests: idempotence (an unchanged re-harvest writes no rows),
updates, withdrawal (never deleting what a challenge links), blank-node
keys, publishers matched to organisations, dry runs, max_items, signals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hack365.catalog.models import (
    ChallengeDataset,
    Dataset,
    Distribution,
    HarvestRecord,
    HarvestSource,
    JobStatus,
    Publisher,
    RecordStatus,
)
from hack365.catalog.services import harvest_job_start
from tests.challenges.factories import ChallengeFactory
from tests.organizations.factories import OrganizationFactory

from .factories import PREFIXES, HarvestSourceFactory, catalog_ttl

pytestmark = pytest.mark.usefixtures("quiet_signals", "english")


def write(tmp_path: Path, text: str, name: str = "catalog.ttl") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def harvest(path: str, source: HarvestSource | None = None, **kwargs: Any) -> Any:
    return harvest_job_start(user=None, source=source, file_path=path, enqueue=False, **kwargs)


WRITES = ("INSERT", "UPDATE", "DELETE")


def writes(queries: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_a_first_harvest_stores_datasets_distributions_and_themes(db: None, tmp_path: Path) -> None:
    job = harvest(write(tmp_path, catalog_ttl(range(1, 4))))
    assert job.status == JobStatus.SUCCEEDED
    assert (job.created_count, job.updated_count, job.unchanged_count) == (3, 0, 0)
    dataset = Dataset.objects.get(key="https://data.example.se/dataset/1")
    assert dataset.title == {"sv": "Datamängd 1"}
    assert [t.code for t in dataset.themes.all()] == ["ENVI"]
    assert dataset.formats == ["CSV"]
    distribution = dataset.distributions.get()
    assert (distribution.access_url, distribution.media_type) == (
        "https://data.example.se/files/1.csv",
        "text/csv",
    )
    assert dataset.license_uri == "http://creativecommons.org/licenses/by/4.0/"
    assert HarvestRecord.objects.filter(job=job, status=RecordStatus.CREATED).count() == 3
    assert 0 < dataset.quality_score < 100
    assert "dcat:contactPoint" in dataset.quality_missing


def test_an_unchanged_re_harvest_writes_no_rows(db: None, tmp_path: Path) -> None:
    path = write(tmp_path, catalog_ttl(range(1, 30)))
    harvest(path)
    with CaptureQueriesContext(connection) as captured:
        job = harvest(path)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 29)
    touched = writes(captured.captured_queries)
    assert touched, "the job row itself is written"
    allowed = ('"catalog_harvestjob"', '"core_auditlogentry"')
    assert all(any(table in sql for table in allowed) for sql in touched), touched


def test_an_unchanged_source_harvest_writes_only_job_and_source_bookkeeping(
    db: None, tmp_path: Path
) -> None:
    source = HarvestSourceFactory()
    path = write(tmp_path, catalog_ttl(range(1, 10)))
    harvest(path, source)
    with CaptureQueriesContext(connection) as captured:
        job = harvest(path, source)
    assert job.unchanged_count == 9
    allowed = ('"catalog_harvestjob"', '"core_auditlogentry"', '"catalog_harvestsource"')
    touched = writes(captured.captured_queries)
    assert all(any(table in sql for table in allowed) for sql in touched), touched


def test_a_changed_dataset_is_updated_in_place(
    db: None, tmp_path: Path, quiet_signals: Any
) -> None:
    harvest(write(tmp_path, catalog_ttl([1, 2])))
    first = Dataset.objects.get(key="https://data.example.se/dataset/1")
    text = catalog_ttl([1, 2]).replace('"Datamängd 1"@sv', '"Nytt namn"@sv')
    job = harvest(write(tmp_path, text))
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 1, 1)
    again = Dataset.objects.get(key="https://data.example.se/dataset/1")
    assert again.pk == first.pk
    assert again.title == {"sv": "Nytt namn"}
    assert again.content_hash != first.content_hash
    assert Distribution.objects.filter(dataset=again).count() == 1
    assert again.themes.count() == 1


def test_signals_name_the_changed_datasets_after_commit(
    db: None,
    tmp_path: Path,
    quiet_signals: list[list[int]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        harvest(write(tmp_path, catalog_ttl([1, 2, 3])))
    assert sorted(sum(quiet_signals, [])) == sorted(Dataset.objects.values_list("id", flat=True))
    quiet_signals.clear()
    with django_capture_on_commit_callbacks(execute=True):
        harvest(write(tmp_path, catalog_ttl([1, 2, 3])))
    assert quiet_signals == []  # nothing changed, nothing sent


def test_gone_datasets_are_withdrawn_never_deleted(db: None, tmp_path: Path) -> None:
    source = HarvestSourceFactory()
    harvest(write(tmp_path, catalog_ttl([1, 2, 3])), source)
    linked = Dataset.objects.get(key="https://data.example.se/dataset/3")
    ChallengeDataset.objects.create(challenge=ChallengeFactory(), dataset=linked)
    gone = Dataset.objects.get(key="https://data.example.se/dataset/2")

    job = harvest(write(tmp_path, catalog_ttl([1])), source)
    assert job.withdrawn_count == 2
    assert Dataset.objects.count() == 3
    for dataset in (linked, gone):
        dataset.refresh_from_db()
        assert dataset.withdrawn and dataset.withdrawn_at is not None
    assert ChallengeDataset.objects.filter(dataset=linked).exists()
    assert set(
        HarvestRecord.objects.filter(job=job, status=RecordStatus.WITHDRAWN).values_list(
            "key", flat=True
        )
    ) == {linked.key, gone.key}

    back = harvest(write(tmp_path, catalog_ttl([1, 3])), source)
    assert (back.updated_count, back.unchanged_count, back.withdrawn_count) == (1, 1, 0)
    linked.refresh_from_db()
    assert not linked.withdrawn and linked.withdrawn_at is None


def test_datasets_of_other_sources_are_not_withdrawn(db: None, tmp_path: Path) -> None:
    first, second = HarvestSourceFactory(), HarvestSourceFactory()
    harvest(write(tmp_path, catalog_ttl([1, 2])), first)
    harvest(write(tmp_path, catalog_ttl([5], base="https://other.example.se/")), second)
    assert not Dataset.objects.filter(withdrawn=True).exists()


@pytest.mark.parametrize(
    ("kwargs", "withdrawn"),
    [({"dry_run": True}, False), ({"max_items": 1}, False), ({}, True)],
)
def test_only_a_full_real_harvest_withdraws(
    db: None, tmp_path: Path, kwargs: dict[str, Any], withdrawn: bool
) -> None:
    source = HarvestSourceFactory()
    harvest(write(tmp_path, catalog_ttl([1, 2, 3])), source)
    harvest(write(tmp_path, catalog_ttl([1, 2])), source, **kwargs)
    assert Dataset.objects.get(key="https://data.example.se/dataset/3").withdrawn is withdrawn


def test_a_broken_file_changes_nothing(db: None, tmp_path: Path) -> None:
    source = HarvestSourceFactory()
    harvest(write(tmp_path, catalog_ttl([1, 2])), source)
    before = sorted(Dataset.objects.values_list("key", "content_hash", "withdrawn"))
    broken = catalog_ttl([1]) + "\n<https://broken> dct:title 'unterminated ."
    job = harvest(write(tmp_path, broken), source)
    assert job.status == JobStatus.FAILED
    assert "not valid Turtle" in job.error
    assert sorted(Dataset.objects.values_list("key", "content_hash", "withdrawn")) == before
    source.refresh_from_db()


def test_dry_run_stores_nothing_but_counts(db: None, tmp_path: Path) -> None:
    harvest(write(tmp_path, catalog_ttl([1, 2])))
    text = catalog_ttl([1, 2, 3]).replace('"Datamängd 1"@sv', '"Annat"@sv')
    job = harvest(write(tmp_path, text), dry_run=True)
    assert (job.created_count, job.updated_count, job.unchanged_count) == (1, 1, 1)
    assert Dataset.objects.count() == 2
    assert Dataset.objects.get(key="https://data.example.se/dataset/1").title == {
        "sv": "Datamängd 1"
    }


def test_max_items_stops_early(db: None, tmp_path: Path) -> None:
    job = harvest(write(tmp_path, catalog_ttl(range(1, 8))), max_items=3)
    assert job.created_count == 3
    assert Dataset.objects.count() == 3


BLANK = (
    PREFIXES
    + """
<https://data.example.se/catalog> a dcat:Catalog ; dcat:dataset [ a dcat:Dataset ;
    dct:title "Med identifierare"@sv ; dct:identifier "abc-123" ] ,
  [ a dcat:Dataset ; dct:title "Med landningssida"@sv ;
    dcat:landingPage <https://example.se/sida> ] ,
  [ a dcat:Dataset ; dct:title "Utan nyckel"@sv ] ,
  [ a dcat:Dataset ; dct:title "Samma identifierare"@sv ; dct:identifier "abc-123" ] .
"""
)


def test_blank_node_datasets_are_keyed_by_identifier_or_landing_page(
    db: None, tmp_path: Path
) -> None:
    path = write(tmp_path, BLANK)
    job = harvest(path)
    assert (job.created_count, job.failed_count) == (2, 2)
    keys = set(Dataset.objects.values_list("key", flat=True))
    assert keys == {"identifier:abc-123", "landing-page:https://example.se/sida"}
    errors = list(
        HarvestRecord.objects.filter(job=job, status=RecordStatus.FAILED).values_list(
            "error", flat=True
        )
    )
    assert any("no IRI" in e and "dct:identifier" in e for e in errors)
    assert any("same key" in e for e in errors)
    again = harvest(path)
    assert (again.created_count, again.unchanged_count) == (0, 2)


def test_publishers_are_created_once_and_matched_to_organisations(db: None, tmp_path: Path) -> None:
    agency = OrganizationFactory(organisation_number="202100-5489")
    other = OrganizationFactory(publisher_uri="https://kommun.example.se/org")
    extra = """<https://data.example.se/dataset/9> a dcat:Dataset ; dct:title "Kommunens"@sv ;
  dct:publisher <https://kommun.example.se/org> .
<https://kommun.example.se/org> foaf:name "Kommunen"@sv .
"""
    harvest(write(tmp_path, catalog_ttl([1, 2], extra=extra)))
    publisher = Publisher.objects.get(iri="http://dataportal.se/organisation/SE2021005489")
    assert publisher.organisation_number == "202100-5489"
    assert publisher.organization == agency
    assert publisher.name == {"en": "The Test Agency", "sv": "Testmyndigheten"}
    assert publisher.datasets.count() == 2
    assert Publisher.objects.get(iri="https://kommun.example.se/org").organization == other
    assert Publisher.objects.count() == 2


def test_html_descriptions_become_text(db: None, tmp_path: Path) -> None:
    extra = """<https://data.example.se/dataset/h> a dcat:Dataset ; dct:title "H"@sv ;
  dct:description "<p>Första &amp; <b>viktigt</b></p><ul><li>ett</li><li>två</li></ul>\
<script>x()</script>"@sv .
"""
    harvest(write(tmp_path, catalog_ttl([], extra=extra)))
    text = Dataset.objects.get(key="https://data.example.se/dataset/h").description["sv"]
    assert "<" not in text and "x()" not in text
    assert "Första & viktigt" in text and "- ett" in text


def test_a_source_file_upload_is_harvested(db: None, tmp_path: Path) -> None:
    from django.core.files.base import ContentFile

    source = HarvestSourceFactory(url="")
    source.file.save("upload.ttl", ContentFile(catalog_ttl([1, 2]).encode()), save=True)
    job = harvest_job_start(user=None, source=source, enqueue=False)
    assert job.status == JobStatus.SUCCEEDED and job.created_count == 2
    assert set(Dataset.objects.values_list("source", flat=True)) == {source.pk}


def test_a_forked_mapper_gives_the_same_result(db: None, tmp_path: Path, settings: Any) -> None:
    path = write(tmp_path, catalog_ttl(range(1, 40)) + BLANK.replace(PREFIXES, ""))
    settings.CATALOG_HARVEST_BATCH_SIZE = 7
    sequential = harvest(path, dry_run=True)
    settings.CATALOG_HARVEST_PARALLEL_FROM = 1
    forked = harvest(path)
    assert (forked.created_count, forked.failed_count) == (
        sequential.created_count,
        sequential.failed_count,
    )
    assert (forked.created_count, forked.failed_count) == (41, 2)
    again = harvest(path)
    assert (again.unchanged_count, again.created_count, again.updated_count) == (41, 0, 0)


def test_a_failing_forked_mapper_fails_the_job(
    db: None, tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hack365.catalog.harvest import dcat

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(dcat, "datasets_from_rdf", broken)
    settings.CATALOG_HARVEST_PARALLEL_FROM = 1
    job = harvest(write(tmp_path, catalog_ttl([1, 2])))
    assert job.status == JobStatus.FAILED
    assert "mapping process failed" in job.error and "boom" in job.error
    assert not Dataset.objects.exists()


@pytest.mark.parametrize("mappers", [1, 3])
def test_any_number_of_forked_mappers_stores_in_order(
    db: None, tmp_path: Path, settings: Any, mappers: int
) -> None:
    # Two records share a key: the first in document order wins, as in one process.
    text = catalog_ttl(range(1, 30)) + BLANK.replace(PREFIXES, "")
    settings.CATALOG_HARVEST_BATCH_SIZE = 4
    settings.CATALOG_HARVEST_PARALLEL_FROM = 1
    settings.CATALOG_HARVEST_MAPPERS = mappers
    job = harvest(write(tmp_path, text))
    assert (job.created_count, job.failed_count) == (31, 2)
    keys = list(
        HarvestRecord.objects.filter(job=job, status=RecordStatus.CREATED).values_list(
            "key", flat=True
        )
    )
    settings.CATALOG_HARVEST_PARALLEL_FROM = 0
    Dataset.objects.all().delete()
    again = harvest(write(tmp_path, text))
    assert keys == list(
        HarvestRecord.objects.filter(job=again, status=RecordStatus.CREATED).values_list(
            "key", flat=True
        )
    )


def test_a_forked_parser_reads_the_same_triples(monkeypatch: pytest.MonkeyPatch) -> None:
    from hack365.catalog.harvest import rdf

    data = (catalog_ttl(range(1, 20)) + '\n<urn:x> <urn:p> "å\\u00e4ö ✓"@sv .\n').encode()
    here = rdf.parse_rdf(data, "turtle")
    monkeypatch.setattr(rdf, "PARALLEL_PARSE_FROM", 0)
    forked = rdf.parse_rdf(data, "turtle")
    assert forked.subjects == here.subjects
    assert forked.triple_count() == here.triple_count()


def test_a_forked_parser_reports_syntax_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    from hack365.catalog.harvest import rdf
    from hack365.catalog.harvest.errors import HarvestError

    monkeypatch.setattr(rdf, "PARALLEL_PARSE_FROM", 0)
    with pytest.raises(HarvestError, match="not valid Turtle"):
        rdf.parse_rdf((catalog_ttl([1]) + "\n<urn:a> <urn:b> .\n").encode(), "turtle")
