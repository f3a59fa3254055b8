"""Reads for organisations: lists, details and membership checks.

``is_need_owner_of``, ``need_owner_organizations`` and ``publisher_organizations``
are about memberships only; callers that also let organizers act check
``hack365.core.permissions.is_organizer`` themselves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from hack365.core.permissions import is_authenticated, is_organizer, require_organizer

from .models import County, Membership, MembershipRole, Organization, search_key


def _user_ok(user: Any) -> bool:
    return is_authenticated(user) and bool(user.is_active)


# --- memberships ------------------------------------------------------------


def need_owner_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations in which ``user`` is a need owner."""
    if not _user_ok(user):
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.NEED_OWNER
    ).distinct()


def publisher_organizations(user: Any) -> QuerySet[Organization]:
    """Organisations for which ``user`` answers as a data publisher."""
    if not _user_ok(user):
        return Organization.objects.none()
    return Organization.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.PUBLISHER
    ).distinct()


def is_need_owner_of(user: Any, organization: Organization | int | None) -> bool:
    """True when ``user`` holds a need-owner membership of ``organization``
    (an object or its id)."""
    if organization is None or not _user_ok(user):
        return False
    org_id = organization.pk if isinstance(organization, Organization) else organization
    return Membership.objects.filter(
        user=user, organization_id=org_id, role=MembershipRole.NEED_OWNER
    ).exists()


def is_member_of(user: Any, organization: Organization) -> bool:
    """True when ``user`` holds any membership of ``organization``."""
    if not _user_ok(user):
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


def can_manage_organization(user: Any, organization: Organization | None = None) -> bool:
    """Creating and editing organisations and their members is for organizers."""
    return is_organizer(user)


def can_see_members(user: Any, organization: Organization) -> bool:
    return is_organizer(user) or is_member_of(user, organization)


# --- lists ------------------------------------------------------------------


def _public_statuses() -> tuple[str, ...]:
    from hack365.challenges.models import PUBLIC_STATUSES

    return tuple(str(s) for s in PUBLIC_STATUSES)


def _challenge_count(statuses: tuple[str, ...]) -> Subquery:
    """COUNT of challenges with one of ``statuses`` that the outer organisation
    owns or co-owns, each challenge once."""
    from hack365.challenges.models import Challenge

    co_owned = Challenge.co_owners.through.objects.filter(
        organization_id=OuterRef(OuterRef("pk"))
    ).values("challenge_id")
    counted = (
        Challenge.objects.filter(status__in=statuses)
        .filter(Q(owner_id=OuterRef("pk")) | Q(pk__in=co_owned))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def with_challenge_counts(qs: QuerySet[Organization]) -> QuerySet[Organization]:
    """Annotate ``open_challenge_count`` (published) and ``public_challenge_count``
    (published, closed or archived) in the same query."""
    from hack365.challenges.models import ChallengeStatus

    return qs.annotate(
        open_challenge_count=_challenge_count((str(ChallengeStatus.PUBLISHED),)),
        public_challenge_count=_challenge_count(_public_statuses()),
    )


def organization_list(
    *,
    kind: str | None = None,
    level: str | None = None,
    county: County | str | None = None,
    q: str | None = None,
) -> QuerySet[Organization]:
    """Organisations for the public list, filtered, with their county and
    challenge counts in one query."""
    qs = Organization.objects.select_related("county", "municipality")
    if kind:
        qs = qs.filter(kind=kind)
    if level:
        qs = qs.filter(level=level)
    if county:
        qs = qs.filter(county_id=county.pk if isinstance(county, County) else county)
    if q and q.strip():
        for word in search_key(q).split():
            qs = qs.filter(search_text__contains=word)
    return with_challenge_counts(qs).order_by("name", "pk")


# --- one organisation -------------------------------------------------------


def get_organization(*, slug: str) -> Organization:
    """The organisation with ``slug``, or 404. Organisations are public."""
    org = Organization.objects.select_related("county", "municipality").filter(slug=slug).first()
    if org is None:
        raise Http404("No such organisation")
    return org


def access_organization(user: Any, slug: str) -> Organization:
    """Anyone may see an organisation's public page."""
    return get_organization(slug=slug)


def access_organization_for_management(user: Any, slug: str) -> Organization:
    """For editing an organisation and its members: organizers only (403),
    unknown slugs 404."""
    require_organizer(user)
    return get_organization(slug=slug)


def access_membership(user: Any, organization: Organization, pk: int) -> Membership:
    require_organizer(user)
    membership = (
        Membership.objects.select_related("user", "user__profile")
        .filter(organization=organization, pk=pk)
        .first()
    )
    if membership is None:
        raise Http404("No such membership")
    return membership


def membership_list(organization: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user", "user__profile")
        .order_by("user__email", "role", "pk")
    )


def organization_public_challenges(organization: Organization) -> QuerySet[Any]:
    """The organisation's public challenges, as owner or co-owner, newest first."""
    from hack365.challenges.models import Challenge

    return (
        Challenge.objects.filter(status__in=_public_statuses())
        .filter(Q(owner=organization) | Q(co_owners=organization))
        .select_related("owner", "event")
        .distinct()
        .order_by("-published_at", "-created_at", "pk")
    )


@dataclass(frozen=True)
class OrganizationDetail:
    organization: Organization
    challenges: list[Any]
    memberships: list[Membership] | None
    can_manage: bool
    is_member: bool


def organization_detail(user: Any, organization: Organization) -> OrganizationDetail:
    """Everything the organisation page shows to ``user``."""
    member = is_member_of(user, organization)
    manage = can_manage_organization(user, organization)
    members = list(membership_list(organization)) if (member or manage) else None
    return OrganizationDetail(
        organization=organization,
        challenges=list(organization_public_challenges(organization)),
        memberships=members,
        can_manage=manage,
        is_member=member,
    )
