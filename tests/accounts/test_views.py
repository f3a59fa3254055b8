"""Who may open the account pages, CSRF on every POST, methods, garbage."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hack365.accounts.models import Consent, Demographics, User

from .pagecheck import check_page

pytestmark = pytest.mark.django_db

PAGES = ["accounts:profile", "accounts:demographics", "accounts:export", "accounts:delete"]
POST_ONLY = ["accounts:demographics_withdraw"]


def url(name: str) -> str:
    with translation.override("en"):
        return reverse(name)


@pytest.mark.parametrize("name", PAGES + POST_ONLY)
def test_anonymous_is_sent_to_login(client, name):
    for response in (client.get(url(name)), client.post(url(name))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]


@pytest.mark.parametrize("role", ["participant", "need_owner", "other_need_owner", "organizer"])
@pytest.mark.parametrize("name", PAGES)
def test_every_logged_in_role_sees_their_own_pages(client, request, role, name):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(url(name))
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert user.email in html or name != "accounts:profile"


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(user_client, name):
    assert user_client.get(url(name)).status_code == 405


@pytest.mark.parametrize("name", PAGES)
def test_other_methods_are_refused(user_client, name):
    assert user_client.put(url(name)).status_code == 405
    assert user_client.delete(url(name)).status_code == 405


@pytest.fixture
def csrf_client(participant):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    return client


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("accounts:profile", {"display_name": "Hacked"}),
        ("accounts:demographics", {"gender": "woman", "age_band": "25-34", "consent": "on"}),
        ("accounts:demographics_withdraw", {}),
        ("accounts:export", {}),
        ("accounts:delete", {"password": "correct-horse-battery", "confirm_email": "x"}),
    ],
)
def test_every_post_needs_the_csrf_token(csrf_client, participant, name, data):
    response = csrf_client.post(url(name), data)
    assert response.status_code == 403
    participant.refresh_from_db()
    assert str(participant) != "Hacked"
    assert not Demographics.objects.exists()


def test_with_the_csrf_token_the_post_goes_through(csrf_client, participant):
    page = csrf_client.get(url("accounts:demographics"))
    token = page.context["csrf_token"]
    response = csrf_client.post(
        url("accounts:demographics"),
        {
            "gender": "woman",
            "age_band": "25-34",
            "consent": "on",
            "csrfmiddlewaretoken": str(token),
        },
    )
    assert response.status_code == 302
    assert Consent.objects.filter(user=participant).exists()


def test_allauth_login_needs_the_csrf_token(participant):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/en/accounts/login/", {"login": participant.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 403
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_garbage_query_strings_and_bodies_never_fail(user_client, participant, name):
    assert user_client.get(url(name) + "?page=x&%00=%ff&county=' OR 1=1").status_code == 200
    response = user_client.post(
        url(name),
        {"display_name": ["a", "b"], "county": "\x00", "languages": "'; drop table"}
        if name != "accounts:export"
        else {"junk": "\x00"},
    )
    assert response.status_code in {200, 302}
    assert User.objects.filter(pk=participant.pk).exists()
