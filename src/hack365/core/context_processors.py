from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .permissions import is_organizer


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.HACK365["SITE_NAME"],
        "user_is_organizer": is_organizer(user),
    }
