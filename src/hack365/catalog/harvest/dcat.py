"""DCAT-AP(-SE) RDF → records: pure ``*_from_rdf`` functions over a
:class:`TripleIndex`. No ORM, no I/O; the same index always gives the same
records.

Lenient as real catalogs are: URLs written as literals, formats as media
types, labels, IMT nodes or EU file-type addresses, licences on the dataset
or on its distributions, dates in any common form, HTML in descriptions,
old DCAT-AP 1.x properties (adms:contactPoint) and common typos
(dct:distribution, dct:keywords)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import values as v
from .errors import RecordError
from .rdf import TripleIndex, iri_value, is_blank, is_iri, is_literal, literal_parts, term_text
from .records import (
    DataServiceRecord,
    DatasetRecord,
    DistributionRecord,
    LangText,
    LangWords,
    PublisherRecord,
    RecordFailure,
)

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ADMS = "http://www.w3.org/ns/adms#"
HYDRA = "http://www.w3.org/ns/hydra/core#"
SCHEMA = "http://schema.org/"
DCATAP = "http://data.europa.eu/r5r/"
OWL = "http://www.w3.org/2002/07/owl#"
LOCN = "http://www.w3.org/ns/locn#"


def _p(namespace: str, name: str) -> str:
    return f"<{namespace}{name}>"


TYPE = _p(RDF, "type")
VALUE = _p(RDF, "value")
LABEL = _p(RDFS, "label")
T_DATASET = _p(DCAT, "Dataset")
T_CATALOG = _p(DCAT, "Catalog")
T_DATASERVICE = _p(DCAT, "DataService")
CATALOG_DATASET = _p(DCAT, "dataset")
TITLE = (_p(DCT, "title"),)
DESCRIPTION = (_p(DCT, "description"),)
KEYWORD = (_p(DCAT, "keyword"), _p(DCT, "keywords"))
PUBLISHER = _p(DCT, "publisher")
CONTACT = (_p(DCAT, "contactPoint"), _p(ADMS, "contactPoint"))
THEME = _p(DCAT, "theme")
LICENSE = (_p(DCT, "license"), _p(DCT, "rights"))
ACCESS_RIGHTS = _p(DCT, "accessRights")
ISSUED = _p(DCT, "issued")
MODIFIED = _p(DCT, "modified")
LANDING_PAGE = _p(DCAT, "landingPage")
SPATIAL = _p(DCT, "spatial")
TEMPORAL = _p(DCT, "temporal")
FREQUENCY = _p(DCT, "accrualPeriodicity")
CONFORMS_TO = _p(DCT, "conformsTo")
IDENTIFIER = _p(DCT, "identifier")
DISTRIBUTION = (_p(DCAT, "distribution"), _p(DCT, "distribution"))
ACCESS_URL = _p(DCAT, "accessURL")
DOWNLOAD_URL = _p(DCAT, "downloadURL")
FORMAT = _p(DCT, "format")
MEDIA_TYPE = _p(DCAT, "mediaType")
BYTE_SIZE = _p(DCAT, "byteSize")
AVAILABILITY = _p(DCATAP, "availability")
ENDPOINT_URL = _p(DCAT, "endpointURL")
ENDPOINT_DESCRIPTION = _p(DCAT, "endpointDescription")
SERVES_DATASET = _p(DCAT, "servesDataset")
NAME = (
    _p(FOAF, "name"),
    _p(VCARD, "fn"),
    _p(VCARD, "organization-name"),
    _p(VCARD, "hasOrganizationName"),
    _p(SKOS, "prefLabel"),
    LABEL,
    _p(DCT, "title"),
)
SAME_AS = _p(OWL, "sameAs")
START = (_p(DCAT, "startDate"), _p(SCHEMA, "startDate"))
END = (_p(DCAT, "endDate"), _p(SCHEMA, "endDate"))
HYDRA_NEXT = (_p(HYDRA, "next"), _p(HYDRA, "nextPage"))


def _objects(index: TripleIndex, subject: str, predicates: Iterable[str]) -> list[str]:
    properties = index.get(subject)
    found: list[str] = []
    for predicate in predicates:
        found.extend(properties.get(predicate, ()))
    return found


def _clean(text: str, html: bool) -> str:
    return v.html_to_text(text) if html else " ".join(text.split())


def lang_texts(terms: Sequence[str], limit: int, *, html: bool = False) -> LangText:
    """Literals → {language: text}. Several values in one language: the
    first in sorted order (titles) or all joined by blank lines (html=True,
    descriptions)."""
    if len(terms) == 1:  # the common case, made cheap
        term = terms[0]
        if term[:1] != '"':
            return {}
        text, lang, _datatype = literal_parts(term)
        text = _clean(text, html)
        return {v.language_key(lang): v.clip(text, limit)} if text else {}
    first: dict[str, str] = {}
    for term in terms:
        if term[:1] != '"':
            continue
        text, lang, _datatype = literal_parts(term)
        text = _clean(text, html)
        if not text:
            continue
        key = v.language_key(lang)
        if key in first:
            return _lang_texts_merged(terms, limit, html)
        first[key] = text
    return {lang: v.clip(first[lang], limit) for lang in sorted(first)[: v.MAX_LANGUAGES]}


def _lang_texts_merged(terms: Sequence[str], limit: int, html: bool) -> LangText:
    """Several literals in one language: the first in sorted order (titles)
    or all joined by blank lines (descriptions)."""
    by_lang: dict[str, set[str]] = {}
    for term in terms:
        if not is_literal(term):
            continue
        text, lang, _datatype = literal_parts(term)
        text = _clean(text, html)
        if text:
            by_lang.setdefault(v.language_key(lang), set()).add(text)
    result: LangText = {}
    for lang in sorted(by_lang)[: v.MAX_LANGUAGES]:
        texts = sorted(by_lang[lang])
        result[lang] = v.clip("\n\n".join(texts) if html else texts[0], limit)
    return result


def _keywords(index: TripleIndex, subject: str) -> LangWords:
    terms: list[str] = []
    for term in _objects(index, subject, KEYWORD):
        if is_literal(term):
            terms.append(term)
        elif not is_iri(term) or index.get(term):
            # A node holding the keywords (seen in early Swedish catalogs).
            terms.extend(t for t in index.objects(term, KEYWORD[0]) if is_literal(t))
    by_lang: dict[str, set[str]] = {}
    for term in terms:
        text, lang, _datatype = literal_parts(term)
        word = " ".join(text.split())
        if word:
            by_lang.setdefault(v.language_key(lang), set()).add(v.clip(word, v.MAX_KEYWORD))
    return {lang: sorted(words)[: v.MAX_KEYWORDS] for lang, words in sorted(by_lang.items())[:30]}


def _first_text(terms: Sequence[str], limit: int = v.MAX_SHORT) -> str:
    if len(terms) == 1:
        return v.clip(term_text(terms[0]).strip(), limit)
    texts = sorted(t for t in (term_text(term).strip() for term in terms) if t)
    return v.clip(texts[0], limit) if texts else ""


def _url(terms: Sequence[str]) -> str:
    """The first web address among IRIs and literals (IRIs first)."""
    if len(terms) == 1 and terms[0][:1] == "<" and len(terms[0]) <= v.MAX_URL + 2:
        return terms[0][1:-1]
    iris = sorted(iri_value(t) for t in terms if is_iri(t))
    for iri in iris:
        if len(iri) <= v.MAX_URL:
            return iri
    for term in sorted(terms):
        if is_literal(term):
            url = v.clean_url(literal_parts(term)[0])
            if url:
                return url
    return ""


def _label(index: TripleIndex, term: str) -> str:
    """An IRI's address, a literal's text, or a node's label."""
    if is_literal(term):
        return " ".join(literal_parts(term)[0].split())
    if is_iri(term):
        return iri_value(term)
    names = lang_texts(_objects(index, term, NAME + (VALUE, IDENTIFIER)), v.MAX_SHORT)
    return next(iter(names.values()), "")


def _first_label(index: TripleIndex, terms: Iterable[str]) -> str:
    labels = sorted(label for label in (_label(index, t) for t in terms) if label)
    return v.clip(labels[0], v.MAX_SHORT) if labels else ""


def _date(terms: Sequence[str]) -> str:
    if len(terms) == 1:
        return v.parse_date(term_text(terms[0]))
    dates = sorted(d for d in (v.parse_date(term_text(t)) for t in terms) if d)
    return dates[0] if dates else ""


# --- publisher -------------------------------------------------------------------


def publisher_from_rdf(index: TripleIndex, term: str) -> PublisherRecord | None:
    """A dct:publisher value → a publisher keyed by its IRI, else its
    dct:identifier, else its name. The organisation number is read from the
    IRI (…/organisation/SE2021001234), dct:identifier or owl:sameAs."""
    if is_literal(term):
        name = " ".join(literal_parts(term)[0].split())
        if not name:
            return None
        return PublisherRecord(key=v.clip(f"name:{name}", v.MAX_KEY), name={"": v.clip(name, 500)})
    names = lang_texts(_objects(index, term, NAME), 500)
    identifiers = sorted(
        term_text(t).strip() for t in index.objects(term, IDENTIFIER) if term_text(t).strip()
    )
    same_as = sorted(term_text(t) for t in index.objects(term, SAME_AS))
    if is_iri(term):
        key = iri_value(term)
        path = key.split("://", 1)[-1].split("/", 1)[-1] if "/" in key else key
    elif identifiers:
        key = f"identifier:{identifiers[0]}"
        path = ""
    elif names:
        key = f"name:{next(iter(names.values()))}"
        path = ""
    else:
        return None
    if len(key) > v.MAX_KEY:
        return None
    orgnr = v.organisation_number_in(path, *identifiers, *same_as)
    return PublisherRecord(key=key, name=names, organisation_number=orgnr)


Memo = dict[tuple[str, str], Any]


def _publisher(index: TripleIndex, subject: str, memo: Memo) -> PublisherRecord | None:
    candidates = []
    for term in index.objects(subject, PUBLISHER):
        found = memo.get(("publisher", term), memo)
        if found is memo:
            found = memo[("publisher", term)] = publisher_from_rdf(index, term)
        if found is not None:
            candidates.append(found)
    if not candidates:
        return None
    # Prefer a publisher with a name, then by key, so the choice is stable.
    return sorted(candidates, key=lambda p: (not p.name, p.key))[0]


# --- contact point ------------------------------------------------------------------


def _contact(index: TripleIndex, subject: str, memo: Memo) -> dict[str, str]:
    terms = _objects(index, subject, CONTACT)
    if len(terms) == 1 and not is_literal(terms[0]):
        found = memo.get(("contact", terms[0]))
        if found is None:
            found = memo[("contact", terms[0])] = _contact_of(index, terms)
        return dict(found)
    return _contact_of(index, terms)


def _contact_of(index: TripleIndex, terms: list[str]) -> dict[str, str]:
    for term in sorted(terms):
        if is_literal(term):
            text = v.clip(" ".join(literal_parts(term)[0].split()), 500)
            if text:
                return {"name": text}
            continue
        contact: dict[str, str] = {}
        names = lang_texts(_objects(index, term, NAME), 500)
        if names:
            contact["name"] = next(iter(names.values()))
        email = _first_text(index.objects(term, _p(VCARD, "hasEmail")))
        if email:
            contact["email"] = v.clip(email.removeprefix("mailto:"), 254)
        url = _url(index.objects(term, _p(VCARD, "hasURL")))
        if url:
            contact["url"] = url
        phones: list[str] = []
        for phone in index.objects(term, _p(VCARD, "hasTelephone")):
            phones.extend(
                term_text(t) for t in (index.objects(phone, _p(VCARD, "hasValue")) or [phone])
            )
        phone_text = sorted(p for p in phones if p)
        if phone_text:
            contact["phone"] = v.clip(phone_text[0].removeprefix("tel:"), 50)
        if not contact and is_iri(term):
            contact["url"] = v.clip(iri_value(term), v.MAX_URL)
        if contact:
            return contact
    return {}


# --- distributions --------------------------------------------------------------------


def _format(index: TripleIndex, subject: str) -> tuple[str, str]:
    formats: list[str] = []
    media: list[str] = []
    for term in index.objects(subject, MEDIA_TYPE) + index.objects(subject, FORMAT):
        values = [term_text(term)] if not is_blank(term) else []
        if is_blank(term) or (is_iri(term) and index.get(term)):
            # An IMT node: rdf:value holds the media type, rdfs:label the name.
            values += [term_text(t) for t in _objects(index, term, (VALUE, LABEL))]
        for value in values:
            fmt, media_type = v.format_of(value)
            if fmt:
                formats.append(fmt)
            if media_type:
                media.append(media_type)
    fmt = sorted(set(formats))[0] if formats else ""
    media_type = sorted(set(media))[0] if media else ""
    if not fmt and media_type:
        fmt = v.MEDIA_TO_FORMAT.get(media_type, "")
    if not media_type and fmt:
        media_type = v.FORMAT_TO_MEDIA.get(fmt, "")
    return v.clip(fmt, 100), v.clip(media_type, 200)


def _license(index: TripleIndex, terms: Iterable[str]) -> str:
    found: list[tuple[int, str]] = []
    for term in terms:
        if is_iri(term):
            found.append((0, v.normalize_license(iri_value(term))))
        elif is_literal(term):
            text = literal_parts(term)[0].strip()
            if text:
                found.append((1, v.normalize_license(text)))
        else:
            label = _label(index, term)
            if label:
                found.append((2, v.normalize_license(label)))
    return sorted(found)[0][1] if found else ""


def _byte_size(terms: Iterable[str]) -> int | None:
    for term in terms:
        try:
            size = int(float(term_text(term).strip()))
        except (ValueError, OverflowError):
            continue
        if 0 <= size < 2**63:
            return size
    return None


_NONE: list[str] = []


def _memoized(memo: Memo, kind: str, terms: list[str], compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered for one-term values shared by many records
    (a licence, a format, a theme, a place)."""
    if len(terms) != 1:
        return compute()
    key = (kind, terms[0])
    found = memo.get(key, memo)
    if found is memo:
        found = memo[key] = compute()
    return found


def distribution_from_rdf(
    index: TripleIndex, subject: str, memo: Memo | None = None
) -> DistributionRecord:
    memo = {} if memo is None else memo
    props = index.get(subject)
    format_terms = props.get(MEDIA_TYPE, _NONE) + props.get(FORMAT, _NONE)
    fmt, media_type = _memoized(memo, "format", format_terms, lambda: _format(index, subject))
    licenses = props.get(LICENSE[0], _NONE)
    return DistributionRecord(
        iri=v.clip(iri_value(subject), v.MAX_URL) if is_iri(subject) else "",
        title=lang_texts(props.get(TITLE[0], _NONE), v.MAX_TITLE),
        description=lang_texts(props.get(DESCRIPTION[0], _NONE), v.MAX_TEXT, html=True),
        access_url=_url(props.get(ACCESS_URL, _NONE)),
        download_url=_url(props.get(DOWNLOAD_URL, _NONE)),
        format=fmt,
        media_type=media_type,
        license_uri=_memoized(memo, "license", licenses, lambda: _license(index, licenses)),
        byte_size=_byte_size(props.get(BYTE_SIZE, _NONE)),
        availability=_first_text(props.get(AVAILABILITY, _NONE)),
    )


# --- dataset ---------------------------------------------------------------------------


def _temporal(index: TripleIndex, subject: str) -> dict[str, str]:
    periods = []
    for term in index.objects(subject, TEMPORAL):
        start = _first_text(_objects(index, term, START), 64)
        end = _first_text(_objects(index, term, END), 64)
        period = {}
        if start:
            period["start"] = v.date_part(start)
        if end:
            period["end"] = v.date_part(end)
        if period:
            periods.append(period)
    return (
        sorted(periods, key=lambda p: (p.get("start", ""), p.get("end", "")))[0] if periods else {}
    )


def _spatial(index: TripleIndex, subject: str) -> tuple[str, ...]:
    places = set()
    for term in index.objects(subject, SPATIAL):
        if is_blank(term):
            names = lang_texts(
                _objects(index, term, NAME + (_p(LOCN, "geographicName"),)), v.MAX_SHORT
            )
            if names:
                places.add(next(iter(names.values())))
            continue
        label = _label(index, term)
        if label:
            places.add(v.clip(label, v.MAX_SHORT))
    return tuple(sorted(places)[: v.MAX_LIST])


def dataset_key(*, iri: str, identifier: str, landing_page: str) -> str:
    """The stable key: the IRI; else "identifier:<dct:identifier>"; else
    "landing-page:<url>". Raises RecordError when there is none."""
    if iri:
        key = iri
    elif identifier:
        key = f"identifier:{identifier}"
    elif landing_page:
        key = f"landing-page:{landing_page}"
    else:
        raise RecordError(
            _(
                "The dataset has no IRI (it is a blank node), no dct:identifier and no "
                "dcat:landingPage, so it could not be recognised again on the next harvest."
            )
        )
    if len(key) > v.MAX_KEY:
        raise RecordError(
            _("The dataset's key is longer than %(limit)s characters.") % {"limit": v.MAX_KEY}
        )
    return key


def _themes(terms: list[str]) -> tuple[str, ...]:
    return tuple(sorted({code for code in (v.theme_code(term_text(t)) for t in terms) if code}))


def dataset_from_rdf(index: TripleIndex, subject: str, memo: Memo | None = None) -> DatasetRecord:
    """One dcat:Dataset → a record. Raises RecordError when it has no key.
    ``memo`` shares what many datasets refer to (publishers, contact points,
    licences, formats …) within one document."""
    memo = {} if memo is None else memo
    props = index.get(subject)
    iri = iri_value(subject) if is_iri(subject) else ""
    identifier = _first_text(props.get(IDENTIFIER, _NONE), v.MAX_KEY)
    landing_page = _url(props.get(LANDING_PAGE, _NONE))
    key = dataset_key(iri=iri, identifier=identifier, landing_page=landing_page)

    distribution_terms = props.get(DISTRIBUTION[0], _NONE) + props.get(DISTRIBUTION[1], _NONE)
    if len(distribution_terms) > 1:
        distribution_terms = sorted(set(distribution_terms))[: v.MAX_DISTRIBUTIONS]
    distributions = tuple(
        sorted(
            (
                distribution_from_rdf(index, t, memo)
                for t in distribution_terms
                if not is_literal(t)
            ),
            key=lambda d: (d.iri, d.access_url, d.download_url, d.format, str(d.title)),
        )
    )
    licenses = props.get(LICENSE[0], _NONE)
    license_uri = _memoized(memo, "license", licenses, lambda: _license(index, licenses))
    if not license_uri and distributions:
        # The licence of the distributions: the most common, ties by name.
        counts = Counter(d.license_uri for d in distributions if d.license_uri)
        if counts:
            license_uri = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]
    themes = props.get(THEME, _NONE)
    rights = props.get(ACCESS_RIGHTS, _NONE)
    places = props.get(SPATIAL, _NONE)
    standards = props.get(CONFORMS_TO, _NONE)
    return DatasetRecord(
        key=key,
        iri=iri,
        identifier=identifier,
        title=lang_texts(props.get(TITLE[0], _NONE), v.MAX_TITLE),
        description=lang_texts(props.get(DESCRIPTION[0], _NONE), v.MAX_TEXT, html=True),
        keywords=_keywords(index, subject),
        publisher=_publisher(index, subject, memo),
        contact_point=_contact(index, subject, memo),
        themes=_memoized(memo, "themes", themes, lambda: _themes(themes)),
        license_uri=license_uri,
        access_rights=_memoized(memo, "rights", rights, lambda: _first_label(index, rights)),
        issued=_date(props.get(ISSUED, _NONE)),
        modified=_date(props.get(MODIFIED, _NONE)),
        landing_page=landing_page,
        spatial=_memoized(memo, "spatial", places, lambda: _spatial(index, subject))
        if places
        else (),
        temporal=_temporal(index, subject) if TEMPORAL in props else {},
        frequency=_first_text(props.get(FREQUENCY, _NONE)),
        conforms_to=tuple(
            sorted({v.clip(_label(index, t), 500) for t in standards} - {""})[: v.MAX_LIST]
        )
        if standards
        else (),
        distributions=distributions,
    )


def dataservice_from_rdf(
    index: TripleIndex, subject: str, memo: Memo | None = None
) -> DataServiceRecord:
    if not is_iri(subject) or len(subject) > v.MAX_KEY:
        raise RecordError(_("A data service without an IRI is skipped."))
    serves = sorted({iri_value(t) for t in index.objects(subject, SERVES_DATASET) if is_iri(t)})
    return DataServiceRecord(
        key=iri_value(subject),
        title=lang_texts(index.objects(subject, TITLE[0]), v.MAX_TITLE),
        description=lang_texts(index.objects(subject, DESCRIPTION[0]), v.MAX_TEXT, html=True),
        endpoint_url=_url(index.objects(subject, ENDPOINT_URL)),
        endpoint_description=_url(index.objects(subject, ENDPOINT_DESCRIPTION)),
        publisher=_publisher(index, subject, {} if memo is None else memo),
        license_uri=_license(index, index.objects(subject, LICENSE[0])),
        serves_datasets=tuple(serves[: v.MAX_DISTRIBUTIONS]),
    )


# --- whole documents -----------------------------------------------------------------------


@dataclass
class RdfDocument:
    """What one RDF document holds, mapped."""

    datasets: list[DatasetRecord | RecordFailure] = field(default_factory=list)
    services: list[DataServiceRecord] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    catalogs: int = 0


def _blank_order(index: TripleIndex, subject: str) -> tuple[tuple[str, str], ...]:
    """A blank node's own statements, blank-node labels left out: labels
    change from parse to parse, content does not."""
    return tuple(
        sorted(
            (predicate, obj)
            for predicate, objects in index.get(subject).items()
            for obj in objects
            if not is_blank(obj)
        )
    )


def dataset_subjects(index: TripleIndex) -> list[str]:
    """Subjects typed dcat:Dataset, and untyped ones a catalog lists with
    dcat:dataset (when the document describes them), in an order that does
    not depend on blank-node labels: IRIs sorted, then blank nodes by their
    content. (When two records share a key, the first one wins, the same
    one every time.)"""
    found = set(index.subjects_with(TYPE, T_DATASET))
    for catalog in index.subjects_with(CATALOG_DATASET):
        for term in index.objects(catalog, CATALOG_DATASET):
            if not is_literal(term) and index.get(term):
                found.add(term)
    iris = sorted(s for s in found if not is_blank(s))
    blanks = sorted((s for s in found if is_blank(s)), key=lambda s: _blank_order(index, s))
    return iris + blanks


def catalog_count(index: TripleIndex) -> int:
    return sum(1 for _s in index.subjects_with(TYPE, T_CATALOG))


def next_pages(index: TripleIndex) -> list[str]:
    """The Hydra next pages a page names (hydra:next, or hydra:nextPage of
    the older hydra:PagedCollection), http(s) only."""
    found: set[str] = set()
    for predicate in HYDRA_NEXT:
        for subject in index.subjects_with(predicate):
            found.update(
                iri_value(t)
                for t in index.objects(subject, predicate)
                if is_iri(t) and t.startswith(("<http://", "<https://"))
            )
    return sorted(found)


def datasets_from_rdf(
    index: TripleIndex, subjects: Iterable[str], memo: Memo | None = None
) -> list[DatasetRecord | RecordFailure]:
    """Map the given dataset subjects; one that cannot be mapped becomes a
    RecordFailure, the others are unaffected."""
    memo = {} if memo is None else memo
    results: list[DatasetRecord | RecordFailure] = []
    for subject in subjects:
        try:
            results.append(dataset_from_rdf(index, subject, memo))
        except RecordError as error:
            results.append(RecordFailure(key=v.clip(subject, v.MAX_KEY), error=str(error)))
    return results


def services_from_rdf(index: TripleIndex, memo: Memo | None = None) -> list[DataServiceRecord]:
    memo = {} if memo is None else memo
    return [
        dataservice_from_rdf(index, subject, memo)
        for subject in sorted(index.subjects_with(TYPE, T_DATASERVICE))
        if is_iri(subject)
    ]


def documents_from_rdf(index: TripleIndex) -> RdfDocument:
    """Map every dataset and data service in ``index``."""
    memo: Memo = {}
    return RdfDocument(
        datasets=datasets_from_rdf(index, dataset_subjects(index), memo),
        services=services_from_rdf(index, memo),
        next_pages=next_pages(index),
        catalogs=catalog_count(index),
    )
