from __future__ import annotations

import pytest

from hack365.core.models import AccessibilityFeedback, AuditLogEntry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_accessibility_statement_is_public(client, lang: str) -> None:
    response = client.get(f"/{lang}/accessibility/")
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1
    assert f'lang="{lang}"'.encode() in response.content


def test_feedback_is_stored_and_audited(client) -> None:
    response = client.post(
        "/sv/accessibility/",
        {"message": "Knappen går inte att nå med tangentbordet", "page_url": "/sv/"},
    )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.language == "sv"
    assert AuditLogEntry.objects.filter(action="core.accessibility_feedback.submitted").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"message": ""},
        {"message": "x" * 5001},
        {"message": "ok", "email": "inte-en-adress"},
        {"message": "ok", "page_url": "y" * 501},
    ],
)
def test_bad_feedback_gives_errors_and_stores_nothing(client, data: dict[str, str]) -> None:
    response = client.post("/en/accessibility/", data)
    assert response.status_code == 200
    assert b'role="alert"' in response.content
    assert AccessibilityFeedback.objects.count() == 0


def test_feedback_requires_csrf() -> None:
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/sv/accessibility/", {"message": "hej"})
    assert response.status_code == 403
    assert AccessibilityFeedback.objects.count() == 0


def test_root_redirects_by_browser_language(client) -> None:
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")["Location"] == "/en/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")["Location"] == "/sv/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/sv/"


def test_admin_login_goes_through_the_rate_limited_site_login(client, participant) -> None:
    response = client.get("/sv/admin/")
    assert response.status_code == 302
    target = client.get(response["Location"])
    assert target.status_code == 302
    assert "/sv/accounts/login/" in target["Location"]
    client.force_login(participant)
    assert client.get("/sv/admin/login/").status_code == 403
