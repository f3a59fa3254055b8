"""Writes for mentors: profiles, bookable time slots, bookings and the secret
address of one's calendar feed.

Every function checks who may act (``PermissionDenied``) and whether the
state allows it (``ApplicationError`` / ``ValidationError`` with a translated
message), changes nothing when it refuses, and writes the audit log. Notices
by e-mail go out after the transaction commits (``tasks.send_booking_notice``).

No double booking, even under concurrent requests: ``booking_create`` locks
the slot row, checks for an active booking inside the transaction, and the
database's partial unique constraint (one active booking per slot) catches
whatever a database without row locks (SQLite) lets through."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hack365.accounts.languages import PROFILE_LANGUAGES
from hack365.core.audit import log_action
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.permissions import require_authenticated
from hack365.organizations.models import Organization

from .models import (
    Booking,
    BookingStatus,
    CalendarFeed,
    MentorProfile,
    MentorSlot,
    Team,
    TeamMembership,
)

MAX_SKILLS = 20
MAX_SKILL_LENGTH = 60
MAX_LANGUAGES = 10
BIO_MAX = 2000
ORGANISATION_NAME_MAX = 200
SLOT_MIN_MINUTES = 5
SLOT_MAX_MINUTES = 480
SLOT_MAX_AHEAD_DAYS = 366
MAX_FUTURE_SLOTS = 200  # per mentor
PLACE_MAX = 200
NOTE_MAX = 300
URL_MAX = 500
TOPIC_MAX = 1000
REASON_MAX = 1000
MAX_ACTIVE_BOOKINGS_PER_TEAM = 5  # future bookings at any one time
BOOKINGS_PER_TEAM_PER_DAY = 20  # booking and cancelling again and again


# --- helpers ------------------------------------------------------------------------


def _too_long(field: str, max_length: int, text: str) -> ValidationError:
    return ValidationError(
        {
            field: _("Please write at most %(max)d characters (you wrote %(n)d).")
            % {"max": max_length, "n": len(text)}
        }
    )


def _text(value: str | None, *, field: str, max_length: int) -> str:
    text = (value or "").strip()
    if len(text) > max_length:
        raise _too_long(field, max_length, text)
    return text


def clean_skills(skills: Iterable[str]) -> list[str]:
    """Trimmed, the same skill (ignoring case) once; at most 20 of 60 characters."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for raw in skills:
        skill = " ".join(str(raw).split())
        if skill and skill.casefold() not in seen:
            seen.add(skill.casefold())
            cleaned.append(skill)
    if len(cleaned) > MAX_SKILLS:
        raise ValidationError(
            {
                "skills": _("You can list at most %(max)d skills; you gave %(count)d.")
                % {"max": MAX_SKILLS, "count": len(cleaned)}
            }
        )
    for skill in cleaned:
        if len(skill) > MAX_SKILL_LENGTH:
            raise ValidationError(
                {
                    "skills": _(
                        "Each skill may have at most %(max)d characters (“%(skill)s…” is longer)."
                    )
                    % {"max": MAX_SKILL_LENGTH, "skill": skill[:20]}
                }
            )
    return cleaned


def clean_meeting_url(value: str | None) -> str:
    """An online meeting link: http or https only (no javascript:, data:,
    file: ...), at most 500 characters."""
    url = (value or "").strip()
    if not url:
        return ""
    if len(url) > URL_MAX:
        raise _too_long("online_url", URL_MAX, url)
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError(
            {"online_url": _("The meeting link must start with https:// or http://.")}
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError({"online_url": _("Enter a valid web address.")}) from None
    return url


def is_team_member(user: Any, team: Team) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and TeamMembership.objects.filter(team=team, user=user).exists()
    )


def _mentor_of(user: Any) -> MentorProfile:
    profile = MentorProfile.objects.filter(user=user).first() if user.is_authenticated else None
    if profile is None:
        raise PermissionDenied(_("Create your mentor profile first."))
    return profile


def _slot_end(slot: MentorSlot) -> datetime:
    return slot.starts_at + timedelta(minutes=slot.duration_minutes)


def _overlaps(start: datetime, end: datetime, slot: MentorSlot) -> bool:
    return slot.starts_at < end and start < _slot_end(slot)


def _notify(booking: Booking, kind: str) -> None:
    """Send the notice ``kind`` about ``booking`` once the transaction commits."""
    from .tasks import send_booking_notice

    booking_id = booking.pk
    transaction.on_commit(lambda: send_booking_notice.enqueue(booking_id, kind))


# --- mentor profiles ----------------------------------------------------------------


@transaction.atomic
def mentor_profile_upsert(
    *,
    user: Any,
    skills: Iterable[str] = (),
    organization: Organization | None = None,
    organisation_name: str = "",
    languages: Iterable[str] = (),
    bio: str = "",
    is_active: bool = True,
) -> MentorProfile:
    """Create or change the user's mentor profile: any logged-in participant
    may offer to mentor."""
    require_authenticated(user)
    skill_list = clean_skills(skills)
    language_list = list(dict.fromkeys(languages))
    if any(code not in PROFILE_LANGUAGES for code in language_list):
        raise ValidationError({"languages": _("Unknown language.")})
    if len(language_list) > MAX_LANGUAGES:
        raise ValidationError(
            {"languages": _("Choose at most %(max)d languages.") % {"max": MAX_LANGUAGES}}
        )
    bio_text = _text(bio, field="bio", max_length=BIO_MAX)
    org_name = _text(organisation_name, field="organisation_name", max_length=ORGANISATION_NAME_MAX)
    if organization is not None:
        org_name = ""  # a platform organisation is named by itself
    values = {
        "skills": skill_list,
        "organization": organization,
        "organisation_name": org_name,
        "languages": language_list,
        "bio": bio_text,
        "is_active": bool(is_active),
    }
    profile = MentorProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        try:
            with transaction.atomic():
                profile = MentorProfile.objects.create(user=user, **values)
        except IntegrityError:  # created by a request at the same moment
            profile = MentorProfile.objects.select_for_update().get(user=user)
        else:
            log_action(
                profile,
                "teams.mentor_profile.created",
                actor=user,
                data={"skills": skill_list, "is_active": profile.is_active},
            )
            return profile
    changed = [name for name, value in values.items() if getattr(profile, name) != value]
    if changed:
        for name in changed:
            setattr(profile, name, values[name])
        profile.save(update_fields=[*changed, "updated_at"])
        log_action(profile, "teams.mentor_profile.updated", actor=user, data={"fields": changed})
    return profile


# --- slots --------------------------------------------------------------------------


@transaction.atomic
def slot_create(
    *,
    user: Any,
    starts_at: datetime,
    duration_minutes: int,
    online_url: str = "",
    place: str = "",
    note: str = "",
) -> MentorSlot:
    """A time the mentor offers: in the future, 5–480 minutes, an http(s)
    meeting link or a place, not overlapping another of the mentor's slots."""
    require_authenticated(user)
    mentor = _mentor_of(user)
    # One slot creation per mentor at a time, so two overlapping slots can't
    # both pass the check below.
    MentorProfile.objects.select_for_update().filter(pk=mentor.pk).values_list("pk").get()
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": _("Give the time with its time zone.")})
    now = timezone.now()
    if starts_at <= now:
        raise ValidationError({"starts_at": _("The time must be in the future.")})
    if starts_at > now + timedelta(days=SLOT_MAX_AHEAD_DAYS):
        raise ValidationError({"starts_at": _("Offer times at most a year ahead.")})
    if not SLOT_MIN_MINUTES <= int(duration_minutes) <= SLOT_MAX_MINUTES:
        raise ValidationError(
            {
                "duration_minutes": _("The length must be between %(min)d and %(max)d minutes.")
                % {"min": SLOT_MIN_MINUTES, "max": SLOT_MAX_MINUTES}
            }
        )
    url = clean_meeting_url(online_url)
    place_text = _text(place, field="place", max_length=PLACE_MAX)
    note_text = _text(note, field="note", max_length=NOTE_MAX)
    if not url and not place_text:
        raise ValidationError(
            {"online_url": _("Give an online meeting link or a place (or both).")}
        )
    end = starts_at + timedelta(minutes=int(duration_minutes))
    current = MentorSlot.objects.filter(mentor=mentor, is_withdrawn=False)
    if current.filter(starts_at__gt=now).count() >= MAX_FUTURE_SLOTS:
        raise ApplicationError(
            _("You already offer %(n)d coming times; withdraw some before adding more.")
            % {"n": MAX_FUTURE_SLOTS}
        )
    nearby = current.filter(
        starts_at__lt=end, starts_at__gt=starts_at - timedelta(minutes=SLOT_MAX_MINUTES)
    )
    clash = next((s for s in nearby if _overlaps(starts_at, end, s)), None)
    if clash is not None:
        raise ValidationError(
            {
                "starts_at": _("This time overlaps another time you offer (%(when)s).")
                % {"when": timezone.localtime(clash.starts_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    slot = MentorSlot.objects.create(
        mentor=mentor,
        starts_at=starts_at,
        duration_minutes=int(duration_minutes),
        online_url=url,
        place=place_text,
        note=note_text,
    )
    log_action(
        slot,
        "teams.mentor_slot.created",
        actor=user,
        data={"starts_at": starts_at.isoformat(), "minutes": slot.duration_minutes},
    )
    return slot


@transaction.atomic
def slot_withdraw(*, user: Any, slot: MentorSlot, reason: str = "") -> MentorSlot:
    """The mentor takes a time back; a team that had booked it gets a notice."""
    require_authenticated(user)
    locked = (
        MentorSlot.objects.select_for_update(of=("self",)).select_related("mentor").get(pk=slot.pk)
    )
    if locked.mentor.user_id != user.pk:
        raise PermissionDenied(_("Only the mentor can withdraw this time."))
    if locked.is_withdrawn:
        raise ApplicationError(_("This time is already withdrawn."))
    if locked.starts_at <= timezone.now():
        raise ApplicationError(_("This time has already begun; it can't be withdrawn."))
    reason_text = _text(reason, field="reason", max_length=REASON_MAX)
    booking = (
        Booking.objects.select_for_update().filter(slot=locked, status=BookingStatus.BOOKED).first()
    )
    if booking is not None:
        _cancel(booking, user=user, status=BookingStatus.CANCELLED_BY_MENTOR, reason=reason_text)
    locked.is_withdrawn = True
    locked.save(update_fields=["is_withdrawn", "updated_at"])
    log_action(
        locked,
        "teams.mentor_slot.withdrawn",
        actor=user,
        data={"booking": booking.pk if booking else None},
    )
    slot.is_withdrawn = True
    return locked


# --- bookings -----------------------------------------------------------------------


def _already_booked() -> ApplicationError:
    return ApplicationError(
        _("Someone else has just booked this time. Please choose another."), code="booked"
    )


@transaction.atomic
def booking_create(*, user: Any, slot: MentorSlot, team: Team, topic: str = "") -> Booking:
    """A member books a free, future time of a mentor for their team."""
    require_authenticated(user)
    if not is_team_member(user, team):
        raise PermissionDenied(_("Only the team's members can book a mentor for it."))
    topic_text = _text(topic, field="topic", max_length=TOPIC_MAX)
    # The slot row first: concurrent bookings of this slot wait here.
    locked = (
        MentorSlot.objects.select_for_update(of=("self",))
        .select_related("mentor")
        .filter(pk=slot.pk)
        .first()
    )
    if locked is None or locked.is_withdrawn or not locked.mentor.is_active:
        raise ApplicationError(_("This time is no longer offered."), code="withdrawn")
    now = timezone.now()
    if locked.starts_at <= now:
        raise ApplicationError(_("This time has passed."), code="past")
    if locked.mentor.user_id == user.pk:
        raise ApplicationError(_("You can't book your own time."), code="own")
    if Booking.objects.filter(slot=locked, status=BookingStatus.BOOKED).exists():
        raise _already_booked()
    # Then the team row: the team's own limits are checked one booking at a time.
    Team.objects.select_for_update().filter(pk=team.pk).values_list("pk").get()
    active = list(
        Booking.objects.filter(
            team=team, status=BookingStatus.BOOKED, slot__starts_at__gt=now
        ).select_related("slot")
    )
    if len(active) >= MAX_ACTIVE_BOOKINGS_PER_TEAM:
        raise ApplicationError(
            _("Your team already has %(n)d coming bookings; that is the most a team can hold.")
            % {"n": MAX_ACTIVE_BOOKINGS_PER_TEAM},
            code="limit",
        )
    end = _slot_end(locked)
    if any(_overlaps(locked.starts_at, end, b.slot) for b in active):
        raise ApplicationError(
            _("Your team already has a booking at this time."), code="team_overlap"
        )
    if (
        Booking.objects.filter(team=team, created_at__gte=now - timedelta(days=1)).count()
        >= BOOKINGS_PER_TEAM_PER_DAY
    ):
        raise ApplicationError(
            _("Your team has made many bookings today. Please try again tomorrow."),
            code="rate_limited",
        )
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=locked, team=team, booked_by=user, topic=topic_text
            )
    except IntegrityError:
        # The partial unique index: another transaction booked it first.
        raise _already_booked() from None
    log_action(
        booking,
        "teams.booking.created",
        actor=user,
        data={"slot": locked.pk, "team": team.pk},
    )
    _notify(booking, "booked")
    return booking


def _cancel(booking: Booking, *, user: Any, status: str, reason: str) -> None:
    booking.status = status
    booking.cancelled_by = user
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = reason
    booking.save(
        update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason", "updated_at"]
    )
    log_action(
        booking,
        "teams.booking.cancelled",
        actor=user,
        data={"status": status, "slot": booking.slot_id, "team": booking.team_id},
    )
    _notify(booking, "cancelled")


@transaction.atomic
def booking_cancel(*, user: Any, booking: Booking, reason: str = "") -> Booking:
    """A member of the team or the mentor cancels; the other side gets a notice."""
    require_authenticated(user)
    locked = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__mentor", "team")
        .get(pk=booking.pk)
    )
    is_mentor = locked.slot.mentor.user_id == user.pk
    is_member = is_team_member(user, locked.team)
    if not (is_mentor or is_member):
        raise PermissionDenied(_("Only the team's members and the mentor can cancel a booking."))
    if locked.status != BookingStatus.BOOKED:
        raise ApplicationError(_("This booking is already cancelled."), code="cancelled")
    if _slot_end(locked.slot) <= timezone.now():
        raise ApplicationError(_("This meeting is over; it can't be cancelled."), code="past")
    reason_text = _text(reason, field="reason", max_length=REASON_MAX)
    status = BookingStatus.CANCELLED_BY_MENTOR if is_mentor else BookingStatus.CANCELLED_BY_TEAM
    _cancel(locked, user=user, status=status, reason=reason_text)
    booking.status = locked.status
    return locked


# --- calendar feed ------------------------------------------------------------------


@transaction.atomic
def calendar_feed_token(*, user: Any, rotate: bool = False) -> CalendarFeed:
    """The user's secret feed address: made on first use; ``rotate`` gives a
    new token, so the old address stops working."""
    require_authenticated(user)
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
        log_action(feed, "teams.calendar_feed.created", actor=user)
    elif rotate:
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token", "updated_at"])
        log_action(feed, "teams.calendar_feed.rotated", actor=user)
    return feed


# --- notices ------------------------------------------------------------------------


def user_language(user: Any) -> str:
    """The language to write to ``user`` in: the first site language in their
    profile's languages, else Swedish."""
    from django.conf import settings

    site = [code for code, _name in settings.LANGUAGES]
    profile = getattr(user, "profile", None)
    for code in getattr(profile, "languages", None) or []:
        if code in site:
            return str(code)
    return "sv"


def _notice_recipients(booking: Booking, kind: str) -> list[Any]:
    """Who hears about it: a new booking or the team's cancellation goes to
    the mentor; the mentor's cancellation to every member of the team."""
    mentor_user = booking.slot.mentor.user
    team_users = [m.user for m in booking.team.memberships.select_related("user__profile")]
    if kind == "booked" or booking.status == BookingStatus.CANCELLED_BY_TEAM:
        people = [mentor_user]
    else:
        people = team_users
    actor_id = booking.cancelled_by_id if kind == "cancelled" else booking.booked_by_id
    return [p for p in people if p.is_active and p.email and p.pk != actor_id]


def booking_notice_send(*, booking_id: int, kind: str) -> int:
    """Send the notice ``kind`` ("booked" or "cancelled") about a booking, each
    e-mail rendered in its recipient's language. Returns the number sent."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils import translation

    booking = (
        Booking.objects.select_related(
            "slot__mentor__user__profile", "team", "booked_by__profile", "cancelled_by__profile"
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or kind not in ("booked", "cancelled"):
        return 0
    sent = 0
    for person in _notice_recipients(booking, kind):
        with translation.override(user_language(person)):
            context = {
                "booking": booking,
                "slot": booking.slot,
                "mentor": booking.slot.mentor,
                "team": booking.team,
                "recipient": person,
                "site_url": settings.HACK365.get("SITE_URL", ""),
                "mentoring_path": reverse("mentors:mentoring"),
                "calendar_path": reverse("mentors:calendar"),
            }
            subject = render_to_string(f"teams/mentors/email/{kind}_subject.txt", context)
            body = render_to_string(f"teams/mentors/email/{kind}_body.txt", context)
        send_mail(
            " ".join(subject.split()),
            body,
            settings.DEFAULT_FROM_EMAIL,
            [person.email],
        )
        sent += 1
    return sent
