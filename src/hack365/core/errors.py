"""Errors raised by services. Views turn them into messages or form errors."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["ApplicationError", "PermissionDenied", "ValidationError"]


class ApplicationError(ValidationError):
    """A business rule refused the request (an illegal transition, a full
    team, a closed deadline). The message is translated and safe to show."""
