"""A breadth-first accessibility crawler for the end-to-end tests.

It follows same-origin links inside one language prefix, GET only, and checks
every page it reaches: HTTP status, console errors, <html lang>, <title>,
exactly one <h1>, a skip link to <main>, no horizontal scrolling at 200 % zoom
(a 640 px wide viewport) and axe-core (see AXE_MODES). Problems are collected,
not raised, so that one run lists all of them."""

from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.e2e.conftest import AXE_TAGS, inject_axe

DESKTOP = {"width": 1280, "height": 900}
ZOOM_200 = {"width": 640, "height": 450}  # the desktop window at 200 % zoom
PAGE_CAP = 320
# At most this many pages of one URL pattern are crawled (one dataset page
# per harvested dataset would otherwise grow the crawl with the catalog):
# pages of a pattern come from one template, and the first ones found
# (linked from lists, challenges and the demo's varied data) show its
# branches. Links past it are counted in the summary, not followed.
PATTERN_CAP = 20
# every-page: axe-core on every page crawled. per-shape: once per URL pattern
# and page shape (the set of kinds of elements: tag, classes, type, role and
# aria-* names), so that pages from the same template branches, differing only
# in text and number of rows, are scanned once. per-pattern: once per pattern.
AXE_MODES = ("every-page", "per-shape", "per-pattern")

# Never followed (paths after the language prefix): Django's admin is not
# part of the site's own pages, and logging out changes state.
SKIPPED_PREFIXES = ("admin/",)
SKIPPED_WORDS = ("logout",)

PAGE_FACTS_JS = """() => ({
  lang: document.documentElement.getAttribute('lang'),
  title: document.title.trim(),
  h1: document.querySelectorAll('h1').length,
  links: Array.from(document.querySelectorAll('a[href]'), a => ({
    href: a.href, download: a.hasAttribute('download')
  })),
  // The kinds of elements on the page (not how many, nor their text): pages
  // built from the same template branches have the same shape.
  shape: Array.from(new Set(Array.from(document.querySelectorAll('body *'), el =>
    [el.tagName, ...Array.from(el.classList).sort(), el.getAttribute('type') || '',
     el.getAttribute('role') || '',
     ...el.getAttributeNames().filter(name => name.startsWith('aria-')).sort()].join(' ')
  ))).sort().join('\\n'),
})"""

SKIP_LINK_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return 'nothing receives focus on the first Tab';
  }
  const html = el.outerHTML.slice(0, 160);
  if (el.tagName !== 'A') return 'the first focusable element is not a link: ' + html;
  const href = el.getAttribute('href') || '';
  if (!href.startsWith('#') || href.length < 2) {
    return 'the first link does not point into the page: ' + html;
  }
  const target = document.getElementById(decodeURIComponent(href.slice(1)));
  if (!target) return 'the skip link target ' + href + ' does not exist';
  if (target.tagName !== 'MAIN') {
    return 'the skip link target ' + href + ' is a <' + target.tagName.toLowerCase()
      + '>, not <main>';
  }
  return '';
}"""

OVERFLOW_JS = """() => {
  const width = window.innerWidth;
  const scroll = document.documentElement.scrollWidth;
  if (scroll <= width + 1) return '';
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '');
  // Is el inside a scrolling box that fits (a .table-wrap)? An absolutely
  // positioned element escapes every box up to its containing block.
  const clipped = el => {
    let position = getComputedStyle(el).position;
    if (position === 'fixed') return false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      const positioned = style.position !== 'static';
      if ((position !== 'absolute' || positioned) && style.overflowX !== 'visible'
          && a.getBoundingClientRect().right <= width + 1) return true;
      if (positioned) position = style.position;
    }
    return false;
  };
  const wide = Array.from(document.body.querySelectorAll('*')).filter(el => {
    const box = el.getBoundingClientRect();
    return box.right > width + 1 && box.width > 0 && !clipped(el);
  });
  const leaves = wide.filter(el => !wide.some(other => other !== el && el.contains(other)));
  return 'scrollWidth ' + scroll + ' > innerWidth ' + width + '; too wide: '
    + leaves.slice(0, 5).map(el => name(el) + ' (right edge at '
      + Math.round(el.getBoundingClientRect().right) + ' px)').join(', ');
}"""

AXE_RUN_JS = """async (tags) => {
  if (typeof axe !== 'object') return null;
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '),
                                          summary: n.failureSummary})),
    count: v.nodes.length,
  }));
}"""


@dataclass
class Problem:
    path: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path}\n    [{self.check}] {self.detail}"


@dataclass
class CrawlResult:
    label: str
    pages: list[str] = field(default_factory=list)  # URLs checked, in crawl order
    axe_runs: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)
    cap_hit: bool = False
    # URL pattern -> links not followed because PATTERN_CAP pages of it were
    skipped_by_pattern: dict[str, int] = field(default_factory=dict)


def link_key(path: str, query: str) -> str:
    """Pages that differ only in query values share a key: one representative
    per path and set of parameter names (one filtered list, one page=2 …)."""
    names = sorted({name for name, _value in parse_qsl(query, keep_blank_values=True)})
    return path + ("?" + "&".join(names) if names else "")


class Crawler:
    """Crawls one role in one language with one Playwright page."""

    def __init__(
        self,
        page: Any,
        *,
        origin: str,
        language: str,
        label: str,
        axe_source: str,
        axe_mode: str = "every-page",
        url_pattern: Callable[[str, str], str] = link_key,
        static_prefixes: Iterable[str] = ("/static/", "/media/"),
        cap: int = PAGE_CAP,
        pattern_cap: int = PATTERN_CAP,
    ) -> None:
        self.page = page
        self.origin = origin.rstrip("/")
        self.language = language
        self.prefix = f"/{language}/"
        self.axe_source = axe_source
        if axe_mode not in AXE_MODES:
            raise ValueError(f"axe_mode must be one of {AXE_MODES}")
        self.axe_mode = axe_mode
        # (path, query) -> the URL pattern: 'challenges:detail?page'
        self.url_pattern = url_pattern
        self.static_prefixes = tuple(static_prefixes)
        self.cap = cap
        self.pattern_cap = pattern_cap
        self._per_pattern: dict[str, int] = {}
        self.result = CrawlResult(label=label)
        self.console: list[str] = []
        self._axe_done: set[str] = set()
        self._checked: set[str] = set()
        # axe-core in every document from its start: quicker than injecting it
        # into each page afterwards, and no Content-Security-Policy blocks it.
        page.add_init_script(script=axe_source)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            self.console.append(f"{message.text} ({where})" if where else message.text)

    # -- link selection ------------------------------------------------------

    def in_scope(self, url: str) -> tuple[str, str] | None:
        """(path, query) of a link the crawl follows, or None."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return None
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return None
        path = parts.path or "/"
        if not path.startswith(self.prefix):
            return None  # another language, /i18n/, /api/, feeds …
        rest = path[len(self.prefix) :]
        if rest.startswith(SKIPPED_PREFIXES) or any(word in path for word in SKIPPED_WORDS):
            return None
        if path.startswith(self.static_prefixes) or "/i18n/" in path:
            return None
        return path, parts.query

    # -- crawl ---------------------------------------------------------------

    def crawl(self, start_paths: Iterable[str], not_found: Iterable[str] = ()) -> CrawlResult:
        """Follows links from start_paths; not_found are paths that must
        answer 404 with a page that passes the same checks."""
        began = time.monotonic()
        queue: deque[tuple[str, str, str]] = deque()  # path, query, linked from
        seen: set[str] = set()
        titles: dict[str, set[str]] = {}
        for start in start_paths:
            path, _, query = start.partition("?")
            key = link_key(path, query)
            if key not in seen:
                seen.add(key)
                queue.append((path, query, "a start page"))
        while queue:
            if len(self.result.pages) >= self.cap:
                self.result.cap_hit = True
                break
            path, query, referrer = queue.popleft()
            url = path + ("?" + query if query else "")
            facts = self.visit(url, referrer)
            if facts is None:
                continue
            titles.setdefault(facts["title"], set()).add(urlsplit(self.page.url).path)
            self._follow(facts, url, seen, queue)
        for path in not_found:
            facts = self.visit(path, "an unknown address", expect=404)
            if facts is not None:
                titles.setdefault(facts["title"], set()).add(path)
        for title, paths in sorted(titles.items()):
            if title and len(paths) > 1:
                self.problem(
                    ", ".join(sorted(paths)),
                    "title",
                    f"the same <title> {title!r} on {len(paths)} paths",
                )
        if self.result.cap_hit:
            self.problem(
                "(crawl)",
                "cap",
                f"stopped at the cap of {self.cap} pages with {len(queue)} still queued: "
                "the site grew, raise the cap or bound the new links",
            )
        self.result.seconds = time.monotonic() - began
        return self.result

    def _follow(
        self,
        facts: dict[str, Any],
        url: str,
        seen: set[str],
        queue: deque[tuple[str, str, str]],
    ) -> None:
        for link in facts["links"]:
            if link["download"]:
                continue
            target = self.in_scope(link["href"])
            if target is None:
                continue
            key = link_key(*target)
            if key in seen:
                continue
            seen.add(key)
            pattern = self.url_pattern(*target)
            if self._per_pattern.get(pattern, 0) >= self.pattern_cap:
                self.result.skipped_by_pattern[pattern] = (
                    self.result.skipped_by_pattern.get(pattern, 0) + 1
                )
                continue
            self._per_pattern[pattern] = self._per_pattern.get(pattern, 0) + 1
            queue.append((*target, f"linked from {url}"))

    def problem(self, path: str, check: str, detail: str) -> None:
        self.result.problems.append(Problem(path, check, detail))

    def visit(self, url: str, referrer: str, expect: int = 200) -> dict[str, Any] | None:
        page = self.page
        page.set_viewport_size(DESKTOP)
        self.console.clear()
        try:
            response = page.goto(url, wait_until="load")
        except Exception as error:  # noqa: BLE001 - a navigation error is a finding
            self.problem(url, "navigation", f"{error} ({referrer})")
            return None
        final = urlsplit(page.url)
        here = final.path + ("?" + final.query if final.query else "")
        if response is None:
            self.problem(url, "navigation", f"no response ({referrer})")
            return None
        final_key = link_key(final.path, final.query)
        if final_key in self._checked:
            return None  # a redirect to a page already checked
        self._checked.add(final_key)
        self.result.pages.append(here)
        if response.status != expect and (response.status >= 400 or expect >= 400):
            self.problem(url, "http", f"status {response.status}, expected {expect} ({referrer})")
            return None
        if "text/html" not in (response.headers.get("content-type") or ""):
            return None
        facts: dict[str, Any] = page.evaluate(PAGE_FACTS_JS)
        self.check_facts(here, facts)
        self.check_axe(here, facts["shape"])
        self.check_skip_link(here)
        self.check_zoom(here)
        # Console errors are read last: axe and the resize may also log some.
        for message in dict.fromkeys(self.console):
            if expect >= 400 and f"status of {expect}" in message and url in message:
                continue  # the browser's note on the expected status itself
            self.problem(here, "console", message)
        return facts

    def check_facts(self, here: str, facts: dict[str, Any]) -> None:
        if facts["lang"] != self.language:
            self.problem(here, "lang", f"<html lang={facts['lang']!r}>, expected {self.language!r}")
        title = facts["title"]
        if not title or title.startswith(("–", "-")):
            self.problem(here, "title", f"empty <title> ({title!r})")
        if facts["h1"] != 1:
            self.problem(here, "h1", f"{facts['h1']} <h1> elements, expected exactly 1")

    def check_skip_link(self, here: str) -> None:
        self.page.keyboard.press("Tab")
        failure = self.page.evaluate(SKIP_LINK_JS)
        if failure:
            self.problem(here, "skip-link", failure)

    def check_zoom(self, here: str) -> None:
        self.page.set_viewport_size(ZOOM_200)
        failure = self.page.evaluate(OVERFLOW_JS)
        if failure:
            self.problem(here, "reflow-200%", failure)

    def check_axe(self, here: str, shape: str) -> None:
        if self.axe_mode != "every-page":
            parts = urlsplit(here)
            key = self.url_pattern(parts.path, parts.query)
            if self.axe_mode == "per-shape":
                key += " " + hashlib.sha256(shape.encode()).hexdigest()
            if key in self._axe_done:
                return
            self._axe_done.add(key)
        violations = self.page.evaluate(AXE_RUN_JS, AXE_TAGS)
        if violations is None:  # the init script did not run (an error page?)
            inject_axe(self.page, self.axe_source)
            violations = self.page.evaluate(AXE_RUN_JS, AXE_TAGS)
        self.result.axe_runs += 1
        for v in violations:
            nodes = "\n".join(
                f"      - {n['target']}: {' '.join(n['summary'].split())}" for n in v["nodes"]
            )
            more = f"\n      … and {v['count'] - len(v['nodes'])} more" if v["count"] > 5 else ""
            self.problem(here, f"axe {v['id']}", f"({v['impact']}) {v['help']}\n{nodes}{more}")
