"""The harvester as a template method (DESIGN.md convention 6, after udata).

:class:`Harvester` owns everything but the mapping: reading the file or
fetching the pages (with the limits of ``http.Fetcher``), following pages
and stopping on a repeated one, ``max_items``, dry runs, per-record status
and errors, and storing. Backends only say how a document is read, where the
next page is and how its items map to records:

- :class:`DcatRdfBackend`: DCAT-AP in Turtle, RDF/XML, JSON-LD, N-Triples,
  TriG or N-Quads, Hydra paged collections (hydra:next, hydra:nextPage);
- :class:`CkanBackend`: CKAN's action API, ``package_search`` with
  rows/start paging.

Two phases. First every page is fetched and parsed: a page that cannot be
read fails the job before anything is stored (a large document is parsed by
a forked process while this one groups its triples, see ``rdf``). Then the
items are mapped and stored batch by batch. Large harvests
(CATALOG_HARVEST_PARALLEL_FROM, 20,000 datasets) map in CATALOG_HARVEST_MAPPERS
(2) forked processes, which share the parsed pages and take the batches in
turn, while this one stores them in order: the mappers also compute the
column values (JSON, content hashes, quality), so that the batches they send
are plain tuples, cheap to pickle, and storing is little more than the
statements. Set CATALOG_HARVEST_PARALLEL_FROM to 0 to map in this process.
"""

from __future__ import annotations

import gc
import itertools
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from hack365.catalog.models import HarvestJob, HarvestSource, SourceKind

from . import ckan, dcat, rdf
from .errors import FetchRefused, HarvestError
from .http import Fetcher
from .records import DataServiceRecord, DatasetRecord, RecordFailure
from .store import Counts, PreparedItem, ProgressCallback, Store, prepare_all

RDF_ACCEPT = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.9, "
    "application/n-triples;q=0.8, application/trig;q=0.5, */*;q=0.1"
)


@dataclass
class Document:
    content: bytes
    name: str  # the file name or the address it came from
    url: str = ""  # "" for a local file
    content_type: str = ""

    @property
    def base_iri(self) -> str:
        return self.url or "file:///" + quote(Path(self.name).name or "document")


@dataclass
class Page:
    """A page read and checked, not yet mapped: its items are dataset
    subjects of an RDF index, or CKAN package dicts."""

    items: Sequence[Any]
    index: rdf.TripleIndex | None = None
    next_url: str | None = None
    # Identifies the page's content, to stop on a page seen before.
    fingerprint: str = ""
    memo: dict[Any, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    counts: Counts
    complete: bool  # every page read and nothing cut by max_items
    pages: int
    etag: str = ""
    last_modified: str = ""


class Backend:
    """Reads documents and maps their items. Subclasses set ``accept`` and
    implement :meth:`read_page` and :meth:`map_items`."""

    accept: ClassVar[str] = "*/*"

    def __init__(self, log: Callable[[str], None]) -> None:
        self.log = log

    def first_url(self, url: str) -> str:
        return url

    def read_page(self, document: Document, *, first: bool) -> Page:
        raise NotImplementedError

    def next_url(self, document: Document, page: Page) -> str | None:
        return page.next_url

    def map_items(self, page: Page, items: Sequence[Any]) -> list[DatasetRecord | RecordFailure]:
        raise NotImplementedError

    def services(self, page: Page) -> list[DataServiceRecord]:
        return []


class DcatRdfBackend(Backend):
    accept = RDF_ACCEPT

    def read_page(self, document: Document, *, first: bool) -> Page:
        fmt = rdf.detect_format(
            name=document.name, content_type=document.content_type, head=document.content[:512]
        )
        if fmt == "json":
            parsed = _json(document.content)
            if not _is_jsonld(parsed):
                raise HarvestError(_("The JSON document is not JSON-LD, so it holds no DCAT RDF."))
            fmt = "jsonld"
        index = rdf.parse_rdf(document.content, fmt, base_iri=document.base_iri)
        subjects = dcat.dataset_subjects(index)
        self.log(
            _("%(name)s: %(format)s, %(triples)s triples, %(datasets)s datasets.")
            % {
                "name": document.name[-200:],
                "format": rdf.FORMAT_NAMES[fmt],
                "triples": index.triple_count(),
                "datasets": len(subjects),
            }
        )
        if first and not subjects and not dcat.catalog_count(index):
            raise HarvestError(
                _(
                    "The document holds no dcat:Catalog and no dcat:Dataset, so it is not a "
                    "DCAT catalog (is it a vocabulary or a set of SHACL shapes?)."
                )
            )
        next_pages = dcat.next_pages(index)
        if len(next_pages) > 1:
            self.log(_("Several next pages are named; following %(url)s.") % {"url": next_pages[0]})
        return Page(
            items=subjects,
            index=index,
            next_url=next_pages[0] if next_pages else None,
            fingerprint="\n".join(s for s in subjects if not rdf.is_blank(s)),
        )

    def map_items(self, page: Page, items: Sequence[Any]) -> list[DatasetRecord | RecordFailure]:
        assert page.index is not None
        return dcat.datasets_from_rdf(page.index, items, page.memo)

    def services(self, page: Page) -> list[DataServiceRecord]:
        assert page.index is not None
        return dcat.services_from_rdf(page.index, page.memo)


class CkanBackend(Backend):
    accept = "application/json"

    def __init__(self, log: Callable[[str], None]) -> None:
        super().__init__(log)
        self.rows = int(getattr(settings, "CATALOG_HARVEST_CKAN_ROWS", 1000))
        self.site_url = ""
        self._start = 0

    def first_url(self, url: str) -> str:
        parts = urlsplit(url)
        path = parts.path.rstrip("/")
        if "/api/" in path:
            prefix = path.split("/api/", 1)[0]
        else:
            prefix = path
            path = f"{path}/api/3/action/package_search"
        self.site_url = urlunsplit((parts.scheme, parts.netloc, prefix, "", ""))
        return self._page_url(urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), 0)

    def _page_url(self, url: str, start: int) -> str:
        parts = urlsplit(url)
        query = [
            (k, val) for k, val in parse_qsl(parts.query) if k not in ("rows", "start", "sort")
        ]
        query += [("rows", str(self.rows)), ("start", str(start)), ("sort", "id asc")]
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))

    def read_page(self, document: Document, *, first: bool) -> Page:
        found = ckan.ckan_packages(_json(document.content))
        if found is None:
            raise HarvestError(
                _("The JSON document is neither a CKAN API response nor a list of CKAN datasets.")
            )
        packages, count = found
        self.log(
            _("%(name)s: CKAN, %(datasets)s datasets.")
            % {"name": document.name[-200:], "datasets": len(packages)}
        )
        next_url = None
        if document.url and packages and "package_search" in document.url:
            self._start += len(packages)
            if count is None or self._start < count:
                next_url = self._page_url(document.url, self._start)
        fingerprint = json.dumps(
            [p.get("id") or p.get("name") if isinstance(p, dict) else None for p in packages]
        )
        return Page(items=packages, next_url=next_url, fingerprint=fingerprint)

    def map_items(self, page: Page, items: Sequence[Any]) -> list[DatasetRecord | RecordFailure]:
        return ckan.datasets_from_ckan(items, site_url=self.site_url)


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError) as error:
        raise HarvestError(
            _("The document is not valid JSON: %(error)s") % {"error": str(error)[:300]}
        ) from error


def _is_jsonld(parsed: Any) -> bool:
    from .jsonld import is_jsonld

    return is_jsonld(parsed)


def backend_for_file(document: Document, log: Callable[[str], None]) -> Backend:
    """A local file: RDF, or JSON that is JSON-LD (DCAT) or CKAN."""
    fmt = rdf.detect_format(name=document.name, head=document.content[:512])
    if fmt == "json" and not _is_jsonld(_json(document.content)):
        return CkanBackend(log)
    return DcatRdfBackend(log)


BACKENDS: dict[str, type[Backend]] = {
    SourceKind.DCAT_RDF: DcatRdfBackend,
    SourceKind.CKAN: CkanBackend,
}

# --- mapping, here or in a forked process ------------------------------------------------

Work = list[tuple[Page, Sequence[Any]]]


def _batches(
    backend: Backend, work: Work, size: int, turn: int = 0, mappers: int = 1
) -> Iterator[list[PreparedItem]]:
    """Mapped batches with what the store needs computed (content hash,
    quality, column values): every ``mappers``-th batch from ``turn`` on."""
    sqlite = connection.vendor == "sqlite"
    number = -1
    for page, items in work:
        for start in range(0, len(items), size):
            number += 1
            if number % mappers != turn:
                continue
            yield prepare_all(backend.map_items(page, items[start : start + size]), sqlite=sqlite)


def _mapper(writer: Any, backend: Backend, work: Work, size: int, turn: int, mappers: int) -> None:
    """A forked mapping process: maps every ``mappers``-th batch from
    ``turn`` on and sends it, then None (or the text of an error). It never
    touches the database."""
    try:
        for batch in _batches(backend, work, size, turn, mappers):
            writer.send(batch)
        writer.send(None)
    except BaseException as error:  # noqa: BLE001 - reported to the parent
        writer.send(f"{type(error).__name__}: {error}")
    finally:
        writer.close()


def _receive(reader: Any) -> list[PreparedItem] | None:
    try:
        message = reader.recv()
    except EOFError:
        raise HarvestError(_("The mapping process stopped unexpectedly.")) from None
    if isinstance(message, str):
        raise HarvestError(_("The mapping process failed: %(error)s") % {"error": message[:500]})
    return message


def _forked_batches(
    backend: Backend, work: Work, size: int, mappers: int
) -> Iterator[list[PreparedItem]]:
    """The batches in their order, mapped by ``mappers`` forked processes in
    turn (batch i by process i % mappers), so that the result is the same as
    mapping here."""
    context = multiprocessing.get_context("fork")
    readers = []
    processes = []
    try:
        for turn in range(mappers):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(
                target=_mapper, args=(writer, backend, work, size, turn, mappers), daemon=True
            )
            process.start()
            writer.close()
            readers.append(reader)
            processes.append(process)
        for turn in itertools.cycle(range(mappers)):
            message = _receive(readers[turn])
            if message is None:
                # The first process to end had no batch for its turn, so
                # there are no more: the others end too.
                for other in readers:
                    if other is not readers[turn] and _receive(other) is not None:
                        raise HarvestError(_("The mapping process stopped unexpectedly."))
                return
            yield message
    finally:
        for reader in readers:
            reader.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


class Harvester:
    """Runs one job: read → map → store → withdraw. See the module docstring."""

    def __init__(
        self,
        *,
        job: HarvestJob,
        source: HarvestSource | None,
        file_path: str | None = None,
        max_items: int | None = None,
        dry_run: bool = False,
        progress: ProgressCallback | None = None,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.job = job
        self.source = source
        self.file_path = file_path
        self.max_items = max_items
        self.dry_run = dry_run
        self.progress = progress
        self._fetcher = fetcher
        self.lines: list[str] = []
        self.max_bytes = int(getattr(settings, "CATALOG_HARVEST_MAX_BYTES", 200 * 1024 * 1024))
        self.max_pages = int(getattr(settings, "CATALOG_HARVEST_MAX_PAGES", 10_000))
        self.batch_size = int(getattr(settings, "CATALOG_HARVEST_BATCH_SIZE", 500))
        self.parallel_from = int(getattr(settings, "CATALOG_HARVEST_PARALLEL_FROM", 20_000))
        self.mappers = max(1, int(getattr(settings, "CATALOG_HARVEST_MAPPERS", 2)))

    def log(self, line: str) -> None:
        self.lines.append(line)

    # --- reading ---------------------------------------------------------------

    def _read_file(self, path: str) -> Document:
        file = Path(path)
        try:
            size = file.stat().st_size
            if size > self.max_bytes:
                raise FetchRefused(
                    _("The file is larger than the limit of %(size)s bytes.")
                    % {"size": self.max_bytes}
                )
            return Document(content=file.read_bytes(), name=file.name)
        except OSError as error:
            raise HarvestError(
                _("Could not read the file %(name)s: %(error)s")
                % {"name": file.name, "error": error.strerror or error}
            ) from error

    def _read_upload(self, source: HarvestSource) -> Document:
        with source.file.open("rb") as handle:
            content = handle.read(self.max_bytes + 1)
        if len(content) > self.max_bytes:
            raise FetchRefused(
                _("The file is larger than the limit of %(size)s bytes.") % {"size": self.max_bytes}
            )
        return Document(content=content, name=Path(source.file.name).name)

    def _read_pages(self) -> tuple[Backend, list[Page], bool, str, str]:
        """Phase one: every page fetched, parsed and checked."""
        source = self.source
        if self.file_path or (source is not None and source.file and not source.url):
            document = (
                self._read_file(self.file_path) if self.file_path else self._read_upload(source)  # type: ignore[arg-type]
            )
            if source is not None:
                backend = BACKENDS[source.kind](self.log)
            else:
                backend = backend_for_file(document, self.log)
            page = backend.read_page(document, first=True)
            if page.next_url:
                self.log(_("The file names a next page; pages are followed only for addresses."))
            return backend, [page], True, "", ""

        assert source is not None and source.url
        backend = BACKENDS[source.kind](self.log)
        pages: list[Page] = []
        complete = True
        etag = last_modified = ""
        url: str | None = backend.first_url(source.url)
        seen_urls: set[str] = set()
        seen_pages: set[str] = set()
        items = 0
        fetcher = self._fetcher or Fetcher()
        try:
            while url:
                if url in seen_urls:
                    self.log(_("Page %(url)s was already read; paging stops.") % {"url": url})
                    break
                if len(pages) >= self.max_pages:
                    self.log(
                        _("Stopped after %(count)s pages (the limit).") % {"count": len(pages)}
                    )
                    complete = False
                    break
                seen_urls.add(url)
                first = not pages
                conditional = first and not self.dry_run
                result = fetcher.get(
                    url,
                    accept=backend.accept,
                    etag=source.etag if conditional else "",
                    last_modified=source.last_modified_header if conditional else "",
                )
                if first:
                    etag, last_modified = result.etag, result.last_modified
                document = Document(
                    content=result.content,
                    name=result.url,
                    url=result.url,
                    content_type=result.content_type,
                )
                page = backend.read_page(document, first=first)
                if page.fingerprint and page.fingerprint in seen_pages:
                    self.log(
                        _("Page %(url)s repeats an earlier page; paging stops.") % {"url": url}
                    )
                    break
                seen_pages.add(page.fingerprint)
                pages.append(page)
                items += len(page.items)
                if self.progress:
                    self.progress("fetch", len(pages), None)
                if self.max_items is not None and items >= self.max_items:
                    break
                url = backend.next_url(document, page)
        finally:
            if self._fetcher is None:
                fetcher.client.close()
        return backend, pages, complete, etag, last_modified

    # --- the template --------------------------------------------------------------

    def run(self) -> Outcome:
        """Read every page, then map and store. Raises HarvestError (nothing
        stored) or NotModified (nothing to do).

        The cyclic garbage collector is paused meanwhile: a harvest builds
        millions of small acyclic objects, and full collections over them
        cost a third of the time."""
        paused = gc.isenabled()
        gc.disable()
        try:
            return self._run()
        finally:
            if paused:
                gc.enable()

    def _run(self) -> Outcome:
        backend, pages, complete, etag, last_modified = self._read_pages()
        work: Work = []
        remaining = self.max_items
        for page in pages:
            items = page.items if remaining is None else page.items[: max(remaining, 0)]
            work.append((page, items))
            if remaining is not None:
                remaining -= len(items)
        if self.max_items is not None:
            # A limited harvest is never complete: nothing is withdrawn after it.
            complete = False
        total = sum(len(items) for _page, items in work)

        store = Store(
            job=self.job,
            source=self.source,
            dry_run=self.dry_run,
            batch_size=self.batch_size,
        )
        if 0 < self.parallel_from <= total and _can_fork():
            batches = _forked_batches(backend, work, self.batch_size, self.mappers)
        else:
            batches = _batches(backend, work, self.batch_size)
        done = 0
        for batch in batches:
            store.store_prepared(batch)
            done += len(batch)
            if self.progress:
                self.progress("store", done, total)
        services = [service for page in pages for service in backend.services(page)]
        store.store_services(services, complete=complete)
        if complete:
            store.withdraw_missing()
        return Outcome(
            counts=store.counts,
            complete=complete,
            pages=len(pages),
            etag=etag,
            last_modified=last_modified,
        )
