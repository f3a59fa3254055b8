"""The export sections for what accounts (and, for now, challenges and the
audit log) store about a user. Registered by ``AccountsConfig.ready()``."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress

from hack365.challenges.models import Question
from hack365.core.models import AuditLogEntry
from hack365.organizations.models import Membership

from .export import register_section
from .models import Consent, Demographics, Profile, User


def account_section(user: User) -> dict[str, Any]:
    # Never the password hash.
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def email_addresses_section(user: User) -> list[dict[str, Any]]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    ]


def profile_section(user: User) -> dict[str, Any] | None:
    profile = Profile.objects.select_related("county").filter(user=user).first()
    if profile is None:
        return None
    return {
        "display_name": profile.display_name,
        "bio": profile.bio,
        "skills": list(profile.skills or []),
        "sector": profile.sector,
        "county": (
            {"code": profile.county.code, "name": profile.county.name} if profile.county else None
        ),
        "languages": list(profile.languages or []),
        "created_at": profile.created_at,
        "updated_at": profile.updated_at,
    }


def consents_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "kind": consent.kind,
            "text_version": consent.text_version,
            "given_at": consent.given_at,
            "withdrawn_at": consent.withdrawn_at,
        }
        for consent in Consent.objects.filter(user=user).order_by("given_at", "id")
    ]


def demographics_section(user: User) -> dict[str, Any] | None:
    row = Demographics.objects.filter(user=user).first()
    if row is None:
        return None
    return {
        "gender": row.gender,
        "age_band": row.age_band,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def memberships_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "organisation": membership.organization.name,
            "organisation_slug": membership.organization.slug,
            "role": membership.role,
            "since": membership.created_at,
        }
        for membership in Membership.objects.filter(user=user)
        .select_related("organization")
        .order_by("created_at", "id")
    ]


def challenge_questions_section(user: User) -> list[dict[str, Any]]:
    return [
        {
            "challenge": question.challenge.title,
            "challenge_slug": question.challenge.slug,
            "question": question.body,
            "asked_at": question.created_at,
            "answer": question.answer,
            "answered_at": question.answered_at,
            "hidden_by_moderator": question.is_hidden,
        }
        for question in Question.objects.filter(author=user)
        .select_related("challenge")
        .order_by("created_at", "id")
    ]


def audit_log_section(user: User) -> list[dict[str, Any]]:
    """What the user did, as the audit log recorded it (not the data of the
    entries, which may concern other people)."""
    return [
        {"action": entry.action, "time": entry.created_at, "object": entry.object_repr}
        for entry in AuditLogEntry.objects.filter(actor=user).order_by("created_at", "id")
    ]


def register_builtin_sections() -> None:
    register_section("account", account_section)
    register_section("email_addresses", email_addresses_section)
    register_section("profile", profile_section)
    register_section("consents", consents_section)
    register_section("demographics", demographics_section)
    register_section("organisation_memberships", memberships_section)
    register_section("challenge_questions", challenge_questions_section)
    register_section("audit_log", audit_log_section)
