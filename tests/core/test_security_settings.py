"""Security headers on every response, production's cookie and HTTPS
settings, the session idle timeout, and templates free of inline code (so the
strict Content-Security-Policy never has to be loosened)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "hack365"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/sv/", "/en/challenges/", "/sv/accounts/login/", "/sv/accessibility/"]
)
def test_security_headers(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def _production_settings() -> dict[str, object]:
    code = (
        "import json, hack365.settings.production as s;"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','SECURE_SSL_REDIRECT',"
        "'SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','CSRF_COOKIE_SECURE',"
        "'CSRF_COOKIE_HTTPONLY','LANGUAGE_COOKIE_SECURE','DEBUG','SESSION_SAVE_EVERY_REQUEST',"
        "'SESSION_COOKIE_AGE','X_FRAME_OPTIONS','MIDDLEWARE','SESSION_REFRESH_SECONDS']}))"
    )
    env = {**os.environ, "SECRET_KEY": "p" * 60, "ALLOWED_HOSTS": "hack365.example.se"}
    env.pop("SECURE_SSL_REDIRECT", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_production_https_and_cookies() -> None:
    s = _production_settings()
    assert s["DEBUG"] is False
    assert int(s["SECURE_HSTS_SECONDS"]) >= 31_536_000  # type: ignore[call-overload]
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    for name in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
                 "CSRF_COOKIE_HTTPONLY", "LANGUAGE_COOKIE_SECURE"):  # fmt: skip
        assert s[name] is True, name
    assert s["X_FRAME_OPTIONS"] == "DENY"
    # Idle timeout: the session's age restarts with activity (at most a
    # minute late: hack365.core.sessions), not only at login.
    assert "hack365.core.sessions.SessionRefreshMiddleware" in s["MIDDLEWARE"]  # type: ignore[operator]
    assert 0 < int(s["SESSION_REFRESH_SECONDS"]) <= 300  # type: ignore[call-overload]
    assert 0 < int(s["SESSION_COOKIE_AGE"]) <= 12 * 3600  # type: ignore[call-overload]


@pytest.mark.django_db
def test_session_expires_after_idle_time_not_after_login(client, participant) -> None:
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(participant)
    key = client.session.session_key
    session = Session.objects.get(session_key=key)
    # Pretend the last request was long ago: the next request is refused...
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/sv/account/").status_code == 302
    # ...while activity moves the expiry forward.
    client.force_login(participant)
    first = Session.objects.get(session_key=client.session.session_key).expire_date
    client.get("/sv/account/")
    second = Session.objects.get(session_key=client.session.session_key).expire_date
    assert second >= first
    # the refresh is at most a minute late: a session last refreshed longer
    # ago than that gets a new expiry from the next request
    store = client.session
    store["_refreshed_at"] = 0
    store.save()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=5)
    )
    client.get("/sv/account/")
    refreshed = Session.objects.get(session_key=store.session_key).expire_date
    assert refreshed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    # ...and a fresh one is not written again
    client.get("/sv/account/")
    assert Session.objects.get(session_key=store.session_key).expire_date == refreshed
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "inline <style>"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE), "event-handler attribute"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def test_no_template_has_inline_code() -> None:
    problems = []
    templates = list(PACKAGE.glob("**/templates/**/*.html"))
    assert len(templates) > 20
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.relative_to(PACKAGE)}:{line}: {what}")
    assert not problems, "\n".join(problems)
