"""Every allauth page we use renders inside base.html: one <h1>, labelled
fields, our error summary and button classes, no inline script or style."""

from __future__ import annotations

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.urls import reverse
from django.utils import translation

from .factories import UserFactory
from .pagecheck import check_page, error_summary, title_of

pytestmark = pytest.mark.django_db


def _get(client, name, **kwargs):
    with translation.override("en"):
        url = reverse(name, kwargs=kwargs or None)
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    html = response.content.decode()
    check_page(html)
    assert 'class="site-header"' in html  # inside our base.html
    return html


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("account_login", "Sign In"),
        ("account_signup", "Signup"),
        ("account_reset_password", "Password Reset"),
        ("account_reset_password_done", "Password Reset"),
        ("account_reset_password_from_key_done", "Change Password"),
        ("account_email_verification_sent", "Verify Your Email Address"),
        ("account_inactive", "Account Inactive"),
    ],
)
def test_entrance_pages_render_in_our_layout(client, name, title):
    html = _get(client, name)
    assert title_of(html) == f"{title} – hack365"
    assert 'class="button"' in html or name not in {"account_login", "account_signup"}


@pytest.mark.parametrize(
    "name",
    [
        "account_logout",
        "account_change_password",
        "account_email",
        "account_reauthenticate",
    ],
)
def test_manage_pages_render_for_logged_in_users(client, participant, name):
    client.force_login(participant)
    _get(client, name)


def test_email_page_lists_addresses_with_status_in_words(client, participant):
    client.force_login(participant)
    html = _get(client, "account_email")
    assert participant.email in html
    assert "Verified" in html and "Primary" in html
    assert "<fieldset><legend>" in html
    assert 'class="button button-danger"' in html  # "Remove"
    assert 'class="button button-secondary"' in html  # "Re-send verification"


def test_confirm_email_page_valid_and_invalid_key(client):
    user = UserFactory(verified=False)
    address = EmailAddress.objects.create(user=user, email=user.email, primary=True)
    key = EmailConfirmationHMAC(address).key
    html = _get(client, "account_confirm_email", key=key)
    assert user.email in html
    html = _get(client, "account_confirm_email", key="garbage-key")
    assert "expired or is invalid" in html


def test_password_reset_from_key_pages(client, participant):
    token = default_token_generator.make_token(participant)
    html = _get(
        client,
        "account_reset_password_from_key",
        uidb36=user_pk_to_url_str(participant),
        key=token,
    )
    assert 'autocomplete="new-password"' in html
    html = _get(client, "account_reset_password_from_key", uidb36="zz", key="bad-token")
    assert "Bad Token" in html


def test_login_errors_use_the_error_summary(client):
    response = client.post("/en/accounts/login/", {"login": "not-an-address", "password": ""})
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    summary = error_summary(html)
    assert "Please correct the following" in summary
    assert 'href="#id_login"' in html
    assert 'class="field field-error"' in html


def test_login_page_links_to_password_reset_and_marks_fields_required(client):
    html = _get(client, "account_login")
    assert reverse("account_reset_password") in html
    assert "(required)" in html


def test_too_many_requests_page_uses_our_layout(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client.post("/en/accounts/login/", {"login": "a@example.se", "password": "x"})
    response = client.post("/en/accounts/login/", {"login": "a@example.se", "password": "x"})
    assert response.status_code == 429
    html = response.content.decode()
    check_page(html)
    assert "Too many attempts" in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_pages_render_in_both_languages(client, participant, language):
    client.force_login(participant)
    for name in ["account_email", "account_change_password", "account_logout"]:
        with translation.override(language):
            url = reverse(name)
        assert url.startswith(f"/{language}/")
        response = client.get(url)
        assert response.status_code == 200
        check_page(response.content.decode())
