"""Metadata quality: a score from 0 to 100 for how completely a dataset is
described by DCAT-AP-SE 3.0.1's mandatory and recommended properties, and
the list of what is missing.

Mandatory properties weigh 3, recommended ones 1. A distribution property
counts by the share of distributions that have it (and is listed as missing
when any lacks it); a dataset without distributions gets nothing for them.
Pure functions: no database, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hack365.catalog.harvest.records import DatasetRecord, DistributionRecord

MANDATORY = 3
RECOMMENDED = 1

# Property → label shown on the dataset page beside "missing".
PROPERTY_LABELS: dict[str, Promise] = {
    "dct:title": _("title"),
    "dct:description": _("description"),
    "dct:publisher": _("publisher"),
    "dcat:contactPoint": _("contact point"),
    "dcat:keyword": _("keywords"),
    "dcat:theme": _("theme"),
    "dct:issued": _("date of publication"),
    "dct:conformsTo": _("conforms to a standard"),
    "dct:spatial": _("geographical coverage"),
    "dct:temporal": _("time period covered"),
    "dct:accessRights": _("access rights"),
    "dcat:distribution": _("distributions"),
    "dcat:distribution/dcat:accessURL": _("access address of every distribution"),
    "dcat:distribution/dct:format": _("format of every distribution"),
    "dcat:distribution/dct:description": _("description of every distribution"),
    "dcat:distribution/dct:license": _("licence of every distribution"),
    "dcat:distribution/dcatap:availability": _("availability of every distribution"),
}

_DATASET_PROPERTIES: tuple[tuple[str, int], ...] = (
    ("dct:title", MANDATORY),
    ("dct:description", MANDATORY),
    ("dct:publisher", MANDATORY),
    ("dcat:contactPoint", RECOMMENDED),
    ("dcat:keyword", RECOMMENDED),
    ("dcat:theme", RECOMMENDED),
    ("dct:issued", RECOMMENDED),
    ("dct:conformsTo", RECOMMENDED),
    ("dct:spatial", RECOMMENDED),
    ("dct:temporal", RECOMMENDED),
    ("dct:accessRights", RECOMMENDED),
    ("dcat:distribution", RECOMMENDED),
)
_DISTRIBUTION_PROPERTIES: tuple[tuple[str, int], ...] = (
    ("dcat:distribution/dcat:accessURL", MANDATORY),
    ("dcat:distribution/dct:format", MANDATORY),
    ("dcat:distribution/dct:description", RECOMMENDED),
    ("dcat:distribution/dct:license", RECOMMENDED),
    ("dcat:distribution/dcatap:availability", RECOMMENDED),
)
TOTAL_WEIGHT = sum(w for _p, w in _DATASET_PROPERTIES + _DISTRIBUTION_PROPERTIES)


@dataclass(frozen=True)
class Quality:
    score: int  # 0–100
    missing: list[str]  # property names, in the order of the profile


def _dataset_has(record: DatasetRecord, prop: str) -> bool:
    match prop:
        case "dct:title":
            return any(record.title.values())
        case "dct:description":
            return any(record.description.values())
        case "dct:publisher":
            return record.publisher is not None
        case "dcat:contactPoint":
            return bool(record.contact_point)
        case "dcat:keyword":
            return any(record.keywords.values())
        case "dcat:theme":
            return bool(record.themes)
        case "dct:issued":
            return bool(record.issued)
        case "dct:conformsTo":
            return bool(record.conforms_to)
        case "dct:spatial":
            return bool(record.spatial)
        case "dct:temporal":
            return bool(record.temporal)
        case "dct:accessRights":
            return bool(record.access_rights)
        case "dcat:distribution":
            return bool(record.distributions)
    raise ValueError(prop)


def _distribution_has(distribution: DistributionRecord, prop: str) -> bool:
    match prop:
        case "dcat:distribution/dcat:accessURL":
            return bool(distribution.access_url or distribution.download_url)
        case "dcat:distribution/dct:format":
            return bool(distribution.format or distribution.media_type)
        case "dcat:distribution/dct:description":
            return any(distribution.description.values())
        case "dcat:distribution/dct:license":
            return bool(distribution.license_uri)
        case "dcat:distribution/dcatap:availability":
            return bool(distribution.availability)
    raise ValueError(prop)


def dataset_quality(record: DatasetRecord) -> Quality:
    """The score and the missing properties of one dataset record."""
    earned = 0.0
    missing: list[str] = []
    for prop, weight in _DATASET_PROPERTIES:
        if _dataset_has(record, prop):
            earned += weight
        else:
            missing.append(prop)
    distributions = record.distributions
    for prop, weight in _DISTRIBUTION_PROPERTIES:
        if not distributions:
            continue  # "dcat:distribution" is already listed as missing
        having = sum(1 for d in distributions if _distribution_has(d, prop))
        earned += weight * having / len(distributions)
        if having < len(distributions):
            missing.append(prop)
    return Quality(score=round(100 * earned / TOTAL_WEIGHT), missing=missing)


def missing_labels(missing: list[str]) -> list[str]:
    """Readable names of missing properties, in the active language."""
    return [str(PROPERTY_LABELS.get(prop, prop)) for prop in missing]
