"""Reads for accounts. Every page here is about the logged-in user's own
data, so there is nothing to hide from them; the selectors only fetch."""

from __future__ import annotations

from .models import Consent, ConsentKind, Demographics, Profile, User


def profile_for(user: User) -> Profile:
    """The user's profile, or an unsaved empty one (accounts made outside the
    sign-up form, such as with ``createsuperuser``, may have none yet)."""
    profile = Profile.objects.select_related("county").filter(user=user).first()
    return profile if profile is not None else Profile(user=user)


def consent_active(user: User, kind: str = ConsentKind.DEMOGRAPHICS) -> Consent | None:
    return Consent.objects.filter(user=user, kind=kind, withdrawn_at__isnull=True).first()


def consent_history(user: User, kind: str = ConsentKind.DEMOGRAPHICS) -> list[Consent]:
    return list(Consent.objects.filter(user=user, kind=kind).order_by("-given_at", "-id"))


def demographics_for(user: User) -> Demographics | None:
    return Demographics.objects.filter(user=user).first()


def is_last_active_superuser(user: User) -> bool:
    return bool(
        user.is_superuser
        and not User.objects.filter(is_superuser=True, is_active=True).exclude(pk=user.pk).exists()
    )
