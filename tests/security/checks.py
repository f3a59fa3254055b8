"""Small helpers shared by the walker and the matrix tests: sending a
request, describing its answer, following it to the login page, and telling
the CSRF check's refusal from other 403s."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.utils import translation

LOGIN_PATH = "/{lang}/accounts/login/"
CSRF_REFUSED = "X-Test-Csrf-Refused"


@dataclass(frozen=True)
class Answer:
    status: int
    location: str = ""

    def __str__(self) -> str:
        return f"{self.status} → {self.location}" if self.location else str(self.status)


def answer_of(response: HttpResponse) -> Answer:
    location = response.get("Location", "") if response.status_code in (301, 302) else ""
    return Answer(response.status_code, location)


def login_url(path: str, lang: str) -> str:
    """Where an anonymous visitor to ``path`` is sent: the login page with
    ``next``, quoted as Django's ``redirect_to_login`` does."""
    return LOGIN_PATH.format(lang=lang) + "?next=" + quote(path, safe="/")


def follow_to_login(client: Client, path: str, lang: str, *, hops: int = 3) -> list[str]:
    """The redirects from ``path`` until the login page (at most ``hops``)."""
    chain: list[str] = []
    url = path
    for _ in range(hops):
        response = client.get(url)
        if response.status_code not in (301, 302):
            break
        url = response["Location"]
        chain.append(url)
        if urlsplit(url).path == LOGIN_PATH.format(lang=lang):
            break
    return chain


def request(client: Client, method: str, path: str, data: Any = None) -> HttpResponse:
    """``client.<method>(path, data)`` (form-encoded for PUT, PATCH and DELETE),
    keeping the active language: a request to an /en/ page leaves English
    active in the thread."""
    with translation.override(translation.get_language()):
        if method == "GET":
            return client.get(path, data)
        if method == "POST":
            return client.post(path, data or {})
        body = urlencode(data or {}, doseq=True)
        handler = getattr(client, method.lower())
        return handler(path, body, content_type="application/x-www-form-urlencoded")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF failure page, marked so that a test can tell the CSRF
    check's 403 from a permission check's (set as CSRF_FAILURE_VIEW)."""
    from django.views.csrf import csrf_failure as django_csrf_failure

    response = django_csrf_failure(request, reason)
    response[CSRF_REFUSED] = reason or "refused"
    return response
