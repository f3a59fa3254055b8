"""Logs never contain passwords, tokens or personal identity numbers: every
handler redacts, and the log of the whole test run is grepped at its end."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.conf import settings

from hack365.core.logging import _PERSONNUMMER, RedactSecretsFilter, _is_personnummer, redact
from hack365.demo.content import DEMO_PASSWORD

KNOWN_PASSWORDS = ["correct-horse-battery", DEMO_PASSWORD, "ett-langt-losenord"]
SECRET_PATTERNS = [
    re.compile(r"(?i)password\d?[\"']?\s*[=:]\s*(?!\[redacted\])\S"),
    re.compile(r"(?i)(sessionid|csrftoken|csrfmiddlewaretoken)=(?!\[redacted\])\w"),
    re.compile(r"/password/reset/key/(?!\[redacted\])"),
    re.compile(r"/confirm-email/(?!\[redacted\])[^/\s]"),
]


def test_every_handler_redacts() -> None:
    for name, handler in settings.LOGGING["handlers"].items():
        assert "redact" in handler.get("filters", []), f"handler {name} does not redact"
    assert settings.LOGGING["filters"]["redact"]["()"].endswith("RedactSecretsFilter")


@pytest.mark.parametrize(
    ("message", "secret"),
    [
        ("Not Found: /sv/accounts/password/reset/key/4-c2r9x-8f1e2d/", "c2r9x-8f1e2d"),
        ("Bad Request: /en/accounts/confirm-email/MTI:1uAbc:xyz/", "MTI:1uAbc:xyz"),
        ("POST password=hunter2hunter2&email=a@b.se", "hunter2hunter2"),
        ("form data {'password1': 'correct horse', 'email': 'x'}", "correct horse"),
        ("user entered 19811218-9876 in the bio", "19811218-9876"),
        ("user entered 811218-9876 in the bio", "811218-9876"),
        ("samordningsnummer 701063-2391", "701063-2391"),
        ("Cookie: sessionid=abc123def; csrftoken=zzz999", "abc123def"),
    ],
)
def test_redact_removes_secrets(message: str, secret: str) -> None:
    assert secret not in redact(message)


def test_organisation_numbers_and_dates_are_kept() -> None:
    text = "Lantmäteriet 202100-4888 published 2026-11-22 at 10:15"
    assert redact(text) == text


def test_the_filter_rewrites_records_before_any_handler_formats_them(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    handler = logging.FileHandler(path)
    handler.addFilter(RedactSecretsFilter())
    logger = logging.getLogger("hack365.test.redact")
    logger.addHandler(handler)
    try:
        logger.warning("Not Found: %s", "/sv/accounts/password/reset/key/9-secretkey/")
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert "secretkey" not in path.read_text()
    assert "[redacted]" in path.read_text()


def test_the_configured_handlers_redact_what_django_logs() -> None:
    """A warning from django.request about a password-reset link ends up in
    the run's log (through the handlers the settings configure) without its key."""
    logging.getLogger("django.request").warning(
        "Not Found: %s", "/sv/accounts/password/reset/key/77-leakedtoken123/"
    )
    logging.getLogger("hack365").info("signup data %s", {"password1": "leakedpassword456"})
    for handler in logging.getLogger().handlers:
        handler.flush()
    log = Path(settings.TEST_LOG_FILE).read_text(encoding="utf-8")
    assert "/sv/accounts/password/reset/key/[redacted]/" in log
    assert "leakedtoken123" not in log
    assert "leakedpassword456" not in log


@pytest.mark.run_last
def test_the_log_of_the_whole_run_holds_no_secrets() -> None:
    path = Path(settings.TEST_LOG_FILE)
    log = path.read_text(encoding="utf-8") if path.exists() else ""
    problems = [f"known password {p!r}" for p in KNOWN_PASSWORDS if p in log]
    for pattern in SECRET_PATTERNS:
        problems += [
            f"{pattern.pattern}: …{log[max(0, m.start() - 40) : m.end() + 20]}…"
            for m in pattern.finditer(log)
        ]
    problems += [
        f"personal identity number {m.group(0)}"
        for m in _PERSONNUMMER.finditer(log)
        if _is_personnummer(m)
    ]
    assert not problems, "secrets in the test run's log:\n" + "\n".join(problems[:20])
