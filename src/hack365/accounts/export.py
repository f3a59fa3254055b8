"""The personal-data export (GDPR art. 15 and 20): a registry of sections.

Each app that stores something about a user registers a section::

    from hack365.accounts.export import register_section

    def my_section(user: User) -> list[dict[str, Any]]:
        return [...]  # JSON-able: dicts, lists, str, numbers, dates

    register_section("teams", my_section)

usually from its ``AppConfig.ready()``. ``build_export(user)`` calls every
section in registration order. Sections must never include password hashes,
tokens or other people's personal data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

if TYPE_CHECKING:
    from .models import User

ExportSection = Callable[["User"], Any]

_sections: dict[str, ExportSection] = {}


def register_section(name: str, section: ExportSection) -> None:
    """Add a section called ``name``. Registering the same function again is
    harmless (``ready()`` may run more than once); a different function under
    a name already taken is a programming error."""
    if not name or name == "export":
        raise ValueError(f"Invalid export section name: {name!r}")
    existing = _sections.get(name)
    if existing is not None and existing is not section:
        qualname = getattr(existing, "__qualname__", repr(existing))
        raise ValueError(f"Export section {name!r} is already registered by {qualname}")
    _sections[name] = section


def unregister_section(name: str) -> None:
    """Remove a section (for tests)."""
    _sections.pop(name, None)


def section_names() -> list[str]:
    return list(_sections)


def build_export(user: User) -> dict[str, Any]:
    """Everything the registered sections know about ``user``."""
    data: dict[str, Any] = {
        "export": {
            "format": "hack365-personal-data",
            "version": 1,
            "generated_at": timezone.now(),
            "user_id": user.pk,
        }
    }
    for name, section in _sections.items():
        data[name] = section(user)
    return data


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
