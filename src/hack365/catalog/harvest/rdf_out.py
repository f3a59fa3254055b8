"""Stored datasets → DCAT-AP RDF (an rdflib graph), for validating what was
harvested against SHACL shapes. Pure functions over model instances."""

from __future__ import annotations

from collections.abc import Iterable

import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from hack365.catalog.models import Dataset, Distribution, Publisher

from .values import FORMAT_TO_MEDIA

VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = rdflib.Namespace("http://data.europa.eu/r5r/")
THEME_BASE = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPE_BASE = "http://publications.europa.eu/resource/authority/file-type/"


def _node(value: str) -> URIRef | Literal:
    return (
        URIRef(value)
        if value.startswith(("http://", "https://", "mailto:", "urn:"))
        else Literal(value)
    )


def _subject(key: str, iri: str) -> URIRef | BNode:
    if iri:
        return URIRef(iri)
    return BNode()


def _texts(
    graph: rdflib.Graph, subject: URIRef | BNode, predicate: URIRef, values: dict[str, str]
) -> None:
    for lang, text in values.items():
        graph.add((subject, predicate, Literal(text, lang=lang or None)))


def publisher_to_rdf(graph: rdflib.Graph, publisher: Publisher) -> URIRef | BNode:
    node: URIRef | BNode = URIRef(publisher.iri) if publisher.iri.startswith("http") else BNode()
    graph.add((node, RDF.type, FOAF.Agent))
    _texts(graph, node, FOAF.name, publisher.name)
    if publisher.organisation_number:
        graph.add((node, DCTERMS.identifier, Literal(publisher.organisation_number)))
    return node


def distribution_to_rdf(graph: rdflib.Graph, distribution: Distribution) -> URIRef | BNode:
    node = _subject("", distribution.iri)
    graph.add((node, RDF.type, DCAT.Distribution))
    _texts(graph, node, DCTERMS.title, distribution.title)
    _texts(graph, node, DCTERMS.description, distribution.description)
    if distribution.access_url:
        graph.add((node, DCAT.accessURL, _node(distribution.access_url)))
    if distribution.download_url:
        graph.add((node, DCAT.downloadURL, _node(distribution.download_url)))
    if distribution.media_type:
        graph.add((node, DCTERMS.format, Literal(distribution.media_type)))
    elif distribution.format:
        media = FORMAT_TO_MEDIA.get(distribution.format)
        graph.add(
            (
                node,
                DCTERMS.format,
                Literal(media)
                if media
                else URIRef(FILE_TYPE_BASE + distribution.format.replace(" ", "_")),
            )
        )
    if distribution.license_uri:
        graph.add((node, DCTERMS.license, _node(distribution.license_uri)))
    if distribution.byte_size is not None:
        graph.add(
            (node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger))
        )
    return node


def dataset_to_rdf(graph: rdflib.Graph, dataset: Dataset) -> URIRef | BNode:
    """Add one dataset (with its distributions and publisher) to ``graph``."""
    node = _subject(dataset.key, dataset.iri)
    graph.add((node, RDF.type, DCAT.Dataset))
    _texts(graph, node, DCTERMS.title, dataset.title)
    _texts(graph, node, DCTERMS.description, dataset.description)
    for lang, words in dataset.keywords.items():
        for word in words:
            graph.add((node, DCAT.keyword, Literal(word, lang=lang or None)))
    if dataset.identifier:
        graph.add((node, DCTERMS.identifier, Literal(dataset.identifier)))
    if dataset.publisher is not None:
        graph.add((node, DCTERMS.publisher, publisher_to_rdf(graph, dataset.publisher)))
    if dataset.contact_point:
        contact = BNode()
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Organization))
        if dataset.contact_point.get("name"):
            graph.add((contact, VCARD.fn, Literal(dataset.contact_point["name"])))
        if dataset.contact_point.get("email"):
            graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + dataset.contact_point["email"])))
    for theme in dataset.themes.all():
        graph.add((node, DCAT.theme, URIRef(THEME_BASE + theme.code)))
    if dataset.license_uri:
        graph.add((node, DCTERMS.license, _node(dataset.license_uri)))
    if dataset.access_rights:
        graph.add((node, DCTERMS.accessRights, _node(dataset.access_rights)))
    if dataset.issued:
        graph.add(
            (node, DCTERMS.issued, Literal(dataset.issued.isoformat(), datatype=XSD.dateTime))
        )
    if dataset.modified:
        graph.add(
            (node, DCTERMS.modified, Literal(dataset.modified.isoformat(), datatype=XSD.dateTime))
        )
    if dataset.landing_page:
        graph.add((node, DCAT.landingPage, _node(dataset.landing_page)))
    for place in dataset.spatial:
        graph.add((node, DCTERMS.spatial, _node(place)))
    if dataset.frequency:
        graph.add((node, DCTERMS.accrualPeriodicity, _node(dataset.frequency)))
    if dataset.temporal:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal.get("start"):
            graph.add((period, DCAT.startDate, Literal(dataset.temporal["start"])))
        if dataset.temporal.get("end"):
            graph.add((period, DCAT.endDate, Literal(dataset.temporal["end"])))
    for distribution in dataset.distributions.all():
        graph.add((node, DCAT.distribution, distribution_to_rdf(graph, distribution)))
    return node


def datasets_to_rdf(datasets: Iterable[Dataset]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for dataset in datasets:
        dataset_to_rdf(graph, dataset)
    return graph
