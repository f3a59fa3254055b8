"""Production settings refuse to start without a secret key and allowed hosts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _import_production(
    env: dict[str, str], code: str = "import hack365.settings.production"
) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secrets(env: dict[str, str], message: str) -> None:
    result = _import_production(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_starts_with_secret_and_hosts() -> None:
    result = _import_production({"SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "hack365.example.se"})
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("env", "site_url"),
    [
        (
            {"ALLOWED_HOSTS": "hack365.example.se,www.hack365.example.se"},
            "https://hack365.example.se",
        ),
        ({"ALLOWED_HOSTS": "*,.example.se"}, "https://example.se"),
        (
            {"ALLOWED_HOSTS": "hack365.example.se", "SITE_URL": "https://hack365.se/"},
            "https://hack365.se",
        ),
    ],
)
def test_production_site_url(env: dict[str, str], site_url: str) -> None:
    """The address in e-mails sent outside a request: SITE_URL, else the first host."""
    code = "import hack365.settings.production as s; print(s.HACK365['SITE_URL'])"
    result = _import_production({"SECRET_KEY": "k" * 60, **env}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == site_url


@pytest.mark.parametrize(
    "env",
    [
        {"ALLOWED_HOSTS": "*"},
        {"ALLOWED_HOSTS": "hack365.example.se", "SITE_URL": "hack365.se"},
    ],
)
def test_production_refuses_a_site_url_it_cannot_use(env: dict[str, str]) -> None:
    result = _import_production({"SECRET_KEY": "k" * 60, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SITE_URL" in result.stderr


def test_site_url_outside_production() -> None:
    code = "import hack365.settings.base as s; print(s.HACK365['SITE_URL'])"
    run = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=run, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "http://127.0.0.1:8000"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**run, "SITE_URL": "https://test.hack365.se/"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "https://test.hack365.se"


def test_database_url_selects_postgresql() -> None:
    code = (
        "import hack365.settings.base as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://u@db.example:5432/hack"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["django.db.backends.postgresql", "hack"]


def test_sqlite_default_uses_wal() -> None:
    code = (
        "import hack365.settings.base as s;print(s.DATABASES['default']['OPTIONS']['init_command'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert "journal_mode=WAL" in out.stdout
