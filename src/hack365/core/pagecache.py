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

Pages that change only with a harvest (the dataset pages) may be kept longer:
``settings.PAGE_CACHE_VIEW_SECONDS`` maps a view name to its seconds (never
less than ``PAGE_CACHE_SECONDS``).

Many readers, one render: an entry stays *fresh* for ``PAGE_CACHE_SECONDS``
and is kept ``PAGE_CACHE_STALE_SECONDS`` longer. When it is no longer fresh,
the first request to ask takes a short lock (``cache.add``) and renders the
page anew; everybody else meanwhile gets the stale copy (``X-Page-Cache:
stale``) instead of rendering the same page too. When there is no copy at
all (a cold cache), the others wait up to ``WAIT_SECONDS`` for the one render
rather than all rendering it. Without this, a burst of readers on a cold
cache renders each page once per reader, the queue grows past the fresh time,
every request misses, and the server never catches up. A page that now
answers a redirect or an error (e.g. a challenge taken down) is removed, not
served stale.

Whether a participant holds a role is remembered for ``ROLE_SECONDS`` and
forgotten as soon as a role row (``ROLE_RELATIONS``) or the account changes
(signals, connected in ``CoreConfig.ready``); a cached page for a plain
participant costs no database query (see ``viewer_class``). Changes made
without signals (``QuerySet.update`` on accounts) show within
``ROLE_SECONDS``; what such a participant sees meanwhile is a public page.
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
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, Model, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.crypto import constant_time_compare

# Reverse relations on the user model: holding any of them is a role.
ROLE_RELATIONS = ("memberships", "team_memberships", "mentor_profile", "jury_roles")
BYPASS_SESSION_KEY = "_pagecache_bypass_until"
CSRF_PLACEHOLDER = "\x00hack365-csrf\x00"
HEADER = "X-Page-Cache"
ROLE_SECONDS = 3600
LOCK_SECONDS = 30  # a render that takes longer lets a second one start
WAIT_SECONDS = 3.0  # a cold entry: how long the others wait for the one render
WAIT_STEP = 0.05
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')
_KEPT_HEADERS = ("Content-Type", "Vary", "Content-Language", "Cache-Control")


def _settings() -> tuple[int, frozenset[str], str]:
    return (
        int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0),
        frozenset(getattr(settings, "PAGE_CACHE_VIEWS", ())),
        str(getattr(settings, "PAGE_CACHE_ALIAS", "default")),
    )


def _view_seconds(view_name: str, seconds: int) -> int:
    """PAGE_CACHE_SECONDS, or longer for the views in PAGE_CACHE_VIEW_SECONDS
    (pages that change only with a harvest)."""
    longer = getattr(settings, "PAGE_CACHE_VIEW_SECONDS", {}) or {}
    return max(seconds, int(longer.get(view_name, seconds)))


def _stale_seconds() -> int:
    return max(int(getattr(settings, "PAGE_CACHE_STALE_SECONDS", 60) or 0), 0)


def _role_key(user_pk: Any) -> str:
    return f"pagecache:v2:viewer:{user_pk}"  # v1 held another meaning


def forget_role(user_pk: Any) -> None:
    """The next page for this user asks the database again whether they hold
    a role (called when a role row or the account changes)."""
    if user_pk is None:
        return
    _seconds, _views, alias = _settings()
    caches[alias].delete(_role_key(user_pk))


def _role_relations() -> list[tuple[type[Model], str]]:
    """(model, attribute holding the user's id) for each of ROLE_RELATIONS."""
    user_model = get_user_model()
    out = []
    for name in ROLE_RELATIONS:
        try:
            relation = user_model._meta.get_field(name)
        except Exception as error:  # noqa: BLE001 - FieldDoesNotExist, reported plainly
            raise ImproperlyConfigured(
                f"pagecache.ROLE_RELATIONS names {name!r}, which the user model does not have"
            ) from error
        related = relation.related_model
        assert related is not None and not isinstance(related, str)
        out.append((related, relation.field.attname))  # type: ignore[union-attr]
    return out


def connect_signals() -> None:
    """Forget the remembered role flag when a role row or an account changes."""

    def role_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        forget_role(getattr(instance, sender_fields[sender], None))

    def account_changed(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        forget_role(instance.pk)

    sender_fields = dict(_role_relations())
    for model in sender_fields:
        uid = f"hack365.core.pagecache.role.{model._meta.label}"
        post_save.connect(role_changed, sender=model, weak=False, dispatch_uid=uid + ".save")
        post_delete.connect(role_changed, sender=model, weak=False, dispatch_uid=uid + ".delete")
    user_model = get_user_model()
    post_save.connect(
        account_changed, sender=user_model, weak=False, dispatch_uid="hack365.core.pagecache.user"
    )


def _role_filter() -> Q:
    """One query: does the user hold any role (see ROLE_RELATIONS)?"""
    condition = Q()
    for related, user_attname in _role_relations():
        condition |= Q(Exists(related._default_manager.filter(**{user_attname: OuterRef("pk")})))
    return condition


_UNKNOWN: Any = object()


def viewer_class(request: HttpRequest, remembered: Any = _UNKNOWN) -> str | None:
    """ "anon", "plain", or None when the page must be rendered for this viewer.

    A participant already known to be plain is recognised from the session
    alone: the remembered flag holds the session auth hash that Django checked
    when the flag was set, so the account row is not read again for a cached
    page (the flag is forgotten when the account or a role row changes)."""
    session = getattr(request, "session", None)
    user_pk = session.get(SESSION_KEY) if session is not None else None
    _seconds, _views, alias = _settings()
    session_hash = ""
    if user_pk is not None and session is not None:
        session_hash = str(session.get(HASH_SESSION_KEY) or "")
        if remembered is _UNKNOWN:
            remembered = caches[alias].get(_role_key(user_pk))
        if remembered is False:
            return None
        if remembered and session_hash and constant_time_compare(remembered, session_hash):
            return "plain"
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anon"
    key = _role_key(user.pk)
    if not user.is_active or user.is_staff or user.is_superuser:
        caches[alias].set(key, False, ROLE_SECONDS)
        return None
    has_role = get_user_model()._default_manager.filter(pk=user.pk).filter(_role_filter()).exists()
    if has_role:
        caches[alias].set(key, False, ROLE_SECONDS)
        return None
    if session_hash and str(user.pk) == str(user_pk):
        caches[alias].set(key, session_hash, ROLE_SECONDS)  # verified by get_user()
    return "plain"


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
    return f"pagecache:v2:{viewer}:{language}:{partial}:{path}"


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


def _response(entry: dict[str, Any], request: HttpRequest, how: str = "hit") -> HttpResponse:
    text: str = entry["content"]
    if CSRF_PLACEHOLDER in text:
        text = text.replace(CSRF_PLACEHOLDER, get_token(request))
    response = HttpResponse(text)
    for name, value in entry["headers"].items():
        response[name] = value
    response[HEADER] = how
    return response


def _is_fresh(entry: dict[str, Any], now: float) -> bool:
    return float(entry.get("fresh_until", 0)) > now


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
        if key is None or request.method != "GET":
            return response
        cache = caches[alias]
        try:
            entry = _storable(response, request)
            if entry is not None:
                fresh = int(getattr(request, "_page_cache_seconds", seconds))
                entry["fresh_until"] = time.time() + fresh
                cache.set(key, entry, fresh + _stale_seconds())
                response[HEADER] = "miss"
            elif 300 <= response.status_code < 500:
                cache.delete(key)  # the page is gone or moved: no stale copy of it
        finally:
            lock = getattr(request, "_page_cache_lock", None)
            if lock is not None:
                cache.delete(lock)
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
        cache = caches[alias]
        # A logged-in reader: their remembered flag and the plain page in one call.
        user_pk = session.get(SESSION_KEY) if session is not None else None
        fetched: dict[str, Any] = {}
        remembered: Any = _UNKNOWN
        if user_pk is not None:
            plain_key, flag_key = cache_key(request, "plain"), _role_key(user_pk)
            fetched = cache.get_many([flag_key, plain_key])
            remembered = fetched.get(flag_key)
        viewer = viewer_class(request, remembered)
        if viewer is None:
            return None
        key = cache_key(request, viewer)
        entry = fetched[key] if key in fetched else cache.get(key)
        now = time.time()
        request._page_cache_seconds = _view_seconds(match.view_name, seconds)  # type: ignore[attr-defined]
        if entry is not None and _is_fresh(entry, now):
            return _response(entry, request)
        lock = key + ":lock"
        if cache.add(lock, 1, LOCK_SECONDS):
            request._page_cache_lock = lock  # type: ignore[attr-defined]
        elif entry is not None:
            return _response(entry, request, "stale")  # someone else renders it anew
        else:
            # A cold entry that another request is rendering: wait for it.
            for _step in range(round(WAIT_SECONDS / WAIT_STEP)):
                time.sleep(WAIT_STEP)
                entry = cache.get(key)
                if entry is not None:
                    return _response(entry, request)
        request._page_cache_key = key  # type: ignore[attr-defined]
        return None
