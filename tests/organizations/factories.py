from __future__ import annotations

import factory

from hack365.organizations.models import (
    Level,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
)
from tests.accounts.factories import UserFactory


def _org_number(n: int) -> str:
    """A valid organisation number (third digit ≥ 2, Luhn check digit)."""
    from hack365.organizations.validators import luhn_ok

    base = f"556{n % 1_000_000:06d}"  # nine digits, the third 6
    for check in range(10):
        if luhn_ok(base + str(check)):
            return f"{base[:6]}-{base[6:]}{check}"
    raise AssertionError("unreachable")


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Myndighet {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    organisation_number = factory.Sequence(_org_number)
    kind = OrganizationKind.AGENCY
    level = Level.NATIONAL


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = MembershipRole.NEED_OWNER


def need_owner_of(org: Organization, **kwargs: object) -> object:
    return MembershipFactory(organization=org, role=MembershipRole.NEED_OWNER, **kwargs).user


def publisher_of(org: Organization, **kwargs: object) -> object:
    return MembershipFactory(organization=org, role=MembershipRole.PUBLISHER, **kwargs).user
