"""Evaluation rounds, criteria, jurors, assignments, conflicts of interest,
scores and awards (see services.py, ranking.py and award_services.py).

A round belongs to an event or to a year-round challenge. When it opens, the
submitted solutions of its event or challenge (or, for a next round, the
shortlist of the previous one) become its *entries*. Organizers add jurors
and assign them to entries; a juror scores each criterion of an assigned
entry with a written justification. A declared conflict of interest recuses
the juror from that entry. When the round closes every score is locked.

Awards are given in categories of an event (or a challenge); a people's
choice category is decided by a public vote, one vote per verified account.
Nothing of an award is public until its category is published."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hack365.challenges.models import Challenge, Event
from hack365.core.models import TimeStampedModel
from hack365.submissions.models import Solution

TITLE_MAX = 200
GUIDANCE_MAX = 2000
JUSTIFICATION_MAX = 4000
EXPLANATION_MAX = 1000


class Scale(models.TextChoices):
    ONE_TO_FIVE = "1-5", _("1–5")
    ONE_TO_TEN = "1-10", _("1–10")
    YES_NO = "yes-no", _("Yes / no")


#: The lowest and highest value of each scale (yes = 1, no = 0).
SCALE_BOUNDS: dict[str, tuple[int, int]] = {
    Scale.ONE_TO_FIVE: (1, 5),
    Scale.ONE_TO_TEN: (1, 10),
    Scale.YES_NO: (0, 1),
}


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed")


class EvaluationRound(TimeStampedModel):
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
    )
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evaluation_rounds",
    )
    previous_round = models.ForeignKey(
        "self",
        verbose_name=_("previous round"),
        help_text=_("A next round evaluates the shortlist of this round."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_rounds",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    guidance = models.TextField(_("guidance for the jury"), max_length=GUIDANCE_MAX, blank=True)
    opens_at = models.DateTimeField(_("scoring opens"))
    closes_at = models.DateTimeField(_("scoring closes"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RoundStatus.choices,
        default=RoundStatus.DRAFT,
        db_index=True,
    )
    blind = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_("Team and member names are hidden from the jury."),
    )
    jurors_per_solution = models.PositiveSmallIntegerField(
        _("jurors per solution"), default=3, validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["opens_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(challenge__isnull=True))
                | (Q(event__isnull=True) & Q(challenge__isnull=False)),
                name="round_event_xor_challenge",
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        return self.status == RoundStatus.CLOSED


class Criterion(models.Model):
    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("round")
    )
    name = models.CharField(_("criterion"), max_length=TITLE_MAX)
    guidance = models.TextField(_("guidance"), max_length=GUIDANCE_MAX, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    scale = models.CharField(
        _("scale"), max_length=10, choices=Scale.choices, default=Scale.ONE_TO_FIVE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def bounds(self) -> tuple[int, int]:
        return SCALE_BOUNDS[self.scale]


class Entry(models.Model):
    """A solution taking part in a round."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="entries", verbose_name=_("round")
    )
    solution = models.ForeignKey(
        Solution,
        on_delete=models.PROTECT,
        related_name="evaluation_entries",
        verbose_name=_("solution"),
    )
    shortlisted = models.BooleanField(_("shortlisted"), default=False)
    feedback_released_at = models.DateTimeField(_("feedback released"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "solution"], name="unique_round_entry")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.solution_id}"


class Juror(TimeStampedModel):
    """A jury member of one round (the role is held through this row).

    The account is protected: erasing a jury member's account would delete
    their submitted scores and conflict declarations with it and silently
    change a round's results. Such an erasure is refused (the account
    services say why); the organizers remove the person from a jury first
    where that is still allowed."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="jurors", verbose_name=_("round")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jury_roles",
        verbose_name=_("user"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="unique_round_juror")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.user_id}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("To score")
    SUBMITTED = "submitted", _("Scores submitted")
    RECUSED = "recused", _("Recused (conflict of interest)")


class Assignment(TimeStampedModel):
    """A juror is to score an entry."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("entry")
    )
    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("jury member")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssignmentStatus.choices,
        default=AssignmentStatus.ASSIGNED,
        db_index=True,
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assigned by"),
        help_text=_("Empty when assigned automatically."),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "juror"], name="unique_entry_juror")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.juror_id}"


class ConflictReason(models.TextChoices):
    SAME_ORGANISATION = "organisation", _("I work for the same organisation as a team member")
    KNOWS_MEMBER = "knows_member", _("I know a team member personally")
    INVOLVED = "involved", _("I took part in or advised the solution")
    OTHER = "other", _("Another reason")


class ConflictDeclaration(TimeStampedModel):
    juror = models.ForeignKey(
        Juror, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("jury member")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("entry")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ConflictReason.choices)
    explanation = models.TextField(_("explanation"), max_length=EXPLANATION_MAX, blank=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["entry", "id"]
        constraints = [
            models.UniqueConstraint(fields=["juror", "entry"], name="unique_juror_conflict")
        ]

    def __str__(self) -> str:
        return f"{self.juror_id}/{self.entry_id}: {self.reason}"


class Score(TimeStampedModel):
    """One juror's score on one criterion of one entry, with its reasons."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assignment")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", verbose_name=_("criterion")
    )
    value = models.SmallIntegerField(_("score"))
    justification = models.TextField(_("justification"), max_length=JUSTIFICATION_MAX)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="unique_assignment_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.criterion_id}={self.value}"


class AwardKind(models.TextChoices):
    JURY = "jury", _("Decided by the jury")
    PEOPLE = "people", _("People's choice (public vote)")


class AwardCategory(TimeStampedModel):
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_categories",
    )
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_categories",
    )
    name = models.CharField(_("name"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), max_length=GUIDANCE_MAX, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=AwardKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    voting_opens = models.DateTimeField(_("voting opens"), null=True, blank=True)
    voting_closes = models.DateTimeField(_("voting closes"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(challenge__isnull=True))
                | (Q(event__isnull=True) & Q(challenge__isnull=False)),
                name="award_category_event_xor_challenge",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Award(TimeStampedModel):
    category = models.ForeignKey(
        AwardCategory, on_delete=models.CASCADE, related_name="awards", verbose_name=_("category")
    )
    solution = models.ForeignKey(
        Solution, on_delete=models.PROTECT, related_name="awards", verbose_name=_("solution")
    )
    place = models.PositiveSmallIntegerField(
        _("place"), default=1, validators=[MinValueValidator(1)]
    )
    citation = models.TextField(_("the jury's citation"), max_length=GUIDANCE_MAX, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("awarded by"),
    )

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["category", "place", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "solution"], name="unique_award_solution")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.solution_id}"


class Vote(models.Model):
    """A people's choice vote: one per verified account and category.

    Erasing the voter's account deletes the vote (``user`` cascades): an
    erased voter's vote is withdrawn, as if they had withdrawn it themself,
    also after the voting has closed. A published result keeps its awards;
    only the counts shown drop."""

    category = models.ForeignKey(
        AwardCategory, on_delete=models.CASCADE, related_name="votes", verbose_name=_("category")
    )
    solution = models.ForeignKey(
        Solution, on_delete=models.CASCADE, related_name="votes", verbose_name=_("solution")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("cast"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["category", "user"], name="unique_vote_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category_id}: {self.solution_id}"
