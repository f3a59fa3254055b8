"""``log_action``: the one way to write the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditLogEntry

# Keys whose values never go into the audit log, whatever a caller passes.
_SECRET_KEYS = {"password", "password1", "password2", "token", "secret", "personnummer"}


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("[removed]" if k.lower() in _SECRET_KEYS else v) for k, v in data.items()}


def log_action(
    obj: models.Model | None,
    action: str,
    *,
    actor: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Record that ``actor`` did ``action`` (a dotted name such as
    ``challenges.challenge.published``) to ``obj``."""
    if action.count(".") < 2:
        raise ValueError(f"Audit action names are dotted, app.entity.verb: {action!r}")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    entry = AuditLogEntry(
        actor=user,
        action=action,
        data=_clean(data or {}),
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:200]
    entry.save()
    return entry
