"""Writes for organisations and their memberships. Organizers only; every
change is checked, saved with ``update_fields`` and audited."""

from __future__ import annotations

from typing import Any, Final

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError
from hack365.core.permissions import require_organizer

from .models import (
    County,
    Level,
    Membership,
    MembershipRole,
    Municipality,
    Organization,
    OrganizationKind,
)
from .validators import normalize_organisation_number


class _Unset:
    """Marks a keyword argument of ``organization_update`` that was not given."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()

# The fields ``organization_create`` and ``organization_update`` write, in order.
EDITABLE_FIELDS: Final = (
    "name",
    "slug",
    "organisation_number",
    "kind",
    "level",
    "county",
    "municipality",
    "website",
    "description",
    "publisher_uri",
)

_url = URLValidator(schemes=["http", "https"])
# Slugs that would hide a page under /organisations/.
RESERVED_SLUGS: Final = frozenset({"new"})


def _max_length(field: str) -> int:
    length = getattr(Organization._meta.get_field(field), "max_length", None)
    assert isinstance(length, int)
    return length


def _text(value: str | None) -> str:
    return (value or "").strip()


def _refuse(field: str, message: str, code: str) -> ApplicationError:
    """A refusal shown on one form field, with a code tests and callers can check."""
    return ApplicationError({field: ValidationError(message, code=code)})


def check_municipality_in_county(
    county: County | None, municipality: Municipality | None
) -> County | None:
    """The county to store: the given one, or the municipality's when none is
    given. Raises when the municipality lies in another county."""
    if municipality is None:
        return county
    if county is None:
        return municipality.county
    if municipality.county_id != county.pk:
        raise _refuse(
            "municipality",
            _("%(municipality)s is not in %(county)s.")
            % {"municipality": municipality.name, "county": county.name},
            "municipality_county",
        )
    return county


def _unique_slug(base: str, exclude_pk: int | None = None) -> str:
    base = (slugify(base) or "organisation")[: _max_length("slug") - 4].strip("-")
    slug, n = base, 2
    others = Organization.objects.exclude(pk=exclude_pk) if exclude_pk else Organization.objects
    while slug in RESERVED_SLUGS or others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate(org: Organization) -> None:
    """Check formats, lengths and choices, then the business rules (unique
    slug and organisation number, municipality in the county). Normalises
    ``org`` in place."""
    errors: dict[str, list[ValidationError]] = {}

    def add(field: str, message: str, code: str = "invalid") -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    org.name = _text(org.name)
    if not org.name:
        add("name", _("Enter the organisation's name."))
    elif len(org.name) > _max_length("name"):
        add("name", _("The name may be at most %(n)d characters.") % {"n": _max_length("name")})

    org.slug = _text(org.slug).lower()
    if not org.slug:
        add("slug", _("Enter a short name for the organisation's address."))
    elif len(org.slug) > _max_length("slug"):
        add(
            "slug",
            _("The short name may be at most %(n)d characters.") % {"n": _max_length("slug")},
        )
    else:
        try:
            validate_slug(org.slug)
        except ValidationError:
            add(
                "slug",
                _("Use only letters a–z, digits, hyphens and underscores in the short name."),
            )

    if org.organisation_number is not None and _text(org.organisation_number) == "":
        org.organisation_number = None
    if org.organisation_number is not None:
        try:
            org.organisation_number = normalize_organisation_number(org.organisation_number)
        except ValidationError as exc:
            errors.setdefault("organisation_number", []).append(exc)

    if org.kind not in OrganizationKind.values:
        add("kind", _("Choose a kind of organisation."))
    if org.level not in Level.values:
        add("level", _("Choose a level."))

    for field in ("website", "publisher_uri"):
        value = _text(getattr(org, field))
        setattr(org, field, value)
        if not value:
            continue
        if len(value) > _max_length(field):
            add(
                field, _("The address may be at most %(n)d characters.") % {"n": _max_length(field)}
            )
            continue
        try:
            _url(value)
        except ValidationError:
            add(field, _("Enter a full web address starting with https:// or http://."))

    org.description = (org.description or "").strip()
    if len(org.description) > _max_length("description"):
        add(
            "description",
            _("The description may be at most %(n)d characters.")
            % {"n": _max_length("description")},
        )

    if errors:
        raise ValidationError(errors)

    # Business rules.
    others = Organization.objects.exclude(pk=org.pk) if org.pk else Organization.objects.all()
    if org.slug in RESERVED_SLUGS:
        add("slug", _("This short name is reserved. Choose another."), "slug_reserved")
    elif others.filter(slug=org.slug).exists():
        add("slug", _("Another organisation already uses this short name."), "slug_taken")
    if (
        org.organisation_number
        and others.filter(organisation_number=org.organisation_number).exists()
    ):
        add(
            "organisation_number",
            _("Another organisation already has the organisation number %(number)s.")
            % {"number": org.organisation_number},
            "number_taken",
        )
    try:
        org.county = check_municipality_in_county(org.county, org.municipality)
    except ApplicationError as exc:
        for field, field_errors in exc.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ApplicationError(errors)


def _save(org: Organization, update_fields: list[str] | None = None) -> None:
    """Save, turning a lost race on a unique field into a clear error."""
    try:
        with transaction.atomic():
            org.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise ApplicationError(
            _("Another organisation already uses this short name or organisation number."),
            code="unique",
        ) from exc


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    level: str,
    slug: str = "",
    organisation_number: str | None = None,
    county: County | None = None,
    municipality: Municipality | None = None,
    website: str = "",
    description: str = "",
    publisher_uri: str = "",
) -> Organization:
    """Create an organisation. Without a slug, one is made from the name."""
    require_organizer(actor)
    org = Organization(
        name=name,
        slug=_text(slug) or _unique_slug(_text(name)),
        organisation_number=organisation_number,
        kind=kind,
        level=level,
        county=county,
        municipality=municipality,
        website=website,
        description=description,
        publisher_uri=publisher_uri,
    )
    _validate(org)
    _save(org)
    log_action(
        org,
        "organizations.organization.created",
        actor=actor,
        data={"name": org.name, "slug": org.slug, "kind": org.kind, "level": org.level},
    )
    return org


@transaction.atomic
def organization_update(
    *,
    actor: Any,
    organization: Organization,
    name: str | _Unset = UNSET,
    slug: str | _Unset = UNSET,
    organisation_number: str | None | _Unset = UNSET,
    kind: str | _Unset = UNSET,
    level: str | _Unset = UNSET,
    county: County | None | _Unset = UNSET,
    municipality: Municipality | None | _Unset = UNSET,
    website: str | _Unset = UNSET,
    description: str | _Unset = UNSET,
    publisher_uri: str | _Unset = UNSET,
) -> Organization:
    """Change the given fields of ``organization`` (the others stay). On
    refusal the object in memory is left as it was."""
    require_organizer(actor)
    given: dict[str, Any] = {
        "name": name,
        "slug": slug,
        "organisation_number": organisation_number,
        "kind": kind,
        "level": level,
        "county": county,
        "municipality": municipality,
        "website": website,
        "description": description,
        "publisher_uri": publisher_uri,
    }
    fresh = Organization.objects.select_for_update().get(pk=organization.pk)
    before = {f: getattr(fresh, f"{f}_id" if f in ("county", "municipality") else f) for f in given}
    for field, value in given.items():
        if not isinstance(value, _Unset):
            setattr(fresh, field, value)
    _validate(fresh)
    changed = [
        f
        for f in EDITABLE_FIELDS
        if getattr(fresh, f"{f}_id" if f in ("county", "municipality") else f) != before[f]
    ]
    if changed:
        _save(fresh, update_fields=[*changed, "updated_at"])
        log_action(
            fresh,
            "organizations.organization.updated",
            actor=actor,
            data={"changed": changed},
        )
        if "name" in changed:
            # Challenges are found by their owners' names too.
            from hack365.challenges.services import challenges_reindex_for_organization

            challenges_reindex_for_organization(organization=fresh)
    # Reflect the saved state in the caller's object.
    for field in EDITABLE_FIELDS:
        setattr(organization, field, getattr(fresh, field))
    organization.search_text = fresh.search_text
    organization.updated_at = fresh.updated_at
    return organization


@transaction.atomic
def membership_add(
    *,
    actor: Any,
    organization: Organization,
    email: str,
    role: str,
) -> Membership:
    """Give the user with the e-mail address ``email`` a ``role`` in
    ``organization``."""
    require_organizer(actor)
    if role not in MembershipRole.values:
        raise _refuse("role", _("Choose a role."), "role")
    address = _text(email)
    user = get_user_model().objects.filter(email__iexact=address).first() if address else None
    if user is None:
        raise _refuse(
            "email",
            _(
                "No account uses the e-mail address %(email)s. "
                "Ask the person to create an account first."
            )
            % {"email": address},
            "unknown_email",
        )
    if not user.is_active:
        raise _refuse("email", _("The account with this e-mail address is not active."), "inactive")
    if Membership.objects.filter(user=user, organization=organization, role=role).exists():
        raise _refuse(
            "email",
            _("%(user)s is already a %(role)s in %(organization)s.")
            % {
                "user": user,
                "role": MembershipRole(role).label.lower(),
                "organization": organization.name,
            },
            "duplicate",
        )
    membership = Membership(user=user, organization=organization, role=role)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:
        raise _refuse(
            "email", _("This person already has this role in the organisation."), "duplicate"
        ) from exc
    log_action(
        organization,
        "organizations.membership.added",
        actor=actor,
        data={"membership": membership.pk, "user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: Any, membership: Membership) -> None:
    """End ``membership``."""
    require_organizer(actor)
    organization = membership.organization
    data = {"membership": membership.pk, "user": membership.user_id, "role": membership.role}
    deleted, _rows = Membership.objects.filter(pk=membership.pk).delete()
    if not deleted:
        raise ApplicationError(_("This membership has already been removed."), code="gone")
    log_action(organization, "organizations.membership.removed", actor=actor, data=data)
