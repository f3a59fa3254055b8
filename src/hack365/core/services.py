"""Core write operations."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import log_action
from .errors import ApplicationError
from .models import AccessibilityFeedback

FEEDBACK_PER_HOUR_LIMIT = 200  # platform-wide flood guard


@transaction.atomic
def accessibility_feedback_submit(
    *, message: str, page_url: str = "", email: str = "", language: str = "sv", actor: object = None
) -> AccessibilityFeedback:
    """Store a report of inaccessible content. Anonymous reports are allowed
    (the law asks for a way to report that does not need an account)."""
    message = (message or "").strip()
    if not message:
        raise ApplicationError(_("Describe the problem."), code="required")
    since = timezone.now() - timedelta(hours=1)
    if (
        AccessibilityFeedback.objects.filter(created_at__gte=since).count()
        >= FEEDBACK_PER_HOUR_LIMIT
    ):
        raise ApplicationError(
            _("We are receiving unusually many reports. Please try again in an hour."),
            code="rate_limited",
        )
    feedback = AccessibilityFeedback.objects.create(
        message=message[:5000],
        page_url=(page_url or "")[:500],
        email=email or "",
        language=language[:5],
    )
    log_action(feedback, "core.accessibility_feedback.submitted", actor=actor)
    return feedback
