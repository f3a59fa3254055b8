"""Crawls the whole site with the demo data, as every role in both languages,
and checks every page it reaches (see tests/e2e/crawl.py): axe-core (WCAG 2.2
AA tags), <html lang>, a unique <title>, one <h1>, a skip link, reflow at
200 % zoom, broken links and console errors. New pages are covered as soon as
something links to them."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation

from tests.e2e.conftest import axe_source
from tests.e2e.crawl import PATTERN_CAP, Crawler, CrawlResult

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LANGUAGES = ["sv", "en"]
# role: (e-mail of the demo user or None for a visitor, extra start paths)
ROLES: dict[str, tuple[str | None, list[str]]] = {
    "visitor": (None, []),
    "participant": ("deltagare@demo.hack365.se", ["account/", "my/challenges/"]),
    "need owner": (
        "behov@folkhalsomyndigheten.demo.hack365.se",
        ["account/", "my/challenges/"],
    ),
    "mentor": ("mentor@demo.hack365.se", ["account/", "my/challenges/"]),
    "juror": ("jury@demo.hack365.se", ["account/", "my/challenges/"]),
    "organizer": ("arrangor@demo.hack365.se", ["account/", "my/challenges/", "review/"]),
}
# Pages reached only through a GET form (no link leads there): a filtered list
# with results and one without.
FORM_ONLY = [
    "challenges/?q=data",
    "challenges/?q=ingen-sådan-utmaning&level=local",
    "datasets/?q=skogar&sort=modified",
    "datasets/?q=ingen-sådan-datamängd&theme=ENVI",
    "datasets/?theme=HEAL&format=CSV",
]
# The dataset picker on a challenge's dataset page, with results, for the
# roles that may link datasets to the demo challenge with this slug.
PICKER_CHALLENGE_OWNER = "folkhalsomyndigheten"
PICKER_ROLES = ("need owner", "organizer")
# axe-core is the slow part. By default it runs once per URL pattern, query
# parameter names and page shape for each role and language (see AXE_MODES in
# crawl.py); every page still gets all the other checks. HACK365_A11Y_AXE=
# every-page scans every page (slower), per-pattern once per pattern (quicker).
AXE_MODE = os.environ.get("HACK365_A11Y_AXE", "per-shape")


def url_pattern(language: str, path: str, query: str) -> str:
    """'challenges:detail' for /sv/challenges/<slug>/, plus the query's names."""
    with translation.override(language):
        try:
            name = resolve(path).view_name
        except Resolver404:
            name = path
    names = sorted({part.split("=")[0] for part in query.split("&") if part})
    return name + ("?" + "&".join(names) if names else "")


def session_cookie(email: str, base_url: str) -> dict[str, Any]:
    from hack365.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
        "httpOnly": True,
        "sameSite": "Lax",
    }


def summary(results: list[CrawlResult], seconds: float) -> str:
    width = max(len(r.label) for r in results)
    lines = ["Accessibility crawl", ""]
    lines.append(f"{'role, language':<{width}}  pages  axe runs  problems  seconds")
    for r in results:
        lines.append(
            f"{r.label:<{width}}  {len(r.pages):>5}  {r.axe_runs:>8}  "
            f"{len(r.problems):>8}  {r.seconds:>7.1f}"
        )
    for language in LANGUAGES:
        pages = sum(len(r.pages) for r in results if r.label.endswith(f"/{language}"))
        lines.append(f"pages in /{language}/: {pages}")
    lines.append(f"pages in all: {sum(len(r.pages) for r in results)}")
    skipped: dict[str, int] = {}
    for r in results:
        for pattern, n in r.skipped_by_pattern.items():
            skipped[pattern] = skipped.get(pattern, 0) + n
    for pattern, n in sorted(skipped.items()):
        lines.append(f"not followed past the cap of {PATTERN_CAP} per pattern: {pattern} ×{n}")
    lines.append(f"total time: {seconds:.1f} s")
    return "\n".join(lines)


def _picker_path() -> str:
    from hack365.challenges.models import Challenge, ChallengeStatus

    challenge = (
        Challenge.objects.filter(owner__slug=PICKER_CHALLENGE_OWNER)
        .exclude(status=ChallengeStatus.ARCHIVED)
        .order_by("pk")
        .first()
    )
    assert challenge is not None, f"the demo has no open challenge of {PICKER_CHALLENGE_OWNER}"
    return f"challenges/{challenge.slug}/datasets/?q=covid"


def test_every_page_for_every_role_and_language(browser: Any, live_server: Any) -> None:
    from hack365.core.models import AuditLogEntry
    from hack365.demo.loader import load_demo

    began = time.monotonic()
    load_demo()
    audited = AuditLogEntry.objects.count()
    picker_path = _picker_path()
    source = axe_source()
    results: list[CrawlResult] = []
    for role, (email, extra) in ROLES.items():
        for language in LANGUAGES:
            context = browser.new_context(
                base_url=live_server.url, locale="sv-SE" if language == "sv" else "en-GB"
            )
            if email:
                context.add_cookies([session_cookie(email, live_server.url)])
            page = context.new_page()
            page.set_default_timeout(15_000)
            crawler = Crawler(
                page,
                origin=live_server.url,
                language=language,
                label=f"{role} /{language}",
                axe_source=source,
                axe_mode=AXE_MODE,
                url_pattern=functools.partial(url_pattern, language),
                static_prefixes=(settings.STATIC_URL, settings.MEDIA_URL),
            )
            picker = [picker_path] if role in PICKER_ROLES else []
            start = [f"/{language}/{path}" for path in ["", *extra, *FORM_ONLY, *picker]]
            results.append(
                crawler.crawl(start, not_found=[f"/{language}/no-such-page-{language}/"])
            )
            context.close()
    seconds = time.monotonic() - began

    report = summary(results, seconds)
    problems = [p for r in results for p in r.problems]
    pages = "\n\n".join(f"== {r.label}\n" + "\n".join(r.pages) for r in results)
    details = "\n\n".join(
        f"== {r.label}: {len(r.problems)} problem(s)\n" + "\n".join(str(p) for p in r.problems)
        for r in results
        if r.problems
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "a11y-crawl.txt").write_text(
        report + ("\n\n" + details if details else "") + "\n\nPages crawled\n\n" + pages + "\n",
        encoding="utf-8",
    )
    print("\n" + report)
    assert all(r.pages for r in results)
    # GET only: nothing the crawl did may have changed anything.
    assert AuditLogEntry.objects.count() == audited, "a link the crawl followed changed state"
    assert not problems, f"{len(problems)} accessibility problem(s):\n\n{details}"


GOOD = """<!DOCTYPE html><html lang="sv"><head><title>{title}</title></head><body>
<a href="#main">Till huvudinnehållet</a>
<main id="main"><h1>{title}</h1>{body}</main></body></html>"""
BAD = """<!DOCTYPE html><html lang="en"><head><title>Samma</title>
<style>.wide {{ width: 2000px; }}</style></head><body>
<button>Meny</button><main><h1>Ett</h1><h1>Två</h1><div class="wide">bred</div>
<img src="/static/hack365/favicon.svg">
<script>console.error("trasigt skript");</script>
<ul>{links}</ul></main></body></html>"""


def test_the_crawler_finds_each_kind_of_problem(browser: Any, live_server: Any) -> None:
    """The checks can fail: a fake site (served by intercepting requests) with
    one of each problem, and a correct page that must come out clean."""
    links = [
        "/sv/fake/two/",
        "/sv/fake/two/#main",  # the same page
        "/sv/does-not-exist/",
        "/sv/fake/list/?page=2",
        "/sv/fake/list/?page=3",  # same parameter names: not followed
        "/en/",  # another language
        "/sv/admin/",
        "/sv/accounts/logout/",
        "/static/hack365/site.css",
        "https://example.org/sv/",
    ]
    pages = {
        "/sv/fake/": BAD.format(links="".join(f'<li><a href="{u}">{u}</a></li>' for u in links)),
        "/sv/fake/two/": GOOD.format(title="Samma", body=""),
        "/sv/fake/list/": GOOD.format(title="Lista", body="<p>Sida två.</p>"),
    }

    def fake(route: Any) -> None:
        path = route.request.url.split(live_server.url, 1)[1].split("?")[0]
        # The good pages under a strict policy, like the site's: axe still runs.
        csp = {} if path == "/sv/fake/" else {"Content-Security-Policy": "script-src 'self'"}
        route.fulfill(
            status=200, content_type="text/html; charset=utf-8", body=pages[path], headers=csp
        )

    context = browser.new_context(base_url=live_server.url)
    context.route("**/sv/fake/**", fake)
    page = context.new_page()
    result = Crawler(
        page, origin=live_server.url, language="sv", label="fake", axe_source=axe_source()
    ).crawl(["/sv/fake/"], not_found=["/sv/fake/list/"])
    assert result.pages == [
        "/sv/fake/",
        "/sv/fake/two/",
        "/sv/does-not-exist/",
        "/sv/fake/list/?page=2",
        "/sv/fake/list/",
    ]
    assert result.axe_runs == 3  # not on the 404 page that answered 200
    found = {(p.path, p.check) for p in result.problems}
    bad = "/sv/fake/"
    assert {
        (bad, "lang"),
        (bad, "h1"),
        (bad, "skip-link"),
        (bad, "reflow-200%"),
        (bad, "axe image-alt"),
        (bad, "axe target-size"),  # a list of plain links, 17 px high
        (bad, "console"),
        ("/sv/does-not-exist/", "http"),
        ("/sv/fake/list/", "http"),  # 200 where 404 was expected
        ("/sv/fake/, /sv/fake/two/", "title"),
    } <= found
    clean = [p for p in result.problems if p.path.startswith(("/sv/fake/list/?", "/sv/fake/two/"))]
    assert not clean

    capped = Crawler(
        context.new_page(),
        origin=live_server.url,
        language="sv",
        label="capped",
        axe_source=axe_source(),
        cap=2,
        axe_mode="per-pattern",
        url_pattern=lambda path, query: "one pattern",
    ).crawl(["/sv/fake/"])
    assert capped.cap_hit and ("(crawl)", "cap") in {(p.path, p.check) for p in capped.problems}
    assert capped.pages == ["/sv/fake/", "/sv/fake/two/"] and capped.axe_runs == 1
    context.close()
