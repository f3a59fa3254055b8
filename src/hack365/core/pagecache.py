"""A short-lived cache of the public pages as people without a role see them.

Off unless ``settings.PAGE_CACHE_SECONDS`` > 0 (env ``PAGE_CACHE_SECONDS``).
Rendering a public page costs 12-50 ms of CPU (templates and ORM); during a
hackathon's deadline thousands of participants read the same few pages, and
a page that is a few seconds old is as good as a fresh one. So, for the views
named in ``settings.PAGE_CACHE_VIEWS`` only, a GET is answered from the cache
(``settings.PAGE_CACHE_ALIAS``, shared by every worker) for

- anonymous visitors, and
- *plain* participants: active accounts that are not staff and hold no role
  that changes what these pages show (no organisation membership, no team,
  no mentor profile: see ``ROLE_RELATIONS``). Everyone with a role always
  gets a freshly rendered page, and nothing rendered for them is stored.

Anonymous visitors and plain participants have separate entries (the menu
differs), as have languages (the path) and htmx partial requests.

What must never be shared is not: the CSRF token rendered into a stored page
(``csrfmiddlewaretoken`` fields) is replaced by a placeholder, and every hit
gets the requesting visitor's own token; a page is not stored if the token
appears anywhere else in it, if the response sets a cookie, is not a 200
HTML page, or has messages for the visitor. Requests with pending messages
are not answered from the cache.

Read-your-writes: after any non-GET request by a logged-in user, that user
bypasses the cache for ``PAGE_CACHE_SECONDS`` (a time stamp in their session),
so nobody sees a page from before their own change. Other people's changes
show within ``PAGE_CACHE_SECONDS``.

When a role is added to ``ROLE_RELATIONS``'s domain (a new kind of membership
that changes one of the cached pages), add its relation there.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

# Reverse relations on the user model: holding any of them is a role.
ROLE_RELATIONS = ("memberships", "team_memberships", "mentor_profile")
BYPASS_SESSION_KEY = "_pagecache_bypass_until"
CSRF_PLACEHOLDER = "\x00hack365-csrf\x00"
HEADER = "X-Page-Cache"
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
_KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language", "Cache-Control")


def _settings() -> tuple[int, frozenset[str], str]:
    return (
        int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0),
        frozenset(getattr(settings, "PAGE_CACHE_VIEWS", ())),
        str(getattr(settings, "PAGE_CACHE_ALIAS", "default")),
    )


def _role_filter() -> Q:
    """One query: does the user hold any role (see ROLE_RELATIONS)?"""
    user_model = get_user_model()
    condition = Q()
    for name in ROLE_RELATIONS:
        try:
            relation = user_model._meta.get_field(name)
        except Exception as error:  # noqa: BLE001 - FieldDoesNotExist, reported plainly
            raise ImproperlyConfigured(
                f"pagecache.ROLE_RELATIONS names {name!r}, which the user model does not have"
            ) from error
        related = relation.related_model
        field = relation.field.name  # type: ignore[union-attr]
        assert related is not None and not isinstance(related, str)
        condition |= Q(Exists(related._default_manager.filter(**{field: OuterRef("pk")})))
    return condition


def viewer_class(request: HttpRequest) -> str | None:
    """ "anon", "plain", or None when the page must be rendered for this viewer."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anon"
    if not user.is_active or user.is_staff or user.is_superuser:
        return None
    # Remembered for the cache's lifetime: a role given by someone else shows
    # as late as their other changes do (one's own writes bypass the cache).
    seconds, _views, alias = _settings()
    key = f"pagecache:v1:role:{user.pk}"
    has_role = caches[alias].get(key)
    if has_role is None:
        has_role = (
            get_user_model()._default_manager.filter(pk=user.pk).filter(_role_filter()).exists()
        )
        caches[alias].set(key, has_role, max(seconds, 1))
    return None if has_role else "plain"


def _has_messages(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(request.COOKIES.get("messages")) or bool(
        session is not None and session.get("_messages")
    )


def _queued_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return bool(storage is not None and getattr(storage, "_queued_messages", None))


def cache_key(request: HttpRequest, viewer: str) -> str:
    path = hashlib.sha256(request.get_full_path().encode("utf-8", "surrogateescape")).hexdigest()
    partial = "hx" if request.headers.get("HX-Request") == "true" else "full"
    language = getattr(request, "LANGUAGE_CODE", "")
    return f"pagecache:v1:{viewer}:{language}:{partial}:{path}"


def _storable(response: HttpResponse, request: HttpRequest) -> dict[str, Any] | None:
    """What is kept of a response, or None when it must not be shared."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    if "private" in response.get("Cache-Control", "") or "no-store" in response.get(
        "Cache-Control", ""
    ):
        return None
    if _queued_messages(request):
        return None
    text = response.content.decode(response.charset or "utf-8")
    tokens = {m.group(2) for m in _TOKEN_FIELD.finditer(text)}
    text = _TOKEN_FIELD.sub(lambda m: m.group(1) + CSRF_PLACEHOLDER + m.group(3), text)
    if any(token and token in text for token in tokens):
        return None  # the token is somewhere else too: do not guess
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    return {"content": text, "headers": headers}


def _response(entry: dict[str, Any], request: HttpRequest) -> HttpResponse:
    text: str = entry["content"]
    if CSRF_PLACEHOLDER in text:
        text = text.replace(CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(text)
    for name, value in entry["headers"].items():
        response[name] = value
    response[HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Place it after the session, authentication and message middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seconds, _views, alias = _settings()
        if seconds <= 0:
            return self.get_response(request)
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            user = getattr(request, "user", None)
            session = getattr(request, "session", None)
            if user is not None and user.is_authenticated and session is not None:
                session[BYPASS_SESSION_KEY] = int(time.time()) + seconds
            return response
        key = getattr(request, "_page_cache_key", None)
        if key is not None and request.method == "GET":
            entry = _storable(response, request)
            if entry is not None:
                caches[alias].set(key, entry, seconds)
                response[HEADER] = "miss"
        return response

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        seconds, views, alias = _settings()
        if seconds <= 0 or request.method != "GET":
            return None
        match = request.resolver_match
        if match is None or match.view_name not in views:
            return None
        if _has_messages(request):
            return None
        session = getattr(request, "session", None)
        if session is not None and session.get(BYPASS_SESSION_KEY, 0) > time.time():
            return None
        viewer = viewer_class(request)
        if viewer is None:
            return None
        key = cache_key(request, viewer)
        entry = caches[alias].get(key)
        if entry is not None:
            return _response(entry, request)
        request._page_cache_key = key  # type: ignore[attr-defined]
        return None
