"""Fetching harvest documents over HTTP, carefully.

- http and https only; redirects are followed by hand (at most 5), each hop
  checked like the first;
- the host's addresses are resolved and every one checked when connecting:
  private, loopback, link-local, multicast, reserved and other non-global
  addresses are refused unless the host is in CATALOG_HARVEST_ALLOWED_HOSTS.
  The connection goes to the address that was checked, so a DNS answer that
  changes between check and connect gains nothing;
- connect, read and total time limits; the body is streamed and the download
  stops as soon as it passes CATALOG_HARVEST_MAX_BYTES (decoded size, so a
  compressed bomb stops too);
- conditional GET (If-None-Match / If-Modified-Since); 304 → NotModified;
- retries with exponential back-off on connection errors, timeouts, 429 and
  5xx (Retry-After honoured up to a limit)."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import FetchRefused, HarvestError, NotModified

MAX_REDIRECTS = 5
_REDIRECTS = {301, 302, 303, 307, 308}
_RETRY_STATUSES = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class FetchResult:
    url: str  # after redirects
    content: bytes
    content_type: str
    etag: str
    last_modified: str


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def allowed_hosts() -> set[str]:
    return {h.lower().strip("[]") for h in _setting("CATALOG_HARVEST_ALLOWED_HOSTS", [])}


def address_refused(address: str) -> bool:
    """True for addresses a harvester must never connect to."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def check_url(url: str) -> None:
    """Refuse what is not an absolute http(s) address with a host."""
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise FetchRefused(_("The address is not valid: %(url)s") % {"url": url[:300]}) from error
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchRefused(
            _("Only http and https addresses can be harvested, not %(scheme)s.")
            % {"scheme": (parts.scheme or "?")[:20]}
        )
    if not parts.hostname:
        raise FetchRefused(_("The address has no host: %(url)s") % {"url": url[:300]})
    if parts.username or parts.password:
        raise FetchRefused(_("Addresses with a user name or password are refused."))


class _GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend with an address check in connect_tcp: the
    host is resolved here, every address checked, and the connection made
    to a checked address."""

    def __init__(self, allowed: set[str]) -> None:
        self._inner = httpcore.SyncBackend()
        self._allowed = allowed

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if host.lower().strip("[]") in self._allowed:
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        addresses = sorted({str(info[4][0]) for info in infos})
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        refused = [a for a in addresses if address_refused(a)]
        if refused:
            raise FetchRefused(
                _(
                    "%(host)s resolves to a private, loopback or otherwise non-public "
                    "address (%(address)s); harvesting from it is refused."
                )
                % {"host": host[:200], "address": refused[0]}
            )
        return self._inner.connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise FetchRefused(_("Unix sockets are refused."))

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the guarded network backend (no proxies from
    the environment: a proxy would connect on our behalf, unchecked)."""

    def __init__(self, *, allowed: set[str]) -> None:
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            network_backend=_GuardedBackend(allowed),
        )


class Fetcher:
    """One per job; holds the HTTP client. Use as a context manager."""

    def __init__(self, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.max_bytes = int(_setting("CATALOG_HARVEST_MAX_BYTES", 200 * 1024 * 1024))
        self.retries = int(_setting("CATALOG_HARVEST_RETRIES", 3))
        self.backoff = float(_setting("CATALOG_HARVEST_RETRY_BACKOFF", 1.0))
        self.total_timeout = float(_setting("CATALOG_HARVEST_TOTAL_TIMEOUT", 900.0))
        self.allowed = allowed_hosts()
        self._sleep = sleep
        self.client = httpx.Client(
            transport=GuardedTransport(allowed=self.allowed),
            timeout=httpx.Timeout(
                connect=float(_setting("CATALOG_HARVEST_CONNECT_TIMEOUT", 10.0)),
                read=float(_setting("CATALOG_HARVEST_READ_TIMEOUT", 60.0)),
                write=30.0,
                pool=30.0,
            ),
            follow_redirects=False,
            trust_env=False,
            headers={
                "User-Agent": str(_setting("CATALOG_HARVEST_USER_AGENT", "hack365-harvester"))
            },
        )
        self.requests = 0

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def get(self, url: str, *, accept: str, etag: str = "", last_modified: str = "") -> FetchResult:
        """GET ``url`` following redirects by hand. Raises NotModified on 304,
        FetchRefused for refused addresses and limits, HarvestError otherwise."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(current)
            result = self._get_with_retries(current, headers)
            if isinstance(result, str):
                current = result
                continue
            return result
        raise FetchRefused(
            _("More than %(count)s redirects; the harvest stopped.") % {"count": MAX_REDIRECTS}
        )

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> FetchResult | str:
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._get_once(url, headers)
            except _Retryable as retry:
                if attempt > self.retries:
                    raise HarvestError(retry.message) from None
                delay = self.backoff * (2 ** (attempt - 1))
                if retry.retry_after is not None:
                    delay = max(delay, min(retry.retry_after, 60.0))
                self._sleep(delay)

    def _get_once(self, url: str, headers: dict[str, str]) -> FetchResult | str:
        self.requests += 1
        started = time.monotonic()
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS:
                    location = response.headers.get("Location", "")
                    if not location:
                        raise HarvestError(_("A redirect without a Location header."))
                    return urljoin(url, location)
                if status == 304:
                    raise NotModified()
                if status in _RETRY_STATUSES:
                    raise _Retryable(
                        _("The server answered %(status)s for %(url)s.")
                        % {"status": status, "url": url[:300]},
                        retry_after=_retry_after(response.headers.get("Retry-After")),
                    )
                if status != 200:
                    raise HarvestError(
                        _("The server answered %(status)s for %(url)s.")
                        % {"status": status, "url": url[:300]}
                    )
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise self._too_large()
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise self._too_large()
                    if time.monotonic() - started > self.total_timeout:
                        raise HarvestError(
                            _("The download took longer than %(seconds)s seconds.")
                            % {"seconds": int(self.total_timeout)}
                        )
                    chunks.append(chunk)
                return FetchResult(
                    url=str(response.url),
                    content=b"".join(chunks),
                    content_type=response.headers.get("Content-Type", ""),
                    etag=response.headers.get("ETag", "")[:500],
                    last_modified=response.headers.get("Last-Modified", "")[:100],
                )
        except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as error:
            raise _Retryable(
                _("Could not fetch %(url)s: %(error)s")
                % {"url": url[:300], "error": str(error)[:200] or type(error).__name__}
            ) from error
        except httpx.HTTPError as error:
            raise HarvestError(
                _("Could not fetch %(url)s: %(error)s")
                % {"url": url[:300], "error": str(error)[:200] or type(error).__name__}
            ) from error

    def _too_large(self) -> FetchRefused:
        return FetchRefused(
            _("The document is larger than the limit of %(size)s bytes; the download stopped.")
            % {"size": self.max_bytes}
        )


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
