from __future__ import annotations

import hashlib
from typing import Any

import factory

from hack365.catalog.models import (
    Dataset,
    Distribution,
    HarvestSource,
    Publisher,
    Schedule,
    SourceKind,
)


class HarvestSourceFactory(factory.django.DjangoModelFactory[HarvestSource]):
    class Meta:
        model = HarvestSource

    name = factory.Sequence(lambda n: f"Källa {n}")
    url = factory.Sequence(lambda n: f"https://data.example.se/{n}/catalog.ttl")
    kind = SourceKind.DCAT_RDF
    schedule = Schedule.MANUAL


class PublisherFactory(factory.django.DjangoModelFactory[Publisher]):
    class Meta:
        model = Publisher

    iri = factory.Sequence(lambda n: f"https://publisher.example.se/{n}")
    name = factory.LazyAttribute(lambda o: {"sv": f"Utgivare {o.iri.rsplit('/', 1)[-1]}"})


class DatasetFactory(factory.django.DjangoModelFactory[Dataset]):
    class Meta:
        model = Dataset

    key = factory.Sequence(lambda n: f"https://data.example.se/dataset/{n}")
    iri = factory.SelfAttribute("key")
    title = factory.Sequence(lambda n: {"sv": f"Datamängd {n}", "en": f"Dataset {n}"})
    description = {"sv": "En beskrivning."}
    content_hash = factory.LazyAttribute(lambda o: hashlib.sha256(o.key.encode()).hexdigest())


class DistributionFactory(factory.django.DjangoModelFactory[Distribution]):
    class Meta:
        model = Distribution

    dataset = factory.SubFactory(DatasetFactory)
    access_url = "https://data.example.se/file.csv"
    format = "CSV"
    media_type = "text/csv"


PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
"""


def dataset_ttl(n: int | str, *, base: str = "https://data.example.se/", **extra: Any) -> str:
    """One DCAT-AP-SE dataset in Turtle (without prefixes)."""
    title = extra.get("title", f"Datamängd {n}")
    publisher = extra.get("publisher", "<http://dataportal.se/organisation/SE2021005489>")
    return f"""<{base}dataset/{n}> a dcat:Dataset ;
  dct:title "{title}"@sv ;
  dct:description "Beskrivning av {n}."@sv ;
  dct:publisher {publisher} ;
  dcat:keyword "test"@sv ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
  dct:issued "2024-01-0{int(n) % 9 + 1 if str(n).isdigit() else 1}"^^xsd:date ;
  dcat:distribution <{base}dataset/{n}/csv> .
<{base}dataset/{n}/csv> a dcat:Distribution ;
  dcat:accessURL <{base}files/{n}.csv> ;
  dct:format "text/csv" ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> .
"""


def catalog_ttl(
    numbers: Any, *, base: str = "https://data.example.se/", extra: str = "", **kw: Any
) -> str:
    """A catalog with the given datasets, as Turtle."""
    items = list(numbers)
    listed = " , ".join(f"<{base}dataset/{n}>" for n in items) or "<{base}none>"
    body = "".join(dataset_ttl(n, base=base, **kw) for n in items)
    publisher = """<http://dataportal.se/organisation/SE2021005489> a foaf:Agent ;
  foaf:name "Testmyndigheten"@sv , "The Test Agency"@en ; dct:identifier "202100-5489" .
"""
    catalog = f'<{base}catalog> a dcat:Catalog ; dct:title "Katalog"@sv'
    catalog += f" ; dcat:dataset {listed} .\n" if items else " .\n"
    return PREFIXES + catalog + publisher + body + extra
