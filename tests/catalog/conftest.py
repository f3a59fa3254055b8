"""Fixtures for the harvester tests: a local HTTP server (threaded, on
127.0.0.1, a random port), settings that allow it, and a guard that fails
any test whose code would connect anywhere but the loopback address."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpcore
import pytest

from hack365.catalog.signals import datasets_changed, datasets_deleted

Responder = Callable[["Request"], tuple[int, dict[str, str], bytes]]


@dataclass
class Request:
    path: str
    headers: dict[str, str]


@dataclass
class LocalServer:
    host: str
    port: int
    routes: dict[str, Responder | tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def serve(
        self, path: str, body: bytes | str, content_type: str = "text/turtle", **headers: str
    ) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = (200, {"Content-Type": content_type, **headers}, data)
        return self.url(path)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def _handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            request = Request(self.path, {k.lower(): v for k, v in self.headers.items()})
            server.requests.append(request)
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?", 1)[0])
            if route is None:
                status, headers, body = 404, {"Content-Type": "text/plain"}, b"not found"
            elif callable(route):
                status, headers, body = route(request)
            else:
                status, headers, body = route
            self.send_response(status)
            chunked = headers.get("Transfer-Encoding") == "chunked"
            for name, value in headers.items():
                self.send_header(name, value)
            if not chunked and "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if chunked:
                for start in range(0, len(body), 1024):
                    piece = body[start : start + 1024]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def local_server(settings: Any) -> Iterator[LocalServer]:
    """A local HTTP server; the harvester may reach it (127.0.0.1 is
    allow-listed) and retries quickly."""
    server = LocalServer("127.0.0.1", 0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(server))
    server.port = httpd.server_address[1]
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    settings.CATALOG_HARVEST_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.CATALOG_HARVEST_RETRY_BACKOFF = 0.0
    settings.CATALOG_HARVEST_RETRIES = 2
    settings.CATALOG_HARVEST_CONNECT_TIMEOUT = 2.0
    settings.CATALOG_HARVEST_READ_TIMEOUT = 5.0
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the harvester's own checks do, no test connects anywhere but
    this machine's loopback address."""
    original = httpcore.SyncBackend.connect_tcp

    def guarded(self: Any, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"a test tried to connect to {host}:{port}")
        return original(self, host, port, *args, **kwargs)

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", guarded)


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English, whatever the default language (job errors are
    written in the active language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def quiet_signals() -> Iterator[list[list[int]]]:
    """Disconnect the catalog signals' receivers (the search index) and
    record what datasets_changed was sent with instead."""
    sent: list[list[int]] = []
    saved = (datasets_changed.receivers, datasets_deleted.receivers)
    datasets_changed.receivers = []
    datasets_deleted.receivers = []
    datasets_changed.sender_receivers_cache.clear()
    datasets_deleted.sender_receivers_cache.clear()

    def record(sender: Any, dataset_ids: list[int], **kwargs: Any) -> None:
        sent.append(list(dataset_ids))

    datasets_changed.connect(record, weak=False)
    try:
        yield sent
    finally:
        datasets_changed.receivers, datasets_deleted.receivers = saved
        datasets_changed.sender_receivers_cache.clear()
        datasets_deleted.sender_receivers_cache.clear()
