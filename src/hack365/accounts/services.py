"""Writes for accounts: profiles, consents, demographics, export and erasure.

The audit entries written here never hold personal values: not the name,
not the gender or age band, only that something happened and the user's id.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError
from hack365.core.permissions import require_authenticated
from hack365.organizations.models import County

from .export import build_export
from .languages import PROFILE_LANGUAGES
from .models import AgeBand, Consent, ConsentKind, Demographics, Gender, Profile, Sector, User
from .selectors import is_last_active_superuser
from .validators import validate_skills

DISPLAY_NAME_MAX = 120
BIO_MAX = 2000


def _audit(action: str, *, user: User, obj: Any = None, **data: Any) -> None:
    log_action(obj, action, actor=user, data={"user_id": user.pk, **data})


def _clean_display_name(display_name: str) -> str:
    name = " ".join((display_name or "").split())
    if not name:
        raise ApplicationError(_("Please give a name to show to others."), code="required")
    if len(name) > DISPLAY_NAME_MAX:
        raise ApplicationError(
            _("The name may have at most %(max)d characters.") % {"max": DISPLAY_NAME_MAX},
            code="max_length",
        )
    return name


@transaction.atomic
def profile_create(*, user: User, display_name: str) -> Profile:
    """The profile of a new account (called by the sign-up form)."""
    name = _clean_display_name(display_name)
    profile, created = Profile.objects.get_or_create(user=user, defaults={"display_name": name})
    if not created:
        profile.display_name = name
        profile.save(update_fields=["display_name", "updated_at"])
    _audit("accounts.user.signed_up", user=user)
    return profile


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    bio: str = "",
    skills: list[str] | None = None,
    sector: str = "",
    county: County | None = None,
    languages: list[str] | None = None,
) -> Profile:
    """Change one's own profile."""
    require_authenticated(user)
    name = _clean_display_name(display_name)
    bio = (bio or "").strip()
    if len(bio) > BIO_MAX:
        raise ApplicationError(
            _("The text about you may have at most %(max)d characters.") % {"max": BIO_MAX},
            code="max_length",
        )
    skills = list(skills or [])
    try:
        validate_skills(skills)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], code=exc.code) from exc
    if sector and sector not in Sector.values:
        raise ApplicationError(_("Unknown sector."), code="invalid_choice")
    languages = list(dict.fromkeys(languages or []))
    unknown = [code for code in languages if code not in PROFILE_LANGUAGES]
    if unknown:
        raise ApplicationError(_("Unknown language."), code="invalid_choice")

    profile = Profile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = Profile(user=user)
    values: dict[str, Any] = {
        "display_name": name,
        "bio": bio,
        "skills": skills,
        "sector": sector,
        "county": county,
        "languages": languages,
    }
    current = {field: getattr(profile, field) for field in values if field != "county"}
    current["county"] = profile.county_id
    values_cmp = {**values, "county": county.pk if county is not None else None}
    changed = [field for field in values if current[field] != values_cmp[field]]
    for field, value in values.items():
        setattr(profile, field, value)
    if profile.pk is None:
        profile.save()
    elif changed:
        profile.save(update_fields=[*changed, "updated_at"])
    if changed:
        # Which fields changed, never their values.
        _audit("accounts.profile.updated", user=user, fields=sorted(changed))
    return profile


def _active_consent(user: User, kind: str) -> Consent | None:
    return (
        Consent.objects.select_for_update()
        .filter(user=user, kind=kind, withdrawn_at__isnull=True)
        .first()
    )


@transaction.atomic
def consent_give(*, user: User, kind: str = ConsentKind.DEMOGRAPHICS) -> Consent:
    """Record a dated consent; giving a consent already in force changes nothing."""
    require_authenticated(user)
    if kind not in ConsentKind.values:
        raise ApplicationError(_("Unknown kind of consent."), code="invalid_choice")
    consent = _active_consent(user, kind)
    if consent is not None:
        return consent
    consent = Consent.objects.create(user=user, kind=kind, given_at=timezone.now())
    _audit(
        "accounts.consent.given",
        user=user,
        obj=consent,
        kind=kind,
        text_version=consent.text_version,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, user: User, kind: str = ConsentKind.DEMOGRAPHICS) -> Consent:
    """Date the withdrawal (the consent record stays) and delete what was
    stored under it."""
    require_authenticated(user)
    consent = _active_consent(user, kind)
    if consent is None:
        raise ApplicationError(_("There is no consent in force to withdraw."), code="no_consent")
    consent.withdrawn_at = timezone.now()
    consent.save(update_fields=["withdrawn_at"])
    deleted = 0
    if kind == ConsentKind.DEMOGRAPHICS:
        deleted, _details = Demographics.objects.filter(user=user).delete()
    _audit(
        "accounts.consent.withdrawn",
        user=user,
        obj=consent,
        kind=kind,
        demographics_deleted=bool(deleted),
    )
    return consent


@transaction.atomic
def demographics_set(*, user: User, gender: str, age_band: str, consent: bool) -> Demographics:
    """Store gender and age band, only with the user's explicit consent
    (given now, or still in force from before)."""
    require_authenticated(user)
    if not consent:
        raise ApplicationError(
            _("Nothing was stored: we store these answers only with your consent."),
            code="consent_required",
        )
    if gender not in Gender.values:
        raise ApplicationError(_("Choose one of the answers about gender."), code="invalid_choice")
    if age_band not in AgeBand.values:
        raise ApplicationError(_("Choose one of the age bands."), code="invalid_choice")
    given = consent_give(user=user, kind=ConsentKind.DEMOGRAPHICS)
    row = Demographics.objects.select_for_update().filter(user=user).first()
    if row is None:
        row = Demographics.objects.create(
            user=user, consent=given, gender=gender, age_band=age_band
        )
    else:
        row.consent = given
        row.gender = gender
        row.age_band = age_band
        row.save(update_fields=["consent", "gender", "age_band", "updated_at"])
    # The consent, not the row: the row's text is the answers themselves.
    _audit("accounts.demographics.set", user=user, obj=given)
    return row


@transaction.atomic
def user_export(*, user: User) -> dict[str, Any]:
    """Everything stored about ``user``, for download; the export is audited."""
    require_authenticated(user)
    data = build_export(user)
    _audit("accounts.data.exported", user=user)
    return data


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Erase the account and what hangs on it. Questions the user asked stay,
    without an author; audit entries stay, without an actor."""
    require_authenticated(user)
    if user.is_superuser:
        # Lock the superusers so that two of them cannot both leave at once.
        list(User.objects.select_for_update().filter(is_superuser=True, is_active=True))
    if is_last_active_superuser(user):
        raise ApplicationError(
            _(
                "You are the last active superuser. Make someone else a superuser "
                "before you delete your account."
            ),
            code="last_superuser",
        )
    # Logged before the deletion so that the entry is written in the same
    # transaction; the actor becomes empty when the user row goes.
    _audit("accounts.user.deleted", user=user)
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ApplicationError(
            _(
                "Your account cannot be deleted yet because other records depend on it. "
                "Please contact the organizers."
            ),
            code="protected",
        ) from exc


ACCOUNT_EVENTS = {
    "accounts.password.changed",
    "accounts.password.set",
    "accounts.password.reset",
    "accounts.email.added",
    "accounts.email.removed",
    "accounts.email.confirmed",
    "accounts.email.primary_changed",
}


def account_event_log(*, user: User, action: str) -> None:
    """Audit a change allauth made (password, e-mail addresses). Only that it
    happened: no addresses, which would outlive an erasure in the log."""
    if action not in ACCOUNT_EVENTS:
        raise ValueError(f"Unknown account event: {action}")
    _audit(action, user=user)


def _unique_username(email: str) -> str:
    from django.utils.text import slugify

    base = (slugify(email.split("@", 1)[0]) or "user")[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    display_name: str,
    is_organizer: bool = False,
    email_verified: bool = False,
    actor: Any = None,
) -> User:
    """Create an account outside the sign-up form (the demo, command-line
    administration). The password rules of sign-up apply."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.password_validation import validate_password
    from django.core.validators import validate_email

    address = (email or "").strip().lower()
    validate_email(address)
    if User.objects.filter(email__iexact=address).exists():
        raise ApplicationError(
            _("An account with this e-mail address already exists."), code="taken"
        )
    user = User(username=_unique_username(address), email=address, is_staff=is_organizer)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=address, verified=email_verified, primary=True)
    profile_create(user=user, display_name=display_name)
    log_action(
        user,
        "accounts.user.created",
        actor=actor,
        data={"user_id": user.pk, "organizer": is_organizer},
    )
    return user
