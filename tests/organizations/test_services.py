"""Organisation and membership services: allowed for organizers, refused for
everyone else, checked, and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from hack365.core.errors import ApplicationError
from hack365.core.models import AuditLogEntry
from hack365.organizations.models import (
    Level,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
)
from hack365.organizations.services import (
    membership_add,
    membership_remove,
    organization_create,
    organization_update,
)
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

NON_ORGANIZERS = ["anonymous", "participant", "need_owner", "other_need_owner"]


def _create_kwargs(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": "Skatteverket",
        "kind": OrganizationKind.AGENCY,
        "level": Level.NATIONAL,
        "organisation_number": "2021005448",
        "website": "https://www.skatteverket.se/",
        "description": "Sveriges **skattemyndighet**.",
        "publisher_uri": "https://dataportal.se/organisations/skatteverket",
    }
    values.update(overrides)
    return values


def _error_fields(exc: ValidationError) -> set[str]:
    return set(exc.message_dict)


# --- organization_create ----------------------------------------------------


def test_organizer_creates_an_organisation(organizer: Any, stockholms_lan: Any) -> None:
    org = organization_create(actor=organizer, county=stockholms_lan, **_create_kwargs())
    org.refresh_from_db()
    assert org.name == "Skatteverket"
    assert org.slug == "skatteverket"
    assert org.organisation_number == "202100-5448"
    assert org.county == stockholms_lan
    assert org.search_text == "skatteverket"
    entry = AuditLogEntry.objects.get(action="organizations.organization.created")
    assert entry.actor == organizer
    assert entry.object_id == str(org.pk)
    assert entry.data["slug"] == "skatteverket"


def test_slug_from_the_name_is_unique(organizer: Any) -> None:
    first = organization_create(
        actor=organizer, **_create_kwargs(name="Region Östergötland", organisation_number=None)
    )
    second = organization_create(
        actor=organizer, **_create_kwargs(name="Region Östergötland", organisation_number="")
    )
    assert first.slug == "region-ostergotland"
    assert second.slug == "region-ostergotland-2"
    assert first.organisation_number is None and second.organisation_number is None


def test_municipality_alone_sets_its_county(organizer: Any, malmo: Any) -> None:
    org = organization_create(
        actor=organizer,
        **_create_kwargs(
            name="Malmö stad",
            organisation_number="212000-1124",
            kind=OrganizationKind.MUNICIPALITY,
            municipality=malmo,
        ),
    )
    assert org.county_id == "12"


@pytest.mark.parametrize("who", NON_ORGANIZERS)
def test_only_organizers_create(who: str, request: pytest.FixtureRequest) -> None:
    user = request.getfixturevalue(who)
    before = Organization.objects.count()
    with pytest.raises(PermissionDenied):
        organization_create(actor=user, **_create_kwargs())
    assert Organization.objects.count() == before
    assert not AuditLogEntry.objects.filter(action__startswith="organizations.").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"slug": "Not a slug!"}, "slug"),
        ({"slug": "a" * 81}, "slug"),
        ({"slug": "new"}, "slug"),
        ({"organisation_number": "202100-5449"}, "organisation_number"),
        ({"organisation_number": "811228-9874"}, "organisation_number"),
        ({"organisation_number": "hello"}, "organisation_number"),
        ({"kind": "ministry"}, "kind"),
        ({"level": "galactic"}, "level"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "not a url"}, "website"),
        ({"website": "https://example.se/" + "a" * 200}, "website"),
        ({"publisher_uri": "ftp://example.se/"}, "publisher_uri"),
        ({"description": "x" * 5001}, "description"),
    ],
)
def test_create_refuses_bad_input(organizer: Any, overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        organization_create(actor=organizer, **_create_kwargs(**overrides))
    assert field in _error_fields(exc.value)
    assert not Organization.objects.filter(name="Skatteverket").exists()
    assert not AuditLogEntry.objects.exists()


def test_duplicate_organisation_number_is_a_clear_error(
    organizer: Any, organization: Organization
) -> None:
    with pytest.raises(ApplicationError) as exc:
        organization_create(
            actor=organizer,
            **_create_kwargs(organisation_number=organization.organisation_number.replace("-", "")),
        )
    assert _error_fields(exc.value) == {"organisation_number"}
    assert exc.value.error_dict["organisation_number"][0].code == "number_taken"
    assert organization.organisation_number in exc.value.message_dict["organisation_number"][0]
    assert Organization.objects.count() == 1


def test_duplicate_slug_is_a_clear_error(organizer: Any, organization: Organization) -> None:
    with pytest.raises(ApplicationError) as exc:
        organization_create(actor=organizer, **_create_kwargs(slug=organization.slug.upper()))
    assert _error_fields(exc.value) == {"slug"}
    assert exc.value.error_dict["slug"][0].code == "slug_taken"


def test_municipality_must_lie_in_the_county(
    organizer: Any, stockholms_lan: Any, malmo: Any
) -> None:
    with pytest.raises(ApplicationError) as exc:
        organization_create(
            actor=organizer, county=stockholms_lan, municipality=malmo, **_create_kwargs()
        )
    assert _error_fields(exc.value) == {"municipality"}
    assert exc.value.error_dict["municipality"][0].code == "municipality_county"
    assert "Malmö" in exc.value.message_dict["municipality"][0]
    assert not Organization.objects.exists()


# --- organization_update ----------------------------------------------------


def test_organizer_updates_an_organisation(
    organizer: Any, organization: Organization, stockholms_lan: Any, stockholm: Any
) -> None:
    old_name = organization.name
    organization_update(
        actor=organizer,
        organization=organization,
        name="Länsstyrelsen i Stockholms län",
        county=stockholms_lan,
        municipality=stockholm,
        organisation_number="202100-2932",
    )
    organization.refresh_from_db()
    assert organization.name == "Länsstyrelsen i Stockholms län"
    assert organization.search_text == "länsstyrelsen i stockholms län"
    assert organization.municipality == stockholm
    assert organization.organisation_number == "202100-2932"
    entry = AuditLogEntry.objects.get(action="organizations.organization.updated")
    assert entry.actor == organizer
    assert set(entry.data["changed"]) == {
        "name",
        "county",
        "municipality",
        "organisation_number",
    }
    assert old_name != organization.name


def test_update_without_changes_writes_no_audit_entry(
    organizer: Any, organization: Organization
) -> None:
    organization_update(actor=organizer, organization=organization, name=organization.name)
    assert not AuditLogEntry.objects.exists()


def test_update_can_clear_the_organisation_number(
    organizer: Any, organization: Organization
) -> None:
    organization_update(actor=organizer, organization=organization, organisation_number="")
    organization.refresh_from_db()
    assert organization.organisation_number is None


@pytest.mark.parametrize("who", NON_ORGANIZERS)
def test_only_organizers_update(
    who: str, request: pytest.FixtureRequest, organization: Organization
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        organization_update(actor=user, organization=organization, name="Kapad")
    organization.refresh_from_db()
    assert organization.name == "Länsstyrelsen Test"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "x" * 201}, "name"),
        ({"organisation_number": "202100-5449"}, "organisation_number"),
        ({"slug": ""}, "slug"),
        ({"website": "http://"}, "website"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(
    organizer: Any, organization: Organization, changes: dict[str, Any], field: str
) -> None:
    before = Organization.objects.values().get(pk=organization.pk)
    with pytest.raises(ValidationError) as exc:
        organization_update(actor=organizer, organization=organization, **changes)
    assert field in _error_fields(exc.value)
    assert Organization.objects.values().get(pk=organization.pk) == before
    assert organization.name == "Länsstyrelsen Test"  # the object in memory too
    assert not AuditLogEntry.objects.exists()


def test_update_refuses_another_organisations_number(
    organizer: Any, organization: Organization, other_organization: Organization
) -> None:
    with pytest.raises(ApplicationError) as exc:
        organization_update(
            actor=organizer,
            organization=organization,
            organisation_number=other_organization.organisation_number,
        )
    assert _error_fields(exc.value) == {"organisation_number"}


def test_update_refuses_municipality_in_another_county(
    organizer: Any, organization: Organization, skane: Any, stockholm: Any
) -> None:
    with pytest.raises(ApplicationError):
        organization_update(
            actor=organizer, organization=organization, county=skane, municipality=stockholm
        )
    organization.refresh_from_db()
    assert organization.county_id is None and organization.municipality_id is None


# --- memberships ------------------------------------------------------------


def test_organizer_adds_a_member_by_email(organizer: Any, organization: Organization) -> None:
    user = UserFactory(username="anna", email="Anna.Andersson@example.se")
    membership = membership_add(
        actor=organizer,
        organization=organization,
        email="anna.andersson@EXAMPLE.se",
        role=MembershipRole.NEED_OWNER,
    )
    assert membership.user == user
    assert membership.organization == organization
    entry = AuditLogEntry.objects.get(action="organizations.membership.added")
    assert entry.actor == organizer
    assert entry.object_id == str(organization.pk)
    assert entry.data == {
        "membership": membership.pk,
        "user": user.pk,
        "role": "need_owner",
    }


def test_the_same_person_may_hold_both_roles(
    organizer: Any, organization: Organization, need_owner: Any
) -> None:
    membership_add(
        actor=organizer,
        organization=organization,
        email=need_owner.email,
        role=MembershipRole.PUBLISHER,
    )
    assert Membership.objects.filter(user=need_owner, organization=organization).count() == 2


def test_unknown_email_is_a_clear_error(organizer: Any, organization: Organization) -> None:
    with pytest.raises(ApplicationError) as exc:
        membership_add(
            actor=organizer,
            organization=organization,
            email="nobody@example.se",
            role=MembershipRole.NEED_OWNER,
        )
    assert exc.value.error_dict["email"][0].code == "unknown_email"
    assert "nobody@example.se" in exc.value.message_dict["email"][0]
    assert not Membership.objects.exists()


def test_duplicate_membership_is_a_clear_error(
    organizer: Any, organization: Organization, need_owner: Any
) -> None:
    with pytest.raises(ApplicationError) as exc:
        membership_add(
            actor=organizer,
            organization=organization,
            email=need_owner.email,
            role=MembershipRole.NEED_OWNER,
        )
    assert exc.value.error_dict["email"][0].code == "duplicate"
    assert Membership.objects.count() == 1


def test_inactive_account_cannot_be_added(organizer: Any, organization: Organization) -> None:
    UserFactory(username="gone", email="gone@example.se", is_active=False)
    with pytest.raises(ApplicationError):
        membership_add(
            actor=organizer,
            organization=organization,
            email="gone@example.se",
            role=MembershipRole.PUBLISHER,
        )


def test_invalid_role_is_refused(organizer: Any, organization: Organization) -> None:
    with pytest.raises(ApplicationError):
        membership_add(
            actor=organizer, organization=organization, email=organizer.email, role="owner"
        )
    assert not Membership.objects.exists()


@pytest.mark.parametrize("who", NON_ORGANIZERS)
def test_only_organizers_add_members(
    who: str, request: pytest.FixtureRequest, organization: Organization
) -> None:
    user = request.getfixturevalue(who)
    target = UserFactory(username="target")
    before = Membership.objects.count()
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=user,
            organization=organization,
            email=target.email,
            role=MembershipRole.NEED_OWNER,
        )
    assert Membership.objects.count() == before


def test_organizer_removes_a_member(
    organizer: Any, organization: Organization, need_owner: Any
) -> None:
    membership = Membership.objects.get(user=need_owner)
    membership_remove(actor=organizer, membership=membership)
    assert not Membership.objects.filter(user=need_owner).exists()
    entry = AuditLogEntry.objects.get(action="organizations.membership.removed")
    assert entry.object_id == str(organization.pk)
    assert entry.data == {"membership": membership.pk, "user": need_owner.pk, "role": "need_owner"}
    with pytest.raises(ApplicationError):
        membership_remove(actor=organizer, membership=membership)


@pytest.mark.parametrize("who", NON_ORGANIZERS)
def test_only_organizers_remove_members(
    who: str, request: pytest.FixtureRequest, organization: Organization
) -> None:
    user = request.getfixturevalue(who)
    membership = MembershipFactory(organization=organization)
    with pytest.raises(PermissionDenied):
        membership_remove(actor=user, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert not AuditLogEntry.objects.exists()


def test_factory_organisations_are_searchable() -> None:
    org = OrganizationFactory(name="Örebro  Kommun")
    assert org.search_text == "örebro kommun"
