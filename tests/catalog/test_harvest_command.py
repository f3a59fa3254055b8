"""``hack365 harvest run | schedule | validate``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from hack365.catalog.models import Dataset, HarvestJob, JobStatus
from tests.conftest import SHARED, need_shared

from .factories import DatasetFactory, DistributionFactory, HarvestSourceFactory, catalog_ttl

pytestmark = pytest.mark.usefixtures("quiet_signals", "english")

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://e.se/shapes/Dataset> a sh:NodeShape ; sh:targetClass dcat:Dataset ;
  sh:property [ sh:path dct:title ; sh:minCount 1 ; sh:message "A dataset needs a title" ] ;
  sh:property [ sh:path dct:publisher ; sh:minCount 1 ] .
"""


def call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("harvest", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_run_a_file_prints_a_summary(db: None, tmp_path: Path) -> None:
    path = tmp_path / "c.ttl"
    path.write_text(catalog_ttl([1, 2, 3]))
    out, _err = call("run", "--file", str(path))
    assert "3 created, 0 updated, 0 unchanged, 0 withdrawn, 0 failed" in out
    assert "datasets/s" in out
    out, _err = call("run", "--file", str(path))
    assert "0 created, 0 updated, 3 unchanged" in out


def test_run_dry_run_and_max_items(db: None, tmp_path: Path) -> None:
    path = tmp_path / "c.ttl"
    path.write_text(catalog_ttl([1, 2, 3]))
    out, _err = call("run", "--file", str(path), "--dry-run")
    assert "nothing stored" in out and "3 created" in out
    assert not Dataset.objects.exists()
    call("run", "--file", str(path), "--max-items", "2")
    assert Dataset.objects.count() == 2


def test_run_a_source_by_name_with_a_file(db: None, tmp_path: Path) -> None:
    source = HarvestSourceFactory(name="Testkällan")
    path = tmp_path / "c.ttl"
    path.write_text(catalog_ttl([1]))
    call("run", "--source", "Testkällan", "--file", str(path))
    assert Dataset.objects.get().source == source


def test_a_failed_job_exits_non_zero(db: None, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("this is not turtle")
    with pytest.raises(CommandError, match="not valid Turtle"):
        call("run", "--file", str(path))
    assert HarvestJob.objects.get().status == JobStatus.FAILED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run"], "--file PATH or --source NAME"),
        (["run", "--source", "Finns inte"], "no harvest source named"),
        (["run", "--file", "/no/such/file.ttl"], "no file"),
    ],
)
def test_bad_arguments_are_refused(db: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call(*args)


def test_schedule_starts_due_sources(
    db: None, tmp_path: Path, django_capture_on_commit_callbacks: object
) -> None:
    HarvestSourceFactory(schedule="daily", url="https://data.example.se/c.ttl", enabled=False)
    out, _err = call("schedule")
    assert "Started 0 scheduled harvests" in out


def test_validate_a_file_against_shapes(db: None, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES)
    good = tmp_path / "good.ttl"
    good.write_text(catalog_ttl([1]))
    out, _err = call("validate", "--shapes", str(shapes), "--file", str(good))
    assert "conforms" in out
    bad = tmp_path / "bad.ttl"
    bad.write_text(catalog_ttl([1]).replace('dct:title "Datamängd 1"@sv ;', ""))
    with pytest.raises(CommandError) as raised:
        call("validate", "--shapes", str(shapes), "--file", str(bad))
    assert raised.value.returncode == 1
    assert "1 problems" in str(raised.value)


def test_validate_the_stored_catalog(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES)
    source = HarvestSourceFactory(name="Källan")
    dataset = DatasetFactory(source=source, title={})
    DistributionFactory(dataset=dataset)
    out = StringIO()
    with pytest.raises(CommandError, match="does not conform"):
        call_command(
            "harvest", "validate", "--shapes", str(shapes), "--source", "Källan", stdout=out
        )
    assert dataset.key in out.getvalue()
    assert "A dataset needs a title" in out.getvalue()
    assert "http://purl.org/dc/terms/publisher" in out.getvalue()


def test_validate_with_the_official_dcat_ap_shapes(db: None) -> None:
    need_shared()
    corpus = SHARED / "corpus" / "dcat"
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "harvest",
            "validate",
            "--shapes",
            str(corpus / "SEMICeu__DCAT-AP/releases__2.1.1__dcat-ap_2.1.1_shacl_shapes.ttl"),
            "--file",
            str(corpus / "ckan__ckanext-dcat/examples__dcat__dataset_afs.ttl"),
            stdout=out,
        )
    assert raised.value.returncode == 1
    assert "http://example.com/data/test-dataset-1" in out.getvalue()


def test_validate_refuses_unreadable_shapes(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Could not read"):
        call("validate", "--shapes", str(tmp_path / "missing.ttl"))
