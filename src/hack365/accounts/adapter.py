"""allauth adapter: the few places where hack365 differs from allauth's defaults."""

from __future__ import annotations

from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

# Corrections of allauth's own Swedish catalogue: ours takes precedence,
# as hack365.accounts comes before allauth in INSTALLED_APPS. (allauth 65.21
# translates the login page's sign-up hint as "Already have an account?".)
ALLAUTH_CORRECTIONS = [
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
]


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        # allauth's form field accepts 320 characters, the database column
        # (like EmailAddress's) holds 254: refuse longer addresses politely
        # instead of failing in the database (PostgreSQL enforces the length).
        email = super().clean_email(email)
        limit = app_settings.EMAIL_MAX_LENGTH
        if len(email) > limit:
            raise forms.ValidationError(
                _("An e-mail address may have at most %(max)d characters.") % {"max": limit},
                code="max_length",
            )
        return email


def user_display(user: Any) -> str:
    """How allauth names a user in its messages and pages ("Logged in as …"):
    the display name, not the generated user name (ACCOUNT_USER_DISPLAY)."""
    return str(user)
