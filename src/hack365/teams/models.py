"""Teams (members, invitations, join requests, role postings, people looking
for a team) and mentors (profiles, bookable slots, bookings).

Writes go through ``services.py`` (teams) and ``mentor_services.py``
(mentors); database constraints back the invariants that concurrent requests
could otherwise break (one lead per team, one active booking per slot)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hack365.challenges.models import Challenge, Event
from hack365.core.models import TimeStampedModel
from hack365.organizations.models import Organization

DEFAULT_MAX_TEAM_SIZE = 6


class Team(TimeStampedModel):
    """A group of participants working on one challenge (or, before they
    have chosen one, for an event)."""

    name = models.CharField(_("name"), max_length=120)
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
    )
    description = models.TextField(_("about the team"), max_length=5000, blank=True)
    looking_for_members = models.BooleanField(_("looking for members"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(  # type: ignore[var-annotated]
        settings.AUTH_USER_MODEL,
        through="TeamMembership",
        related_name="teams",
        verbose_name=_("members"),
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(challenge__isnull=False) | Q(event__isnull=False),
                name="team_has_challenge_or_event",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:detail", kwargs={"pk": self.pk})


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Team lead")
    MEMBER = "member", _("Member")


class TeamMembership(TimeStampedModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER
    )

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_member_once"),
            models.UniqueConstraint(
                fields=["team"], condition=Q(role="lead"), name="team_one_lead"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("No longer valid")


class Invitation(TimeStampedModel):
    """An invitation to one person, by e-mail address or user name; only the
    invited account may accept it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_invitations",
    )
    token = models.CharField(max_length=64, unique=True, editable=False)
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | Q(user__isnull=False), name="invitation_has_invitee"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.email or self.user}"


class JoinRequest(TimeStampedModel):
    """Someone asks to join a team; the team (its lead) answers."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_join_requests"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(status="pending"),
                name="join_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.team}"


class RolePosting(TimeStampedModel):
    """ "We are looking for a data scientist": a team's open role."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="postings")
    title = models.CharField(_("role"), max_length=120)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_open = models.BooleanField(_("open"), default=True, db_index=True)

    class Meta:
        verbose_name = _("role posting")
        verbose_name_plural = _("role postings")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.team}: {self.title}"


class TeamSeeker(TimeStampedModel):
    """A participant looking for a team, shown on the matchmaking page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_seekers"
    )
    challenge = models.ForeignKey(
        Challenge,
        verbose_name=_("challenge"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_seekers",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_seekers",
    )
    note = models.TextField(_("about me"), max_length=1000, blank=True)
    is_active = models.BooleanField(_("looking for a team"), default=True, db_index=True)

    class Meta:
        verbose_name = _("person looking for a team")
        verbose_name_plural = _("people looking for a team")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # once per challenge, once per event, once in general (three
            # partial indexes: SQLite has no NULLS NOT DISTINCT)
            models.UniqueConstraint(
                fields=["user", "challenge"],
                condition=Q(challenge__isnull=False),
                name="team_seeker_once_per_challenge",
            ),
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=Q(challenge__isnull=True, event__isnull=False),
                name="team_seeker_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(challenge__isnull=True, event__isnull=True),
                name="team_seeker_once_in_general",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


# --- mentors ----------------------------------------------------------------------


class MentorProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentors",
    )
    organisation_name = models.CharField(
        _("organisation (if not listed)"), max_length=200, blank=True
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(_("short bio"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("available as a mentor"), default=True, db_index=True)

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("mentors:detail", kwargs={"pk": self.pk})


class MentorSlot(TimeStampedModel):
    """A time a mentor offers; at most one team books it."""

    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_withdrawn = models.BooleanField(_("withdrawn"), default=False)

    class Meta:
        verbose_name = _("mentor time slot")
        verbose_name_plural = _("mentor time slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(online_url="") | ~Q(place=""), name="slot_has_link_or_place"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="slot_duration_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} {self.starts_at:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED_BY_TEAM = "cancelled_team", _("Cancelled by the team")
    CANCELLED_BY_MENTOR = "cancelled_mentor", _("Cancelled by the mentor")


class Booking(TimeStampedModel):
    slot = models.ForeignKey(MentorSlot, on_delete=models.CASCADE, related_name="bookings")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="bookings")
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.TextField(_("what the team wants help with"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=BookingStatus.choices,
        default=BookingStatus.BOOKED,
        db_index=True,
    )
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="booked"), name="slot_one_active_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} – {self.slot}"


class CalendarFeed(TimeStampedModel):
    """The secret address of one person's iCal feed of bookings; a new token
    replaces a leaked one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
