"""Every file of ../shared/corpus/dcat/ is harvested: stored with the
expected number of datasets, or refused with a clear error. Either way
nothing else in the database changes. New corpus files fail the test until
they are added to the table below."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hack365.catalog.models import (
    ChallengeDataset,
    Dataset,
    Distribution,
    HarvestRecord,
    JobStatus,
    Publisher,
)
from hack365.catalog.services import harvest_job_start
from tests.conftest import SHARED, need_shared

from .factories import DatasetFactory, DistributionFactory, HarvestSourceFactory

pytestmark = pytest.mark.usefixtures("quiet_signals", "english")

CORPUS = SHARED / "corpus" / "dcat"


def refused(fragment: str) -> tuple[str, str]:
    return ("refused", fragment)


NOT_A_CATALOG = refused("holds no dcat:Catalog and no dcat:Dataset")
NOT_CKAN = refused("neither a CKAN API response")

# relative path → datasets stored (and records failed), or refused with a
# message containing the fragment. Vocabularies, SHACL shapes and JSON that
# is neither JSON-LD nor CKAN are refused rather than "harvested" as empty
# catalogs: an empty full harvest would withdraw every dataset of a source.
EXPECTED: dict[str, int | tuple[int, int] | tuple[str, str]] = {
    "ComuneFoggia__OpenData-Comune-di-Foggia/catalog.rdf": 7,
    "Informasjonsforvaltning__fdk-dataset-harvester/src__test__resources__catalog_with_blank_node.ttl": 1,
    # One IRI dataset and one blank-node dataset with neither identifier nor
    # landing page: that record fails alone.
    "Informasjonsforvaltning__fdk-dataset-harvester/src__test__resources__harvest_response_0.ttl": (
        1,
        1,
    ),
    "Informasjonsforvaltning__fdk-dataset-harvester/src__test__resources__harvest_response_error.ttl": refused(
        "not valid Turtle"
    ),
    "SEMICeu__DCAT-AP/releases__2.1.1__dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl": NOT_A_CATALOG,
    "SEMICeu__DCAT-AP/releases__2.1.1__dcat-ap_2.1.1_shacl_shapes.ttl": NOT_A_CATALOG,
    "SEMICeu__DCAT-AP/releases__2.1.1__examples__example1.nt": 1,
    "SEMICeu__DCAT-AP/releases__3.0.0-hvd__html__examples__example-ms_catalogue_hvd.ttl": 1,
    "SEMICeu__DCAT-AP/releases__3.0.0-hvd__html__examples__example-ms_dataset_2_distributions.jsonld": 1,
    "SEMICeu__DCAT-AP/releases__3.0.0-hvd__shacl__hvd-SHACL.ttl": NOT_A_CATALOG,
    # A context document alone; pyoxigraph refuses its term definitions.
    "SEMICeu__DCAT-AP/releases__3.0.1__context__dcat-ap.jsonld": refused("not valid JSON-LD"),
    "SEMICeu__DCAT-AP/releases__3.0.1__html__examples__context.jsonld": NOT_A_CATALOG,
    # Names SEMIC's examples context by URL: resolved from our own definition.
    "SEMICeu__DCAT-AP/releases__3.0.1__html__examples__example-bee-population-dataset-series-combined.jsonld": 4,
    "SEMICeu__DCAT-AP/releases__3.0.1__html__examples__example-bee-population-dataset-series-combined.ttl": refused(
        "not valid Turtle"
    ),
    "SEMICeu__DCAT-AP/releases__3.0.1__shacl__dcat-ap-SHACL.ttl": NOT_A_CATALOG,
    "SEMICeu__dcat-ap_shacl/resources__data-theme-skos-ap-act.rdf": NOT_A_CATALOG,
    "SEMICeu__dcat-ap_shacl/resources__filetypes-skos-ap-act.rdf": NOT_A_CATALOG,
    "ckan__ckanext-dcat/examples__ckan__catalog_datasets_list.json": 2,
    "ckan__ckanext-dcat/examples__ckan__ckan_full_dataset_dcat_ap.json": 1,
    "ckan__ckanext-dcat/examples__ckan__full_ckan_dataset_legacy.json": 1,
    "ckan__ckanext-dcat/examples__dcat__catalog_datasets_list.rdf": 2,
    "ckan__ckanext-dcat/examples__dcat__catalog_pod.jsonld": 1,
    "ckan__ckanext-dcat/examples__dcat__catalog_with_at_graph.jsonld": 1,
    "ckan__ckanext-dcat/examples__dcat__dataset.ttl": refused("not valid Turtle"),
    "ckan__ckanext-dcat/examples__dcat__dataset_afs.ttl": 1,
    "ckan__ckanext-dcat/examples__dcat__dataset_gov_de.rdf": 1,
    "ckan__ckanext-dcat/examples__dcat__dataset_sweden.rdf": 1,
    "diggsweden__DCAT-AP-SE-Processor/src__main__resources__metadataExample__single__full_example.json": NOT_CKAN,
    "diggsweden__DCAT-AP-SE-Processor/src__main__resources__to_dcat_files__supportive_files__license.json": NOT_CKAN,
    "diggsweden__DCAT-AP-SE-Processor/src__main__resources__to_dcat_files__supportive_files__media.json": NOT_CKAN,
    "diggsweden__DCAT-AP-SE-Processor/src__main__resources__to_dcat_files__supportive_files__theme.json": NOT_CKAN,
    "diggsweden__DCAT-AP-SE/bundle.json": NOT_CKAN,
    "diggsweden__DCAT-AP-SE/exempel__obligatoriskt.rdf": 1,
    "diggsweden__DCAT-AP-SE/exempel__obligatoriskt.ttl": 1,
    "diggsweden__DCAT-AP-SE/exempel__rekommenderat.rdf": 1,
    "diggsweden__DCAT-AP-SE/exempel__rekommenderat.ttl": 1,
    "diggsweden__DCAT-AP-SE/exempel__rekommenderat@de1e52b.rdf": refused("not valid RDF/XML"),
    "diggsweden__DCAT-AP-SE/exempel__rekommenderat@de1e52b.ttl": 1,
    "diggsweden__LDES-DCAT-AP-test-cases/testsuite__test3__after.ttl": 1,
    # A catalog without datasets is a catalog: 0 datasets.
    "diggsweden__LDES-DCAT-AP-test-cases/testsuite__test3__before.ttl": 0,
    "diggsweden__LDES-DCAT-AP-test-cases/testsuite__test3__feed.trig": 1,
    "diggsweden__LDES-DCAT-AP-test-cases/testsuite__test5__feed.trig": 0,
    "diggsweden__dataportal-web/public__apiDetections.json": NOT_CKAN,
    "geosolutions-it__ckanext-dcatapit/examples__catalog_dati_unibo.rdf": 12,
    "geosolutions-it__ckanext-dcatapit/vocabularies__data-theme-filtered.rdf": NOT_A_CATALOG,
    "geosolutions-it__ckanext-dcatapit/vocabularies__frequencies-filtered.rdf": NOT_A_CATALOG,
    "geosolutions-it__ckanext-dcatapit/vocabularies__licences.rdf": NOT_A_CATALOG,
    # Malformed RDF/XML that pyoxigraph refuses; read by the lenient fallback.
    "openumea__RDFtoHTML/dcat@cab04a7.rdf": 1,
}


def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return ["(corpus missing)"]
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file())


def snapshot() -> dict[str, Any]:
    return {
        "datasets": sorted(
            Dataset.objects.values_list("key", "content_hash", "withdrawn", "title", "source_id")
        ),
        "distributions": Distribution.objects.count(),
        "publishers": sorted(Publisher.objects.values_list("iri", "name")),
        "links": ChallengeDataset.objects.count(),
    }


@pytest.fixture
def existing(db: None) -> list[Dataset]:
    """Datasets harvested before from another source."""
    source = HarvestSourceFactory()
    datasets = DatasetFactory.create_batch(3, source=source)
    DistributionFactory(dataset=datasets[0])
    return datasets


@pytest.mark.parametrize("relative", corpus_files())
def test_corpus_file(relative: str, existing: list[Dataset]) -> None:
    need_shared()
    assert relative in EXPECTED, f"new corpus file {relative}: add its expected outcome to EXPECTED"
    expected = EXPECTED[relative]
    before = snapshot()
    job = harvest_job_start(user=None, file_path=str(CORPUS / relative), enqueue=False)
    after = snapshot()

    if isinstance(expected, tuple) and expected[0] == "refused":
        assert job.status == JobStatus.FAILED
        assert expected[1] in job.error, job.error
        assert after == before
        assert not HarvestRecord.objects.filter(job=job).exists()
        return
    stored, failed = expected if isinstance(expected, tuple) else (expected, 0)
    assert isinstance(stored, int) and isinstance(failed, int)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.created_count, job.failed_count, job.updated_count) == (stored, failed, 0)
    # What was there before is untouched; only the new datasets were added.
    assert [d for d in after["datasets"] if d[4] is not None] == [
        d for d in before["datasets"] if d[4] is not None
    ]
    assert len(after["datasets"]) == len(before["datasets"]) + stored
    assert after["links"] == before["links"]
    for dataset in Dataset.objects.filter(source=None):
        assert 0 <= dataset.quality_score <= 100
        assert dataset.content_hash


def test_the_corpus_table_has_no_stale_entries() -> None:
    need_shared()
    assert set(EXPECTED) == set(corpus_files())


def test_a_real_swedish_example_maps_fully(db: None) -> None:
    need_shared()
    path = CORPUS / "diggsweden__DCAT-AP-SE/exempel__rekommenderat.ttl"
    job = harvest_job_start(user=None, file_path=str(path), enqueue=False)
    assert job.status == JobStatus.SUCCEEDED
    dataset = Dataset.objects.get(key="https://example.com/dataset1")
    assert dataset.title == {"sv": "Bibliotek i Sverige", "en": "Libraries in Sweden"}
    assert dataset.keywords == {"en": ["library"], "sv": ["bibliotek"]}
    assert [t.code for t in dataset.themes.all()] == ["EDUC"]
    assert dataset.license_uri == "http://creativecommons.org/publicdomain/zero/1.0/"
    assert dataset.temporal == {"start": "2010-01-01", "end": "2012-01-01"}
    assert dataset.contact_point["email"] == "oppnadata@exemple.com"
    assert dataset.publisher is not None and dataset.publisher.name == {"": "Exempel organisation"}
    assert sorted(d.format for d in dataset.distributions.all()) == ["CSV", "JSON"]
    assert dataset.issued is not None and dataset.issued.year == 2020
    assert dataset.quality_score > 70
    assert "dct:conformsTo" in dataset.quality_missing


def test_messy_files_are_read_leniently(db: None) -> None:
    need_shared()
    harvest_job_start(
        user=None,
        file_path=str(CORPUS / "ckan__ckanext-dcat/examples__dcat__dataset_afs.ttl"),
        enqueue=False,
    )
    dataset = Dataset.objects.get(key="http://example.com/data/test-dataset-1")
    # URLs as literals, formats as IMT nodes, dates as plain literals.
    assert dataset.landing_page == "http://url.to.dataset.home"
    assert sorted((d.format, d.media_type) for d in dataset.distributions.all()) == [
        ("CSV", "text/csv"),
        ("HTML", "text/html"),
    ]
    assert dataset.modified is not None and (dataset.modified.hour, dataset.modified.minute) == (
        21,
        4,
    )
    assert dataset.license_uri == "https://url.to.license"  # from the distributions
    harvest_job_start(
        user=None, file_path=str(CORPUS / "openumea__RDFtoHTML/dcat@cab04a7.rdf"), enqueue=False
    )
    umea = Dataset.objects.get(key="http://opennorth.se/datasets/dcat#ds1")
    assert set(umea.title) == {"en", "sv"}  # sv-SE → sv
    assert umea.distributions.count() == 1  # linked with dct:distribution


def test_the_bee_example_resolves_the_semic_context_locally(db: None) -> None:
    need_shared()
    name = "SEMICeu__DCAT-AP/releases__3.0.1__html__examples__example-bee-population-dataset-series-combined.jsonld"
    harvest_job_start(user=None, file_path=str(CORPUS / name), enqueue=False)
    keys = set(Dataset.objects.values_list("key", flat=True))
    assert "https://data.gov.gr/id/dataset/BeePopulation2023" in keys
    bee = Dataset.objects.get(key="https://data.gov.gr/id/dataset/BeePopulation2023")
    assert bee.title == {"en": "Bee population 2023 in the region of Thessaloniki and Athens"}
    assert bee.distributions.count() == 2


def test_corpus_path_is_beside_the_project() -> None:
    assert Path(CORPUS).parts[-3:] == ("shared", "corpus", "dcat")
