"""The quality score: DCAT-AP-SE's mandatory properties weigh 3, the
recommended ones 1; what is missing is listed."""

from __future__ import annotations

from hack365.catalog.harvest.records import DatasetRecord, DistributionRecord, PublisherRecord
from hack365.catalog.quality import PROPERTY_LABELS, dataset_quality, missing_labels

FULL_DISTRIBUTION = DistributionRecord(
    access_url="https://e.se/f.csv",
    format="CSV",
    description={"sv": "Fil"},
    license_uri="http://creativecommons.org/licenses/by/4.0/",
    availability="http://publications.europa.eu/resource/authority/planned-availability/STABLE",
)
FULL = DatasetRecord(
    key="https://e.se/d",
    title={"sv": "T"},
    description={"sv": "B"},
    publisher=PublisherRecord(key="https://e.se/p"),
    contact_point={"email": "a@e.se"},
    keywords={"sv": ["k"]},
    themes=("ENVI",),
    issued="2020-01-01T00:00:00+00:00",
    conforms_to=("https://e.se/standard",),
    spatial=("http://sws.geonames.org/2661886",),
    temporal={"start": "2020-01-01"},
    access_rights="http://publications.europa.eu/resource/authority/access-right/PUBLIC",
    distributions=(FULL_DISTRIBUTION,),
)


def test_a_complete_dataset_scores_100() -> None:
    quality = dataset_quality(FULL)
    assert (quality.score, quality.missing) == (100, [])


def test_an_empty_dataset_scores_0_and_lists_the_dataset_properties() -> None:
    quality = dataset_quality(DatasetRecord(key="k"))
    assert quality.score == 0
    assert quality.missing[:3] == ["dct:title", "dct:description", "dct:publisher"]
    assert "dcat:distribution" in quality.missing


def test_mandatory_properties_weigh_more_than_recommended_ones() -> None:
    from dataclasses import replace

    no_title = dataset_quality(replace(FULL, title={}))
    no_keywords = dataset_quality(replace(FULL, keywords={}))
    assert no_title.score < no_keywords.score < 100
    assert no_title.missing == ["dct:title"]


def test_distribution_properties_count_by_share() -> None:
    from dataclasses import replace

    half = replace(
        FULL,
        distributions=(FULL_DISTRIBUTION, replace(FULL_DISTRIBUTION, format="", media_type="")),
    )
    quality = dataset_quality(half)
    assert 90 < quality.score < 100
    assert quality.missing == ["dcat:distribution/dct:format"]


def test_every_property_has_a_label() -> None:
    everything = dataset_quality(
        DatasetRecord(key="k", distributions=(DistributionRecord(),))
    ).missing
    assert set(everything) <= set(PROPERTY_LABELS)
    from django.utils import translation

    with translation.override("en"):
        assert missing_labels(["dct:title"]) == ["title"]
