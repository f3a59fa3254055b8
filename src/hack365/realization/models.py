"""What happens to a solution after the evaluation (see services.py).

For each solution to a challenge the challenge's need owner records a
decision — adopt, pilot, innovation procurement, further development or
decline (with a reason) — and then milestones with dates and short updates.
Follow-ups remind the need owner 6 and 12 months after the award. All of it
is public: the realization status is shown on the solution, the challenge
and the organisation, and in the realization overview."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hack365.core.models import TimeStampedModel
from hack365.submissions.models import Solution

REASON_MAX = 3000
TITLE_MAX = 200
UPDATE_MAX = 3000


class Decision(models.TextChoices):
    ADOPT = "adopt", _("Adopted")
    PILOT = "pilot", _("Pilot")
    PROCUREMENT = "procurement", _("Innovation procurement")
    FURTHER_DEVELOPMENT = "further_development", _("Further development")
    DECLINE = "decline", _("Declined")


class Realization(TimeStampedModel):
    """The need owner's current decision on one solution."""

    solution = models.OneToOneField(
        Solution, on_delete=models.CASCADE, related_name="realization", verbose_name=_("solution")
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("reason"), max_length=REASON_MAX, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("realization")
        verbose_name_plural = _("realizations")
        ordering = ["-decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="decline") | ~Q(reason=""),
                name="realization_decline_needs_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.solution_id}: {self.decision}"


class Milestone(TimeStampedModel):
    realization = models.ForeignKey(
        Realization,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("realization"),
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("milestone"), max_length=TITLE_MAX)
    update = models.TextField(_("update"), max_length=UPDATE_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["realization", "date", "id"]

    def __str__(self) -> str:
        return self.title


class FollowUp(TimeStampedModel):
    """A reminder to the need owner, ``months`` after the solution's award."""

    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("solution")
    )
    months = models.PositiveSmallIntegerField(_("months after the award"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["solution", "months"], name="unique_follow_up")
        ]

    def __str__(self) -> str:
        return f"{self.solution_id} +{self.months}"
