"""End-to-end tests: Debian's Chromium driven by Playwright, with axe-core
(shipped on PyPI inside axe-playwright-python) checking every page visited."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import need, need_chromium

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:  # pragma: no cover
        need(False, "axe-playwright-python (axe-core) is not installed")
        raise
    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def inject_axe(page: Any, source: str) -> None:
    """Defines window.axe. Evaluated through the DevTools protocol, which the
    site's Content-Security-Policy does not block (a <script> tag would need
    'unsafe-inline')."""
    page.evaluate(f"() => {{ {source}\n }}")


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Any]:
    from django.db import connections

    executable = need_chromium()
    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover
        need(False, "playwright is not installed")
        raise
    # Playwright's sync API runs an event loop in this thread; the test
    # database is still used synchronously, which is safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        # From here on an event loop runs in this thread, so Django hands out
        # other connection objects (its "async" storage). Give them the rows
        # serialized after migrating, which serialized_rollback restores.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents  # type: ignore[attr-defined]
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AxeChecker:
    """Runs axe-core on a page and collects violations with page, rule and element."""

    def __init__(self) -> None:
        self.source = axe_source()
        self.checked: list[str] = []

    def check(self, page: Any) -> None:
        inject_axe(page, self.source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        self.checked.append(page.url)
        problems = [
            f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert not problems, (
            "axe-core violations:\n"
            + "\n".join(problems)
            + "\n"
            + json.dumps(
                [v["nodes"][0]["failureSummary"] for v in result["violations"]], ensure_ascii=False
            )
        )


@pytest.fixture(autouse=True)
def _restore_migrated_data(django_db_serialized_rollback: None) -> None:
    """Transactional tests empty the database afterwards, including the rows
    data migrations load (themes, counties); restore them before each test."""


@pytest.fixture(autouse=True)
def _fresh_search_index() -> Iterator[None]:
    """Each test starts with an empty search index: the in-memory index, and
    the postgres backend's tables, outlive the rows of earlier tests
    (transactional tests flush the models' tables only), and would count them."""
    from django.db import connection

    from hack365.catalog.search import reset_backends

    reset_backends()
    if connection.vendor == "postgresql":
        # The postgres backend's tables are not the models' own, so the flush
        # after a transactional test leaves their rows behind.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_search_document")
            cursor.execute("DELETE FROM catalog_search_sample")
    yield
    reset_backends()


@pytest.fixture
def axe() -> AxeChecker:
    return AxeChecker()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
