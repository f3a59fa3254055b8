"""The open-data catalog: harvest sources and jobs, and what they bring in —
publishers, datasets, distributions and data services (DCAT-AP-SE 3.0.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hack365.core.models import DataTheme, TimeStampedModel


def pick_language(values: dict[str, str] | None, language: str | None = None) -> str:
    """The text in the reader's language, else Swedish, else English, else
    an untagged value, else any."""
    if not values:
        return ""
    lang = (language or get_language() or "sv")[:2]
    for key in (lang, "sv", "en", ""):
        if values.get(key):
            return values[key]
    return next((v for v in values.values() if v), "")


class SourceKind(models.TextChoices):
    DCAT_RDF = "dcat_rdf", _("DCAT-AP (RDF: Turtle, RDF/XML, JSON-LD, N-Triples)")
    CKAN = "ckan", _("CKAN action API")


class Schedule(models.TextChoices):
    MANUAL = "manual", _("Only when started by hand")
    HOURLY = "hourly", _("Every hour")
    DAILY = "daily", _("Every day")
    WEEKLY = "weekly", _("Every week")


class HarvestSource(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    file = models.FileField(_("uploaded file"), upload_to="harvest/", blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    schedule = models.CharField(
        _("schedule"), max_length=20, choices=Schedule.choices, default=Schedule.MANUAL
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="harvest_sources",
    )
    # Conditional GET: what the server said last time.
    etag = models.CharField(max_length=500, blank=True)
    last_modified_header = models.CharField(max_length=100, blank=True)
    last_harvested_at = models.DateTimeField(_("last harvested"), null=True, blank=True)

    class Meta:
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    NOT_MODIFIED = "not_modified", _("Not changed since last time")
    FAILED = "failed", _("Failed")


class HarvestJob(TimeStampedModel):
    source = models.ForeignKey(
        HarvestSource, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    file_name = models.CharField(_("file"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    max_items = models.PositiveIntegerField(_("at most this many datasets"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn_count = models.PositiveIntegerField(_("withdrawn"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    error = models.TextField(_("error"), blank=True)
    log = models.TextField(_("log"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("harvest job")
        verbose_name_plural = _("harvest jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source or self.file_name} {self.created_at:%Y-%m-%d %H:%M}"


class RecordStatus(models.TextChoices):
    CREATED = "created", _("Created")
    UPDATED = "updated", _("Updated")
    UNCHANGED = "unchanged", _("Unchanged")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    FAILED = "failed", _("Failed")


class HarvestRecord(models.Model):
    """What happened to one record in one job. Unchanged records are counted
    on the job, not stored one by one."""

    job = models.ForeignKey(HarvestJob, on_delete=models.CASCADE, related_name="records")
    key = models.CharField(_("key"), max_length=1000)
    status = models.CharField(_("status"), max_length=20, choices=RecordStatus.choices)
    error = models.TextField(_("error"), blank=True)
    dataset = models.ForeignKey(
        "Dataset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("harvest record")
        verbose_name_plural = _("harvest records")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.key} {self.status}"


class Publisher(TimeStampedModel):
    iri = models.CharField(_("IRI"), max_length=1000, unique=True)
    name = models.JSONField(_("name"), default=dict)
    organisation_number = models.CharField(_("organisation number"), max_length=11, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation on the platform"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publishers",
    )

    class Meta:
        verbose_name = _("publisher")
        verbose_name_plural = _("publishers")

    def __str__(self) -> str:
        return pick_language(self.name) or self.iri

    @property
    def display_name(self) -> str:
        return str(self)


class Dataset(TimeStampedModel):
    # Stable key: the IRI; for blank nodes "identifier:<dct:identifier>", else
    # "landing-page:<url>".
    key = models.CharField(_("key"), max_length=1000, unique=True)
    source = models.ForeignKey(
        HarvestSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="datasets"
    )
    iri = models.CharField(_("IRI"), max_length=1000, blank=True)
    identifier = models.CharField(_("identifier"), max_length=1000, blank=True)
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict)
    keywords = models.JSONField(_("keywords"), default=dict)  # {lang: [words]}
    publisher = models.ForeignKey(
        Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="datasets"
    )
    contact_point = models.JSONField(_("contact point"), default=dict, blank=True)
    themes = models.ManyToManyField(DataTheme, related_name="datasets", blank=True)
    license_uri = models.CharField(_("licence"), max_length=500, blank=True, db_index=True)
    access_rights = models.CharField(_("access rights"), max_length=500, blank=True)
    issued = models.DateTimeField(_("issued"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), null=True, blank=True, db_index=True)
    landing_page = models.CharField(_("landing page"), max_length=1000, blank=True)
    spatial = models.JSONField(_("spatial coverage"), default=list, blank=True)
    temporal = models.JSONField(_("temporal coverage"), default=dict, blank=True)
    frequency = models.CharField(_("update frequency"), max_length=500, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)  # from distributions
    content_hash = models.CharField(max_length=64, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False, db_index=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    quality_score = models.PositiveSmallIntegerField(_("quality"), default=0)
    quality_missing = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["-modified", "-id"]

    def __str__(self) -> str:
        return pick_language(self.title) or self.key

    def get_absolute_url(self) -> str:
        return reverse("catalog:dataset_detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        return str(self)

    @property
    def display_description(self) -> str:
        return pick_language(self.description)


class Distribution(models.Model):
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    iri = models.CharField(max_length=1000, blank=True)
    title = models.JSONField(_("title"), default=dict, blank=True)
    description = models.JSONField(_("description"), default=dict, blank=True)
    access_url = models.CharField(_("access URL"), max_length=1000, blank=True)
    download_url = models.CharField(_("download URL"), max_length=1000, blank=True)
    format = models.CharField(_("format"), max_length=100, blank=True)
    media_type = models.CharField(_("media type"), max_length=200, blank=True)
    license_uri = models.CharField(_("licence"), max_length=500, blank=True)
    byte_size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["dataset", "position", "id"]

    def __str__(self) -> str:
        return pick_language(self.title) or self.format or self.access_url


class DataService(TimeStampedModel):
    key = models.CharField(_("key"), max_length=1000, unique=True)
    source = models.ForeignKey(
        HarvestSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    title = models.JSONField(_("title"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    endpoint_url = models.CharField(_("endpoint"), max_length=1000, blank=True)
    endpoint_description = models.CharField(_("endpoint description"), max_length=1000, blank=True)
    publisher = models.ForeignKey(
        Publisher, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )
    license_uri = models.CharField(_("licence"), max_length=500, blank=True)
    serves_datasets = models.ManyToManyField(Dataset, related_name="services", blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        verbose_name = _("data service")
        verbose_name_plural = _("data services")

    def __str__(self) -> str:
        return pick_language(self.title) or self.key


class ChallengeDataset(TimeStampedModel):
    """A dataset a need owner linked to a challenge."""

    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="dataset_links"
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="challenge_links")
    note = models.CharField(_("why it helps"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("linked dataset")
        verbose_name_plural = _("linked datasets")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "dataset"], name="unique_challenge_dataset"
            )
        ]

    def __str__(self) -> str:
        return f"{self.challenge} → {self.dataset}"


class Reuse(models.Model):
    """A submitted solution reuses a catalog dataset. Kept by the submissions
    services: recorded when the solution is submitted, kept in step with its
    datasets while it stays submitted, removed when it is withdrawn."""

    solution = models.ForeignKey(
        "submissions.Solution", on_delete=models.CASCADE, related_name="reuses"
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="reuses")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reuse")
        verbose_name_plural = _("reuses")
        ordering = ["-recorded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["solution", "dataset"], name="unique_reuse")]

    def __str__(self) -> str:
        return f"{self.solution} → {self.dataset}"
