"""After 5 failed logins for one account within 30 minutes further attempts
are refused, with the same answer whether the account exists or not."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.conf import settings

from .pagecheck import error_summary

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
WRONG = "wrong-password-123"
RIGHT = "correct-horse-battery"


def attempt(client, email, password, ip="192.0.2.1"):
    response = client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)
    return response


def test_rate_limit_configuration_is_five_per_thirty_minutes_per_account():
    # The requirement lives in settings; this guards it against edits.
    assert "5/30m/key" in settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")


def test_sixth_attempt_is_refused_even_with_the_right_password(client, participant):
    for _ in range(5):
        response = attempt(client, participant.email, WRONG)
        assert response.status_code == 200
        assert "are not correct" in error_summary(response.content.decode())
    response = attempt(client, participant.email, RIGHT)
    assert response.status_code == 200
    assert "Too many failed login attempts" in error_summary(response.content.decode())
    assert "_auth_user_id" not in client.session


def _page(response, email):
    """The page without what legitimately differs: the CSRF token and the
    address the visitor typed (echoed back in the field)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "EMAIL")


def test_same_answers_for_existing_and_unknown_accounts(client, participant):
    def sequence(email, ip):
        answers, pages = [], []
        for _ in range(6):
            response = attempt(client, email, WRONG, ip=ip)
            assert response.status_code == 200
            answers.append(error_summary(response.content.decode()))
            pages.append(_page(response, email))
        return answers, pages

    known, known_pages = sequence(participant.email, "192.0.2.10")
    unknown, unknown_pages = sequence("no-such-person@example.se", "192.0.2.20")
    assert known == unknown
    assert known_pages == unknown_pages
    assert "Too many failed login attempts" in known[-1]
    assert all("are not correct" in answer for answer in known[:5])


def test_the_limit_is_per_account_not_global(client, participant):
    other = participant.__class__.objects.create_user(
        username="other", email="other@example.se", password=RIGHT
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    for _ in range(5):
        attempt(client, participant.email, WRONG, ip="192.0.2.30")
    # Another account, from another address, still logs in.
    response = attempt(client, other.email, RIGHT, ip="192.0.2.31")
    assert response.status_code == 302


def test_a_successful_login_does_not_reset_the_count(client, participant):
    for _ in range(4):
        attempt(client, participant.email, WRONG)
    assert attempt(client, participant.email, RIGHT).status_code == 302
    client.post("/en/accounts/logout/")
    attempt(client, participant.email, WRONG)
    response = attempt(client, participant.email, RIGHT)
    assert "Too many failed login attempts" in error_summary(response.content.decode())


def test_the_lock_lifts_after_thirty_minutes(client, participant):
    import time as real_time

    start = real_time.time()
    with mock.patch("allauth.core.internal.ratelimit.time.time", return_value=start):
        for _ in range(5):
            attempt(client, participant.email, WRONG)
        response = attempt(client, participant.email, RIGHT)
        assert "Too many failed login attempts" in error_summary(response.content.decode())
    with mock.patch("allauth.core.internal.ratelimit.time.time", return_value=start + 29 * 60):
        response = attempt(client, participant.email, RIGHT, ip="192.0.2.99")
        assert "Too many failed login attempts" in error_summary(response.content.decode())
    with mock.patch("allauth.core.internal.ratelimit.time.time", return_value=start + 30 * 60 + 1):
        response = attempt(client, participant.email, RIGHT, ip="192.0.2.98")
        assert response.status_code == 302
