"""Dataset search: one interface, two backends.

- ``embedded`` (default with SQLite): a tantivy index in a directory
  (settings.CATALOG_SEARCH_INDEX_DIR, default BASE_DIR/search-index; ":memory:"
  keeps it in memory, for tests). One machine; one writer at a time.
- ``postgres`` (default with PostgreSQL): full-text search in the database
  (the ``swedish`` and ``english`` configurations, a GIN index), so any number
  of app servers share it.

settings.CATALOG_SEARCH_BACKEND ("embedded" or "postgres") overrides the
choice. The index follows catalog.signals (see receivers.py);
``hack365 search_reindex`` rebuilds it from the database.

    result = search_datasets("skogar", filters={"theme": ["ENVI"]}, sort="relevance",
                             page=1, page_size=20, language="sv")
    result.ids, result.total, result.facets["publisher"]
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from .base import (
    FACETS,
    MAX_FILTER_VALUE_CHARS,
    MAX_FILTER_VALUES,
    MAX_PAGE_SIZE,
    MAX_RESULT_WINDOW,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResult,
    Sort,
)
from .text import query_words

__all__ = [
    "FACETS",
    "MAX_RESULT_WINDOW",
    "SearchResult",
    "get_backend",
    "index_datasets",
    "rebuild_index",
    "remove_datasets",
    "search_datasets",
]

BACKEND_NAMES = {"embedded": "embedded", "tantivy": "embedded", "postgres": "postgres"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_backends: dict[tuple[Any, ...], SearchBackend] = {}
_backends_lock = threading.Lock()


def backend_name() -> str:
    configured = str(getattr(settings, "CATALOG_SEARCH_BACKEND", "") or "").lower()
    if not configured:
        return "postgres" if connection.vendor == "postgresql" else "embedded"
    if configured not in BACKEND_NAMES:
        raise ImproperlyConfigured(
            f"CATALOG_SEARCH_BACKEND must be one of {sorted(BACKEND_NAMES)}, not {configured!r}"
        )
    name = BACKEND_NAMES[configured]
    if name == "postgres" and connection.vendor != "postgresql":
        raise ImproperlyConfigured("CATALOG_SEARCH_BACKEND='postgres' needs a PostgreSQL database")
    return name


def index_dir() -> Path | None:
    configured = getattr(settings, "CATALOG_SEARCH_INDEX_DIR", None)
    if configured == ":memory:":
        return None
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR) / "search-index"


def get_backend() -> SearchBackend:
    name = backend_name()
    key: tuple[Any, ...]
    if name == "embedded":
        path = index_dir()
        # An in-memory index lives as long as its backend object.
        key = (name, str(path) if path else ":memory:")
    else:
        key = (name, connection.alias)
    backend = _backends.get(key)
    if backend is None:
        with _backends_lock:
            backend = _backends.get(key)
            if backend is None:
                backend = _make_backend(name)
                _backends[key] = backend
    return backend


def _make_backend(name: str) -> SearchBackend:
    if name == "embedded":
        from .embedded import EmbeddedBackend

        timeout = float(getattr(settings, "CATALOG_SEARCH_LOCK_TIMEOUT", 60))
        return EmbeddedBackend(index_dir(), lock_timeout=timeout)
    from .postgres import PostgresBackend

    return PostgresBackend(connection.alias)


def reset_backends() -> None:
    """Forget the backend objects (an in-memory index is dropped)."""
    with _backends_lock:
        _backends.clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CATALOG_SEARCH") or setting in {"DATABASES", "BASE_DIR"}:
        reset_backends()


def _clean_filters(filters: Mapping[str, Iterable[str]] | None) -> dict[str, tuple[str, ...]]:
    cleaned: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        raw = (filters or {}).get(facet)
        if not raw or isinstance(raw, str | bytes):
            raw = [raw] if isinstance(raw, str) and raw else []
        values: list[str] = []
        for value in raw:
            if not isinstance(value, str):
                continue
            value = _CONTROL.sub("", value).strip()
            if value and len(value) <= MAX_FILTER_VALUE_CHARS and value not in values:
                values.append(value)
            if len(values) == MAX_FILTER_VALUES:
                break
        if values:
            cleaned[facet] = tuple(values)
    return cleaned


def build_request(
    query: str | None,
    *,
    filters: Mapping[str, Iterable[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    language: str = "sv",
    include_withdrawn: bool = False,
) -> tuple[SearchRequest, int, int]:
    """A validated request, and the page and page size it was made from."""
    try:
        page = max(1, int(page))
    except (TypeError, ValueError):
        page = 1
    try:
        page_size = min(MAX_PAGE_SIZE, max(1, int(page_size)))
    except (TypeError, ValueError):
        page_size = 20
    offset = min((page - 1) * page_size, MAX_RESULT_WINDOW)
    limit = max(0, min(page_size, MAX_RESULT_WINDOW - offset))
    chosen_sort: Sort = "modified" if sort == "modified" else "relevance"
    request = SearchRequest(
        words=tuple(query_words(query if isinstance(query, str) else "")),
        filters=_clean_filters(filters),
        sort=chosen_sort,
        offset=offset,
        limit=limit,
        language="en" if str(language or "").lower().startswith("en") else "sv",
        include_withdrawn=include_withdrawn,
    )
    return request, page, page_size


def search_datasets(
    query: str | None,
    *,
    filters: Mapping[str, Iterable[str]] | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = 20,
    language: str = "sv",
    include_withdrawn: bool = False,
) -> SearchResult:
    """Datasets matching every word of ``query`` (stemmed in Swedish and
    English; nothing in it is syntax) and the ``filters`` — facet name →
    values; values of one facet are alternatives (OR), facets combine (AND).
    Facets: publisher (publisher id), theme (EU data-theme code), format,
    license (URI), access_rights (URI). An empty query lists everything.
    ``sort`` is "relevance" (falls back to "modified" without words) or
    "modified" (newest first). Withdrawn datasets are left out unless
    ``include_withdrawn``. Invalid input is cleaned, never an error."""
    request, page, page_size = build_request(
        query,
        filters=filters,
        sort=sort,
        page=page,
        page_size=page_size,
        language=language,
        include_withdrawn=include_withdrawn,
    )
    result = get_backend().search(request)
    return SearchResult(
        ids=result.ids,
        total=result.total,
        facets=result.facets,
        total_is_exact=result.total_is_exact,
        facets_are_exact=result.facets_are_exact,
        page=page,
        page_size=page_size,
    )


def index_datasets(ids: Iterable[int]) -> None:
    """(Re)index these datasets from the database; ids that no longer exist
    are removed from the index."""
    from .documents import documents_for

    wanted = sorted({int(i) for i in ids})
    if not wanted:
        return
    documents = list(documents_for(wanted))
    found = {doc.id for doc in documents}
    get_backend().write(documents, remove_ids=[i for i in wanted if i not in found])


def remove_datasets(ids: Iterable[int]) -> None:
    wanted = sorted({int(i) for i in ids})
    if wanted:
        get_backend().write([], remove_ids=wanted)


def rebuild_index(*, progress: Any = None) -> int:
    """Replace the index with every dataset in the database; returns the
    number indexed. ``progress(n)`` is called after each chunk."""
    from .documents import all_documents

    count = 0
    batch: list[SearchDocument] = []
    with get_backend().bulk_loader() as loader:
        for document in all_documents():
            batch.append(document)
            if len(batch) == 2000:
                loader.add(batch)
                count += len(batch)
                batch = []
                if progress:
                    progress(count)
        loader.add(batch)
        count += len(batch)
    if progress:
        progress(count)
    return count
