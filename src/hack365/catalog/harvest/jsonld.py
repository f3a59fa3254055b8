"""JSON-LD without the network: remote ``@context`` references are replaced
by the project's own definitions of the well-known DCAT-AP contexts; any
other remote context fails the document with a clear error. Nothing is ever
fetched while parsing."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from .errors import HarvestError

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"

# Prefixes that SEMIC's examples context adds (the DCAT-AP 3 example files
# name it by URL).
_EXAMPLE_PREFIXES = {
    "example": "https://data.gov.gr/",
    "example-ds": "https://data.gov.gr/id/dataset/",
    "example-cat": "https://data.gov.gr/id/catalog/",
    "example-ser": "https://data.gov.gr/id/datasetseries/",
    "example-ag": "https://agencies.gov.gr/id/",
}

_SEMIC = (
    "semiceu.github.io/DCAT-AP/releases/",
    "semiceu.github.io/uri.semic.eu-generated/DCAT-AP/releases/",
)
_DCAT_AP_VERSIONS = ("2.0.0", "2.0.1", "2.1.0", "2.1.1", "3.0.0", "3.0.1")


def _known_urls() -> dict[str, str]:
    """URL without scheme → which local definition answers it."""
    known: dict[str, str] = {}
    for base in _SEMIC:
        for version in _DCAT_AP_VERSIONS:
            known[f"{base}{version}/context/dcat-ap.jsonld"] = "dcat-ap"
            known[f"{base}{version}/html/examples/context.jsonld"] = "examples"
    known["data.europa.eu/r5r/context.jsonld"] = "dcat-ap"
    return known


KNOWN_CONTEXTS = _known_urls()


@cache
def _dcat_ap_context() -> dict[str, Any]:
    document = json.loads((CONTEXT_DIR / "dcat-ap.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert isinstance(context, dict)
    return context


def local_context(url: str) -> dict[str, Any] | None:
    """The project's definition of a well-known context URL, or None."""
    bare = url.strip().split("://", 1)[-1].split("#", 1)[0]
    name = KNOWN_CONTEXTS.get(bare)
    if name is None:
        return None
    context = dict(_dcat_ap_context())
    if name == "examples":
        context.update(_EXAMPLE_PREFIXES)
    return context


def _resolve(value: Any, depth: int = 0) -> Any:
    """A context value with every URL reference replaced by its local definition."""
    if depth > 20:
        raise HarvestError(_("The JSON-LD contexts are nested too deeply."))
    if isinstance(value, str):
        context = local_context(value)
        if context is None:
            raise HarvestError(
                _(
                    "The JSON-LD document refers to the remote context %(url)s. Remote "
                    "contexts are never fetched; only the DCAT-AP contexts are known. "
                    "Put the context inside the document instead."
                )
                % {"url": value[:300]}
            )
        return context
    if isinstance(value, list):
        return [_resolve(item, depth + 1) for item in value]
    if isinstance(value, dict):
        resolved: dict[str, Any] = {}
        imported = value.get("@import")
        if isinstance(imported, str):
            resolved.update(_resolve(imported, depth + 1))
        for key, item in value.items():
            if key == "@import":
                continue
            if isinstance(item, dict):
                resolved[key] = {
                    k: (_resolve(v, depth + 1) if k == "@context" else v) for k, v in item.items()
                }
            else:
                resolved[key] = item
        return resolved
    return value


def _walk(node: Any, depth: int = 0) -> Any:
    if depth > 200:
        raise HarvestError(_("The JSON-LD document is nested too deeply."))
    if isinstance(node, dict):
        return {
            key: (_resolve(value) if key == "@context" else _walk(value, depth + 1))
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_walk(item, depth + 1) for item in node]
    return node


def resolve_contexts(document: Any) -> Any:
    """``document`` (parsed JSON) with its remote contexts made local."""
    return _walk(document)


def is_jsonld(document: Any) -> bool:
    """Whether parsed JSON looks like JSON-LD rather than plain JSON."""
    if isinstance(document, dict):
        return any(key in document for key in ("@context", "@graph", "@id", "@type"))
    if isinstance(document, list) and document:
        return all(isinstance(item, dict) for item in document) and any(
            "@id" in item or "@type" in item or "@context" in item for item in document
        )
    return False
