"""The PostgreSQL backend's own behaviour (runs when DATABASE_URL points to
PostgreSQL, as in CI): very large result sets, the rebuild swap, binding."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import override_settings

from hack365.catalog.search import get_backend, index_datasets, rebuild_index, search_datasets
from hack365.catalog.search import postgres as pg
from tests.catalog.search_helpers import make_dataset, make_publisher

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db,
]


@pytest.fixture(autouse=True)
def postgres_search() -> Iterator[None]:
    with override_settings(CATALOG_SEARCH_BACKEND="postgres"):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_search_document")
            cursor.execute("DELETE FROM catalog_search_sample")
        yield


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A result window of 3 and 4 relevance candidates, so that a dozen
    datasets behave like a million."""
    monkeypatch.setattr(pg, "MAX_RESULT_WINDOW", 3)
    monkeypatch.setattr(pg, "RELEVANCE_CANDIDATES", 4)


def test_past_the_window_counts_and_facets_are_estimates_from_the_sample(
    small_window: None,
) -> None:
    smhi, scb = make_publisher("SMHI"), make_publisher("SCB")
    # ids that are multiples of 64 are in the sample
    for i in range(1, 13):
        make_dataset(
            "Vatten",
            id=i * 32,
            publisher=smhi if i % 2 else scb,
            themes=["ENVI"],
            formats=["CSV"],
            modified_days=i,
        )
    index_datasets(range(32, 13 * 32, 32))
    result = search_datasets("vatten")
    assert not result.total_is_exact and not result.facets_are_exact
    assert result.total == 6 * 64  # 6 of the 12 are in the 1/64 sample
    assert dict(result.facets["theme"]) == {"ENVI": 6 * 64}
    assert dict(result.facets["publisher"]) == {str(scb.pk): 6 * 64}  # even i: 64, 128, …
    assert len(result.ids) == 4  # ranked among the candidates only
    assert search_datasets("vatten", page=2, page_size=4).ids == []
    # Sorting by modification time stays exact and complete.
    by_modified = search_datasets("vatten", sort="modified", page_size=20).ids
    assert by_modified == [i * 32 for i in range(12, 0, -1)]


def test_within_the_window_everything_is_exact(small_window: None) -> None:
    for i in range(3):
        make_dataset("Vatten", id=1000 + i, themes=["ENVI"])
    index_datasets([1000, 1001, 1002])
    result = search_datasets("vatten")
    assert result.total_is_exact and result.facets_are_exact
    assert result.total == 3 and sorted(result.ids) == [1000, 1001, 1002]
    assert dict(result.facets["theme"]) == {"ENVI": 3}


def test_a_filtered_facet_past_the_window_is_estimated(monkeypatch: pytest.MonkeyPatch) -> None:
    """The words match more than the window (the sample says ~512), the
    filter leaves a few (the sample says ~64, well under the window): those
    are counted exactly, the facets stay estimates."""
    monkeypatch.setattr(pg, "MAX_RESULT_WINDOW", 100)
    for i in range(1, 9):
        make_dataset("Vatten", id=i * 64, themes=["ENVI" if i < 8 else "AGRI"])
    index_datasets([i * 64 for i in range(1, 9)])
    result = search_datasets("vatten", filters={"theme": ["AGRI"]})
    assert result.total == 1 and result.total_is_exact
    assert not result.facets_are_exact
    assert dict(result.facets["theme"]) == {"ENVI": 7 * 64, "AGRI": 64}


def test_stop_words_and_both_languages_in_the_tsquery() -> None:
    backend = get_backend()
    assert isinstance(backend, pg.PostgresBackend)
    with connection.cursor() as cursor:
        assert backend._tsquery(cursor, ["och", "the"]) == ""
        assert backend._tsquery(cursor, ["skogar"]) == "('skog' | 'skogar')"
        assert backend._tsquery(cursor, ["forests", "skogar"]) == (
            "('forest') & ('skog' | 'skogar')"
        )
        cursor.execute("SELECT %s::tsquery", [backend._tsquery(cursor, ["a'b", "c\\d"])])


def test_rebuild_swaps_in_a_complete_table() -> None:
    dataset = make_dataset("Fiske", formats=["CSV"])
    assert rebuild_index() == 1
    with connection.cursor() as cursor:
        for table, suffixes in pg.INDEX_SUFFIXES.items():
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s ORDER BY 1", [table]
            )
            assert [row[0] for row in cursor.fetchall()] == sorted(
                f"{table}_{suffix}" for suffix in suffixes
            )
        cursor.execute("SELECT dataset_id FROM catalog_search_sample")
        assert cursor.fetchall() == ([(dataset.pk,)] if dataset.pk % 64 == 0 else [])
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ANY(%s) "
            "AND is_nullable = 'YES'",
            [[pg.TABLE, pg.SAMPLE_TABLE]],
        )
        assert cursor.fetchall() == []
    assert search_datasets("fiske").ids == [dataset.pk]
    # Ordinary writes still work on the new table.
    other = make_dataset("Fiske och jakt")
    index_datasets([other.pk])
    assert sorted(search_datasets("fiske").ids) == sorted([dataset.pk, other.pk])


def test_queries_are_bound_on_the_client() -> None:
    """Server-side prepared statements got a generic plan ~50 ms slower."""
    import psycopg

    with connection.cursor() as cursor:
        assert isinstance(cursor.cursor, psycopg.ClientCursor)
