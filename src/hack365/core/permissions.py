"""Permission helpers shared by services, selectors and templates."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def is_authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_organizer(user: Any) -> bool:
    """Organizers are platform staff (the staff flag) and superusers."""
    return (
        is_authenticated(user) and bool(user.is_active) and bool(user.is_staff or user.is_superuser)
    )


def require_authenticated(user: Any) -> None:
    if not is_authenticated(user) or not user.is_active:
        raise PermissionDenied(_("You need to log in to do this."))


def require_organizer(user: Any) -> None:
    if not is_organizer(user):
        raise PermissionDenied(_("Only organizers may do this."))
