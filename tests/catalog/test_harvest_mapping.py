"""The pure mapping: values (dates, formats, licences, HTML, organisation
numbers), the DCAT and CKAN mappers, and properties checked with hypothesis:
random titles, languages, dates and formats never crash the mapper, mapping
is deterministic, and the content hash does not depend on triple order."""

from __future__ import annotations

import random
from typing import Any

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hack365.catalog.harvest import ckan, dcat, rdf
from hack365.catalog.harvest import values as v
from hack365.catalog.harvest.errors import HarvestError, RecordError
from hack365.catalog.harvest.records import DatasetRecord, RecordFailure

pytestmark = pytest.mark.usefixtures("english")

DCAT_NS = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-01", "2020-01-01T00:00:00+00:00"),
        ("2020-01-01T10:00:00Z", "2020-01-01T10:00:00+00:00"),
        ("2020-01-01T10:00:00+02:00", "2020-01-01T08:00:00+00:00"),
        ("2020-01-01T10:00:00.123456", "2020-01-01T10:00:00+00:00"),
        ("2020-01-01 10:00", "2020-01-01T10:00:00+00:00"),
        ("2012-05-10T21:04", "2012-05-10T21:04:00+00:00"),
        ("2020-01-01Z", "2020-01-01T00:00:00+00:00"),
        ("2020", "2020-01-01T00:00:00+00:00"),
        ("2020-05", "2020-05-01T00:00:00+00:00"),
        ("20200501", "2020-05-01T00:00:00+00:00"),
        ("31.12.2020", "2020-12-31T00:00:00+00:00"),
        ("Mon, 02 Mar 2026 10:00:00 GMT", "2026-03-02T10:00:00+00:00"),
        ("9999-12-31T23:00:00-05:00", ""),
        ("2020-13-01", ""),
        ("0000-01-01", ""),
        ("igår", ""),
        ("", ""),
    ],
)
def test_dates_in_every_common_form(text: str, expected: str) -> None:
    assert v.parse_date(text) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text/csv", ("CSV", "text/csv")),
        (
            "https://www.iana.org/assignments/media-types/application/geo+json",
            ("GEOJSON", "application/geo+json"),
        ),
        ("http://publications.europa.eu/resource/authority/file-type/CSV", ("CSV", "text/csv")),
        (
            "http://publications.europa.eu/resource/authority/file-type/SHP",
            ("SHP", "application/x-shapefile"),
        ),
        ("csv", ("CSV", "text/csv")),
        (".xlsx", ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        ("CSV JSON JSONP YAML XML", ("CSV JSON JSONP YAML XML", "")),
        ("text/csv; charset=utf-8", ("CSV", "text/csv")),
        ("", ("", "")),
    ],
)
def test_formats_from_media_types_labels_and_file_type_addresses(
    value: str, expected: tuple[str, str]
) -> None:
    assert v.format_of(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "https://creativecommons.org/licenses/by/4.0",
            "http://creativecommons.org/licenses/by/4.0/",
        ),
        (
            "https://creativecommons.org/licenses/by/4.0/legalcode.sv",
            "http://creativecommons.org/licenses/by/4.0/",
        ),
        (
            "http://creativecommons.org/publicdomain/zero/1.0/",
            "http://creativecommons.org/publicdomain/zero/1.0/",
        ),
        (
            "https://creativecommons.org/licenses/by/3.0/it/",
            "http://creativecommons.org/licenses/by/3.0/it/",
        ),
        ("https://data.norge.no/nlod/no", "https://data.norge.no/nlod/no"),
    ],
)
def test_licences_are_normalised(value: str, expected: str) -> None:
    assert v.normalize_license(value) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("http://dataportal.se/organisation/SE2021005489",), "202100-5489"),
        (("https://dataportal.se/organisation/SE2021005489-1",), "202100-5489"),
        (("", "SE202100548901"), "202100-5489"),
        (("202100-5489",), "202100-5489"),
        (("2021005488",), ""),  # wrong check digit
        (("123456789",), ""),  # a Norwegian number
        (("8112189876",), ""),  # a personal identity number shape (third digit < 2)
        (("https://example.se/org/b952e781-ab4c",), ""),
    ],
)
def test_organisation_numbers_are_derived_when_valid(texts: tuple[str, ...], expected: str) -> None:
    assert v.organisation_number_in(*texts) == expected


def test_html_becomes_text() -> None:
    assert v.html_to_text("<p>Hej&nbsp;<b>du</b></p><p>Två</p>") == "Hej du\n\nTvå"
    assert v.html_to_text("Inga taggar,   bara text") == "Inga taggar, bara text"
    assert v.html_to_text("a < b och c > d") == "a < b och c > d"


def index_of(triples: list[ox.Triple]) -> rdf.TripleIndex:
    return rdf.parse_rdf(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), "ntriples")


def test_blank_publishers_and_literal_publishers() -> None:
    text = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
    @prefix dct: <http://purl.org/dc/terms/> .
    @prefix foaf: <http://xmlns.com/foaf/0.1/> .
    <https://e.se/a> a dcat:Dataset ;
        dct:publisher [ foaf:name "Kommunen" ; dct:identifier "212000-2536" ] .
    <https://e.se/b> a dcat:Dataset ; dct:publisher "Bara ett namn" .
    <https://e.se/c> a dcat:Dataset ; dct:publisher [ foaf:name "Utan id"@sv ] ."""
    records = {r.key: r for r in dcat.documents_from_rdf(rdf.parse_rdf(text, "turtle")).datasets}
    a, b, c = (records[f"https://e.se/{x}"] for x in "abc")
    assert isinstance(a, DatasetRecord) and a.publisher is not None
    assert (a.publisher.key, a.publisher.organisation_number) == (
        "identifier:212000-2536",
        "212000-2536",
    )
    assert (
        isinstance(b, DatasetRecord)
        and b.publisher is not None
        and b.publisher.key == "name:Bara ett namn"
    )
    assert (
        isinstance(c, DatasetRecord)
        and c.publisher is not None
        and c.publisher.name == {"sv": "Utan id"}
    )


def test_a_dataset_without_key_raises_a_clear_record_error() -> None:
    index = rdf.parse_rdf(b"_:x a <http://www.w3.org/ns/dcat#Dataset> .", "turtle")
    with pytest.raises(RecordError, match="no IRI"):
        dcat.dataset_from_rdf(
            index, "_:x" if "_:x" in index.subjects else next(iter(index.subjects))
        )


def test_the_licence_comes_from_the_distributions_when_the_dataset_has_none() -> None:
    text = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> .
    @prefix dct: <http://purl.org/dc/terms/> .
    <https://e.se/a> a dcat:Dataset ;
        dcat:distribution <https://e.se/a/1>, <https://e.se/a/2>, <https://e.se/a/3> .
    <https://e.se/a/1> dct:license <https://creativecommons.org/licenses/by/4.0/> .
    <https://e.se/a/2> dct:license <http://creativecommons.org/licenses/by/4.0/> .
    <https://e.se/a/3> dct:license <http://creativecommons.org/publicdomain/zero/1.0/> ."""
    record = dcat.dataset_from_rdf(rdf.parse_rdf(text, "turtle"), "<https://e.se/a>")
    assert record.license_uri == "http://creativecommons.org/licenses/by/4.0/"


def test_ckan_packages_and_api_responses_are_recognised() -> None:
    assert ckan.ckan_packages({"success": True, "result": {"count": 0, "results": []}}) == ([], 0)
    assert ckan.ckan_packages({"templates": []}) is None
    assert ckan.ckan_packages([{"a": 1}]) is None
    with pytest.raises(HarvestError, match="nope"):
        ckan.ckan_packages({"success": False, "error": {"message": "nope"}})
    record = ckan.dataset_from_ckan(
        {
            "name": "x",
            "title": {"sv": "Svensk", "en": "English"},
            "notes": "**Markdown** stays",
            "extras": [
                {"key": "uri", "value": "https://e.se/ds/x"},
                {
                    "key": "theme",
                    "value": '["http://publications.europa.eu/resource/authority/data-theme/TRAN"]',
                },
            ],
            "resources": [{"url": "https://e.se/x.json", "mimetype": "application/json"}],
        }
    )
    assert record.key == "https://e.se/ds/x"
    assert record.title == {"en": "English", "sv": "Svensk"}
    assert record.themes == ("TRAN",)
    assert record.distributions[0].format == "JSON"
    with pytest.raises(RecordError):
        ckan.dataset_from_ckan({"title": "Utan nyckel"})


# --- properties ------------------------------------------------------------------------

languages = st.one_of(
    st.none(),
    st.sampled_from(["sv", "en", "sv-SE", "en-GB", "nb", "fi", "se", "de"]),
    st.from_regex(r"[a-z]{2,3}(-[A-Z]{2})?", fullmatch=True),
)
texts = st.text(max_size=300)
date_texts = st.one_of(
    st.dates().map(str),
    st.datetimes().map(lambda d: d.isoformat()),
    st.integers(min_value=1, max_value=9999).map(lambda y: f"{y:04d}"),
    st.text(max_size=40),
)
format_texts = st.one_of(
    st.sampled_from(
        ["text/csv", "CSV", "application/json", ".xlsx", "html", "Comma separated values"]
    ),
    st.text(max_size=60),
    st.sampled_from(["CSV", "JSON", "XML", "GEOJSON", "NOPE"]).map(
        lambda c: f"http://publications.europa.eu/resource/authority/file-type/{c}"
    ),
)


def _literal(text: str, language: str | None) -> ox.Literal:
    return ox.Literal(text, language=language) if language else ox.Literal(text)


@st.composite
def datasets(draw: st.DrawFn) -> list[ox.Triple]:
    subject = ox.NamedNode(f"https://data.example.se/dataset/{draw(st.integers(0, 10**6))}")
    triples = [ox.Triple(subject, RDF_TYPE, ox.NamedNode(DCAT_NS + "Dataset"))]
    for _ in range(draw(st.integers(0, 4))):
        triples.append(
            ox.Triple(subject, ox.NamedNode(DCT + "title"), _literal(draw(texts), draw(languages)))
        )
    for _ in range(draw(st.integers(0, 3))):
        triples.append(
            ox.Triple(
                subject, ox.NamedNode(DCT + "description"), _literal(draw(texts), draw(languages))
            )
        )
    for _ in range(draw(st.integers(0, 3))):
        triples.append(
            ox.Triple(
                subject, ox.NamedNode(DCAT_NS + "keyword"), _literal(draw(texts), draw(languages))
            )
        )
    for predicate in ("issued", "modified"):
        if draw(st.booleans()):
            triples.append(
                ox.Triple(subject, ox.NamedNode(DCT + predicate), ox.Literal(draw(date_texts)))
            )
    for n in range(draw(st.integers(0, 3))):
        distribution = ox.NamedNode(f"{subject.value}/distribution/{n}")
        triples.append(ox.Triple(subject, ox.NamedNode(DCAT_NS + "distribution"), distribution))
        triples.append(
            ox.Triple(distribution, ox.NamedNode(DCT + "format"), ox.Literal(draw(format_texts)))
        )
        if draw(st.booleans()):
            triples.append(
                ox.Triple(
                    distribution,
                    ox.NamedNode(DCAT_NS + "byteSize"),
                    ox.Literal(draw(st.text(max_size=12))),
                )
            )
    return triples


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(datasets())
def test_random_datasets_never_crash_the_mapper_and_map_deterministically(
    triples: list[ox.Triple],
) -> None:
    first = dcat.documents_from_rdf(index_of(triples)).datasets
    assert len(first) == 1 and isinstance(first[0], DatasetRecord)
    record = first[0]
    for text in record.title.values():
        assert 0 < len(text) <= v.MAX_TITLE
    assert record.issued == "" or record.issued.endswith("+00:00")
    for distribution in record.distributions:
        assert len(distribution.format) <= 100 and len(distribution.media_type) <= 200
    shuffled = list(triples)
    random.Random(len(triples)).shuffle(shuffled)
    again = dcat.documents_from_rdf(index_of(shuffled)).datasets[0]
    assert again == record
    assert isinstance(again, DatasetRecord) and again.content_hash() == record.content_hash()


@FAST
@given(datasets(), st.sampled_from(["turtle", "rdfxml", "jsonld"]))
def test_the_hash_is_the_same_whatever_the_serialisation(
    triples: list[ox.Triple], fmt: str
) -> None:
    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "rdfxml": ox.RdfFormat.RDF_XML,
        "jsonld": ox.RdfFormat.JSON_LD,
    }
    document = ox.serialize(triples, format=formats[fmt])
    via = dcat.documents_from_rdf(rdf.parse_rdf(document, fmt)).datasets[0]
    direct = dcat.documents_from_rdf(index_of(triples)).datasets[0]
    assert isinstance(via, DatasetRecord) and isinstance(direct, DatasetRecord)
    assert via.content_hash() == direct.content_hash()


@FAST
@given(st.text(max_size=200))
def test_date_parsing_never_crashes(text: str) -> None:
    result = v.parse_date(text)
    assert result == "" or result.endswith("+00:00")


@FAST
@given(
    st.dictionaries(
        st.sampled_from(
            ["title", "notes", "name", "id", "url", "tags", "resources", "extras", "license_id"]
        ),
        st.one_of(
            st.text(max_size=50),
            st.lists(st.text(max_size=10), max_size=3),
            st.none(),
            st.integers(),
        ),
    )
)
def test_random_ckan_packages_fail_alone_or_map(package: dict[str, Any]) -> None:
    results = ckan.datasets_from_ckan([package])
    assert len(results) == 1
    assert isinstance(results[0], DatasetRecord | RecordFailure)
