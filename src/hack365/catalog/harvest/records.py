"""What the mappers return: plain, immutable records with no ORM in them.

A record knows its canonical form (a JSON-ready dict with sorted, de-duplicated
values) and a SHA-256 of its content (``dataset_hash``), which is what the
store compares to tell an unchanged record from a changed one."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# {language: text}; "" is the key of an untagged literal.
LangText = dict[str, str]
# {language: [words]}
LangWords = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class PublisherRecord:
    key: str  # the publisher's IRI, or "identifier:<id>", or "name:<name>"
    name: LangText = field(default_factory=dict)
    organisation_number: str = ""  # NNNNNN-NNNN when derivable

    def canonical(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "orgnr": self.organisation_number}


@dataclass(frozen=True, slots=True)
class DistributionRecord:
    iri: str = ""
    title: LangText = field(default_factory=dict)
    description: LangText = field(default_factory=dict)
    access_url: str = ""
    download_url: str = ""
    format: str = ""  # short name: CSV, JSON, …
    media_type: str = ""  # IANA media type: text/csv, …
    license_uri: str = ""
    byte_size: int | None = None
    availability: str = ""

    def canonical(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "title": self.title,
            "description": self.description,
            "access_url": self.access_url,
            "download_url": self.download_url,
            "format": self.format,
            "media_type": self.media_type,
            "license": self.license_uri,
            "byte_size": self.byte_size,
            "availability": self.availability,
        }


@dataclass(frozen=True, slots=True)
class DatasetRecord:
    key: str
    iri: str = ""
    identifier: str = ""
    title: LangText = field(default_factory=dict)
    description: LangText = field(default_factory=dict)
    keywords: LangWords = field(default_factory=dict)
    publisher: PublisherRecord | None = None
    contact_point: dict[str, str] = field(default_factory=dict)
    themes: tuple[str, ...] = ()  # EU data-theme codes: ENVI, TRAN, …
    license_uri: str = ""
    access_rights: str = ""
    issued: str = ""  # ISO 8601 datetime in UTC, or ""
    modified: str = ""
    landing_page: str = ""
    spatial: tuple[str, ...] = ()
    temporal: dict[str, str] = field(default_factory=dict)  # {"start": …, "end": …}
    frequency: str = ""
    conforms_to: tuple[str, ...] = ()
    distributions: tuple[DistributionRecord, ...] = ()

    @property
    def formats(self) -> list[str]:
        return sorted({d.format for d in self.distributions if d.format})

    def canonical(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "iri": self.iri,
            "identifier": self.identifier,
            "title": self.title,
            "description": self.description,
            "keywords": self.keywords,
            "publisher": self.publisher.canonical() if self.publisher else None,
            "contact_point": self.contact_point,
            "themes": list(self.themes),
            "license": self.license_uri,
            "access_rights": self.access_rights,
            "issued": self.issued,
            "modified": self.modified,
            "landing_page": self.landing_page,
            "spatial": list(self.spatial),
            "temporal": self.temporal,
            "frequency": self.frequency,
            "conforms_to": list(self.conforms_to),
            "distributions": [d.canonical() for d in self.distributions],
        }

    def content_hash(self) -> str:
        return dataset_hash(
            self,
            to_json(self.title),
            to_json(self.description),
            to_json(self.keywords),
            to_json(self.contact_point),
            to_json(list(self.spatial)),
            to_json(self.temporal),
            [(to_json(d.title), to_json(d.description)) for d in self.distributions],
        )


def dataset_hash(
    record: DatasetRecord,
    title: str,
    description: str,
    keywords: str,
    contact_point: str,
    spatial: str,
    temporal: str,
    distributions: list[tuple[str, str]],
) -> str:
    """The SHA-256 of everything a record holds (what the store compares),
    with its mapping-valued fields given as JSON (``to_json``: the store
    computes them once for both). The values are joined with NUL, which no
    stored text holds (PostgreSQL refuses it in text) and JSON escapes."""
    publisher = record.publisher
    parts = [
        record.key,
        record.iri,
        record.identifier,
        title,
        description,
        keywords,
        publisher.key if publisher else "",
        to_json(publisher.name) if publisher else "",
        publisher.organisation_number if publisher else "",
        contact_point,
        " ".join(record.themes),
        record.license_uri,
        record.access_rights,
        record.issued,
        record.modified,
        record.landing_page,
        spatial,
        temporal,
        record.frequency,
        to_json(list(record.conforms_to)),
        str(len(record.distributions)),
    ]
    for d, (d_title, d_description) in zip(record.distributions, distributions, strict=True):
        parts += [
            d.iri,
            d_title,
            d_description,
            d.access_url,
            d.download_url,
            d.format,
            d.media_type,
            d.license_uri,
            "" if d.byte_size is None else str(d.byte_size),
            d.availability,
        ]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class DataServiceRecord:
    key: str
    title: LangText = field(default_factory=dict)
    description: LangText = field(default_factory=dict)
    endpoint_url: str = ""
    endpoint_description: str = ""
    publisher: PublisherRecord | None = None
    license_uri: str = ""
    serves_datasets: tuple[str, ...] = ()  # dataset keys

    def canonical(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "description": self.description,
            "endpoint_url": self.endpoint_url,
            "endpoint_description": self.endpoint_description,
            "publisher": self.publisher.canonical() if self.publisher else None,
            "license": self.license_uri,
            "serves": list(self.serves_datasets),
        }

    def content_hash(self) -> str:
        return canonical_hash(self.canonical())


@dataclass(frozen=True, slots=True)
class RecordFailure:
    """A record that could not be mapped; ``key`` is whatever identifies it
    best (possibly a blank-node label) so that the job report can name it."""

    key: str
    error: str


# Compact JSON with sorted keys: json.dumps without its per-call set-up (the
# C encoder, made once).
_encode_json: Callable[[Any, int], Any] = json.encoder.c_make_encoder(  # type: ignore[attr-defined]
    None, None, json.encoder.encode_basestring, None, ":", ",", True, False, True
)


def to_json(value: Any) -> str:
    if not value and isinstance(value, dict | list | tuple):
        return "{}" if isinstance(value, dict) else "[]"
    return "".join(_encode_json(value, 0))


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def canonical_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
