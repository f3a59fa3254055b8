"""Datasets as search documents (read from the database in chunks)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from hack365.catalog.models import Dataset

from .base import MAX_FILTER_VALUE_CHARS, SearchDocument, chunked
from .text import fold

MAX_FIELD_CHARS = 20_000  # of one text field in one language
CHUNK = 1000

_FIELDS = (
    "id",
    "title",
    "description",
    "keywords",
    "publisher_id",
    "license_uri",
    "access_rights",
    "modified",
    "issued",
    "formats",
    "withdrawn",
)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return " ".join(str(item) for item in value if item)
    return ""


def _by_language(values: Any) -> dict[str, str]:
    """{"sv": …, "en": …}: English goes to "en", Swedish and every other
    language to "sv", untagged text to both."""
    out: dict[str, list[str]] = defaultdict(list)
    if isinstance(values, Mapping):
        for lang, value in values.items():
            text = _as_text(value).strip()
            if not text:
                continue
            code = str(lang).lower()[:2]
            targets = ("sv", "en") if code == "" else ("en",) if code == "en" else ("sv",)
            for target in targets:
                out[target].append(text)
    elif isinstance(values, str | list) and _as_text(values).strip():
        out["sv"].append(_as_text(values))
        out["en"].append(_as_text(values))
    return {lang: fold(" \n".join(parts))[:MAX_FIELD_CHARS] for lang, parts in out.items()}


def _timestamp(value: datetime | None) -> int:
    return int(value.timestamp()) if value else 0


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _values(values: Iterable[Any]) -> tuple[str, ...]:
    seen: list[str] = []
    for value in values:
        text = _CONTROL.sub("", str(value)).strip()[:MAX_FILTER_VALUE_CHARS] if value else ""
        if text and text not in seen:
            seen.append(text)
    return tuple(seen)


def document_from_row(row: Mapping[str, Any], themes: Iterable[str]) -> SearchDocument:
    titles = _by_language(row["title"])
    keywords = _by_language(row["keywords"])
    descriptions = _by_language(row["description"])
    texts = {
        lang: (titles.get(lang, ""), keywords.get(lang, ""), descriptions.get(lang, ""))
        for lang in ("sv", "en")
        if lang in titles or lang in keywords or lang in descriptions
    }
    formats = row["formats"] if isinstance(row["formats"], list) else []
    return SearchDocument(
        id=row["id"],
        texts=texts,
        publisher=str(row["publisher_id"]) if row["publisher_id"] else "",
        themes=_values(sorted(themes)),
        formats=_values(formats),
        license=_values([row["license_uri"]])[0] if row["license_uri"] else "",
        access_rights=_values([row["access_rights"]])[0] if row["access_rights"] else "",
        modified=_timestamp(row["modified"] or row["issued"]),
        withdrawn=bool(row["withdrawn"]),
    )


def documents_for(ids: Iterable[int]) -> Iterator[SearchDocument]:
    """The search documents of the datasets with these ids that exist."""
    for chunk in chunked(ids, CHUNK):
        yield from _documents(Dataset.objects.filter(id__in=chunk))


def all_documents() -> Iterator[SearchDocument]:
    """Every dataset, in id order, a chunk at a time (keyset pagination)."""
    last = 0
    while True:
        documents = list(_documents(Dataset.objects.filter(id__gt=last).order_by("id")[:CHUNK]))
        if not documents:
            return
        yield from documents
        last = documents[-1].id


def _documents(queryset: Any) -> Iterator[SearchDocument]:
    rows = list(queryset.values(*_FIELDS))
    if not rows:
        return
    themes: dict[int, list[str]] = defaultdict(list)
    through = Dataset.themes.through.objects.filter(dataset_id__in=[row["id"] for row in rows])
    for dataset_id, code in through.values_list("dataset_id", "datatheme_id"):
        themes[dataset_id].append(code)
    for row in rows:
        yield document_from_row(row, themes.get(row["id"], []))
