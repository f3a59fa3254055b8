"""Events (time-boxed campaigns), challenges and their questions."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hack365.core.models import DataTheme, TimeStampedModel
from hack365.organizations.models import Level, Organization


class EventKind(models.TextChoices):
    CRISIS = "crisis", _("Crisis hackathon")
    ANNUAL = "annual", _("Annual hackathon")
    THEMED = "themed", _("Themed campaign")


class EventPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Coming")
    REGISTRATION = "registration", _("Registration")
    HACKING = "hacking", _("Hacking")
    EVALUATION = "evaluation", _("Evaluation")
    RESULTS = "results", _("Results")


class Event(TimeStampedModel):
    """A time-boxed campaign. Its phase follows from its dates (server time)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    registration_opens = models.DateTimeField(_("registration opens"))
    hacking_starts = models.DateTimeField(_("hacking starts"))
    submission_deadline = models.DateTimeField(_("submission deadline"))
    evaluation_ends = models.DateTimeField(_("evaluation ends"))
    results_at = models.DateTimeField(_("results published"))
    max_team_size = models.PositiveSmallIntegerField(_("maximum team size"), default=6)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-hacking_starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(registration_opens__lte=models.F("hacking_starts"))
                & Q(hacking_starts__lt=models.F("submission_deadline"))
                & Q(submission_deadline__lte=models.F("evaluation_ends"))
                & Q(evaluation_ends__lte=models.F("results_at")),
                name="event_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("challenges:event_detail", kwargs={"slug": self.slug})

    def phase_at(self, when: datetime | None = None) -> EventPhase:
        now = when or timezone.now()
        if now < self.registration_opens:
            return EventPhase.UPCOMING
        if now < self.hacking_starts:
            return EventPhase.REGISTRATION
        if now < self.submission_deadline:
            return EventPhase.HACKING
        if now < self.results_at:
            return EventPhase.EVALUATION
        return EventPhase.RESULTS

    @property
    def phase(self) -> EventPhase:
        return self.phase_at()

    @property
    def phases(self) -> list[tuple[str, str, datetime]]:
        """(code, label, start) for the timeline on the event page."""
        return [
            (EventPhase.REGISTRATION, str(EventPhase.REGISTRATION.label), self.registration_opens),
            (EventPhase.HACKING, str(EventPhase.HACKING.label), self.hacking_starts),
            (EventPhase.EVALUATION, str(EventPhase.EVALUATION.label), self.submission_deadline),
            (EventPhase.RESULTS, str(EventPhase.RESULTS.label), self.results_at),
        ]


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Open")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


PUBLIC_STATUSES = (ChallengeStatus.PUBLISHED, ChallengeStatus.CLOSED, ChallengeStatus.ARCHIVED)


class Challenge(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=100, unique=True)
    summary = models.CharField(_("summary"), max_length=400)
    problem = models.TextField(_("problem"), max_length=20000)
    expected_benefit = models.TextField(_("expected societal benefit"), max_length=10000)
    target_group = models.CharField(_("target group"), max_length=300)
    themes = models.ManyToManyField(
        DataTheme, verbose_name=_("themes"), related_name="challenges", blank=True
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("need owner organisation"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    co_owners = models.ManyToManyField(
        Organization,
        verbose_name=_("co-owners"),
        related_name="co_owned_challenges",
        blank=True,
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contacts"),
        related_name="challenge_contacts",
        blank=True,
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
        help_text=_("Leave empty for a year-round challenge."),
    )
    deadline = models.DateTimeField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("For year-round challenges: the last day to submit, if there is one."),
    )
    max_team_size = models.PositiveSmallIntegerField(
        _("maximum team size"),
        null=True,
        blank=True,
        help_text=_("Leave empty to use the event's limit (or the platform's default)."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ChallengeStatus.choices,
        default=ChallengeStatus.DRAFT,
        db_index=True,
    )
    review_comment = models.TextField(_("comment from the review"), max_length=5000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted for review"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Case-folded text of the searchable fields, kept by the services; lets
    # the same search find "Å" and "å" on SQLite and PostgreSQL alike.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_year_round(self) -> bool:
        return self.event_id is None

    @property
    def effective_deadline(self) -> datetime | None:
        if self.event is not None:
            return self.event.submission_deadline
        return self.deadline


class Question(TimeStampedModel):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenge_questions",
    )
    body = models.TextField(_("question"), max_length=3000)
    answer = models.TextField(_("answer"), max_length=10000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]
