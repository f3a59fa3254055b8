"""Production settings refuse to start without a secret key and allowed hosts."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _import_production(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import hack365.settings.production"],
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
