"""Fixtures and helpers for the dataset search tests (and for anyone who
needs a clean search index in a test).

    from tests.catalog.search_helpers import make_dataset, search_index  # noqa: F401
    pytestmark = pytest.mark.usefixtures("search_index")

``search_index`` runs the test once per backend that this database can run
(embedded everywhere, postgres when DATABASE_URL points to PostgreSQL), each
time with an empty index."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from hack365.catalog.models import Dataset, Publisher
from hack365.catalog.search import get_backend, reset_backends

BASE_TIME = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
_keys = itertools.count(1)

BACKENDS = ["embedded", "postgres"]


def clear_index() -> None:
    """Empty the current backend's index."""
    with get_backend().bulk_loader():
        pass


@pytest.fixture(params=BACKENDS)
def search_index(request: pytest.FixtureRequest, db: None, tmp_path: Path) -> Iterator[str]:
    name = request.param
    if name == "postgres" and connection.vendor != "postgresql":
        pytest.skip("the postgres search backend needs DATABASE_URL pointing to PostgreSQL")
    with override_settings(
        CATALOG_SEARCH_BACKEND=name, CATALOG_SEARCH_INDEX_DIR=str(tmp_path / "search-index")
    ):
        reset_backends()
        if name == "postgres":
            # Transactional tests are not rolled back: start from nothing.
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM catalog_search_document")
                cursor.execute("DELETE FROM catalog_search_sample")
        yield name
    reset_backends()


@pytest.fixture
def embedded_index(db: None, tmp_path: Path) -> Iterator[Path]:
    """The embedded backend only, in a directory of its own."""
    path = tmp_path / "search-index"
    with override_settings(CATALOG_SEARCH_BACKEND="embedded", CATALOG_SEARCH_INDEX_DIR=str(path)):
        reset_backends()
        yield path
    reset_backends()


def make_publisher(name: str = "Skogsstyrelsen") -> Publisher:
    return Publisher.objects.create(
        iri=f"https://example.se/publisher/{next(_keys)}", name={"sv": name}
    )


def make_dataset(
    title: str | dict[str, str] = "Datamängd",
    *,
    description: str | dict[str, str] = "",
    keywords: dict[str, list[str]] | None = None,
    publisher: Publisher | None = None,
    themes: Sequence[str] = (),
    formats: Sequence[str] = (),
    license_uri: str = "",
    access_rights: str = "",
    modified_days: int = 0,
    withdrawn: bool = False,
    **extra: Any,
) -> Dataset:
    """A dataset; ``modified_days`` after BASE_TIME (larger is newer)."""
    dataset = Dataset.objects.create(
        key=f"https://example.se/dataset/{next(_keys)}",
        title=title if isinstance(title, dict) else {"sv": title},
        description=description if isinstance(description, dict) else {"sv": description},
        keywords=keywords or {},
        publisher=publisher,
        formats=list(formats),
        license_uri=license_uri,
        access_rights=access_rights,
        modified=BASE_TIME + timedelta(days=modified_days),
        withdrawn=withdrawn,
        **extra,
    )
    if themes:
        dataset.themes.set(themes)
    return dataset
