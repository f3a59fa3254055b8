"""The PostgreSQL backend: full-text search in the database, shared by every
app server.

Tables (migration 0002_search_postgres): ``catalog_search_document``, one
row per dataset with a weighted tsvector — titles A, keywords B,
descriptions D; Swedish (and untagged) text through the ``swedish``
configuration, English (and untagged) text through ``english`` — plus the
facet values, ``facet_keys`` (every facet value as one array, so that one GIN
index answers any combination of facet filters), the modification time and
``sample`` (dataset_id % 64); and ``catalog_search_sample``, a copy of the
rows with sample 0. Indexes: GIN on the tsvectors and on facet_keys,
(modified, id).

A query word matches when its Swedish or its English stem is in the
document; every word must match; words that are stop words in either
language are ignored.

How it stays fast at a million datasets (figures in bench/search.py):
- The facets are counted first on the 1/64 sample (one statement, one
  GROUPING SET per facet). When that shows the words match at most about
  MAX_RESULT_WINDOW datasets, everything is counted again exactly: total,
  facet counts, and every match is ranked.
- Past it (a very common word) the result says so (``total_is_exact`` and
  ``facets_are_exact`` false): total and facet counts are the sample's,
  scaled by 64 (a filtered total that the sample puts well under the window
  is still counted exactly); relevance ranks the first RELEVANCE_CANDIDATES
  matches in table order — the bulk load writes the table newest first, so
  these are the most recently modified matches (as of the last rebuild) —
  and later pages of a relevance search are empty (sort by date, or refine).
  Sorting by modification time stays exact and complete.
- A GIN index is no help for a word in most documents (building a bitmap of
  600,000 rows takes ~0.5 s): the planner's sequential scan with LIMIT is
  left alone there, JIT (which it would start on such estimated costs) is off.
- Queries are sent with client-side parameter binding (Django's default for
  psycopg 3): server-side prepared statements with a generic plan cannot use
  the statistics of the actual words and were ~50 ms slower.
"""

from __future__ import annotations

# SQL here is assembled from constant identifiers (table, columns, facet
# names) only; every value is a bound parameter.
# ruff: noqa: S608
import contextlib
import hashlib
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from django.db import connections, transaction

from .base import (
    FACETS,
    MAX_RESULT_WINDOW,
    BulkLoader,
    SearchBackend,
    SearchDocument,
    SearchRequest,
    SearchResult,
)

TABLE = "catalog_search_document"
# A copy of the rows with dataset_id % 64 == 0: small enough (1/64) to count
# facets on quickly, uniform enough to estimate them for huge result sets.
SAMPLE_TABLE = "catalog_search_sample"
SAMPLE_BUCKETS = 64
FACET_KEY_PREFIX = {
    "publisher": "p",
    "theme": "t",
    "format": "f",
    "license": "l",
    "access_rights": "a",
}
RELEVANCE_CANDIDATES = 500
LANGUAGES = {"sv": "swedish", "en": "english"}
FACET_COLUMNS = {
    "publisher": "publisher",
    "theme": "themes",
    "format": "formats",
    "license": "license",
    "access_rights": "access_rights",
}
INDEX_SUFFIXES = {
    TABLE: ("pkey", "document", "modified", "facet_keys"),
    SAMPLE_TABLE: ("pkey", "document"),
}
DEFAULTS = {
    "sample": "0",
    "withdrawn": "false",
    "modified": "0",
    "publisher": "''",
    "themes": "'{}'",
    "formats": "'{}'",
    "license": "''",
    "access_rights": "''",
    "facet_keys": "'{}'",
}

# The tsvector of one row from the 6 text parameters (sv title, keywords,
# description; en title, keywords, description).
DOCUMENT_SQL = (
    "setweight(to_tsvector('swedish', {0}), 'A') || "
    "setweight(to_tsvector('swedish', {1}), 'B') || "
    "setweight(to_tsvector('swedish', {2}), 'D') || "
    "setweight(to_tsvector('english', {3}), 'A') || "
    "setweight(to_tsvector('english', {4}), 'B') || "
    "setweight(to_tsvector('english', {5}), 'D')"
)
COLUMNS = (
    "dataset_id",
    "sample",
    "withdrawn",
    "modified",
    "publisher",
    "themes",
    "formats",
    "license",
    "access_rights",
    "facet_keys",
)


def index_sql(table: str, sample_table: str) -> list[str]:
    return [
        f"CREATE INDEX {table}_document ON {table} USING gin (document)",
        f"CREATE INDEX {table}_modified ON {table} (modified DESC, dataset_id DESC)",
        f"CREATE INDEX {table}_facet_keys ON {table} USING gin (facet_keys)",
        f"CREATE INDEX {sample_table}_document ON {sample_table} USING gin (document)",
    ]


def _texts(doc: SearchDocument) -> list[str]:
    out: list[str] = []
    for lang in LANGUAGES:
        title, keywords, description = doc.texts.get(lang, ("", "", ""))
        out += [title, keywords, description]
    return out


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self._lexemes: dict[str, str | None] = {}

    @property
    def connection(self) -> Any:
        return connections[self.alias]

    # --- writing ---------------------------------------------------------
    def write(self, documents: Iterable[SearchDocument], remove_ids: Iterable[int] = ()) -> None:
        documents = list(documents)
        keep = {doc.id for doc in documents}
        remove = sorted({i for i in remove_ids if i not in keep})
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        document = DOCUMENT_SQL.format(*(["%s"] * 6))
        updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*COLUMNS[1:], "document"))
        sql = (
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}, document) "
            f"VALUES ({placeholders}, {document}) "
            f"ON CONFLICT (dataset_id) DO UPDATE SET {updates}"
        )
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            if remove:
                cursor.execute(f"DELETE FROM {TABLE} WHERE dataset_id = ANY(%s)", [remove])
            for start in range(0, len(documents), 500):
                cursor.executemany(
                    sql, [[*_row(doc), *_texts(doc)] for doc in documents[start : start + 500]]
                )
            sampled = [i for i in (*keep, *remove) if i % SAMPLE_BUCKETS == 0]
            if sampled:
                cursor.execute(f"DELETE FROM {SAMPLE_TABLE} WHERE dataset_id = ANY(%s)", [sampled])
                cursor.execute(
                    f"INSERT INTO {SAMPLE_TABLE} SELECT * FROM {TABLE} WHERE dataset_id = ANY(%s)",
                    [sampled],
                )

    def bulk_loader(self) -> AbstractContextManager[BulkLoader]:
        return self._bulk()

    @contextlib.contextmanager
    def _bulk(self) -> Iterator[BulkLoader]:
        """Load into a staging table with COPY, build the new table from it
        (newest first, tsvectors computed in parallel by CREATE TABLE AS),
        index it, then swap it in: readers see the old table until then."""
        staging, new, new_sample = f"{TABLE}_load", f"{TABLE}_new", f"{SAMPLE_TABLE}_new"
        connection = self.connection
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {staging}, {new}, {new_sample}")
            cursor.execute(
                f"""CREATE UNLOGGED TABLE {staging} (
                    dataset_id bigint, sample smallint, withdrawn boolean, modified bigint,
                    publisher text,
                    themes text[], formats text[], license text, access_rights text,
                    facet_keys text[],
                    sv_title text, sv_keywords text, sv_description text,
                    en_title text, en_keywords text, en_description text)"""
            )
        loader = _PostgresLoader(connection, staging)
        try:
            yield loader
            loader.flush()
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {staging}")
                # CREATE TABLE AS computes the tsvectors in parallel workers.
                cursor.execute(
                    f"CREATE TABLE {new} AS SELECT {', '.join(COLUMNS)}, "
                    + DOCUMENT_SQL.format(
                        "sv_title",
                        "sv_keywords",
                        "sv_description",
                        "en_title",
                        "en_keywords",
                        "en_description",
                    )
                    + f" AS document FROM {staging} ORDER BY modified DESC, dataset_id DESC"
                )
                cursor.execute(
                    f"ALTER TABLE {new} ADD PRIMARY KEY (dataset_id), "
                    + ", ".join(
                        f"ALTER COLUMN {column} SET NOT NULL" for column in (*COLUMNS, "document")
                    )
                    + ", "
                    + ", ".join(
                        f"ALTER COLUMN {column} SET DEFAULT {default}"
                        for column, default in DEFAULTS.items()
                    )
                )
                cursor.execute(f"DROP TABLE {staging}")
                cursor.execute(f"CREATE TABLE {new_sample} (LIKE {new} INCLUDING ALL)")
                cursor.execute(f"INSERT INTO {new_sample} SELECT * FROM {new} WHERE sample = 0")
                cursor.execute("SET maintenance_work_mem = '512MB'")
                for statement in index_sql(new, new_sample):
                    cursor.execute(statement)
                cursor.execute(f"ANALYZE {new}")
                cursor.execute(f"ANALYZE {new_sample}")
            with transaction.atomic(using=self.alias), connection.cursor() as cursor:
                for table, built in ((TABLE, new), (SAMPLE_TABLE, new_sample)):
                    cursor.execute(f"DROP TABLE {table}")
                    cursor.execute(f"ALTER TABLE {built} RENAME TO {table}")
                    for suffix in INDEX_SUFFIXES[table]:
                        cursor.execute(f"ALTER INDEX {built}_{suffix} RENAME TO {table}_{suffix}")
        except BaseException:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {staging}, {new}, {new_sample}")
            raise

    def count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE}")
            return int(cursor.fetchone()[0])

    # --- searching -------------------------------------------------------
    def _tsquery(self, cursor: Any, words: Sequence[str]) -> str:
        """A tsquery (text) requiring every word, each as its Swedish or its
        English lexemes, built by PostgreSQL's own parser from plain words
        (so nothing the user typed is syntax); "" when no word is left."""
        unknown = [w for w in words if w not in self._lexemes]
        if unknown:
            cursor.execute(
                "SELECT w, plainto_tsquery('swedish', w)::text, "
                "plainto_tsquery('english', w)::text FROM unnest(%s::text[]) AS w",
                [unknown],
            )
            if len(self._lexemes) > 20_000:
                self._lexemes.clear()
            for word, swedish, english in cursor.fetchall():
                if not swedish or not english:
                    self._lexemes[word] = None  # a stop word in one language
                elif swedish == english:
                    self._lexemes[word] = f"({swedish})"
                else:
                    self._lexemes[word] = f"({swedish} | {english})"
        parts = [self._lexemes[w] for w in words if self._lexemes.get(w)]
        return " & ".join(p for p in parts if p)

    def _base_where(self, request: SearchRequest, tsquery: str) -> tuple[str, list[Any]]:
        """The words (and withdrawn) only: the set the facets are counted on."""
        clauses: list[str] = []
        params: list[Any] = []
        if tsquery:
            clauses.append("document @@ %s::tsquery")
            params.append(tsquery)
        if not request.include_withdrawn:
            clauses.append("NOT withdrawn")
        return (" AND ".join(clauses) or "true"), params

    @staticmethod
    def _filter_sql(
        filters: Mapping[str, tuple[str, ...]], *, without: str | None = None
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for facet, values in filters.items():
            if facet == without or not values:
                continue
            # One GIN index answers every facet filter (and their AND).
            clauses.append("facet_keys && %s::text[]")
            params.append([facet_key(facet, value) for value in values])
        return (" AND ".join(clauses) or "true"), params

    def search(self, request: SearchRequest) -> SearchResult:
        filters = {f: v for f, v in request.filters.items() if v}
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            # JIT compilation costs more (~0.1–0.7 s) than any of these
            # queries gains from it; PostgreSQL starts it on estimated cost.
            cursor.execute("SET LOCAL jit = off")
            tsquery = self._tsquery(cursor, request.words)
            base, base_params = self._base_where(request, tsquery)
            narrowed, narrowed_params = self._filter_sql(filters)
            where, params = f"{base} AND {narrowed}", [*base_params, *narrowed_params]

            # First the sample: it tells how large the result is.
            matched, estimate, facets = self._facet_counts(
                cursor, request, base, base_params, table=SAMPLE_TABLE
            )
            exact = facets_exact = False
            if (
                matched * SAMPLE_BUCKETS <= 2 * MAX_RESULT_WINDOW
                and self._capped_count(cursor, base, base_params) <= MAX_RESULT_WINDOW
            ):
                # Few enough to count everything exactly.
                _, total, facets = self._facet_counts(
                    cursor, request, base, base_params, table=TABLE
                )
                exact = facets_exact = True
            elif estimate > 2 * MAX_RESULT_WINDOW:
                total = estimate
            else:
                counted = self._capped_count(cursor, where, params)
                exact = counted <= MAX_RESULT_WINDOW
                total = counted if exact else max(estimate, MAX_RESULT_WINDOW + 1)
            ids = self._page(cursor, request, tsquery, where, params, exact=exact)
        return SearchResult(
            ids=ids,
            total=total,
            facets=facets,
            total_is_exact=exact,
            facets_are_exact=facets_exact,
        )

    def _capped_count(self, cursor: Any, where: str, params: list[Any]) -> int:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where} LIMIT %s) AS m",
            [*params, MAX_RESULT_WINDOW + 1],
        )
        return int(cursor.fetchone()[0])

    def _facet_counts(
        self,
        cursor: Any,
        request: SearchRequest,
        base: str,
        base_params: list[Any],
        *,
        table: str,
    ) -> tuple[int, int, dict[str, list[tuple[str, int]]]]:
        """Over the rows that match the words — in ``table``, the whole
        table or the sample — count: the rows, the rows that pass every
        filter, and per facet value the rows that pass every other facet's
        filter. One statement: one GROUPING SET per facet, the arrays
        (themes, formats) grouped as they are and split here. Counts from
        the sample are scaled up (the first number is not)."""
        filters = {f: v for f, v in request.filters.items() if v}
        scale = SAMPLE_BUCKETS if table == SAMPLE_TABLE else 1
        counts = []
        params: list[Any] = []
        for facet in (None, *FACETS):
            condition, condition_params = self._filter_sql(filters, without=facet)
            counts.append(f"count(*) FILTER (WHERE {condition})")
            params += condition_params
        columns = list(FACET_COLUMNS.values())
        sets = ", ".join(f"({column})" for column in columns)
        # In the small sample the GIN index is always the better way to the
        # rows (the planner would scan it and test every tsvector for a
        # common word: ~3x slower).
        index_only = table == SAMPLE_TABLE and "@@" in base
        if index_only:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"SELECT GROUPING({', '.join(columns)}), {', '.join(columns)}, count(*), "
            f"{', '.join(counts)} FROM {table} WHERE {base} GROUP BY GROUPING SETS ((), {sets})",
            [*params, *base_params],
        )
        rows = cursor.fetchall()
        if index_only:
            cursor.execute("SET LOCAL enable_seqscan = on")
        matched = total = 0
        out: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
        width = len(columns)
        for row in rows:
            grouping, values, count, per_filter = (
                row[0],
                row[1 : 1 + width],
                row[1 + width],
                row[2 + width :],
            )
            if grouping == (1 << width) - 1:  # the () set: every row
                matched, total = int(count), int(per_filter[0]) * scale
                continue
            # GROUPING() has a 0 bit for the one column grouped by.
            position = next(i for i in range(width) if not grouping & (1 << (width - 1 - i)))
            facet = FACETS[position]
            value, number = values[position], int(per_filter[1 + position]) * scale
            if not number:
                continue
            for item in value if isinstance(value, list) else [value]:
                if item:
                    out[facet][item] = out[facet].get(item, 0) + number
        return (
            matched,
            total,
            {
                facet: sorted(pairs.items(), key=lambda pair: (-pair[1], pair[0]))
                for facet, pairs in out.items()
            },
        )

    def _page(
        self,
        cursor: Any,
        request: SearchRequest,
        tsquery: str,
        where: str,
        params: list[Any],
        *,
        exact: bool,
    ) -> list[int]:
        if request.limit == 0:
            return []
        newest = "modified DESC, dataset_id DESC"
        if exact:
            # At most MAX_RESULT_WINDOW rows: take them all through the GIN
            # index, then sort (the planner may otherwise walk the modified
            # index for a rare word, expecting it to be common).
            order = newest
            if request.sort == "relevance" and tsquery:
                order = f"ts_rank(document, %s::tsquery) DESC, {newest}"
            document = ", document" if "%s" in order else ""
            sql = (
                f"WITH m AS MATERIALIZED (SELECT dataset_id, modified{document} FROM {TABLE} "
                f"WHERE {where}) SELECT dataset_id FROM m ORDER BY {order}"
            )
            args = [*params, tsquery] if "%s" in order else [*params]
        elif request.sort == "modified" or not tsquery:
            sql = f"SELECT dataset_id FROM {TABLE} WHERE {where} ORDER BY {newest}"
            args = [*params]
        else:
            if request.offset >= RELEVANCE_CANDIDATES:
                return []
            sql = (
                "SELECT dataset_id FROM (SELECT dataset_id, modified, "
                f"ts_rank(document, %s::tsquery) AS rank FROM {TABLE} WHERE {where} "
                f"LIMIT {RELEVANCE_CANDIDATES}) AS c ORDER BY rank DESC, {newest}"
            )
            args = [tsquery, *params]
        cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*args, request.limit, request.offset])
        return [int(row[0]) for row in cursor.fetchall()]


def _row(doc: SearchDocument) -> list[Any]:
    return [
        doc.id,
        doc.id % SAMPLE_BUCKETS,
        doc.withdrawn,
        doc.modified,
        doc.publisher,
        list(doc.themes),
        list(doc.formats),
        doc.license,
        doc.access_rights,
        [facet_key(facet, value) for facet in FACETS for value in doc.facet_values(facet)],
    ]


def facet_key(facet: str, value: str) -> str:
    """The facet value as a key in facet_keys: short values as they are,
    long ones (licence URIs …) by a digest."""
    prefix = FACET_KEY_PREFIX[facet]
    if len(value) <= 40:
        return f"{prefix}:{value}"
    return f"{prefix}#{hashlib.sha256(value.encode()).hexdigest()[:20]}"


class _PostgresLoader(BulkLoader):
    def __init__(self, connection: Any, staging: str):
        self.connection = connection
        self.staging = staging
        self.buffer: list[SearchDocument] = []

    def add(self, documents: Iterable[SearchDocument]) -> None:
        self.buffer.extend(documents)
        if len(self.buffer) >= 20_000:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        out = io.StringIO()
        for doc in self.buffer:
            fields = [*(_copy_value(v) for v in _row(doc)), *(_copy_text(t) for t in _texts(doc))]
            out.write("\t".join(fields))
            out.write("\n")
        self.buffer = []
        self.connection.ensure_connection()
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {self.staging} FROM STDIN") as copy:
                copy.write(out.getvalue())


def _copy_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\x00", "")
    )


def _copy_value(value: Any) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        items = ",".join(
            '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"' for item in value
        )
        return _copy_text("{" + items + "}")
    return _copy_text(str(value))
