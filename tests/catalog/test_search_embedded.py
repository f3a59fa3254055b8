"""The embedded (tantivy) backend: its directory, writer locking across
processes, and what other processes see."""

from __future__ import annotations

import fcntl
import logging
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from hack365.catalog.search import backend_name, get_backend, index_dir, search_datasets
from hack365.catalog.search.base import SearchDocument, SearchRequest
from hack365.catalog.search.embedded import LOCK_FILE, VERSION_FILE, EmbeddedBackend

ROOT = Path(__file__).resolve().parents[2]


def doc(pk: int, title: str = "Skog", **kwargs: object) -> SearchDocument:
    return SearchDocument(id=pk, texts={"sv": (title, "", "")}, **kwargs)  # type: ignore[arg-type]


def request(*words: str) -> SearchRequest:
    return SearchRequest(
        words=words, filters={}, sort="relevance", offset=0, limit=100, language="sv"
    )


def test_the_index_persists_in_its_directory(tmp_path: Path) -> None:
    EmbeddedBackend(tmp_path).write([doc(1), doc(2, "Väg")])
    reopened = EmbeddedBackend(tmp_path)
    assert reopened.count() == 2
    assert reopened.search(request("skogar")).ids == [1]
    assert (tmp_path / VERSION_FILE).exists()


def test_an_index_of_another_version_is_replaced_by_an_empty_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    EmbeddedBackend(tmp_path).write([doc(1)])
    (tmp_path / VERSION_FILE).write_text("hack365-search-0")
    with caplog.at_level(logging.WARNING):
        reopened = EmbeddedBackend(tmp_path)
        assert reopened.count() == 0
    assert "search_reindex" in caplog.text
    reopened.write([doc(3)])
    assert EmbeddedBackend(tmp_path).search(request("skog")).ids == [3]


def test_in_memory_index() -> None:
    backend = EmbeddedBackend(None)
    backend.write([doc(1)])
    assert backend.search(request("skog")).ids == [1]
    with backend.bulk_loader() as loader:
        loader.add([doc(2), doc(3)])
    assert sorted(backend.search(request("skog")).ids) == [2, 3]


def test_a_failed_bulk_load_keeps_the_old_index(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path)
    backend.write([doc(1)])
    with pytest.raises(RuntimeError), backend.bulk_loader() as loader:
        loader.add([doc(2)])
        raise RuntimeError("the database went away")
    assert backend.search(request("skog")).ids == [1]


def test_a_writer_waits_for_the_lock_and_gives_up_after_the_timeout(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path, lock_timeout=0.3)
    backend.write([doc(1)])
    with open(tmp_path / LOCK_FILE, "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as another process would
        started = time.monotonic()
        with pytest.raises(TimeoutError, match="locked by another writer"):
            backend.write([doc(2)])
        assert time.monotonic() - started >= 0.3
        fcntl.flock(held, fcntl.LOCK_UN)
    backend.write([doc(2)])
    assert backend.count() == 2


WRITER = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {src!r})
    from hack365.catalog.search.base import SearchDocument
    from hack365.catalog.search.embedded import EmbeddedBackend

    backend = EmbeddedBackend({path!r})
    first = int(sys.argv[1])
    for batch in range(5):
        start = first + batch * 10
        texts = {{"sv": ("Skog", "", "")}}
        backend.write([SearchDocument(id=i, texts=texts) for i in range(start, start + 10)])
    """
)


def test_concurrent_writers_in_other_processes_take_turns(tmp_path: Path) -> None:
    reader = EmbeddedBackend(tmp_path)
    reader.write([doc(1_000_000)])
    script = WRITER.format(src=str(ROOT / "src"), path=str(tmp_path))
    writers = [
        subprocess.Popen([sys.executable, "-c", script, str(first)]) for first in (1, 1001, 2001)
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0]
    # Other processes' commits reach this reader through its reload policy.
    deadline = time.monotonic() + 10
    while reader.count() != 151 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert reader.count() == 151
    assert reader.search(request("skog")).total == 151


# --- settings ------------------------------------------------------------------
def test_the_default_backend_follows_the_database() -> None:
    with override_settings(CATALOG_SEARCH_BACKEND=""):
        expected = "postgres" if connection.vendor == "postgresql" else "embedded"
        assert backend_name() == expected


def test_unknown_backends_are_refused() -> None:
    with (
        override_settings(CATALOG_SEARCH_BACKEND="elasticsearch"),
        pytest.raises(ImproperlyConfigured),
    ):
        backend_name()


@pytest.mark.skipif(connection.vendor == "postgresql", reason="about other databases")
def test_the_postgres_backend_needs_postgresql() -> None:
    with (
        override_settings(CATALOG_SEARCH_BACKEND="postgres"),
        pytest.raises(ImproperlyConfigured),
    ):
        backend_name()


def test_index_dir_setting(tmp_path: Path) -> None:
    with override_settings(CATALOG_SEARCH_INDEX_DIR=None, BASE_DIR=tmp_path):
        assert index_dir() == tmp_path / "search-index"
    with override_settings(CATALOG_SEARCH_INDEX_DIR=":memory:"):
        assert index_dir() is None
    with override_settings(CATALOG_SEARCH_INDEX_DIR=str(tmp_path / "x")):
        assert index_dir() == tmp_path / "x"


@pytest.mark.django_db
def test_the_interface_uses_the_configured_directory(tmp_path: Path) -> None:
    with override_settings(
        CATALOG_SEARCH_BACKEND="embedded", CATALOG_SEARCH_INDEX_DIR=str(tmp_path / "i")
    ):
        get_backend().write([doc(7)])
        assert search_datasets("skog").ids == [7]
        assert (tmp_path / "i" / "meta.json").exists()
    with override_settings(
        CATALOG_SEARCH_BACKEND="embedded", CATALOG_SEARCH_INDEX_DIR=str(tmp_path / "j")
    ):
        assert search_datasets("skog").ids == []
