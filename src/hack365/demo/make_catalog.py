"""Writes the demo catalog ``data/catalog.ttl`` (DCAT-AP-SE 3.0.1, Turtle)
from the hand-written tables in ``catalog_tables``.

The catalog is written for hack365: plausible datasets from Swedish
agencies, regions and municipalities, none of them copied from a real
catalog. The output is deterministic (the same tables always give the same
file): run ``.venv/bin/python -m hack365.demo.make_catalog`` after changing a
table and commit both.

Completeness varies on purpose, so that the quality scores differ: a
dataset's ``level`` (0 complete … 3 sparse) decides which recommended
properties it leaves out, and a few rows leave out more by hand."""

from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from hack365.organizations.validators import luhn_ok

from .catalog_tables import (
    DATASETS,
    MUNICIPALITIES,
    PUBLISHERS,
    SERVICES,
    TEMPLATES,
    Dataset,
    Service,
)

OUTPUT = Path(__file__).with_name("data") / "catalog.ttl"
BASE = "https://demo.hack365.se"
FILES = "https://data.demo.hack365.se"
EU = "http://publications.europa.eu/resource/authority"
SWEDEN = "http://sws.geonames.org/2661886/"
HVD_LEGISLATION = "http://data.europa.eu/eli/reg_impl/2023/138/oj"
LAST_DAY = date(2026, 11, 30)

PREFIXES = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

LICENCES = {
    "CC0": f"{EU}/licence/CC0",
    "BY": f"{EU}/licence/CC_BY_4_0",
    "cc-zero": "http://creativecommons.org/publicdomain/zero/1.0/",
    "cc-by": "http://creativecommons.org/licenses/by/4.0/",
    "": "",
}
PUBLISHER_TYPES = {
    "national": "http://purl.org/adms/publishertype/NationalAuthority",
    "regional": "http://purl.org/adms/publishertype/RegionalAuthority",
    "local": "http://purl.org/adms/publishertype/LocalAuthority",
    "academia": "http://purl.org/adms/publishertype/Academia-ScientificOrganisation",
}
HVD = {
    "geo": "http://data.europa.eu/bna/c_ac64a52d",
    "env": "http://data.europa.eu/bna/c_dd313021",
    "met": "http://data.europa.eu/bna/c_164e0bf5",
    "stat": "http://data.europa.eu/bna/c_e1da4e07",
    "mob": "http://data.europa.eu/bna/c_b79e35eb",
}
STANDARDS = {
    "gtfs": "https://gtfs.org/documentation/schedule/reference/",
    "gtfs-rt": "https://gtfs.org/documentation/realtime/reference/",
    "inspire": "http://data.europa.eu/eli/reg/2010/1089/oj",
    "netex": "https://netex-cen.eu/",
    "sdmx": "https://sdmx.org/?page_id=5008",
}

# kind → (title sv, title en, file name, dct:format, dcat:mediaType or "", size range)
FORMATS: dict[str, tuple[str, str, str, str, str, tuple[int, int]]] = {
    "csv": ("CSV-fil", "CSV file", "data.csv", "text/csv", "text/csv", (20_000, 40_000_000)),
    "csv-eu": (
        "CSV-fil",
        "CSV file",
        "data.csv",
        f"{EU}/file-type/CSV",
        "text/csv",
        (20_000, 20_000_000),
    ),
    "json": (
        "JSON-fil",
        "JSON file",
        "data.json",
        "application/json",
        "application/json",
        (30_000, 60_000_000),
    ),
    "geojson": (
        "GeoJSON-fil",
        "GeoJSON file",
        "data.geojson",
        "application/geo+json",
        "application/geo+json",
        (50_000, 120_000_000),
    ),
    "xlsx": (
        "Excelfil",
        "Excel file",
        "data.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "",
        (15_000, 8_000_000),
    ),
    "gpkg": (
        "GeoPackage",
        "GeoPackage",
        "data.gpkg",
        f"{EU}/file-type/GPKG",
        "application/geopackage+sqlite3",
        (5_000_000, 2_000_000_000),
    ),
    "tiff": (
        "GeoTIFF (rutor)",
        "GeoTIFF (tiles)",
        "rutor.zip",
        "image/tiff",
        "image/tiff",
        (200_000_000, 9_000_000_000),
    ),
    "shp": (
        "Shapefil (zip)",
        "Shapefile (zip)",
        "data.zip",
        "application/zip",
        "application/zip",
        (1_000_000, 400_000_000),
    ),
    "gtfs": (
        "GTFS-paket",
        "GTFS feed",
        "gtfs.zip",
        "application/zip",
        "application/zip",
        (5_000_000, 90_000_000),
    ),
    "pdf": (
        "Rapport (pdf)",
        "Report (PDF)",
        "rapport.pdf",
        "application/pdf",
        "application/pdf",
        (300_000, 12_000_000),
    ),
}


def check_tables() -> None:
    """Refuse tables that would make a broken or misleading catalog."""
    numbers = [p.orgnr for p in PUBLISHERS.values()]
    assert len(numbers) == len(set(numbers)), "two publishers share an organisation number"
    for key, publisher in PUBLISHERS.items():
        digits = publisher.orgnr.replace("-", "")
        assert len(digits) == 10 and luhn_ok(digits), f"{key}: bad organisation number"
    slugs = [(d.pub, d.slug) for d in all_datasets()]
    assert len(slugs) == len(set(slugs)), "two datasets share an IRI"
    for d in all_datasets():
        assert d.pub in PUBLISHERS, d.slug
        assert d.title_sv and d.desc_sv, d.slug
        for kind in d.dists.split():
            assert kind in FORMATS or kind in ("api", "wms"), (d.slug, kind)
            if kind in ("api", "wms"):
                assert d.service in SERVICES, (d.slug, "needs a service")


def all_datasets() -> list[Dataset]:
    """The hand-written datasets, then the municipalities' common ones."""
    found = list(DATASETS)
    for town in MUNICIPALITIES:
        for template in TEMPLATES:
            if template.key not in town.templates:
                continue
            found.append(
                Dataset(
                    pub=town.pub,
                    slug=template.key,
                    title_sv=template.title_sv.format(ort=town.town_sv),
                    title_en=template.title_en.format(ort=town.town_en) if town.english else "",
                    desc_sv=template.desc_sv.format(ort=town.town_sv, kommun=town.name_sv),
                    desc_en=template.desc_en.format(ort=town.town_en) if town.english else "",
                    keywords=template.keywords,
                    themes=template.themes,
                    freq=template.freq,
                    dists=template.dists,
                    place=town.name_sv,
                    level=town.level,
                )
            )
    return found


def iri(d: Dataset) -> str:
    return f"{BASE}/dataset/{PUBLISHERS[d.pub].path}/{d.slug}"


def publisher_iri(key: str) -> str:
    return f"http://dataportal.se/organisation/SE{PUBLISHERS[key].orgnr.replace('-', '')}"


def service_iri(key: str) -> str:
    service = SERVICES[key]
    return f"{BASE}/tjanst/{PUBLISHERS[service.pub].path}/{key}"


def contact_iri(key: str) -> str:
    return f"{BASE}/kontakt/{PUBLISHERS[key].path}"


# --- Turtle ----------------------------------------------------------------------------


def lit(text: str, lang: str = "") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


def ref(address: str) -> str:
    return f"<{address}>"


def block(subject: str, types: str, pairs: Iterable[tuple[str, str | list[str]]]) -> str:
    """A subject with its statements, one property a line."""
    lines = [f"{subject} a {types} ;"]
    for predicate, objects in pairs:
        values = objects if isinstance(objects, list) else [objects]
        values = [value for value in values if value]
        if not values:
            continue
        if len(values) == 1 or sum(len(value) for value in values) < 70:
            lines.append(f"    {predicate} {', '.join(values)} ;")
        else:
            joined = " ,\n        ".join(values)
            lines.append(f"    {predicate}\n        {joined} ;")
    lines[-1] = lines[-1][:-2] + " ."
    return "\n".join(lines) + "\n"


def _rng(d: Dataset, salt: str = "") -> random.Random:
    seed = hashlib.sha256(f"{d.pub}/{d.slug}/{salt}".encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


def level_of(d: Dataset) -> int:
    """How completely a dataset is described: 0 (everything) … 3 (sparse)."""
    if d.level is not None:
        return d.level
    draw = _rng(d, "level").random()
    return 0 if draw < 0.45 else 1 if draw < 0.75 else 2 if draw < 0.92 else 3


def _dates(d: Dataset) -> tuple[date, date]:
    rng = _rng(d, "dates")
    if d.issued:
        issued = date.fromisoformat(d.issued)
    else:
        start = date(2015, 1, 15)
        issued = start + timedelta(days=rng.randrange((date(2025, 10, 1) - start).days))
    if d.freq in ("NEVER",) or d.until:
        end = date.fromisoformat(d.until) + timedelta(days=20) if d.until else issued
        modified = min(max(issued, end), LAST_DAY)
    else:
        span = (LAST_DAY - issued).days
        # Frequently updated data was touched recently; yearly data some months ago.
        recent = {"UPDATE_CONT": 3, "HOURLY": 3, "DAILY": 5, "WEEKLY": 14, "MONTHLY": 40}
        days = recent.get(d.freq, 400)
        modified = LAST_DAY - timedelta(days=rng.randrange(min(days, max(span, 1))))
    return issued, modified


def _place(d: Dataset) -> list[str]:
    if not d.place:
        return [ref(SWEDEN)]
    return [f"[ a dct:Location ; skos:prefLabel {lit(name, 'sv')} ]" for name in d.place.split("|")]


def distribution_blocks(d: Dataset, licence: str) -> tuple[list[str], list[str]]:
    """(distribution IRIs, their Turtle blocks)."""
    rng = _rng(d, "distributions")
    refs: list[str] = []
    blocks: list[str] = []
    level = level_of(d)
    described = level < 2
    available = level == 0 or (level == 1 and rng.random() < 0.5)
    for position, kind in enumerate(d.dists.split(), start=1):
        node = ref(f"{iri(d)}/distribution/{position}")
        refs.append(node)
        pairs: list[tuple[str, str | list[str]]] = []
        if kind in ("api", "wms"):
            service = SERVICES[d.service]
            title_sv, title_en = (
                ("Via API", "Through the API") if kind == "api" else ("Karttjänst (WMS)", "WMS")
            )
            pairs += [
                ("dct:title", [lit(title_sv, "sv"), lit(title_en, "en") if d.title_en else ""]),
                ("dcat:accessURL", ref(service.endpoint)),
                ("dcat:accessService", ref(service_iri(d.service))),
                ("dct:format", lit("application/json" if kind == "api" else "WMS")),
            ]
            if kind == "api":
                pairs.append(("dcat:mediaType", ref(_iana("application/json"))))
            if described:
                text = (
                    "Frågor mot API:et ger aktuella uppgifter; se tjänstens dokumentation."
                    if kind == "api"
                    else "Visa och hämta kartbilder med WMS 1.3.0."
                )
                pairs.append(("dct:description", lit(text, "sv")))
        else:
            title_sv, title_en, file_name, fmt, media, (low, high) = FORMATS[kind]
            download = f"{FILES}/{PUBLISHERS[d.pub].path}/{d.slug}/{file_name}"
            pairs += [
                ("dct:title", [lit(title_sv, "sv"), lit(title_en, "en") if d.title_en else ""]),
                ("dcat:accessURL", ref(f"{FILES}/{PUBLISHERS[d.pub].path}/{d.slug}/")),
                ("dcat:downloadURL", ref(download)),
                ("dct:format", ref(fmt) if fmt.startswith("http") else lit(fmt)),
                ("dcat:mediaType", ref(_iana(media)) if media else ""),
                ("dcat:byteSize", typed(str(rng.randrange(low, high)), "nonNegativeInteger")),
            ]
            if described:
                pairs.append(("dct:description", lit(_file_text(kind), "sv")))
        if licence:
            pairs.append(("dct:license", ref(licence)))
        if available:
            pairs.append(("dcatap:availability", ref(f"{EU}/planned-availability/STABLE")))
        blocks.append(block(node, "dcat:Distribution", pairs))
    return refs, blocks


def _iana(media_type: str) -> str:
    return f"https://www.iana.org/assignments/media-types/{media_type}"


def _file_text(kind: str) -> str:
    return {
        "csv": "Semikolonseparerad textfil i UTF-8 med en rubrikrad.",
        "csv-eu": "Kommaseparerad textfil i UTF-8 med en rubrikrad.",
        "json": "Samma uppgifter som en lista av JSON-objekt.",
        "geojson": "Geometrier i SWEREF 99 TM och WGS 84 med attribut.",
        "xlsx": "Tabell för kalkylprogram, ett blad per år.",
        "gpkg": "Vektordata i SWEREF 99 TM.",
        "tiff": "Rutor om 2,5 × 2,5 km i SWEREF 99 TM, packade per kartblad.",
        "shp": "Shapefil i SWEREF 99 TM, packad som zip.",
        "gtfs": "Hela trafikutbudet för de kommande 30 dagarna enligt GTFS.",
        "pdf": "Metod och resultat sammanfattade i en rapport.",
    }[kind]


def dataset_block(d: Dataset) -> list[str]:
    publisher = PUBLISHERS[d.pub]
    licence = LICENCES[publisher.licence if d.licence is None else d.licence]
    if d.access != "PUBLIC" and d.licence is None:
        licence = ""
    issued, modified = _dates(d)
    rng = _rng(d, "completeness")
    level = level_of(d)
    keywords = [lit(word.strip(), "sv") for word in d.keywords.split(",") if word.strip()]
    keywords += [lit(word.strip(), "en") for word in d.keywords_en.split(",") if word.strip()]
    pairs: list[tuple[str, str | list[str]]] = [
        ("dct:title", [lit(d.title_sv, "sv"), lit(d.title_en, "en") if d.title_en else ""]),
        (
            "dct:description",
            [lit(d.desc_sv, "sv"), lit(d.desc_en, "en") if d.desc_en else ""],
        ),
        ("dct:publisher", ref(publisher_iri(d.pub))),
        ("dct:identifier", lit(f"{publisher.path}-{d.slug}") if level < 2 else ""),
        ("dcat:contactPoint", ref(contact_iri(d.pub)) if level < 3 else ""),
        ("dcat:keyword", keywords if level < 3 or rng.random() < 0.3 else []),
        (
            "dcat:theme",
            [ref(f"{EU}/data-theme/{code}") for code in d.themes.split()]
            if level < 3 or rng.random() < 0.5
            else [],
        ),
        ("dct:issued", typed(issued.isoformat(), "date") if level < 3 else ""),
        ("dct:modified", typed(modified.isoformat(), "date") if level < 3 else ""),
        ("dct:accessRights", ref(f"{EU}/access-right/{d.access}") if level < 2 else ""),
        ("dct:spatial", _place(d) if level < 2 or rng.random() < 0.4 else []),
        (
            "dct:accrualPeriodicity",
            ref(f"{EU}/frequency/{d.freq}") if d.freq and level < 3 else "",
        ),
        ("dct:language", ref(f"{EU}/language/SWE")),
        ("dct:conformsTo", ref(STANDARDS[d.conforms]) if d.conforms else ""),
        ("dcat:landingPage", ref(f"{FILES}/{publisher.path}/{d.slug}/") if level < 3 else ""),
    ]
    if d.since:
        period = [f"dcat:startDate {typed(d.since, 'date')}"]
        if d.until:
            period.append(f"dcat:endDate {typed(d.until, 'date')}")
        pairs.append(("dct:temporal", f"[ a dct:PeriodOfTime ; {' ; '.join(period)} ]"))
    if d.hvd:
        pairs += [
            ("dcatap:applicableLegislation", ref(HVD_LEGISLATION)),
            ("dcatap:hvdCategory", ref(HVD[d.hvd])),
        ]
    refs, blocks = distribution_blocks(d, licence) if d.access != "NON_PUBLIC" else ([], [])
    pairs.append(("dcat:distribution", refs))
    return [block(ref(iri(d)), "dcat:Dataset", pairs), *blocks]


def publisher_blocks(used: set[str]) -> list[str]:
    blocks = []
    for key in sorted(used, key=lambda k: PUBLISHERS[k].name_sv):
        publisher = PUBLISHERS[key]
        blocks.append(
            block(
                ref(publisher_iri(key)),
                "foaf:Agent, foaf:Organization",
                [
                    (
                        "foaf:name",
                        [lit(publisher.name_sv, "sv"), lit(publisher.name_en, "en")]
                        if publisher.name_en
                        else [lit(publisher.name_sv, "sv")],
                    ),
                    ("dct:type", ref(PUBLISHER_TYPES[publisher.kind])),
                    ("dct:identifier", lit(publisher.orgnr)),
                    ("foaf:homepage", ref(publisher.homepage) if publisher.homepage else ""),
                ],
            )
        )
        blocks.append(
            block(
                ref(contact_iri(key)),
                "vcard:Organization",
                [
                    ("vcard:fn", lit(publisher.contact)),
                    ("vcard:hasEmail", ref(f"mailto:{publisher.email}")),
                ],
            )
        )
    return blocks


def service_blocks(datasets: list[Dataset]) -> list[str]:
    served: dict[str, list[str]] = {key: [] for key in SERVICES}
    for d in datasets:
        if d.service:
            served[d.service].append(ref(iri(d)))
    blocks = []
    for key, service in SERVICES.items():
        publisher = PUBLISHERS[service.pub]
        blocks.append(
            block(
                ref(service_iri(key)),
                "dcat:DataService",
                [
                    (
                        "dct:title",
                        [lit(service.title_sv, "sv"), lit(service.title_en, "en")],
                    ),
                    ("dct:description", lit(service.desc_sv, "sv")),
                    ("dct:publisher", ref(publisher_iri(service.pub))),
                    ("dcat:contactPoint", ref(contact_iri(service.pub))),
                    ("dcat:endpointURL", ref(service.endpoint)),
                    ("dcat:endpointDescription", ref(_endpoint_description(service))),
                    ("dct:format", lit("application/json" if service.kind == "api" else "WMS")),
                    ("dct:license", ref(LICENCES[publisher.licence]) if publisher.licence else ""),
                    ("dct:accessRights", ref(f"{EU}/access-right/PUBLIC")),
                    ("dcat:servesDataset", sorted(served[key])),
                ],
            )
        )
    return blocks


def _endpoint_description(service: Service) -> str:
    if service.kind == "api":
        return f"{service.endpoint.rstrip('/')}/openapi.json"
    return f"{service.endpoint}?service=WMS&request=GetCapabilities"


def catalog_text() -> str:
    check_tables()
    datasets = all_datasets()
    used = {d.pub for d in datasets} | {s.pub for s in SERVICES.values()}
    parts = [
        "# hack365 demo catalog (DCAT-AP-SE 3.0.1), written for the project's demo.\n"
        "# Generated by src/hack365/demo/make_catalog.py - edit the tables, not this file.\n"
        "# The organisations are real; the datasets, addresses and figures are made up.\n",
        PREFIXES,
        block(
            ref(f"{BASE}/katalog"),
            "dcat:Catalog",
            [
                (
                    "dct:title",
                    [lit("Demokatalog för hack365", "sv"), lit("hack365 demo catalog", "en")],
                ),
                (
                    "dct:description",
                    [
                        lit(
                            "Påhittade men rimliga datamängder från svenska myndigheter, regioner "
                            "och kommuner, för att visa hur hack365 kopplar öppna data till "
                            "samhällsutmaningar.",
                            "sv",
                        ),
                        lit(
                            "Made-up but plausible datasets from Swedish agencies, regions and "
                            "municipalities, showing how hack365 links open data to societal "
                            "challenges.",
                            "en",
                        ),
                    ],
                ),
                ("dct:publisher", ref(f"{BASE}/organisation/hack365")),
                ("dct:license", ref(LICENCES["cc-zero"])),
                ("dct:language", [ref(f"{EU}/language/SWE"), ref(f"{EU}/language/ENG")]),
                ("dct:issued", typed("2026-01-12", "date")),
                ("dct:modified", typed(LAST_DAY.isoformat(), "date")),
                ("dct:spatial", ref(SWEDEN)),
                ("foaf:homepage", ref(f"{BASE}/")),
                ("dcat:themeTaxonomy", ref(f"{EU}/data-theme")),
                ("dcat:dataset", sorted(ref(iri(d)) for d in datasets)),
                ("dcat:service", sorted(ref(service_iri(key)) for key in SERVICES)),
            ],
        ),
        block(
            ref(f"{BASE}/organisation/hack365"),
            "foaf:Agent, foaf:Organization",
            [
                ("foaf:name", lit("hack365", "sv")),
                ("dct:type", ref("http://purl.org/adms/publishertype/NationalAuthority")),
            ],
        ),
        *publisher_blocks(used),
        *service_blocks(datasets),
    ]
    for d in datasets:
        parts.extend(dataset_block(d))
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    text = catalog_text()
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {len(all_datasets())} datasets to {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
