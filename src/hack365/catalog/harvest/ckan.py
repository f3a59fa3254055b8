"""CKAN → records: pure functions over the package dicts of CKAN's action API
(``package_search``, ``package_show``, ``current_package_list_with_resources``),
including the fields and extras that ckanext-dcat and ckanext-scheming add,
and the older "DCAT JSON" lists (title, description, distribution …)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from . import values as v
from .dcat import dataset_key
from .errors import HarvestError, RecordError
from .records import DatasetRecord, DistributionRecord, LangText, PublisherRecord, RecordFailure


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def _lang_text(value: Any, limit: int, *, html: bool = False) -> LangText:
    """A CKAN text: a plain string (untagged) or {language: text} (scheming)."""
    items = value.items() if isinstance(value, dict) else [("", value)]
    result: LangText = {}
    for lang, text in sorted((str(k), _text(t)) for k, t in items)[: v.MAX_LANGUAGES]:
        clean = v.html_to_text(text) if html else " ".join(text.split())
        if clean:
            result[v.language_key(lang)] = v.clip(clean, limit)
    return result


def _extras(package: dict[str, Any]) -> dict[str, str]:
    extras: dict[str, str] = {}
    raw = package.get("extras")
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                extras[item["key"]] = _text(item.get("value"))
    elif isinstance(raw, dict):
        extras = {str(k): _text(val) for k, val in raw.items()}
    return extras


def _list(value: Any) -> list[Any]:
    """A list from a list, a JSON-encoded list (as extras hold them) or one value."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.startswith("["):
        try:
            decoded = json.loads(value)
        except ValueError:
            return [value]
        return decoded if isinstance(decoded, list) else [decoded]
    return [value]


def _first(*candidates: Any) -> str:
    for candidate in candidates:
        text = _text(candidate)
        if text:
            return text
    return ""


def _publisher(
    package: dict[str, Any], extras: dict[str, str], site_url: str
) -> PublisherRecord | None:
    for item in _list(package.get("publisher")):
        if isinstance(item, dict):
            name = _text(item.get("name"))
            uri = _first(item.get("uri"), item.get("url") if not name else None)
            identifier = _text(item.get("identifier"))
            key = uri if uri.startswith(("http://", "https://")) else ""
            key = key or (identifier and f"identifier:{identifier}") or (name and f"name:{name}")
            if key and len(key) <= v.MAX_KEY:
                return PublisherRecord(
                    key=key,
                    name={"": v.clip(name, 500)} if name else {},
                    organisation_number=v.organisation_number_in(uri, identifier),
                )
    uri = extras.get("publisher_uri", "")
    name = extras.get("publisher_name", "")
    if uri or name:
        key = uri or f"name:{name}"
        if len(key) <= v.MAX_KEY:
            return PublisherRecord(
                key=key,
                name={"": v.clip(name, 500)} if name else {},
                organisation_number=v.organisation_number_in(
                    uri, extras.get("publisher_identifier", "")
                ),
            )
    organization = package.get("organization")
    if isinstance(organization, dict):
        org_name = _text(organization.get("name"))
        title = _lang_text(organization.get("title") or org_name, 500)
        if org_name:
            key = f"{site_url}/organization/{org_name}" if site_url else f"name:{org_name}"
            return PublisherRecord(key=v.clip(key, v.MAX_KEY), name=title)
    return None


def _contact(package: dict[str, Any], extras: dict[str, str]) -> dict[str, str]:
    for item in _list(package.get("contact")):
        if isinstance(item, dict):
            contact = {
                key: v.clip(_text(item.get(source)), 500)
                for key, source in (("name", "name"), ("email", "email"), ("url", "url"))
                if _text(item.get(source))
            }
            if contact:
                return contact
    name = _first(extras.get("contact_name"), package.get("maintainer"), package.get("author"))
    email = _first(
        extras.get("contact_email"), package.get("maintainer_email"), package.get("author_email")
    )
    contact = {}
    if name:
        contact["name"] = v.clip(name, 500)
    if email:
        contact["email"] = v.clip(email.removeprefix("mailto:"), 254)
    return contact


def _license(package: dict[str, Any]) -> str:
    url = _first(package.get("license_url"), package.get("license"))
    if url:
        return v.normalize_license(url)
    return v.clip(_first(package.get("license_id"), package.get("license_title")), v.MAX_SHORT)


def distribution_from_ckan(resource: dict[str, Any]) -> DistributionRecord:
    """A CKAN resource (or a DCAT JSON distribution) → a distribution."""
    access = v.clean_url(
        _first(resource.get("access_url"), resource.get("accessURL"), resource.get("url"))
    )
    download = v.clean_url(_first(resource.get("download_url"), resource.get("downloadURL")))
    fmt, media = v.format_of(_first(resource.get("format")))
    mimetype = v.media_type_of(_first(resource.get("mimetype"), resource.get("mediaType")))
    media = media or mimetype
    if not fmt and media:
        fmt = v.MEDIA_TO_FORMAT.get(media, "")
    size_text = _first(resource.get("size"), resource.get("byteSize"))
    try:
        size: int | None = int(float(size_text)) if size_text else None
    except (ValueError, OverflowError):
        size = None
    if size is not None and not 0 <= size < 2**63:
        size = None
    return DistributionRecord(
        iri=v.clean_url(_first(resource.get("uri"))),
        title=_lang_text(_first(resource.get("name"), resource.get("title")), v.MAX_TITLE),
        description=_lang_text(resource.get("description"), v.MAX_TEXT, html=True),
        access_url=access,
        download_url=download,
        format=v.clip(fmt, 100),
        media_type=v.clip(media, 200),
        license_uri=v.normalize_license(_first(resource.get("license"))),
        byte_size=size,
        availability=v.clip(_first(resource.get("availability")), v.MAX_SHORT),
    )


def _strings(values: Iterable[Any]) -> list[str]:
    found = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("display_name") or value.get("name") or value.get("uri")
        text = _text(value)
        if text:
            found.append(text)
    return found


def dataset_from_ckan(package: dict[str, Any], *, site_url: str = "") -> DatasetRecord:
    """One CKAN package dict → a record. Keyed by its ckanext-dcat ``uri``;
    else the dataset's address on the CKAN site; else its identifier (also
    ``guid`` or the package id); else its landing page."""
    if not isinstance(package, dict):
        raise RecordError(_("The CKAN record is not an object."))
    extras = _extras(package)
    uri = v.clean_url(_first(package.get("uri"), extras.get("uri"), package.get("@id")))
    package_id = _first(package.get("id"), package.get("name"))
    if not uri and site_url and package_id:
        uri = v.clip(f"{site_url}/dataset/{package_id}", v.MAX_KEY)
    identifier = v.clip(
        _first(package.get("identifier"), extras.get("identifier"), extras.get("guid"), package_id),
        v.MAX_KEY,
    )
    landing_page = v.clean_url(
        _first(package.get("url"), package.get("landingPage"), package.get("landing_page"))
    )
    key = dataset_key(iri=uri, identifier=identifier, landing_page=landing_page)

    resources = [
        r
        for r in _list(package.get("resources") or package.get("distribution"))
        if isinstance(r, dict)
    ]
    distributions = tuple(
        sorted(
            (distribution_from_ckan(r) for r in resources[: v.MAX_DISTRIBUTIONS]),
            key=lambda d: (d.iri, d.access_url, d.download_url, d.format, str(d.title)),
        )
    )
    license_uri = _license(package)
    if not license_uri:
        counts = Counter(d.license_uri for d in distributions if d.license_uri)
        if counts:
            license_uri = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
    words = _strings(_list(package.get("tags")) + _list(package.get("keyword")))
    themes = sorted(
        {
            code
            for code in (
                v.theme_code(t)
                for t in _strings(_list(package.get("theme") or extras.get("theme")))
            )
            if code
        }
    )
    temporal: dict[str, str] = {}
    periods = [p for p in _list(package.get("temporal_coverage")) if isinstance(p, dict)]
    start = _first(periods[0].get("start") if periods else None, extras.get("temporal_start"))
    end = _first(periods[0].get("end") if periods else None, extras.get("temporal_end"))
    if start:
        temporal["start"] = v.date_part(start)
    if end:
        temporal["end"] = v.date_part(end)
    spatial = set()
    for place in _list(package.get("spatial_coverage")):
        if isinstance(place, dict):
            label = _first(place.get("uri"), place.get("text"))
            if label:
                spatial.add(v.clip(label, v.MAX_SHORT))
    if extras.get("spatial_uri"):
        spatial.add(v.clip(extras["spatial_uri"], v.MAX_SHORT))
    return DatasetRecord(
        key=key,
        iri=uri,
        identifier=identifier,
        title=_lang_text(package.get("title") or package.get("name"), v.MAX_TITLE),
        description=_lang_text(
            package.get("notes")
            if package.get("notes") is not None
            else package.get("description"),
            v.MAX_TEXT,
            html=True,
        ),
        keywords={"": sorted({v.clip(w, v.MAX_KEYWORD) for w in words})[: v.MAX_KEYWORDS]}
        if words
        else {},
        publisher=_publisher(package, extras, site_url),
        contact_point=_contact(package, extras),
        themes=tuple(themes),
        license_uri=license_uri,
        access_rights=v.clip(
            _first(package.get("access_rights"), extras.get("access_rights")), 500
        ),
        issued=v.parse_date(
            _first(package.get("issued"), extras.get("issued"), package.get("metadata_created"))
        ),
        modified=v.parse_date(
            _first(
                package.get("modified"), extras.get("modified"), package.get("metadata_modified")
            )
        ),
        landing_page=landing_page,
        spatial=tuple(sorted(spatial)[: v.MAX_LIST]),
        temporal=temporal,
        frequency=v.clip(_first(package.get("frequency"), extras.get("frequency")), v.MAX_SHORT),
        conforms_to=tuple(
            sorted(
                {
                    v.clip(s, 500)
                    for s in _strings(
                        _list(package.get("conforms_to") or extras.get("conforms_to"))
                    )
                }
            )
        )[: v.MAX_LIST],
        distributions=distributions,
    )


def _looks_like_package(item: Any) -> bool:
    return isinstance(item, dict) and (
        "resources" in item
        or "distribution" in item
        or ("title" in item and ("name" in item or "notes" in item or "identifier" in item))
    )


def ckan_packages(document: Any) -> tuple[list[Any], int | None] | None:
    """The package dicts in a CKAN API response (or a plain list of packages)
    and the total count when the response gives one; None when the JSON is
    not CKAN at all. Raises HarvestError for an API error response."""
    if (
        isinstance(document, dict)
        and "success" in document
        and ("result" in document or "error" in document)
    ):
        if document.get("success") is not True:
            error = document.get("error")
            message = error.get("message") if isinstance(error, dict) else error
            raise HarvestError(
                _("The CKAN API answered with an error: %(error)s") % {"error": str(message)[:300]}
            )
        result = document.get("result")
        if isinstance(result, dict) and isinstance(result.get("results"), list):
            count = result.get("count")
            return result["results"], count if isinstance(count, int) else None
        if isinstance(result, list):
            return result, None
        if _looks_like_package(result):
            return [result], None
        return None
    if isinstance(document, dict) and isinstance(document.get("dataset"), list):
        return document["dataset"], None  # DCAT JSON (data.json without @context)
    if isinstance(document, list) and document and all(_looks_like_package(i) for i in document):
        return document, None
    if _looks_like_package(document):
        return [document], None
    return None


def datasets_from_ckan(
    packages: Iterable[Any], *, site_url: str = ""
) -> list[DatasetRecord | RecordFailure]:
    results: list[DatasetRecord | RecordFailure] = []
    for position, package in enumerate(packages):
        try:
            results.append(dataset_from_ckan(package, site_url=site_url))
        except RecordError as error:
            name = (
                _first(package.get("name"), package.get("id")) if isinstance(package, dict) else ""
            )
            results.append(
                RecordFailure(key=v.clip(name or f"#{position + 1}", v.MAX_KEY), error=str(error))
            )
    return results
