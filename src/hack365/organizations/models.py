"""Organisations, their memberships, and Sweden's counties and municipalities."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hack365.core.models import TimeStampedModel

from .validators import validate_organisation_number


def search_key(text: str) -> str:
    """Case-folded text with single spaces, as stored in ``search_text``."""
    return " ".join(text.casefold().split())


class County(models.Model):
    """Län, with SCB's two-digit code."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """Kommun, with SCB's four-digit code (its first two digits are the county's)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=60)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganizationKind(models.TextChoices):
    AGENCY = "agency", _("Government agency")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Municipality")
    COMPANY = "company", _("Company")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia")


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class Organization(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_organisation_number],
        help_text=_("Ten digits, as 202100-5489."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    county = models.ForeignKey(
        County, verbose_name=_("county"), null=True, blank=True, on_delete=models.PROTECT
    )
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    publisher_uri = models.URLField(_("publisher URI in data catalogs"), max_length=500, blank=True)
    # Case-folded name, kept by save(): the same search finds "Ö" and "ö" on
    # SQLite (whose LIKE folds only ASCII) and PostgreSQL alike.
    search_text = models.CharField(max_length=200, editable=False, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_key(self.name)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class MembershipRole(models.TextChoices):
    NEED_OWNER = "need_owner", _("Need owner")
    PUBLISHER = "publisher", _("Publisher")


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organization} ({self.get_role_display()})"
