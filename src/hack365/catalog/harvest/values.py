"""Pure helpers that turn the values real catalogs write into the forms the
catalog stores: dates, languages, HTML, formats, licences, organisation
numbers. Lenient by design: what cannot be understood becomes "" rather than
an error."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

from django.core.exceptions import ValidationError

from hack365.organizations.validators import normalize_organisation_number

# --- limits ------------------------------------------------------------------
MAX_KEY = 1000
MAX_URL = 1000
MAX_TITLE = 1000
MAX_TEXT = 20_000
MAX_KEYWORD = 200
MAX_KEYWORDS = 100
MAX_LANGUAGES = 30
MAX_SHORT = 500
MAX_LIST = 50
MAX_DISTRIBUTIONS = 500


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit]


# --- languages -----------------------------------------------------------------


_LANGUAGE_KEYS: dict[str, str] = {}


def language_key(tag: str) -> str:
    """'sv-SE' → 'sv'; '' stays '' (an untagged literal)."""
    key = _LANGUAGE_KEYS.get(tag)
    if key is None:
        key = tag.split("-", 1)[0].lower()[:8]
        if len(_LANGUAGE_KEYS) < 1000:
            _LANGUAGE_KEYS[tag] = key
    return key


# --- dates -----------------------------------------------------------------------
_ISO = re.compile(
    r"^(-?\d{4})(?:-(\d{1,2})(?:-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")


def _zone(text: str | None) -> timezone:
    if not text or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


@lru_cache(maxsize=65_536)
def parse_date(value: str) -> str:
    """Any common date or date-time → ISO 8601 in UTC ('2020-01-01T00:00:00+00:00'),
    or "" when it is not a date. Dates without a time are midnight UTC; times
    without a zone are taken as UTC. xsd:date, xsd:dateTime, xsd:gYear,
    gYearMonth, '2020-01-01 10:00', '20200101', '31.12.2020', RFC 2822."""
    text = value.strip()
    if not text or len(text) > 64:
        return ""
    moment: datetime | None = None
    try:
        match = _ISO.match(text)
        if match:
            year, month, day, hour, minute, second, _fraction, zone = match.groups()
            moment = datetime(
                int(year),
                int(month or 1),
                int(day or 1),
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
                tzinfo=_zone(zone),
            )
        elif match := _COMPACT.match(text):
            year, month, day = (int(g) for g in match.groups())
            moment = datetime(year, month, day, tzinfo=UTC)
        elif match := _DAY_FIRST.match(text):
            day_, month_, year_ = (int(g) for g in match.groups())
            moment = datetime(year_, month_, day_, tzinfo=UTC)
        elif re.search(r"[A-Za-z]{3}", text):
            moment = parsedate_to_datetime(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError, TypeError, IndexError):
        return ""
    if moment is None:
        return ""
    try:
        return moment.astimezone(UTC).isoformat()
    except (ValueError, OverflowError):
        return ""


def date_part(value: str) -> str:
    """A date for temporal coverage: '2010-01-01', or the raw text (clipped)
    when it is not a date."""
    parsed = parse_date(value)
    return parsed[:10] if parsed else clip(value.strip(), 50)


# --- HTML ------------------------------------------------------------------------
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Text with HTML tags removed and entities decoded; paragraphs become
    blank lines. Plain text passes through (whitespace tidied)."""
    if "<" not in value and "&" not in value and "\n" not in value and "\r" not in value:
        return " ".join(value.split())
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if _TAG.search(text):
        extractor = _TextExtractor()
        try:
            extractor.feed(text)
            extractor.close()
            text = "".join(extractor.parts)
        except Exception:  # noqa: BLE001 - HTMLParser is lenient; keep the text if it gives up
            text = unescape(text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    tidy = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", tidy)


# --- formats ---------------------------------------------------------------------
MEDIA_TO_FORMAT = {
    "text/csv": "CSV",
    "application/csv": "CSV",
    "application/json": "JSON",
    "application/geo+json": "GEOJSON",
    "application/vnd.geo+json": "GEOJSON",
    "application/ld+json": "JSON_LD",
    "application/xml": "XML",
    "text/xml": "XML",
    "application/rdf+xml": "RDF_XML",
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/pdf": "PDF",
    "text/html": "HTML",
    "text/plain": "TXT",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/zip": "ZIP",
    "application/gzip": "GZIP",
    "application/gml+xml": "GML",
    "application/vnd.google-earth.kml+xml": "KML",
    "application/x-shapefile": "SHP",
    "application/x-netcdf": "NETCDF",
    "application/x-parquet": "PARQUET",
    "application/vnd.apache.parquet": "PARQUET",
    "image/tiff": "TIFF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "application/sparql-results+json": "SPARQLQRES",
    "application/atom+xml": "ATOM",
    "application/rss+xml": "RSS",
    "application/yaml": "YAML",
    "application/x-yaml": "YAML",
    "text/tab-separated-values": "TSV",
}
FORMAT_TO_MEDIA = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "GEOJSON": "application/geo+json",
    "JSON_LD": "application/ld+json",
    "XML": "application/xml",
    "RDF_XML": "application/rdf+xml",
    "RDF_TURTLE": "text/turtle",
    "PDF": "application/pdf",
    "HTML": "text/html",
    "TXT": "text/plain",
    "XLS": "application/vnd.ms-excel",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "ZIP": "application/zip",
    "GML": "application/gml+xml",
    "KML": "application/vnd.google-earth.kml+xml",
    "SHP": "application/x-shapefile",
    "TSV": "text/tab-separated-values",
    "YAML": "application/yaml",
}
_MEDIA_TYPE = re.compile(r"^[a-z]+/[a-z0-9.+_-]+$")
_IANA = re.compile(r"^https?://www\.iana\.org/assignments/media-types/([a-z]+/[A-Za-z0-9.+_-]+)/?$")
_FILE_TYPE = re.compile(r"/file-type/([A-Za-z0-9_]+)/?$")
_SHORT_FORMAT = re.compile(r"^\.?[A-Za-z0-9_+-]{1,16}$")


def media_type_of(value: str) -> str:
    """'text/csv' or an IANA media-type address → 'text/csv'; else ""."""
    text = value.strip()
    match = _IANA.match(text)
    if match:
        return match.group(1).lower()
    lowered = text.lower().split(";", 1)[0].strip()
    return lowered if _MEDIA_TYPE.match(lowered) else ""


def format_of(value: str) -> tuple[str, str]:
    """``(format, media type)`` from one dct:format or dcat:mediaType value:
    a media type, an IANA address, an EU file-type address (…/file-type/CSV)
    or a label ('CSV', 'csv', '.csv', 'Comma separated')."""
    text = value.strip()
    if not text:
        return "", ""
    media = media_type_of(text)
    if media:
        return MEDIA_TO_FORMAT.get(media, ""), media
    match = _FILE_TYPE.search(text)
    if match:
        code = match.group(1).upper()
        return code, FORMAT_TO_MEDIA.get(code, "")
    if "://" in text:
        tail = text.rstrip("/").rsplit("/", 1)[-1]
        return (tail.upper()[:100], "") if _SHORT_FORMAT.match(tail) else ("", "")
    if _SHORT_FORMAT.match(text):
        code = text.lstrip(".").upper()
        return code, FORMAT_TO_MEDIA.get(code, "")
    return clip(" ".join(text.split()), 100), ""


# --- licences ----------------------------------------------------------------------
_CC = re.compile(
    r"^https?://(?:www\.)?creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d\.\d)"
    r"((?:/[a-z]{2})?)/?(?:legalcode(?:\.[a-z-]+)?|deed\.[a-z-]+)?$",
    re.IGNORECASE,
)


def normalize_license(value: str) -> str:
    """Creative Commons addresses in the one form DCAT-AP-SE lists
    (http, trailing slash); anything else as given."""
    text = value.strip()
    match = _CC.match(text)
    if match:
        kind, name, version, jurisdiction = match.groups()
        return f"http://creativecommons.org/{kind.lower()}/{name.lower()}/{version}{jurisdiction}/"
    return clip(text, MAX_SHORT)


# --- URLs --------------------------------------------------------------------------


def clean_url(value: str) -> str:
    """A web address given as a literal, with stray quotes and spaces removed;
    "" unless it is http(s)."""
    text = value.strip().strip("'\"").strip()
    if text.lower().startswith(("http://", "https://")) and " " not in text:
        return clip(text, MAX_URL)
    return ""


# --- organisation numbers ----------------------------------------------------------
_ORGNR = re.compile(r"(?<![0-9])(?:SE|se|16)?([0-9]{6})-?([0-9]{4})(?:01)?(?![0-9])")


def organisation_number_in(*texts: str) -> str:
    """The first valid Swedish organisation number (NNNNNN-NNNN) written in
    any of ``texts`` (an IRI such as …/organisation/SE2021001234, an
    identifier such as '202100-1234' or 'SE202100123401'); else ""."""
    for text in texts:
        for match in _ORGNR.finditer(text or ""):
            try:
                return normalize_organisation_number(match.group(1) + match.group(2))
            except ValidationError:
                continue
    return ""


# --- themes ------------------------------------------------------------------------
_THEME = re.compile(r"/data-theme/([A-Z_]{4,10})/?$")


def theme_code(value: str) -> str:
    match = _THEME.search(value.strip())
    return match.group(1) if match else ""
