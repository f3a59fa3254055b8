"""The embedded backend: a tantivy index in a directory on this machine.

tantivy (Rust, through its Python binding) ranks a million datasets and
counts the total and every facet exactly from its column store (fast
fields), the page and the counts in two threads (see bench/search.py for
figures; SQLite FTS5 took seconds for the same mix). One process writes
at a time: writers take an exclusive lock on a file beside the index (and
wait their turn); any number of processes read, and see a commit within
about half a second (at once in the process that wrote it).

Text is indexed per language: Swedish and untagged text in *_sv fields
(Swedish stop words and Snowball stemmer), English and untagged text in *_en
fields (English). A query word matches if any of its stems occurs in any text
field; all words must match.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import tantivy
from tantivy import (
    Filter,
    Index,
    Occur,
    Order,
    Query,
    SchemaBuilder,
    TextAnalyzerBuilder,
    Tokenizer,
)

from .base import (
    FACETS,
    BulkLoader,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResult,
)
from .text import MAX_WORD_CHARS

logger = logging.getLogger(__name__)

# Bump when the schema or the analysers change: an index written with another
# version is discarded and must be rebuilt (``hack365 search_reindex``).
SCHEMA_VERSION = "hack365-search-3"
VERSION_FILE = "hack365-schema-version"
LOCK_FILE = "hack365-writer.lock"
LANGUAGES = {"sv": "swedish", "en": "english"}
TEXT_FIELDS = {"title": 3.0, "keywords": 2.0, "description": 1.0}
LANGUAGE_BOOST = 1.5  # fields in the reader's language weigh this much more
FACET_BUCKETS = 65_000  # at most this many values (or sets of values) per facet
MULTI_VALUED = ("theme", "format")
SET_SEPARATOR = "\x1f"


def _analyzer(language: str) -> tantivy.TextAnalyzer:
    return (
        TextAnalyzerBuilder(Tokenizer.simple())
        .filter(Filter.remove_long(MAX_WORD_CHARS + 1))
        .filter(Filter.lowercase())
        .filter(Filter.stopword(language))
        .filter(Filter.stemmer(language))
        .build()
    )


def _schema() -> tantivy.Schema:
    builder = SchemaBuilder()
    builder.add_unsigned_field("id", indexed=True, fast=True)
    for lang in LANGUAGES:
        for name in TEXT_FIELDS:
            builder.add_text_field(
                f"{name}_{lang}", tokenizer_name=f"hack365_{lang}", index_option="freq"
            )
        # All the text of one language in one field, without frequencies:
        # matching and counting read one posting list per word and language
        # instead of three.
        builder.add_text_field(
            f"all_{lang}", tokenizer_name=f"hack365_{lang}", index_option="basic"
        )
    for facet in FACETS:
        # Indexed for filtering; single-valued facets are also columns
        # (fast fields) for counting.
        builder.add_text_field(facet, tokenizer_name="raw", fast=facet not in MULTI_VALUED)
    for facet in MULTI_VALUED:
        # Counting a multi-valued column is slow (~10x); each document's set
        # of values is one column value instead, and counts per value are
        # summed from the counts per set (exact).
        builder.add_text_field(f"{facet}_set", tokenizer_name="raw", fast=True)
    builder.add_integer_field("modified", fast=True)
    builder.add_boolean_field("withdrawn", indexed=True, fast=True)
    return builder.build()


class EmbeddedBackend(SearchBackend):
    """``path`` is the index directory, or None for an index in memory (tests)."""

    name = "embedded"

    def __init__(self, path: str | os.PathLike[str] | None, *, lock_timeout: float = 60.0):
        self.path = Path(path) if path else None
        self.lock_timeout = lock_timeout
        self.schema = _schema()
        self.analyzers = {lang: _analyzer(config) for lang, config in LANGUAGES.items()}
        self._thread_lock = threading.RLock()
        self._index: Index | None = None
        self._pool: ThreadPoolExecutor | None = None

    # --- opening ---------------------------------------------------------
    @property
    def index(self) -> Index:
        if self._index is None:
            with self._thread_lock:
                if self._index is None:
                    self._index = self._open(fresh=False)
        return self._index

    def _open(self, *, fresh: bool) -> Index:
        if self.path is None:
            index = Index(self.schema)
        else:
            self.path.mkdir(parents=True, exist_ok=True)
            version_file = self.path / VERSION_FILE
            exists = (self.path / "meta.json").exists()
            current = version_file.read_text().strip() if version_file.exists() else None
            if exists and (fresh or current != SCHEMA_VERSION):
                if not fresh:
                    logger.warning(
                        "Search index at %s was written by another version (%s); starting "
                        "an empty one: run `hack365 search_reindex`.",
                        self.path,
                        current,
                    )
                self._clear_directory()
            index = Index(self.schema, path=str(self.path), reuse=True)
            version_file.write_text(SCHEMA_VERSION)
        for lang, analyzer in self.analyzers.items():
            index.register_tokenizer(f"hack365_{lang}", analyzer)
        return index

    def _clear_directory(self) -> None:
        assert self.path is not None
        for child in self.path.iterdir():
            if child.name == LOCK_FILE:
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()

    # --- writing ---------------------------------------------------------
    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One writer at a time: across threads (an RLock) and across
        processes (flock on a file in the index directory)."""
        with self._thread_lock:
            if self.path is None:
                yield
                return
            self.path.mkdir(parents=True, exist_ok=True)
            with open(self.path / LOCK_FILE, "a+b") as lock_file:
                deadline = time.monotonic() + self.lock_timeout
                while True:
                    try:
                        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() > deadline:
                            raise TimeoutError(
                                f"Search index {self.path} is locked by another writer"
                            ) from None
                        time.sleep(0.05)
                try:
                    yield
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _document(self, doc: SearchDocument) -> tantivy.Document:
        document = tantivy.Document()
        document.add_unsigned("id", doc.id)
        for lang, (title, keywords, description) in doc.texts.items():
            if lang not in LANGUAGES:
                continue
            for name, value in (
                ("title", title),
                ("keywords", keywords),
                ("description", description),
            ):
                if value:
                    document.add_text(f"{name}_{lang}", value)
                    document.add_text(f"all_{lang}", value)
        for facet in FACETS:
            values = doc.facet_values(facet)
            for value in values:
                document.add_text(facet, value)
            if values and facet in MULTI_VALUED:
                document.add_text(f"{facet}_set", SET_SEPARATOR.join(sorted(values)))
        document.add_integer("modified", doc.modified)
        document.add_boolean("withdrawn", doc.withdrawn)
        return document

    def _ids_query(self, ids: list[int]) -> Query:
        return Query.term_set_query(self.schema, "id", ids)

    def write(self, documents: Iterable[SearchDocument], remove_ids: Iterable[int] = ()) -> None:
        documents = list(documents)
        stale = sorted({*remove_ids, *(doc.id for doc in documents)})
        if not stale:
            return
        with self._exclusive():
            index = self.index
            writer = index.writer(heap_size=32_000_000, num_threads=1)
            try:
                writer.delete_documents_by_query(self._ids_query(stale))
                for doc in documents:
                    writer.add_document(self._document(doc))
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            index.reload()

    def bulk_loader(self) -> AbstractContextManager[BulkLoader]:
        return self._bulk()

    @contextlib.contextmanager
    def _bulk(self) -> Iterator[BulkLoader]:
        with self._exclusive():
            try:
                index = self.index
            except ValueError:  # an unreadable index: start afresh
                self._index = self._open(fresh=True)
                index = self._index
            writer = index.writer(heap_size=400_000_000, num_threads=2)
            try:
                writer.delete_all_documents()
                yield _EmbeddedLoader(self, writer)
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()
            index.reload()

    def count(self) -> int:
        return int(self.index.searcher().num_docs)

    # --- searching -------------------------------------------------------
    def _stems(self, word: str) -> dict[str, list[str]] | None:
        """The word's tokens per language; None for a stop word (in either)."""
        stems = {lang: analyzer.analyze(word) for lang, analyzer in self.analyzers.items()}
        return stems if all(stems.values()) else None

    def _word_query(self, stems: dict[str, list[str]], language: str, *, scored: bool) -> Query:
        """Any stem of the word in any text field. Scored: per field, with
        weights; else one term per language (for counting)."""
        clauses: list[tuple[Occur, Query]] = []
        for lang, tokens in stems.items():
            boost = LANGUAGE_BOOST if lang == language else 1.0
            fields = TEXT_FIELDS if scored else {"all": 1.0}
            option = "freq" if scored else "basic"
            for name, weight in fields.items():
                per_token = [
                    Query.term_query(self.schema, f"{name}_{lang}", token, index_option=option)
                    for token in tokens
                ]
                query = (
                    per_token[0]
                    if len(per_token) == 1
                    else Query.boolean_query([(Occur.Must, q) for q in per_token])
                )
                if scored:
                    query = Query.boost_query(query, weight * boost)
                clauses.append((Occur.Should, query))
        return Query.boolean_query(clauses)

    def _query(self, request: SearchRequest, *, scored: bool = True, filters: bool = True) -> Query:
        must: list[tuple[Occur, Query]] = []
        for word in request.words:
            stems = self._stems(word)
            if stems is not None:
                must.append((Occur.Must, self._word_query(stems, request.language, scored=scored)))
        if filters:
            for facet, values in request.filters.items():
                must.append(
                    (
                        Occur.Must,
                        Query.const_score_query(
                            Query.term_set_query(self.schema, facet, list(values)), 0.0
                        ),
                    )
                )
        if not request.include_withdrawn:
            must.append((Occur.MustNot, Query.term_query(self.schema, "withdrawn", True)))
        if not any(occur == Occur.Must for occur, _ in must):
            must.append((Occur.Must, Query.all_query()))
        return Query.boolean_query(must)

    def search(self, request: SearchRequest) -> SearchResult:
        searcher = self.index.searcher()
        ranked = request.sort == "relevance" and any(
            self._stems(word) is not None for word in request.words
        )
        # limit 0 (a page past the result window): count, return no ids.
        kwargs: dict[str, Any] = {
            "limit": request.limit or 1,
            "offset": request.offset,
            # The total comes from the aggregation below, so ranking can
            # skip documents that cannot reach the page (block-max WAND).
            "count": False,
        }
        if not ranked:
            kwargs.update(order_by_field="modified", order=Order.Desc)
        # The page and the counts are two passes over the matches; tantivy
        # releases the GIL, so they run at the same time on two cores.
        counting = self._executor().submit(self._facets, searcher, request)
        result = searcher.search(self._query(request, scored=ranked), **kwargs)
        addresses = [address for _score, address in result.hits][: request.limit]
        values = searcher.fast_field_values("id", addresses) if addresses else []
        ids = [int(i) for i in values if i is not None]
        total, facets, exact = counting.result()
        return SearchResult(ids=ids, total=total, facets=facets, facets_are_exact=exact)

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            with self._thread_lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(
                        max_workers=4, thread_name_prefix="hack365-search"
                    )
        return self._pool

    def _facets(
        self, searcher: tantivy.Searcher, request: SearchRequest
    ) -> tuple[int, dict[str, list[tuple[str, int]]], bool]:
        """The total and the counts per facet value, in one pass over the
        text matches. A facet with a filter of its own is counted without
        that filter (so it lists the values one can add), the others with
        every filter."""
        total_count = {"total": {"value_count": {"field": "modified"}}}
        plain = dict(_terms(facet) for facet in FACETS if not request.filters.get(facet))
        if request.filters and not any(self._stems(word) is not None for word in request.words):
            return self._facets_without_words(searcher, request, {**total_count, **plain})
        if not request.filters:
            query = self._query(request, scored=False)
            aggregation: dict[str, Any] = {**total_count, **plain}
        else:
            query = self._query(request, scored=False, filters=False)
            aggregation = {
                "all": {"filter": _filter_string(request.filters), "aggs": {**total_count, **plain}}
            }
            for facet in request.filters:
                others = {f: v for f, v in request.filters.items() if f != facet}
                if others:
                    aggregation[f"without_{facet}"] = {
                        "filter": _filter_string(others),
                        "aggs": dict([_terms(facet)]),
                    }
                else:
                    aggregation.update([_terms(facet)])
        result = searcher.aggregate(query, aggregation)
        flat: dict[str, Any] = {}
        for key, body in result.items():
            if key == "all" or key.startswith("without_"):
                flat.update({k: v for k, v in body.items() if isinstance(v, dict)})
            else:
                flat[key] = body
        total = int(flat.pop("total", {}).get("value") or 0)
        facets, exact = _buckets(flat)
        return total, {facet: facets.get(facet, []) for facet in FACETS}, exact

    def _facets_without_words(
        self, searcher: tantivy.Searcher, request: SearchRequest, aggregation: dict[str, Any]
    ) -> tuple[int, dict[str, list[tuple[str, int]]], bool]:
        """The facets of a filtered listing without words: one aggregation
        per filtered facet, each over the query of the other filters, and one
        over every filter (the filters' posting lists narrow the documents
        first, where filter aggregations would test every document)."""
        results = [searcher.aggregate(self._query(request, scored=False), aggregation)]
        for facet in request.filters:
            others = {f: v for f, v in request.filters.items() if f != facet}
            narrowed = dataclasses.replace(request, filters=others)
            results.append(
                searcher.aggregate(self._query(narrowed, scored=False), dict([_terms(facet)]))
            )
        flat: dict[str, Any] = {}
        for result in results:
            flat.update(result)
        total = int(flat.pop("total", {}).get("value") or 0)
        facets, exact = _buckets(flat)
        return total, {facet: facets.get(facet, []) for facet in FACETS}, exact


def _filter_string(filters: Mapping[str, tuple[str, ...]]) -> str:
    """Filters in tantivy's query language (for filter aggregations): every
    value a quoted, escaped term of a raw field."""
    groups = []
    for facet, values in filters.items():
        terms = " OR ".join(f'{facet}:"{_escape(value)}"' for value in values)
        groups.append(f"({terms})")
    return " AND ".join(groups)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _terms(facet: str) -> tuple[str, dict[str, Any]]:
    field = f"{facet}_set" if facet in MULTI_VALUED else facet
    return facet, {"terms": {"field": field, "size": FACET_BUCKETS}}


def _buckets(result: dict[str, Any]) -> tuple[dict[str, list[tuple[str, int]]], bool]:
    out: dict[str, list[tuple[str, int]]] = {}
    exact = True
    for facet, body in result.items():
        counts: dict[str, int] = {}
        for bucket in body.get("buckets", []):
            key, count = str(bucket["key"]), int(bucket["doc_count"])
            for value in key.split(SET_SEPARATOR) if facet in MULTI_VALUED else (key,):
                counts[value] = counts.get(value, 0) + count
        exact = exact and not body.get("sum_other_doc_count")
        out[facet] = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return out, exact


class _EmbeddedLoader(BulkLoader):
    def __init__(self, backend: EmbeddedBackend, writer: tantivy.IndexWriter):
        self.backend = backend
        self.writer = writer

    def add(self, documents: Iterable[SearchDocument]) -> None:
        to_document = self.backend._document
        add = self.writer.add_document
        for doc in documents:
            add(to_document(doc))
