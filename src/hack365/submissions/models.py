"""Solutions, their versions and attachments (see services.py).

A team submits one solution per challenge. Every save keeps a
:class:`SolutionVersion`; ``Solution.version`` is the number of the latest
one and lets a save detect that someone else saved in between. After the
challenge's deadline (server time) the solution is frozen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hack365.catalog.models import Dataset
from hack365.challenges.models import Challenge
from hack365.core.models import TimeStampedModel
from hack365.teams.models import Team

TITLE_MAX = 200
SUMMARY_MAX = 600
PROBLEM_MAX = 10000
TARGET_GROUP_MAX = 300
OTHER_DATA_MAX = 2000
URL_MAX = 500
ORIGINAL_NAME_MAX = 200


class SolutionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Solution(TimeStampedModel):
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="solutions"
    )
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.PROTECT, related_name="solutions"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    problem = models.TextField(_("the problem it solves"), max_length=PROBLEM_MAX, blank=True)
    target_group = models.CharField(_("target group"), max_length=TARGET_GROUP_MAX, blank=True)
    datasets = models.ManyToManyField(  # type: ignore[var-annotated]
        Dataset,
        through="SolutionDataset",
        verbose_name=_("datasets used"),
        related_name="solutions",
        blank=True,
    )
    other_data = models.TextField(_("other data"), max_length=OTHER_DATA_MAX, blank=True)
    repository_url = models.URLField(_("code repository"), max_length=URL_MAX, blank=True)
    demo_url = models.URLField(_("demo"), max_length=URL_MAX, blank=True)
    video_url = models.URLField(_("video"), max_length=URL_MAX, blank=True)
    licence = models.CharField(_("licence"), max_length=50, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SolutionStatus.choices,
        default=SolutionStatus.DRAFT,
        db_index=True,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Case-folded text of the searchable fields, kept by the services (as
    # Challenge.search_text): the gallery finds "Å" and "å" alike.
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = ["-submitted_at", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "challenge"], name="solution_one_per_team_and_challenge"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="solution_version_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("submissions:detail", kwargs={"pk": self.pk})


class SolutionDataset(models.Model):
    """A catalog dataset a solution uses, in the team's order."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="dataset_uses")
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="solution_uses")
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("how it is used"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dataset used")
        verbose_name_plural = _("datasets used")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["solution", "dataset"], name="solution_dataset_once")
        ]

    def __str__(self) -> str:
        return f"{self.solution} → {self.dataset}"


class SolutionVersion(models.Model):
    """What a solution looked like after one save (a snapshot of every
    editable field; datasets as ids and titles)."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=SolutionStatus.choices)
    data = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("solution version")
        verbose_name_plural = _("solution versions")
        ordering = ["solution", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["solution", "number"], name="solution_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.solution} v{self.number}"


class Attachment(models.Model):
    """A file attached to a solution, stored under a generated name
    (``attachments/<year>/<uuid>.<ext>``), never the uploader's."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), max_length=200)
    original_name = models.CharField(_("file name"), max_length=ORIGINAL_NAME_MAX)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    is_confidential = models.BooleanField(_("confidential"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("submissions:attachment", kwargs={"pk": self.solution_id, "att_pk": self.pk})
