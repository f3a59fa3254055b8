"""Harvesting over HTTP, always from a local test server: paging (Hydra,
CKAN), refusals (other schemes, private and loopback addresses, redirects to
them, size cap, XML entity attacks, remote JSON-LD contexts), conditional
GET and retries."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from hack365.catalog.harvest.errors import FetchRefused, NotModified
from hack365.catalog.harvest.http import Fetcher, address_refused, check_url
from hack365.catalog.models import Dataset, HarvestSource, JobStatus, SourceKind
from hack365.catalog.services import harvest_job_start

from .conftest import LocalServer, Request
from .factories import PREFIXES, HarvestSourceFactory, catalog_ttl, dataset_ttl

pytestmark = pytest.mark.usefixtures("quiet_signals", "english")


def run(source: HarvestSource, **kwargs: Any) -> Any:
    return harvest_job_start(user=None, source=source, enqueue=False, **kwargs)


def page(numbers: list[int], next_url: str | None, *, old_style: bool = False) -> str:
    paging = ""
    if next_url:
        if old_style:
            paging = f"<{next_url}#self> a hydra:PagedCollection ; hydra:nextPage <{next_url}> .\n"
        else:
            paging = f"<https://data.example.se/catalog> hydra:next <{next_url}> .\n"
    return catalog_ttl(numbers, extra=paging)


# --- paging --------------------------------------------------------------------


@pytest.mark.parametrize("old_style", [False, True])
def test_hydra_pages_are_followed_to_the_end(
    db: None, local_server: LocalServer, old_style: bool
) -> None:
    p2, p3 = local_server.url("/catalog?page=2"), local_server.url("/catalog?page=3")
    local_server.serve("/catalog", page([1, 2], p2, old_style=old_style))
    local_server.serve("/catalog?page=2", page([3, 4], p3, old_style=old_style))
    local_server.serve("/catalog?page=3", page([5], None))
    source = HarvestSourceFactory(url=local_server.url("/catalog"))
    job = run(source)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.created_count == 5
    assert local_server.paths() == ["/catalog", "/catalog?page=2", "/catalog?page=3"]


def test_hydra_paging_stops_on_a_repeated_page(db: None, local_server: LocalServer) -> None:
    p2 = local_server.url("/c?page=2")
    local_server.serve("/c", page([1], p2))
    # Page 2 points back to page 1 (a loop), and page 2 with another address repeats page 2.
    local_server.serve("/c?page=2", page([2], local_server.url("/c")))
    job = run(HarvestSourceFactory(url=local_server.url("/c")))
    assert job.status == JobStatus.SUCCEEDED
    assert job.created_count == 2
    assert local_server.paths() == ["/c", "/c?page=2"]
    assert "already read" in job.log

    local_server.requests.clear()
    local_server.serve("/d", page([7], local_server.url("/d?p=2")))
    local_server.serve("/d?p=2", page([8], local_server.url("/d?p=3")))
    local_server.serve("/d?p=3", page([8], local_server.url("/d?p=4")))
    job = run(HarvestSourceFactory(url=local_server.url("/d")))
    assert job.status == JobStatus.SUCCEEDED
    assert local_server.paths() == ["/d", "/d?p=2", "/d?p=3"]
    assert "repeats an earlier page" in job.log


def ckan_api(packages: list[dict[str, Any]], *, honour_start: bool = True) -> Any:
    def respond(request: Request) -> tuple[int, dict[str, str], bytes]:
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(request.path).query)
        rows = int(query.get("rows", ["10"])[0])
        start = int(query.get("start", ["0"])[0]) if honour_start else 0
        body = {
            "success": True,
            "result": {"count": len(packages), "results": packages[start : start + rows]},
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    return respond


def package(n: int) -> dict[str, Any]:
    return {
        "id": f"id-{n}",
        "name": f"paket-{n}",
        "title": f"Paket {n}",
        "notes": "<p>Om <em>paketet</em></p>",
        "tags": [{"name": "trafik"}],
        "organization": {"name": "trafikverket", "title": "Trafikverket"},
        "license_id": "cc-by",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "resources": [{"url": f"https://ckan.example.se/{n}.csv", "format": "CSV"}],
        "extras": [{"key": "issued", "value": "2021-05-01"}],
    }


def test_ckan_package_search_is_paged(db: None, local_server: LocalServer, settings: Any) -> None:
    settings.CATALOG_HARVEST_CKAN_ROWS = 2
    local_server.routes["/ckan/api/3/action/package_search"] = ckan_api(
        [package(n) for n in range(5)]
    )
    source = HarvestSourceFactory(url=local_server.url("/ckan"), kind=SourceKind.CKAN)
    job = run(source)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.created_count == 5
    assert len(local_server.requests) == 3
    assert "rows=2&start=4" in local_server.requests[-1].path
    dataset = Dataset.objects.get(key=local_server.url("/ckan/dataset/id-3"))
    assert dataset.title == {"": "Paket 3"}
    assert dataset.description == {"": "Om paketet"}
    assert dataset.keywords == {"": ["trafik"]}
    assert dataset.license_uri == "http://creativecommons.org/licenses/by/4.0/"
    assert dataset.publisher is not None and dataset.publisher.name == {"": "Trafikverket"}
    assert dataset.distributions.get().format == "CSV"
    assert dataset.issued is not None and dataset.issued.year == 2021


def test_ckan_paging_stops_when_the_server_repeats_a_page(
    db: None, local_server: LocalServer, settings: Any
) -> None:
    settings.CATALOG_HARVEST_CKAN_ROWS = 2
    local_server.routes["/api/3/action/package_search"] = ckan_api(
        [package(n) for n in range(5)], honour_start=False
    )
    source = HarvestSourceFactory(url=local_server.url("/"), kind=SourceKind.CKAN)
    job = run(source)
    assert job.status == JobStatus.SUCCEEDED
    assert job.created_count == 2
    assert len(local_server.requests) == 2


def test_a_ckan_error_response_fails_the_job(db: None, local_server: LocalServer) -> None:
    local_server.serve(
        "/api/3/action/package_search",
        json.dumps({"success": False, "error": {"message": "Access denied"}}),
        "application/json",
    )
    job = run(HarvestSourceFactory(url=local_server.url("/"), kind=SourceKind.CKAN))
    assert job.status == JobStatus.FAILED
    assert "Access denied" in job.error


# --- refusals --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.se/catalog.ttl",
        "gopher://example.se/",
        "http:///nohost",
        "http://user:pw@example.se/",
    ],
)
def test_other_schemes_and_odd_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchRefused):
        check_url(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",  # noqa: S104
        "100.64.0.1",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "240.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert address_refused(address)


@pytest.mark.parametrize("address", ["193.10.10.10", "2001:6b0::1"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert not address_refused(address)


def test_a_source_on_a_private_address_fails_without_connecting(
    db: None, local_server: LocalServer
) -> None:
    job = run(HarvestSourceFactory(url="http://10.20.30.40/catalog.ttl"))
    assert job.status == JobStatus.FAILED
    assert "10.20.30.40" in job.error and "private" in job.error
    assert local_server.requests == []


def test_a_host_resolving_to_a_private_address_is_refused(
    db: None, local_server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def fake(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "intranat.example.se":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.10.5", 80))]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    job = run(HarvestSourceFactory(url="http://intranat.example.se/catalog.ttl"))
    assert job.status == JobStatus.FAILED
    assert "192.168.10.5" in job.error


def test_loopback_is_refused_unless_allow_listed(
    db: None, local_server: LocalServer, settings: Any
) -> None:
    url = local_server.serve("/catalog.ttl", catalog_ttl([1]))
    settings.CATALOG_HARVEST_ALLOWED_HOSTS = []
    job = run(HarvestSourceFactory(url=url))
    assert job.status == JobStatus.FAILED
    assert "127.0.0.1" in job.error
    assert local_server.requests == []


@pytest.mark.parametrize(
    "target", ["http://10.0.0.7/x.ttl", "http://localhost:{port}/catalog.ttl", "file:///etc/passwd"]
)
def test_redirects_to_refused_addresses_are_refused(
    db: None, local_server: LocalServer, target: str
) -> None:
    local_server.serve("/catalog.ttl", catalog_ttl([1]))
    local_server.routes["/moved"] = (302, {"Location": target.format(port=local_server.port)}, b"")
    job = run(HarvestSourceFactory(url=local_server.url("/moved")))
    assert job.status == JobStatus.FAILED
    assert local_server.paths() == ["/moved"]
    assert not Dataset.objects.exists()


def test_redirects_to_allowed_addresses_are_followed(db: None, local_server: LocalServer) -> None:
    local_server.serve("/catalog.ttl", catalog_ttl([1]))
    local_server.routes["/moved"] = (301, {"Location": "/catalog.ttl"}, b"")
    job = run(HarvestSourceFactory(url=local_server.url("/moved")))
    assert job.status == JobStatus.SUCCEEDED and job.created_count == 1


def test_redirect_loops_stop(db: None, local_server: LocalServer) -> None:
    local_server.routes["/a"] = (302, {"Location": "/b"}, b"")
    local_server.routes["/b"] = (302, {"Location": "/a"}, b"")
    job = run(HarvestSourceFactory(url=local_server.url("/a")))
    assert job.status == JobStatus.FAILED and "redirects" in job.error


@pytest.mark.parametrize("chunked", [False, True])
def test_the_size_cap_stops_the_download(
    db: None, local_server: LocalServer, settings: Any, chunked: bool
) -> None:
    settings.CATALOG_HARVEST_MAX_BYTES = 2000
    body = catalog_ttl(range(1, 40)).encode()
    headers = {"Content-Type": "text/turtle"}
    if chunked:
        headers["Transfer-Encoding"] = "chunked"
    local_server.routes["/big.ttl"] = (200, headers, body)
    job = run(HarvestSourceFactory(url=local_server.url("/big.ttl")))
    assert job.status == JobStatus.FAILED
    assert "larger than the limit" in job.error
    assert not Dataset.objects.exists()


def test_a_file_over_the_size_cap_is_refused(db: None, tmp_path: Path, settings: Any) -> None:
    settings.CATALOG_HARVEST_MAX_BYTES = 100
    path = tmp_path / "big.ttl"
    path.write_text(catalog_ttl([1, 2]))
    job = harvest_job_start(user=None, file_path=str(path), enqueue=False)
    assert job.status == JobStatus.FAILED and "larger than the limit" in job.error


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"
  xmlns:dcat="http://www.w3.org/ns/dcat#">
 <dcat:Dataset rdf:about="https://example.se/d/1"><dct:title>&lol9;</dct:title></dcat:Dataset>
</rdf:RDF>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"
  xmlns:dcat="http://www.w3.org/ns/dcat#">
 <dcat:Dataset rdf:about="https://example.se/d/1"><dct:title>&secret;</dct:title></dcat:Dataset>
</rdf:RDF>"""
UTF16 = (
    EXTERNAL_ENTITY.decode()
    .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
    .encode("utf-16")
)


@pytest.mark.parametrize(
    "body", [BILLION_LAUGHS, EXTERNAL_ENTITY, UTF16], ids=["laughs", "external", "utf16"]
)
def test_xml_entity_attacks_are_refused(
    db: None, local_server: LocalServer, tmp_path: Path, body: bytes
) -> None:
    url = local_server.serve("/catalog.rdf", body, "application/rdf+xml")
    job = run(HarvestSourceFactory(url=url))
    assert job.status == JobStatus.FAILED
    assert "DOCTYPE" in job.error or "UTF-8" in job.error
    path = tmp_path / "catalog.rdf"
    path.write_bytes(body)
    job = harvest_job_start(user=None, file_path=str(path), enqueue=False)
    assert job.status == JobStatus.FAILED
    assert not Dataset.objects.exists()


def test_unknown_remote_jsonld_contexts_are_refused_known_ones_resolved(
    db: None, local_server: LocalServer
) -> None:
    unknown = {
        "@context": local_server.url("/context.jsonld"),
        "@id": "https://e.se/d",
        "@type": "Dataset",
    }
    local_server.serve(
        "/context.jsonld",
        json.dumps({"@context": {"Dataset": "http://www.w3.org/ns/dcat#Dataset"}}),
        "application/ld+json",
    )
    url = local_server.serve("/unknown.jsonld", json.dumps(unknown), "application/ld+json")
    job = run(HarvestSourceFactory(url=url))
    assert job.status == JobStatus.FAILED
    assert "remote context" in job.error
    assert local_server.paths() == ["/unknown.jsonld"]  # the context was never fetched

    known = {
        "@context": "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld",
        "@id": "https://e.se/d",
        "@type": "Dataset",
        "title": {"sv": "Känd kontext"},
        "datasetDistribution": {
            "@id": "https://e.se/d/csv",
            "@type": "Distribution",
            "format": "http://publications.europa.eu/resource/authority/file-type/CSV",
        },
    }
    url = local_server.serve("/known.jsonld", json.dumps(known), "application/ld+json")
    job = run(HarvestSourceFactory(url=url))
    assert job.status == JobStatus.SUCCEEDED, job.error
    dataset = Dataset.objects.get(key="https://e.se/d")
    assert dataset.title == {"sv": "Känd kontext"}
    assert dataset.formats == ["CSV"]


# --- conditional GET and retries -------------------------------------------------


def test_conditional_get_gives_not_modified(db: None, local_server: LocalServer) -> None:
    body = catalog_ttl([1, 2]).encode()

    def respond(request: Request) -> tuple[int, dict[str, str], bytes]:
        if request.headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return (
            200,
            {
                "Content-Type": "text/turtle",
                "ETag": '"v1"',
                "Last-Modified": "Mon, 02 Mar 2026 10:00:00 GMT",
            },
            body,
        )

    local_server.routes["/catalog.ttl"] = respond
    source = HarvestSourceFactory(url=local_server.url("/catalog.ttl"))
    first = run(source)
    assert first.status == JobStatus.SUCCEEDED
    source.refresh_from_db()
    assert (source.etag, source.last_modified_header) == ('"v1"', "Mon, 02 Mar 2026 10:00:00 GMT")
    second = run(source)
    assert second.status == JobStatus.NOT_MODIFIED
    assert local_server.requests[-1].headers["if-none-match"] == '"v1"'
    assert local_server.requests[-1].headers["if-modified-since"] == "Mon, 02 Mar 2026 10:00:00 GMT"
    assert Dataset.objects.filter(withdrawn=False).count() == 2


def test_fetcher_raises_not_modified(local_server: LocalServer) -> None:
    local_server.routes["/x"] = (304, {}, b"")
    with Fetcher() as fetcher, pytest.raises(NotModified):
        fetcher.get(local_server.url("/x"), accept="*/*", etag='"a"')


def test_server_errors_are_retried(db: None, local_server: LocalServer) -> None:
    answers = iter(
        [
            (503, {"Retry-After": "0"}, b""),
            (500, {}, b""),
            (200, {"Content-Type": "text/turtle"}, catalog_ttl([1]).encode()),
        ]
    )
    local_server.routes["/flaky.ttl"] = lambda request: next(answers)
    job = run(HarvestSourceFactory(url=local_server.url("/flaky.ttl")))
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert len(local_server.requests) == 3


def test_retries_are_bounded(db: None, local_server: LocalServer) -> None:
    local_server.routes["/down.ttl"] = (429, {}, b"slow down")
    job = run(HarvestSourceFactory(url=local_server.url("/down.ttl")))
    assert job.status == JobStatus.FAILED
    assert "429" in job.error
    assert len(local_server.requests) == 3  # the first try and two retries


def test_connection_errors_are_retried_then_fail(db: None, local_server: LocalServer) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    job = run(HarvestSourceFactory(url=f"http://127.0.0.1:{port}/catalog.ttl"))
    assert job.status == JobStatus.FAILED
    assert "Could not fetch" in job.error


def test_not_found_fails_at_once(db: None, local_server: LocalServer) -> None:
    job = run(HarvestSourceFactory(url=local_server.url("/missing.ttl")))
    assert job.status == JobStatus.FAILED and "404" in job.error
    assert len(local_server.requests) == 1


def test_a_single_dataset_document_is_harvested(db: None, local_server: LocalServer) -> None:
    url = local_server.serve("/one", PREFIXES + dataset_ttl(1), "text/turtle; charset=utf-8")
    job = run(HarvestSourceFactory(url=url))
    assert job.status == JobStatus.SUCCEEDED and job.created_count == 1
