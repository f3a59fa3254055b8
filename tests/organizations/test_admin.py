"""The admin: geography is read-only; organisations and memberships are saved
through the services (and so audited)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from hack365.core.models import AuditLogEntry
from hack365.organizations.models import Membership, Organization
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

INLINE = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


@pytest.fixture
def admin_client_(db: Any) -> Client:
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def _org_data(**overrides: str) -> dict[str, str]:
    data = {
        "name": "Trafikverket",
        "slug": "trafikverket",
        "organisation_number": "202100-6297",
        "kind": "agency",
        "level": "national",
        "county": "",
        "municipality": "",
        "website": "https://www.trafikverket.se/",
        "description": "",
        "publisher_uri": "",
        **INLINE,
    }
    data.update(overrides)
    return data


def test_geography_is_read_only(admin_client_: Client) -> None:
    assert admin_client_.get(reverse("admin:organizations_county_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:organizations_county_add")).status_code == 403
    url = reverse("admin:organizations_municipality_change", args=["0180"])
    assert admin_client_.get(url).status_code == 200
    admin_client_.post(url, {"code": "0180", "name": "Hacked", "county": "01"})
    from hack365.organizations.models import Municipality

    assert Municipality.objects.get(code="0180").name == "Stockholm"
    delete = reverse("admin:organizations_county_delete", args=["01"])
    assert admin_client_.post(delete, {"post": "yes"}).status_code == 403


def test_admin_creates_an_organisation_through_the_service(admin_client_: Client) -> None:
    response = admin_client_.post(reverse("admin:organizations_organization_add"), _org_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organization.objects.get(slug="trafikverket")
    assert org.search_text == "trafikverket"
    assert AuditLogEntry.objects.filter(
        action="organizations.organization.created", object_id=str(org.pk)
    ).exists()


def test_admin_refuses_municipality_in_another_county(admin_client_: Client) -> None:
    response = admin_client_.post(
        reverse("admin:organizations_organization_add"),
        _org_data(county="01", municipality="1280"),
    )
    assert response.status_code == 200
    assert not Organization.objects.exists()


def test_admin_updates_an_organisation_through_the_service(
    admin_client_: Client, organization: Organization
) -> None:
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    assert admin_client_.get(url).status_code == 200
    response = admin_client_.post(
        url,
        _org_data(
            name="Nytt namn",
            slug=organization.slug,
            organisation_number=organization.organisation_number,
        ),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Nytt namn"
    assert AuditLogEntry.objects.filter(action="organizations.organization.updated").exists()


def test_admin_adds_and_removes_memberships_through_the_services(
    admin_client_: Client, organization: Organization
) -> None:
    user = UserFactory(username="cecilia")
    response = admin_client_.post(
        reverse("admin:organizations_membership_add"),
        {"user": str(user.pk), "organization": str(organization.pk), "role": "publisher"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    response = admin_client_.post(
        reverse("admin:organizations_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Membership.objects.exists()
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert actions == {"organizations.membership.added", "organizations.membership.removed"}
