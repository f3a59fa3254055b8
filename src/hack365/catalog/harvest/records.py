"""What the mappers return: plain, immutable records with no ORM in them.

A record knows its canonical form (a JSON-ready dict with sorted, de-duplicated
values) and the SHA-256 of that form, which is what the store compares to tell
an unchanged record from a changed one."""

from __future__ import annotations

import hashlib
import json
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
        return canonical_hash(self.canonical())


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


_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_json(value: Any) -> str:
    return _CANONICAL.encode(value)


def canonical_hash(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
