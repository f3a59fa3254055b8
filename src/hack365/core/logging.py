"""A logging filter that keeps secrets out of the logs: passwords, tokens
(in URLs of password-reset and e-mail-confirmation links, session and CSRF
values) and Swedish personal identity numbers."""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # key=value pairs whose key names a secret (query strings, form dumps, reprs)
    (
        re.compile(
            r"(?i)((?:password\d?|passwd|pwd|secret|token|api[_-]?key|csrfmiddlewaretoken|"
            r"sessionid|csrftoken|key)[\"']?\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s&\"',;}]+)"
        ),
        r"\1" + REDACTED,
    ),
    # allauth's one-time links: /accounts/confirm-email/<key>/, /password/reset/key/<uid>-<key>/
    (re.compile(r"(/confirm-email/)[^/\s]+"), r"\1" + REDACTED),
    (re.compile(r"(/password/reset/key/)[^/\s]+"), r"\1" + REDACTED),
    (re.compile(r"(?i)(Authorization:\s*\w+\s+)\S+"), r"\1" + REDACTED),
]

# YYMMDD-NNNN or YYYYMMDDNNNN (also with +); checked for a real date and the
# Luhn digit below, so organisation numbers (month 20+) are left alone.
_PERSONNUMMER = re.compile(r"(?<!\d)(?:19|20)?(\d{2})(\d{2})(\d{2})[-+]?(\d{3})(\d)(?!\d)")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _is_personnummer(match: re.Match[str]) -> bool:
    yy, mm, dd, serial, check = match.groups()
    day = int(dd) - 60 if int(dd) > 60 else int(dd)  # samordningsnummer
    return 1 <= int(mm) <= 12 and 1 <= day <= 31 and _luhn_ok(yy + mm + dd + serial + check)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return _PERSONNUMMER.sub(lambda m: REDACTED if _is_personnummer(m) else m.group(0), text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
