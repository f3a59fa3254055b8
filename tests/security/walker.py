"""Every URL pattern of the project, as data: walk ``get_resolver()``
recursively (the language-prefixed patterns, allauth's and the admin's
included) and build concrete paths from sample values.

A :class:`Route` is one ``URLPattern`` with the chain of patterns above it.
Its ``key`` is the pattern's full name (``"challenges:detail"``) or, for the
few unnamed patterns (the admin's redirects and catch-all), its route with
the language prefix written as ``<lang>`` (``"route:<lang>/admin/(?P<url>.*)$"``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cache
from typing import Any
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import translation

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_GROUP_START = re.compile(r"\(\?P<(?P<name>\w+)>")
# Characters left unquoted in the paths we build; ``quote`` escapes the rest,
# so a NUL byte in a value is sent as %00 and "åäö" as UTF-8.
_SAFE = "/:@-._~!$&'()*+,;="


class CannotBuild(Exception):
    """The walker cannot turn this pattern into a path."""


@dataclass(frozen=True)
class Param:
    name: str
    regex: str  # what the converter or regex group accepts
    converter: Any = None  # a path converter (route patterns only)

    def accepts(self, value: str) -> bool:
        return re.fullmatch(self.regex, value) is not None


@dataclass(frozen=True)
class Route:
    key: str
    name: str | None
    pieces: tuple[Any, ...]  # pattern objects, root first
    callback: Callable[..., Any]
    params: tuple[Param, ...]

    @property
    def i18n(self) -> bool:
        return any(isinstance(p, LocalePrefixPattern) for p in self.pieces)

    @property
    def template(self) -> str:
        """The route with ``<lang>`` for the language prefix."""
        return "".join(
            "<lang>/" if isinstance(p, LocalePrefixPattern) else str(p) for p in self.pieces
        )

    @property
    def is_admin(self) -> bool:
        return (self.name or "").startswith("admin:") or self.template.startswith("<lang>/admin/")

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def path(self, values: Mapping[str, str] | None = None, *, lang: str = "sv") -> str:
        """The path for ``values`` (raw strings, quoted here). Values are not
        checked against the converters, so unknown or malformed ones can be sent."""
        values = values or {}
        missing = set(self.param_names) - set(values)
        if missing:
            raise CannotBuild(f"{self.key}: no value for {sorted(missing)}")
        parts = []
        for piece in self.pieces:
            if isinstance(piece, LocalePrefixPattern):
                with translation.override(lang):
                    parts.append(piece.language_prefix)
            elif isinstance(piece, RoutePattern):
                parts.append(_ROUTE_PARAM.sub(lambda m: _q(values[m.group("name")]), str(piece)))
            elif isinstance(piece, RegexPattern):
                parts.append(_fill_regex(str(piece), values, self.key))
            else:  # pragma: no cover - a new kind of pattern
                raise CannotBuild(f"{self.key}: unknown pattern type {type(piece).__name__}")
        return "/" + "".join(parts)

    def resolves_here(self, path: str, *, lang: str = "sv") -> bool:
        """``path`` resolves to this pattern (not to another one before it)."""
        with translation.override(lang):
            try:
                match = resolve(path.split("?", 1)[0])
            except Exception:
                return False
        if match.func is not self.callback:
            return False
        return self.name is None or match.view_name == self.name


def _q(value: str) -> str:
    return quote(value, safe=_SAFE)


def _fill_regex(regex: str, values: Mapping[str, str], key: str) -> str:
    """Replace each named group of ``regex`` by its value and drop the anchors.
    Refuses regexes with other syntax (an optional part, a class outside a group)."""
    out = []
    i = 0
    if regex.startswith("^"):
        i = 1
    while i < len(regex):
        match = _GROUP_START.match(regex, i)
        if match:
            end = _group_end(regex, match.end())
            out.append(_q(values[match.group("name")]))
            i = end + 1
            continue
        char = regex[i]
        if char == "\\" and i + 1 < len(regex) and not regex[i + 1].isalnum():
            out.append(regex[i + 1])
            i += 2
            continue
        if char == "$" and i == len(regex) - 1:
            break
        if char in "^$()[]{}?*+|\\.":
            raise CannotBuild(f"{key}: cannot build a path from the regex {regex!r}")
        out.append(char)
        i += 1
    return "".join(out)


def _group_end(regex: str, start: int) -> int:
    depth = 1
    i = start
    while i < len(regex):
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise CannotBuild(f"unbalanced group in {regex!r}")


def _group_regexes(regex: str) -> list[Param]:
    params = []
    for match in _GROUP_START.finditer(regex):
        end = _group_end(regex, match.end())
        params.append(Param(match.group("name"), regex[match.end() : end]))
    return params


def _params(piece: Any) -> list[Param]:
    if isinstance(piece, RoutePattern):
        params = []
        for match in _ROUTE_PARAM.finditer(str(piece)):
            converter = piece.converters[match.group("name")]
            params.append(Param(match.group("name"), converter.regex, converter))
        return params
    if isinstance(piece, RegexPattern):
        return _group_regexes(str(piece))
    return []


def _walk(
    patterns: list[URLPattern | URLResolver],
    pieces: tuple[Any, ...],
    namespace: str | None,
) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, (*pieces, entry.pattern), ns)
            continue
        chain = (*pieces, entry.pattern)
        name = entry.name
        if name and namespace:
            name = f"{namespace}:{name}"
        params = tuple(param for piece in chain for param in _params(piece))
        yield Route(key=name or "", name=name, pieces=chain, callback=entry.callback, params=params)


@cache
def all_routes() -> tuple[Route, ...]:
    """Every URL pattern of the project, in resolver order. Unnamed patterns,
    and a second pattern with a name already used (Django allows that), are
    keyed by their route."""
    routes: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns, (), None):
        key = route.key
        if not key:
            key = f"route:{route.template}"
        elif key in routes:
            key = f"{key}@{route.template}"
        routes[key] = replace(route, key=key)
    return tuple(routes.values())


def route_by_key() -> dict[str, Route]:
    return {route.key: route for route in all_routes()}
