"""Organisation pages: who may see and do what, bad input, query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hack365.challenges.models import ChallengeStatus
from hack365.core.models import AuditLogEntry
from hack365.organizations.models import (
    County,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
)
from tests.accounts.factories import UserFactory
from tests.challenges.factories import ChallengeFactory, PublishedChallengeFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "need_owner", "other_need_owner", "organizer"]


@pytest.fixture
def as_role(request: pytest.FixtureRequest, organization: Organization) -> Any:
    """A client logged in as the named role (need_owner: of ``organization``)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return make


def _org_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Lantmäteriet",
        "slug": "",
        "organisation_number": "202100 4888",
        "kind": OrganizationKind.AGENCY,
        "level": "national",
        "county": "",
        "municipality": "",
        "website": "https://www.lantmateriet.se/",
        "description": "Kartor och **fastighetsinformation**.",
        "publisher_uri": "",
    }
    data.update(overrides)
    return data


# --- list --------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_is_public(role: str, as_role: Any, organization: Organization) -> None:
    response = as_role(role).get(reverse("organizations:list"))
    assert response.status_code == 200
    assert organization.name in response.content.decode()
    new_link = reverse("organizations:create")
    assert (new_link in response.content.decode()) is (role == "organizer")


def test_list_cards_and_filters(client: Client, organization: Organization) -> None:
    skane = County.objects.get(code="12")
    region = OrganizationFactory(
        name="Region Skåne", kind=OrganizationKind.REGION, level="regional", county=skane
    )
    PublishedChallengeFactory(owner=region)
    PublishedChallengeFactory(owner=region)
    ChallengeFactory(owner=region, status=ChallengeStatus.DRAFT)
    url = reverse("organizations:list")

    page = client.get(url).content.decode()
    assert "Region Skåne" in page and "Länsstyrelsen Test" in page
    assert "Skåne län" in page

    page = client.get(url, {"kind": "region"}).content.decode()
    assert "Region Skåne" in page and "Länsstyrelsen Test" not in page
    assert "2 open challenges" in page or "2 öppna utmaningar" in page

    page = client.get(url, {"county": "12"}).content.decode()
    assert "Region Skåne" in page and "Länsstyrelsen Test" not in page

    page = client.get(url, {"q": "LÄNSSTYRELSEN"}).content.decode()
    assert "Region Skåne" not in page and "Länsstyrelsen Test" in page


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "ministry"},
        {"level": "<script>"},
        {"county": "99"},
        {"county": "x" * 500},
        {"q": "x" * 5000},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
        {"page": "1e9"},
    ],
)
def test_list_survives_garbage_params(
    client: Client, organization: Organization, params: dict[str, str]
) -> None:
    response = client.get(reverse("organizations:list"), params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_list_paginates(client: Client) -> None:
    OrganizationFactory.create_batch(30)
    first = client.get(reverse("organizations:list")).content.decode()
    assert 'rel="next"' in first
    second = client.get(reverse("organizations:list"), {"page": 2})
    assert second.status_code == 200
    assert 'rel="prev"' in second.content.decode()


def _list_queries(client: Client) -> int:
    url = reverse("organizations:list")
    client.get(url)  # warm caches (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_makes_a_constant_number_of_queries(client: Client) -> None:
    skane = County.objects.get(code="12")

    def add(n: int) -> None:
        for org in OrganizationFactory.create_batch(n, county=skane):
            PublishedChallengeFactory(owner=org)

    add(2)
    with_two = _list_queries(client)
    add(18)
    with_twenty = _list_queries(client)
    assert with_two == with_twenty
    assert with_twenty <= 4


# --- detail ------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_detail_is_public(
    role: str, as_role: Any, organization: Organization, need_owner: Any
) -> None:
    response = as_role(role).get(organization.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    members_visible = role in ("need_owner", "organizer")
    assert ("Needowner" in page) is members_visible
    edit_link = reverse("organizations:edit", args=[organization.slug])
    assert (edit_link in page) is (role == "organizer")


def test_detail_unknown_slug_is_404(client: Client) -> None:
    assert client.get(reverse("organizations:detail", args=["no-such-org"])).status_code == 404


def test_detail_shows_facts_description_and_public_challenges(
    client: Client, organization: Organization, other_organization: Organization
) -> None:
    organization.description = "Vi arbetar med **data**.\n\n<script>alert(1)</script>"
    organization.website = "https://www.lansstyrelsen.se/"
    organization.municipality_id = "0180"
    organization.county_id = "01"
    organization.save()
    PublishedChallengeFactory(owner=organization, title="Öppen utmaning")
    ChallengeFactory(owner=organization, status=ChallengeStatus.CLOSED, title="Stängd utmaning")
    ChallengeFactory(owner=organization, status=ChallengeStatus.DRAFT, title="Hemligt utkast")
    co = PublishedChallengeFactory(owner=other_organization, title="Gemensam utmaning")
    co.co_owners.add(organization)

    page = client.get(organization.get_absolute_url()).content.decode()
    assert "<strong>data</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert organization.organisation_number in page
    assert "https://www.lansstyrelsen.se/" in page
    assert "Stockholms län" in page and ">Stockholm<" in page
    assert "Öppen utmaning" in page
    assert "Stängd utmaning" in page
    assert "Gemensam utmaning" in page
    assert "Hemligt utkast" not in page
    assert "status-published" in page and "status-closed" in page


def test_detail_in_english_and_swedish(client: Client, organization: Organization) -> None:
    sv = client.get(f"/sv/organisations/{organization.slug}/").content.decode()
    en = client.get(f"/en/organisations/{organization.slug}/").content.decode()
    assert "Statlig myndighet" in sv or "Myndighet" in sv
    assert "Government agency" in en
    assert "Organisationsnummer" in sv
    assert "Organisation number" in en


# --- organizer pages ---------------------------------------------------------


def _organizer_urls(org: Organization) -> list[str]:
    return [
        reverse("organizations:create"),
        reverse("organizations:edit", args=[org.slug]),
        reverse("organizations:members", args=[org.slug]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_organizer_pages_permissions(role: str, as_role: Any, organization: Organization) -> None:
    client = as_role(role)
    expected = {"anonymous": 302, "organizer": 200}.get(role, 403)
    for url in _organizer_urls(organization):
        response = client.get(url)
        assert response.status_code == expected, url
        if role == "anonymous":
            assert reverse("account_login") in response["Location"]
        if expected == 200:
            assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("role", ["anonymous", "participant", "need_owner", "other_need_owner"])
def test_posts_by_non_organizers_change_nothing(
    role: str, as_role: Any, organization: Organization, need_owner: Any
) -> None:
    client = as_role(role)
    membership = Membership.objects.get(user=need_owner)
    memberships = set(Membership.objects.values_list("pk", flat=True))
    target = UserFactory(username="target")
    before = Organization.objects.values().get(pk=organization.pk)
    count = Organization.objects.count()
    expected = 302 if role == "anonymous" else 403
    responses = [
        client.post(reverse("organizations:create"), _org_form()),
        client.post(
            reverse("organizations:edit", args=[organization.slug]),
            _org_form(name="Kapad", slug=organization.slug),
        ),
        client.post(
            reverse("organizations:members", args=[organization.slug]),
            {"email": target.email, "role": "need_owner"},
        ),
        client.post(
            reverse("organizations:member_remove", args=[organization.slug, membership.pk])
        ),
    ]
    assert [r.status_code for r in responses] == [expected] * 4
    assert Organization.objects.count() == count
    assert Organization.objects.values().get(pk=organization.pk) == before
    assert set(Membership.objects.values_list("pk", flat=True)) == memberships
    assert not AuditLogEntry.objects.exists()


def test_organizer_pages_unknown_slug_is_404(as_role: Any) -> None:
    client = as_role("organizer")
    for name in ("edit", "members"):
        assert client.get(reverse(f"organizations:{name}", args=["nope"])).status_code == 404
    response = client.post(reverse("organizations:member_remove", args=["nope", 1]))
    assert response.status_code == 404


def test_organizer_creates_an_organisation(as_role: Any) -> None:
    client = as_role("organizer")
    response = client.post(reverse("organizations:create"), _org_form(county="01"))
    org = Organization.objects.get(name="Lantmäteriet")
    assert response.status_code == 302
    assert response["Location"] == org.get_absolute_url()
    assert org.slug == "lantmateriet"
    assert org.organisation_number == "202100-4888"
    assert org.county_id == "01"
    assert AuditLogEntry.objects.filter(action="organizations.organization.created").count() == 1
    followed = client.get(response["Location"]).content.decode()
    assert "<strong>fastighetsinformation</strong>" in followed


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organisation_number": "202100-4889"}, "organisation_number"),
        ({"organisation_number": "811228-9874"}, "organisation_number"),
        ({"county": "01", "municipality": "1280"}, "municipality"),
        ({"name": "L" * 201}, "name"),
        ({"name": ""}, "name"),
        ({"kind": "ministry"}, "kind"),
        ({"county": "99"}, "county"),
        ({"municipality": "9999"}, "municipality"),
        ({"slug": "new"}, "slug"),
        ({"slug": "a b"}, "slug"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_create_with_bad_input_shows_errors(
    as_role: Any, overrides: dict[str, str], field: str
) -> None:
    count = Organization.objects.count()  # the fixture organisation
    response = as_role("organizer").post(reverse("organizations:create"), _org_form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="error-summary"' in response.content.decode()
    assert Organization.objects.count() == count
    assert not AuditLogEntry.objects.exists()


def test_create_with_a_taken_organisation_number(as_role: Any, organization: Organization) -> None:
    response = as_role("organizer").post(
        reverse("organizations:create"),
        _org_form(organisation_number=organization.organisation_number),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["organisation_number"]
    assert organization.organisation_number in errors[0]
    assert Organization.objects.count() == 1


def test_organizer_edits_an_organisation(as_role: Any, organization: Organization) -> None:
    client = as_role("organizer")
    url = reverse("organizations:edit", args=[organization.slug])
    page = client.get(url).content.decode()
    assert organization.organisation_number in page  # the form shows current values
    response = client.post(
        url,
        _org_form(
            name="Länsstyrelsen Skåne",
            slug=organization.slug,
            organisation_number=organization.organisation_number,
            kind=OrganizationKind.AGENCY,
            level="regional",
            county="12",
            municipality="1280",
        ),
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.name == "Länsstyrelsen Skåne"
    assert organization.municipality_id == "1280"
    assert AuditLogEntry.objects.filter(action="organizations.organization.updated").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"organisation_number": "202100-4889"}, "organisation_number"),
        ({"county": "12", "municipality": "0180"}, "municipality"),
        ({"name": "N" * 201}, "name"),
        ({"slug": ""}, "slug"),
    ],
)
def test_edit_with_bad_input_changes_nothing(
    as_role: Any, organization: Organization, overrides: dict[str, str], field: str
) -> None:
    before = Organization.objects.values().get(pk=organization.pk)
    response = as_role("organizer").post(
        reverse("organizations:edit", args=[organization.slug]),
        {**_org_form(slug=organization.slug), **overrides},
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Organization.objects.values().get(pk=organization.pk) == before


def test_edit_to_another_organisations_slug(
    as_role: Any, organization: Organization, other_organization: Organization
) -> None:
    response = as_role("organizer").post(
        reverse("organizations:edit", args=[organization.slug]),
        _org_form(slug=other_organization.slug, organisation_number=""),
    )
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    organization.refresh_from_db()
    assert organization.slug == "lansstyrelsen-test"


# --- members -----------------------------------------------------------------


def test_members_page_lists_members(
    as_role: Any, organization: Organization, need_owner: Any, other_need_owner: Any
) -> None:
    page = as_role("organizer").get(reverse("organizations:members", args=[organization.slug]))
    html = page.content.decode()
    assert need_owner.email in html
    assert other_need_owner.email not in html


def test_organizer_adds_and_removes_a_member(as_role: Any, organization: Organization) -> None:
    client = as_role("organizer")
    user = UserFactory(username="berit", email="berit@example.se")
    url = reverse("organizations:members", args=[organization.slug])
    response = client.post(url, {"email": "BERIT@example.se", "role": "publisher"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert membership.role == MembershipRole.PUBLISHER
    assert membership.organization == organization

    assert (
        client.get(
            reverse("organizations:member_remove", args=[organization.slug, membership.pk])
        ).status_code
        == 405
    )
    response = client.post(
        reverse("organizations:member_remove", args=[organization.slug, membership.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = list(AuditLogEntry.objects.values_list("action", flat=True).order_by("id"))
    assert actions == ["organizations.membership.added", "organizations.membership.removed"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"email": "nobody@example.se", "role": "need_owner"}, "email"),
        ({"email": "not-an-address", "role": "need_owner"}, "email"),
        ({"email": "a@" + "b" * 300 + ".se", "role": "need_owner"}, "email"),
        ({"email": "needowner@example.se", "role": "king"}, "role"),
        ({"email": "needowner@example.se", "role": "need_owner"}, "email"),  # already one
    ],
)
def test_add_member_with_bad_input(
    as_role: Any, organization: Organization, need_owner: Any, data: dict[str, str], field: str
) -> None:
    response = as_role("organizer").post(
        reverse("organizations:members", args=[organization.slug]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Membership.objects.count() == 1
    assert not AuditLogEntry.objects.exists()


def test_removing_another_organisations_membership_is_404(
    as_role: Any, organization: Organization, other_organization: Organization
) -> None:
    other = MembershipFactory(organization=other_organization)
    response = as_role("organizer").post(
        reverse("organizations:member_remove", args=[organization.slug, other.pk])
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()
