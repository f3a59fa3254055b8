"""Dataset search through the public interface, on every backend this
database can run (see search_helpers.search_index)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hack365.catalog.models import Dataset
from hack365.catalog.search import (
    FACETS,
    backend_name,
    get_backend,
    index_datasets,
    rebuild_index,
    remove_datasets,
    search_datasets,
)
from hack365.catalog.signals import datasets_changed, datasets_deleted
from tests.catalog.search_helpers import (  # noqa: F401
    clear_index,
    make_dataset,
    make_publisher,
    search_index,
)

pytestmark = pytest.mark.usefixtures("search_index")

CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"
CCBY = "http://creativecommons.org/licenses/by/4.0/"
PUBLIC = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
RESTRICTED = "http://publications.europa.eu/resource/authority/access-right/RESTRICTED"


def indexed(*datasets: Dataset) -> list[int]:
    ids = [d.pk for d in datasets]
    index_datasets(ids)
    return ids


def found(query: str, **kwargs: object) -> set[int]:
    return set(search_datasets(query, page_size=100, **kwargs).ids)  # type: ignore[arg-type]


# --- language ----------------------------------------------------------------
def test_the_backend_under_test_is_the_one_chosen(request: pytest.FixtureRequest) -> None:
    name = request.getfixturevalue("search_index")
    assert backend_name() == name
    assert get_backend().name == name


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("Skog i Norrland", "skogar"),
        ("Skogarna i Norrland", "skog"),
        ("Väg 45 genom Dalarna", "vägarna"),
        ("Vägarna i Skåne", "väg"),
        ("Kommunernas budget", "kommun"),
    ],
)
def test_swedish_stemming(title: str, query: str) -> None:
    dataset = make_dataset(title)
    other = make_dataset("Befolkning per län")
    indexed(dataset, other)
    assert found(query) == {dataset.pk}


def test_english_stemming_on_english_text() -> None:
    forest = make_dataset({"en": "Forest inventory", "sv": "Riksskogstaxeringen"})
    roads = make_dataset({"en": "Roads and bridges"})
    indexed(forest, roads)
    assert found("forests", language="en") == {forest.pk}
    assert found("forests", language="sv") == {forest.pk}
    assert found("bridge") == {roads.pk}
    assert found("riksskogstaxeringen") == {forest.pk}


def test_untagged_text_is_stemmed_both_ways() -> None:
    dataset = make_dataset({"": "Lakes and skogar"})
    indexed(dataset)
    assert found("lake") == {dataset.pk}
    assert found("skog") == {dataset.pk}


def test_case_and_accents_fold_but_swedish_letters_stay_distinct() -> None:
    cafe = make_dataset("Caféer i Malmö")
    sheep = make_dataset("Får och lamm")
    father = make_dataset("Far och son")
    indexed(cafe, sheep, father)
    assert found("CAFÉER") == {cafe.pk}
    assert found("cafeer") == {cafe.pk}
    assert found("malmo") == set()  # ö is not o
    assert found("MALMÖ") == {cafe.pk}
    assert found("får") == {sheep.pk}
    assert found("far") == {father.pk}


def test_every_word_must_match_in_any_field() -> None:
    both = make_dataset("Skog", description="Karta över sjöar")
    only_one = make_dataset("Skog och mark")
    keyword = make_dataset("Annat", keywords={"sv": ["skog", "sjöar"]})
    indexed(both, only_one, keyword)
    assert found("skog sjöar") == {both.pk, keyword.pk}
    assert found("skog") == {both.pk, only_one.pk, keyword.pk}


def test_stop_words_are_ignored() -> None:
    dataset = make_dataset("Skog och vatten")
    indexed(dataset)
    assert found("skog och the vatten") == {dataset.pk}


# --- facets -------------------------------------------------------------------
@pytest.fixture
def catalog() -> dict[str, Dataset]:
    smhi, scb = make_publisher("SMHI"), make_publisher("SCB")
    data = {
        "a": make_dataset(
            "Vatten A",
            publisher=smhi,
            themes=["ENVI"],
            formats=["CSV", "JSON"],
            license_uri=CC0,
            access_rights=PUBLIC,
            modified_days=1,
        ),
        "b": make_dataset(
            "Vatten B",
            publisher=smhi,
            themes=["ENVI", "AGRI"],
            formats=["CSV"],
            license_uri=CCBY,
            access_rights=PUBLIC,
            modified_days=2,
        ),
        "c": make_dataset(
            "Vatten C",
            publisher=scb,
            themes=["ECON"],
            formats=["XLSX"],
            license_uri=CC0,
            access_rights=RESTRICTED,
            modified_days=3,
        ),
        "d": make_dataset("Vatten D", publisher=scb, themes=["AGRI"], modified_days=4),
        "other": make_dataset("Befolkning", publisher=scb, themes=["ENVI"], modified_days=5),
    }
    indexed(*data.values())
    return data


def test_facet_counts_over_all_matches(catalog: dict[str, Dataset]) -> None:
    result = search_datasets("vatten")
    smhi, scb = str(catalog["a"].publisher_id), str(catalog["c"].publisher_id)
    assert result.total == 4
    assert result.total_is_exact and result.facets_are_exact
    assert set(result.facets) == set(FACETS)
    assert result.facets["publisher"] == [(scb, 2), (smhi, 2)] or result.facets["publisher"] == [
        (smhi, 2),
        (scb, 2),
    ]
    assert dict(result.facets["theme"]) == {"ENVI": 2, "AGRI": 2, "ECON": 1}
    assert dict(result.facets["format"]) == {"CSV": 2, "JSON": 1, "XLSX": 1}
    assert dict(result.facets["license"]) == {CC0: 2, CCBY: 1}
    assert dict(result.facets["access_rights"]) == {PUBLIC: 2, RESTRICTED: 1}
    # Largest first.
    assert result.facets["format"][0] == ("CSV", 2)


def test_filters_or_within_a_facet_and_across_facets(catalog: dict[str, Dataset]) -> None:
    a, b, c, d = (catalog[k].pk for k in "abcd")
    assert found("vatten", filters={"theme": ["AGRI"]}) == {b, d}
    assert found("vatten", filters={"theme": ["AGRI", "ECON"]}) == {b, c, d}
    assert found("vatten", filters={"theme": ["AGRI", "ECON"], "format": ["CSV"]}) == {b}
    assert found("vatten", filters={"license": [CC0], "access_rights": [PUBLIC]}) == {a}
    publisher = str(catalog["c"].publisher_id)
    assert found("vatten", filters={"publisher": [publisher]}) == {c, d}
    assert found("", filters={"publisher": [publisher]}) == {c, d, catalog["other"].pk}
    assert found("vatten", filters={"format": ["PDF"]}) == set()


def test_a_facet_is_counted_without_its_own_filter(catalog: dict[str, Dataset]) -> None:
    """Choosing AGRI still shows the other themes one could add (OR), while
    the other facets count only the AGRI datasets."""
    result = search_datasets("vatten", filters={"theme": ["AGRI"]})
    assert result.total == 2
    assert dict(result.facets["theme"]) == {"ENVI": 2, "AGRI": 2, "ECON": 1}
    assert dict(result.facets["format"]) == {"CSV": 1}
    assert dict(result.facets["license"]) == {CCBY: 1}
    both = search_datasets("vatten", filters={"theme": ["AGRI"], "format": ["CSV"]})
    assert both.ids == [catalog["b"].pk]
    assert dict(both.facets["theme"]) == {"ENVI": 2, "AGRI": 1}  # CSV datasets by theme
    assert dict(both.facets["format"]) == {"CSV": 1}  # AGRI datasets by format


def test_unknown_and_bad_filters_are_ignored(catalog: dict[str, Dataset]) -> None:
    everything = found("vatten")
    assert found("vatten", filters={"colour": ["blue"]}) == everything
    assert found("vatten", filters={"theme": []}) == everything
    assert found("vatten", filters={"theme": "AGRI"}) == {catalog["b"].pk, catalog["d"].pk}
    assert found("vatten", filters={"theme": [None, 3, "", "x" * 600]}) == everything  # type: ignore[list-item]
    assert found("vatten", filters={"theme": ["AG\x00RI"]}) == {catalog["b"].pk, catalog["d"].pk}
    assert found("vatten", filters={"theme": ["ENVI"] * 1000}) == {
        catalog["a"].pk,
        catalog["b"].pk,
    }


# --- sorting and pages ----------------------------------------------------------
def test_sort_by_modified_newest_first(catalog: dict[str, Dataset]) -> None:
    result = search_datasets("vatten", sort="modified")
    assert result.ids == [catalog[k].pk for k in "dcba"]
    assert search_datasets("", sort="relevance").ids[0] == catalog["other"].pk


def test_relevance_puts_title_matches_first() -> None:
    in_description = make_dataset("Befolkning", description="Om vatten", modified_days=9)
    in_title = make_dataset("Vatten och avlopp", modified_days=1)
    twice = make_dataset("Vatten", keywords={"sv": ["vatten"]}, modified_days=0)
    indexed(in_description, in_title, twice)
    ids = search_datasets("vatten", sort="relevance").ids
    assert ids[-1] == in_description.pk
    assert set(ids[:2]) == {in_title.pk, twice.pk}
    assert search_datasets("vatten", sort="modified").ids[0] == in_description.pk


def test_unknown_sort_means_relevance() -> None:
    a = make_dataset("Vatten", modified_days=0)
    b = make_dataset("Annat", description="vatten", modified_days=5)
    indexed(a, b)
    assert search_datasets("vatten", sort="; DROP TABLE").ids == [a.pk, b.pk]


def test_pages_are_disjoint_and_complete() -> None:
    ids = indexed(*(make_dataset(f"Vatten {i}", modified_days=i) for i in range(25)))
    pages = [search_datasets("vatten", sort="modified", page=p, page_size=10) for p in (1, 2, 3)]
    assert [len(p.ids) for p in pages] == [10, 10, 5]
    assert sum((p.ids for p in pages), []) == sorted(ids, reverse=True)
    assert {p.total for p in pages} == {25}
    assert pages[0].max_page == 3
    past = search_datasets("vatten", page=4, page_size=10)
    assert past.ids == [] and past.total == 25
    relevance = [search_datasets("vatten", page=p, page_size=10).ids for p in (1, 2, 3)]
    assert sorted(sum(relevance, [])) == sorted(ids)


@pytest.mark.parametrize(
    ("page", "page_size"), [(0, 10), (-5, 10), ("x", "y"), (10**9, 10), (1, 10**6), (1, 0)]
)
def test_bad_page_numbers_are_clamped(page: object, page_size: object) -> None:
    indexed(make_dataset("Vatten"))
    result = search_datasets("vatten", page=page, page_size=page_size)  # type: ignore[arg-type]
    assert result.total == 1
    assert 1 <= result.page_size <= 100
    assert result.page >= 1


# --- withdrawn, signals, rebuilding ---------------------------------------------
def test_withdrawn_datasets_are_not_found_unless_asked_for() -> None:
    live = make_dataset("Vatten")
    gone = make_dataset("Vatten gammal", withdrawn=True)
    indexed(live, gone)
    result = search_datasets("vatten")
    assert result.ids == [live.pk] and result.total == 1
    assert sum(count for _, count in result.facets["access_rights"]) == 0
    assert found("vatten", include_withdrawn=True) == {live.pk, gone.pk}
    assert found("") == {live.pk}


def test_the_index_follows_the_catalog_signals() -> None:
    dataset = make_dataset("Skogsbruk")
    assert found("skogsbruk") == set()
    datasets_changed.send(sender=Dataset, dataset_ids=[dataset.pk])
    assert found("skogsbruk") == {dataset.pk}

    Dataset.objects.filter(pk=dataset.pk).update(title={"sv": "Fiske"})
    datasets_changed.send(sender=Dataset, dataset_ids=[dataset.pk])
    assert found("skogsbruk") == set()
    assert found("fiske") == {dataset.pk}

    Dataset.objects.filter(pk=dataset.pk).update(withdrawn=True)
    datasets_changed.send(sender=Dataset, dataset_ids=[dataset.pk])
    assert found("fiske") == set()

    datasets_deleted.send(sender=Dataset, dataset_ids=[dataset.pk])
    assert found("fiske", include_withdrawn=True) == set()
    assert get_backend().count() == 0


def test_a_changed_id_that_no_longer_exists_is_removed() -> None:
    dataset = make_dataset("Fiske")
    indexed(dataset)
    pk = dataset.pk
    Dataset.objects.filter(pk=pk).delete()
    datasets_changed.send(sender=Dataset, dataset_ids=[pk])
    assert found("fiske") == set()


def test_a_failing_index_update_does_not_break_the_sender(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(type(get_backend()), "write", fail)
    dataset = make_dataset("Fiske")
    datasets_changed.send(sender=Dataset, dataset_ids=[dataset.pk])
    datasets_deleted.send(sender=Dataset, dataset_ids=[dataset.pk])
    assert "Search index not updated" in caplog.text


def test_remove_datasets() -> None:
    a, b = make_dataset("Fiske"), make_dataset("Fiske och jakt")
    indexed(a, b)
    remove_datasets([a.pk, 10**9])
    assert found("fiske") == {b.pk}


def test_rebuild_index_and_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    a = make_dataset("Fiske", themes=["AGRI"])
    b = make_dataset("Fiske och jakt", withdrawn=True)
    clear_index()
    assert found("fiske") == set()
    assert rebuild_index() == 2
    assert found("fiske") == {a.pk}
    assert found("fiske", include_withdrawn=True) == {a.pk, b.pk}
    clear_index()
    call_command("search_reindex")
    assert "Indexed 2 datasets" in capsys.readouterr().out
    result = search_datasets("fiske")
    assert result.ids == [a.pk]
    assert dict(result.facets["theme"]) == {"AGRI": 1}


def test_rebuild_twice_and_search_between() -> None:
    a = make_dataset("Fiske")
    rebuild_index()
    rebuild_index()
    assert found("fiske") == {a.pk}
    b = make_dataset("Fiske igen")
    index_datasets([b.pk])
    assert found("fiske") == {a.pk, b.pk}


# --- bad input never raises ---------------------------------------------------------
GARBAGE = [
    "",
    "   ",
    '"',
    '"skog',
    "skog AND",
    "AND OR NOT",
    "skog OR väg",
    "NEAR(skog väg)",
    "NEAR/3",
    "*",
    "skog*",
    "((((skog",
    "skog))))",
    "title:skog",
    "-skog +väg",
    "skog^2",
    "skog~",
    "'",
    "\\",
    "\x00",
    "sk\x00og",
    "a" * 10_000,
    "skog " * 2_000,
    "!@#$%^&*()[]{}<>?/|~`",
    "🌲🌲🌲",
    "جنگل",
    "森林",
    "\u200b\u202e",
    "select * from catalog_dataset; --",
    "' OR 1=1 --",
    "$1 %s %(x)s {0}",
    "&|!:*<->",
]


@pytest.mark.parametrize("query", GARBAGE)
def test_garbage_queries_never_raise(query: str) -> None:
    dataset = make_dataset("Skog och väg")
    indexed(dataset)
    for sort in ("relevance", "modified"):
        result = search_datasets(query, sort=sort, filters={"theme": [query[:100]]})
        assert isinstance(result.ids, list)
        result = search_datasets(query, sort=sort)
        assert result.total >= 0
    assert dataset.pk in found("skog AND (väg*")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=st.text(max_size=200))
def test_any_text_is_a_valid_query(query: str) -> None:
    result = search_datasets(query, filters={"format": [query]})
    assert result.total >= 0
    assert isinstance(result.facets, dict)


def test_none_as_query_lists_everything() -> None:
    dataset = make_dataset("Skog")
    indexed(dataset)
    assert search_datasets(None).ids == [dataset.pk]


def test_facet_values_with_quotes_and_backslashes() -> None:
    odd = 'text/csv; charset="utf-8" \\ (x) AND y:*'
    a = make_dataset("Vatten", formats=[odd, "CSV"], license_uri=CC0)
    b = make_dataset("Vatten", formats=["CSV"], license_uri=CCBY)
    indexed(a, b)
    result = search_datasets("vatten", filters={"format": [odd], "license": [CC0, CCBY]})
    assert result.ids == [a.pk]
    assert dict(result.facets["format"]) == {odd: 1, "CSV": 2}
    assert dict(result.facets["license"]) == {CC0: 1}


HARVESTED = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://example.se/catalog> a dcat:Catalog ; dcat:dataset <https://example.se/ds/1> .
<https://example.se/ds/1> a dcat:Dataset ;
    dct:title "Skogsbilvägar i Norrland"@sv, "Forest roads in Norrland"@en ;
    dct:description "Vägarna genom skogarna."@sv ;
    dct:identifier "ds-1" ;
    dct:publisher <https://example.se/org/skogsstyrelsen> ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/AGRI> .
<https://example.se/org/skogsstyrelsen> a foaf:Agent ; foaf:name "Skogsstyrelsen"@sv .
"""


def test_harvested_datasets_are_found(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The harvester sends datasets_changed after its commit; the index follows."""
    from hack365.catalog.services import harvest_job_start

    path = tmp_path / "catalog.ttl"
    path.write_text(HARVESTED, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        harvest_job_start(user=None, source=None, file_path=str(path), enqueue=False)
    dataset = Dataset.objects.get(key="https://example.se/ds/1")
    assert found("skogsbilväg") == {dataset.pk}
    assert found("roads", language="en") == {dataset.pk}
    result = search_datasets("skogsbilvägar", filters={"theme": ["AGRI"]})
    assert result.ids == [dataset.pk]
    assert dict(result.facets["publisher"]) == {str(dataset.publisher_id): 1}
