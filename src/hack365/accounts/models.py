"""Users, profiles and consent records.

Demographics (gender, age band) live in their own table and exist only while
the user's consent to store them is in force; withdrawing deletes the row."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from hack365.core.models import TimeStampedModel


class User(AbstractUser):
    email = models.EmailField(_("e-mail address"), unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        profile = getattr(self, "profile", None)
        if profile is not None and profile.display_name:
            return str(profile.display_name)
        return self.email or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Sector(models.TextChoices):
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    BUSINESS = "business", _("Business")
    PUBLIC_SECTOR = "public_sector", _("Public sector")
    ACADEMIA = "academia", _("Academia")
    STUDENT = "student", _("Student")


class Profile(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(_("name"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), max_length=2000, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    county = models.ForeignKey(
        "organizations.County",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or str(self.user_id)


class ConsentKind(models.TextChoices):
    DEMOGRAPHICS = "demographics", _("Store my gender and age band for statistics")


class Consent(models.Model):
    """A dated consent; withdrawal is dated too and never erases the record."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("kind"), max_length=30, choices=ConsentKind.choices)
    text_version = models.CharField(_("text version"), max_length=20, default="2026-11")
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.given_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Described another way")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_18 = "u18", _("Under 18")
    A18_24 = "18-24", "18–24"
    A25_34 = "25-34", "25–34"
    A35_44 = "35-44", "35–44"
    A45_54 = "45-54", "45–54"
    A55_64 = "55-64", "55–64"
    A65 = "65+", _("65 or older")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class Demographics(TimeStampedModel):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="demographics")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="+")
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=20, choices=AgeBand.choices, blank=True)

    class Meta:
        verbose_name = _("demographics")
        verbose_name_plural = _("demographics")

    def __str__(self) -> str:
        return f"{self.gender} {self.age_band}"
