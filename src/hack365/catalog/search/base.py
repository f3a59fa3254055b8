"""What both search backends share: the document they index, the parsed
request and the result."""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Literal

FACETS: tuple[str, ...] = ("publisher", "theme", "format", "license", "access_rights")
Sort = Literal["relevance", "modified"]

# No result beyond this position is ever returned (page * page_size); past it
# people refine the search. Both backends count exactly up to here at least.
MAX_RESULT_WINDOW = 10_000
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 50  # per facet
MAX_FILTER_VALUE_CHARS = 500


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """One dataset as the index sees it. ``texts`` maps a language ("sv",
    "en") to (title, keywords, description), already accent-folded."""

    id: int
    texts: Mapping[str, tuple[str, str, str]]
    publisher: str = ""  # publisher primary key as text, "" when none
    themes: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    license: str = ""
    access_rights: str = ""
    modified: int = 0  # Unix seconds; 0 when unknown (sorts last)
    withdrawn: bool = False

    def facet_values(self, facet: str) -> tuple[str, ...]:
        if facet == "theme":
            return self.themes
        if facet == "format":
            return self.formats
        value = {
            "publisher": self.publisher,
            "license": self.license,
            "access_rights": self.access_rights,
        }[facet]
        return (value,) if value else ()


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A validated request: ``words`` from text.query_words, filters only for
    known facets, page within the result window."""

    words: tuple[str, ...]
    filters: Mapping[str, tuple[str, ...]]
    sort: Sort
    offset: int
    limit: int
    language: str
    include_withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One page of dataset ids, best first.

    ``total`` is the number of matches when ``total_is_exact``; otherwise the
    search matched more than ``total`` datasets (show "more than 10 000") —
    only the PostgreSQL backend does that, for very large result sets.
    ``facets`` maps each facet to (value, count) pairs, largest first; a
    facet's counts apply the other facets' filters but not its own, so the
    values it shows are the alternatives one can add (OR) to the selection.
    When ``facets_are_exact`` is false the counts are estimates from a sample
    (show "about"). ``max_page`` is the last page that can be asked for."""

    ids: list[int]
    total: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    total_is_exact: bool = True
    facets_are_exact: bool = True
    page: int = 1
    page_size: int = 20

    @property
    def max_page(self) -> int:
        reachable = min(self.total, MAX_RESULT_WINDOW)
        return max(1, -(-reachable // self.page_size))


class SearchBackend(abc.ABC):
    name: str

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResult: ...

    @abc.abstractmethod
    def write(self, documents: Iterable[SearchDocument], remove_ids: Iterable[int] = ()) -> None:
        """Add or replace ``documents`` and remove ``remove_ids``, at once."""

    @abc.abstractmethod
    def bulk_loader(self) -> AbstractContextManager[BulkLoader]:
        """Replace the whole index with what is added to the returned loader;
        readers keep seeing the old index until the block ends without error."""

    @abc.abstractmethod
    def count(self) -> int:
        """Documents in the index (withdrawn ones included)."""


class BulkLoader(abc.ABC):
    @abc.abstractmethod
    def add(self, documents: Iterable[SearchDocument]) -> None: ...


def chunked(values: Iterable[int], size: int) -> Iterator[list[int]]:
    chunk: list[int] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
