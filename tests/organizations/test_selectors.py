"""Organisation reads: lists with filters and counts, membership checks."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from hack365.challenges.models import ChallengeStatus
from hack365.organizations import selectors
from hack365.organizations.models import Level, Organization, OrganizationKind
from tests.challenges.factories import ChallengeFactory, PublishedChallengeFactory
from tests.organizations.factories import OrganizationFactory, publisher_of

pytestmark = pytest.mark.django_db


def test_need_owner_and_publisher_organizations(
    need_owner: Any,
    organization: Organization,
    other_organization: Organization,
    participant: Any,
    anonymous: Any,
) -> None:
    publisher = publisher_of(other_organization, user__username="publisher")
    publisher_of(organization, user=need_owner)
    assert list(selectors.need_owner_organizations(need_owner)) == [organization]
    assert list(selectors.publisher_organizations(need_owner)) == [organization]
    assert list(selectors.need_owner_organizations(publisher)) == []
    assert list(selectors.publisher_organizations(publisher)) == [other_organization]
    assert list(selectors.need_owner_organizations(participant)) == []
    assert list(selectors.need_owner_organizations(anonymous)) == []
    assert list(selectors.publisher_organizations(None)) == []


def test_is_need_owner_of(
    need_owner: Any,
    other_need_owner: Any,
    organization: Organization,
    other_organization: Organization,
    organizer: Any,
    anonymous: Any,
) -> None:
    assert selectors.is_need_owner_of(need_owner, organization)
    assert selectors.is_need_owner_of(need_owner, organization.pk)
    assert not selectors.is_need_owner_of(need_owner, other_organization)
    assert not selectors.is_need_owner_of(other_need_owner, organization)
    assert not selectors.is_need_owner_of(organizer, organization)  # memberships only
    assert not selectors.is_need_owner_of(anonymous, organization)
    assert not selectors.is_need_owner_of(need_owner, None)
    publisher = publisher_of(organization, user__username="pub")
    assert not selectors.is_need_owner_of(publisher, organization)
    need_owner.is_active = False
    assert not selectors.is_need_owner_of(need_owner, organization)


def test_list_filters() -> None:
    from hack365.organizations.models import County

    skane = County.objects.get(code="12")
    a = OrganizationFactory(name="Skatteverket", kind=OrganizationKind.AGENCY)
    b = OrganizationFactory(
        name="Region Skåne", kind=OrganizationKind.REGION, level=Level.REGIONAL, county=skane
    )
    c = OrganizationFactory(
        name="Örebro kommun", kind=OrganizationKind.MUNICIPALITY, level=Level.LOCAL
    )
    assert list(selectors.organization_list()) == [b, a, c]  # by name
    assert list(selectors.organization_list(kind="region")) == [b]
    assert list(selectors.organization_list(level="local")) == [c]
    assert list(selectors.organization_list(county=skane)) == [b]
    assert list(selectors.organization_list(county="12")) == [b]
    assert list(selectors.organization_list(q="skåne")) == [b]
    assert list(selectors.organization_list(q="SKÅNE")) == [b]
    assert list(selectors.organization_list(q="örebro")) == [c]  # Ö/ö on SQLite too
    assert list(selectors.organization_list(q="ÖREBRO   KOMMUN")) == [c]
    assert list(selectors.organization_list(q="kommun region")) == []
    assert list(selectors.organization_list(q="   ")) == [b, a, c]
    assert list(selectors.organization_list(q="%")) == []
    assert list(selectors.organization_list(kind="agency", q="region")) == []


def test_list_counts_public_challenges_once(
    organization: Organization, other_organization: Organization
) -> None:
    PublishedChallengeFactory(owner=organization)
    PublishedChallengeFactory(owner=organization)
    ChallengeFactory(owner=organization, status=ChallengeStatus.CLOSED)
    ChallengeFactory(owner=organization, status=ChallengeStatus.DRAFT)
    ChallengeFactory(owner=organization, status=ChallengeStatus.IN_REVIEW)
    co_owned = PublishedChallengeFactory(owner=other_organization)
    co_owned.co_owners.add(organization, other_organization)
    third = OrganizationFactory()
    co_owned.co_owners.add(third)

    counts = {
        o.pk: (o.open_challenge_count, o.public_challenge_count)
        for o in selectors.organization_list()
    }
    assert counts[organization.pk] == (3, 4)
    assert counts[other_organization.pk] == (1, 1)  # owner and co-owner: counted once
    assert counts[third.pk] == (1, 1)


def test_public_challenges_of_an_organisation(
    organization: Organization, other_organization: Organization
) -> None:
    own = PublishedChallengeFactory(owner=organization)
    archived = ChallengeFactory(owner=organization, status=ChallengeStatus.ARCHIVED)
    ChallengeFactory(owner=organization, status=ChallengeStatus.DRAFT)
    ChallengeFactory(owner=organization, status=ChallengeStatus.CHANGES_REQUESTED)
    co = PublishedChallengeFactory(owner=other_organization)
    co.co_owners.add(organization, other_organization)
    PublishedChallengeFactory(owner=other_organization)
    found = list(selectors.organization_public_challenges(organization))
    assert set(found) == {own, archived, co}
    assert len(found) == 3


def test_organization_detail_shows_members_to_members_and_organizers(
    organization: Organization,
    need_owner: Any,
    other_need_owner: Any,
    organizer: Any,
    participant: Any,
    anonymous: Any,
) -> None:
    assert selectors.organization_detail(anonymous, organization).memberships is None
    assert selectors.organization_detail(participant, organization).memberships is None
    assert selectors.organization_detail(other_need_owner, organization).memberships is None
    mine = selectors.organization_detail(need_owner, organization)
    assert [m.user for m in mine.memberships or []] == [need_owner]
    assert mine.is_member and not mine.can_manage
    staff = selectors.organization_detail(organizer, organization)
    assert staff.can_manage and staff.memberships is not None


def test_access_helpers(
    organization: Organization, organizer: Any, need_owner: Any, anonymous: Any
) -> None:
    assert selectors.access_organization(anonymous, organization.slug) == organization
    with pytest.raises(Http404):
        selectors.access_organization(anonymous, "no-such-organisation")
    assert (
        selectors.access_organization_for_management(organizer, organization.slug) == organization
    )
    with pytest.raises(PermissionDenied):
        selectors.access_organization_for_management(need_owner, organization.slug)
    with pytest.raises(Http404):
        selectors.access_organization_for_management(organizer, "no-such-organisation")


def test_access_membership_of_another_organisation_is_404(
    organization: Organization,
    other_organization: Organization,
    other_need_owner: Any,
    organizer: Any,
) -> None:
    other_membership = other_organization.memberships.get()
    with pytest.raises(Http404):
        selectors.access_membership(organizer, organization, other_membership.pk)
    assert selectors.access_membership(organizer, other_organization, other_membership.pk)
