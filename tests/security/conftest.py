"""Fixtures for the URL walker and the permission matrix.

``world`` is built once for the package, inside a transaction that is rolled
back at the end; each test runs in its own savepoint inside it (pytest-django's
``db``), and each request in yet another one (``world.rolled_back``), so no
request sees what another one did."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import django.test.client
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation
from pytest_django import DjangoDbBlocker

from .world import World, build_world


@pytest.fixture(scope="package")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _clean_state() -> Iterator[None]:
    """Swedish active, an empty cache (allauth's and our rate limits count
    there) before and after each test: a request to an /en/ page leaves
    English active in the thread."""
    cache.clear()
    with translation.override(settings.LANGUAGE_CODE):
        yield
    cache.clear()


@pytest.fixture(autouse=True)
def _quiet_request_log() -> Iterator[None]:
    """Hundreds of deliberate 403s and 404s: log only server errors (a 500
    still prints its traceback)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def _no_template_capture(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test client copies the context of every template it renders (a
    form field is a template) for response.context; these tests only look at
    statuses, and skipping the copies makes the thousands of requests faster."""
    monkeypatch.setattr(django.test.client, "store_rendered_templates", lambda *a, **k: None)
