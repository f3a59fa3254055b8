from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import AuditLogEntry
from hack365.teams import mentor_services as services
from hack365.teams.models import Booking, BookingStatus, CalendarFeed, MentorProfile, MentorSlot
from tests.accounts.factories import UserFactory
from tests.organizations.factories import OrganizationFactory

from .mentor_factories import BookingFactory, MentorProfileFactory, MentorSlotFactory, make_team

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditLogEntry.objects.order_by("id").values_list("action", flat=True))


def _future(hours: float = 24) -> timezone.datetime:
    return timezone.now() + timedelta(hours=hours)


# --- profiles -----------------------------------------------------------------------


def test_any_participant_can_become_a_mentor_and_edit_the_profile() -> None:
    user = UserFactory()
    org = OrganizationFactory()
    profile = services.mentor_profile_upsert(
        user=user,
        skills=["Python", " python ", "Öppna  data"],
        organization=org,
        organisation_name="ignored",
        languages=["sv", "en", "sv"],
        bio="**Hej**",
    )
    assert profile.skills == ["Python", "Öppna data"]
    assert profile.languages == ["sv", "en"]
    assert profile.organization == org and profile.organisation_name == ""
    again = services.mentor_profile_upsert(
        user=user, skills=["UX"], organisation_name="Egen firma", bio="", is_active=False
    )
    assert again.pk == profile.pk
    assert MentorProfile.objects.count() == 1
    again.refresh_from_db()
    assert again.organisation_name == "Egen firma" and not again.is_active
    assert _actions() == ["teams.mentor_profile.created", "teams.mentor_profile.updated"]


def test_an_unchanged_profile_writes_no_audit_entry() -> None:
    user = UserFactory()
    services.mentor_profile_upsert(user=user, skills=["A"])
    services.mentor_profile_upsert(user=user, skills=["A"])
    assert _actions() == ["teams.mentor_profile.created"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"skills": [f"s{n}" for n in range(21)]}, "skills"),
        ({"skills": ["x" * 61]}, "skills"),
        ({"languages": ["xx"]}, "languages"),
        ({"bio": "x" * 2001}, "bio"),
        ({"organisation_name": "x" * 201}, "organisation_name"),
    ],
)
def test_profile_limits(kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        services.mentor_profile_upsert(user=UserFactory(), **kwargs)
    assert field in info.value.message_dict
    assert not MentorProfile.objects.exists()


def test_anonymous_cannot_become_a_mentor() -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.mentor_profile_upsert(user=AnonymousUser(), skills=["A"])


# --- slots --------------------------------------------------------------------------


def test_a_mentor_offers_a_time() -> None:
    mentor = MentorProfileFactory()
    slot = services.slot_create(
        user=mentor.user,
        starts_at=_future(),
        duration_minutes=45,
        online_url="https://meet.example.se/abc",
    )
    assert slot.mentor == mentor and slot.duration_minutes == 45
    assert _actions() == ["teams.mentor_slot.created"]


def test_only_mentors_offer_times() -> None:
    with pytest.raises(PermissionDenied):
        services.slot_create(
            user=UserFactory(), starts_at=_future(), duration_minutes=30, place="Rum 1"
        )
    assert not MentorSlot.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"starts_at": "past"}, "starts_at"),
        ({"starts_at": "now"}, "starts_at"),
        ({"starts_at": "far"}, "starts_at"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 481}, "duration_minutes"),
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"online_url": "ftp://files.example.se/"}, "online_url"),
        ({"online_url": "data:text/html,hej"}, "online_url"),
        ({"online_url": "https://"}, "online_url"),
        ({"online_url": "https://example.se/" + "x" * 500}, "online_url"),
        ({"online_url": "", "place": ""}, "online_url"),
        ({"place": "x" * 201}, "place"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_slot_refusals(kwargs: dict, field: str) -> None:
    mentor = MentorProfileFactory()
    values = {"starts_at": _future(), "duration_minutes": 30, "online_url": "https://m.example.se"}
    values.update(kwargs)
    moments = {
        "past": timezone.now() - timedelta(minutes=1),
        "now": timezone.now(),
        "far": timezone.now() + timedelta(days=400),
    }
    if isinstance(values["starts_at"], str):
        values["starts_at"] = moments[values["starts_at"]]
    with pytest.raises(ValidationError) as info:
        services.slot_create(user=mentor.user, **values)
    assert field in info.value.message_dict
    assert not MentorSlot.objects.exists()


def test_the_link_error_names_the_allowed_schemes() -> None:
    mentor = MentorProfileFactory()
    with pytest.raises(ValidationError) as info:
        services.slot_create(
            user=mentor.user,
            starts_at=_future(),
            duration_minutes=30,
            online_url="javascript:alert(1)",
        )
    assert "https://" in info.value.message_dict["online_url"][0]


def test_a_place_alone_is_enough() -> None:
    mentor = MentorProfileFactory()
    slot = services.slot_create(
        user=mentor.user, starts_at=_future(), duration_minutes=30, place="Rum 2"
    )
    assert slot.online_url == "" and slot.place == "Rum 2"


def test_overlapping_slots_of_one_mentor_are_refused() -> None:
    mentor = MentorProfileFactory()
    start = _future(48)
    services.slot_create(user=mentor.user, starts_at=start, duration_minutes=60, place="A")
    for offset, minutes in [(30, 60), (-30, 31), (0, 5), (-470, 480)]:
        with pytest.raises(ValidationError) as info:
            services.slot_create(
                user=mentor.user,
                starts_at=start + timedelta(minutes=offset),
                duration_minutes=minutes,
                place="A",
            )
        assert "starts_at" in info.value.message_dict
    # touching ends are fine, and so is another mentor at the same time
    services.slot_create(
        user=mentor.user, starts_at=start + timedelta(minutes=60), duration_minutes=30, place="A"
    )
    services.slot_create(
        user=mentor.user, starts_at=start - timedelta(minutes=30), duration_minutes=30, place="A"
    )
    other = MentorProfileFactory()
    services.slot_create(user=other.user, starts_at=start, duration_minutes=60, place="B")
    assert MentorSlot.objects.count() == 4


def test_a_withdrawn_slot_does_not_block_its_time() -> None:
    mentor = MentorProfileFactory()
    slot = MentorSlotFactory(mentor=mentor, starts_at=_future(5), is_withdrawn=True)
    services.slot_create(user=mentor.user, starts_at=slot.starts_at, duration_minutes=30, place="A")


def test_the_mentor_withdraws_a_free_slot() -> None:
    slot = MentorSlotFactory()
    services.slot_withdraw(user=slot.mentor.user, slot=slot)
    slot.refresh_from_db()
    assert slot.is_withdrawn
    assert _actions() == ["teams.mentor_slot.withdrawn"]
    with pytest.raises(ApplicationError):
        services.slot_withdraw(user=slot.mentor.user, slot=slot)


def test_only_the_mentor_withdraws() -> None:
    slot = MentorSlotFactory()
    with pytest.raises(PermissionDenied):
        services.slot_withdraw(user=UserFactory(), slot=slot)
    slot.refresh_from_db()
    assert not slot.is_withdrawn


def test_withdrawing_a_booked_slot_cancels_the_booking_with_a_notice(
    django_capture_on_commit_callbacks,
) -> None:
    lead, member = UserFactory(), UserFactory()
    team = make_team(lead, member)
    booking = BookingFactory(team=team, booked_by=lead)
    mentor_user = booking.slot.mentor.user
    with django_capture_on_commit_callbacks(execute=True):
        services.slot_withdraw(user=mentor_user, slot=booking.slot, reason="Jag är sjuk.")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_MENTOR
    assert booking.cancelled_by == mentor_user and booking.cancel_reason == "Jag är sjuk."
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, member.email])
    assert "Jag är sjuk." in mail.outbox[0].body
    assert _actions() == ["teams.booking.cancelled", "teams.mentor_slot.withdrawn"]


# --- booking ------------------------------------------------------------------------


def test_a_member_books_a_free_slot_and_the_mentor_hears(
    django_capture_on_commit_callbacks,
) -> None:
    user = UserFactory()
    team = make_team(user)
    slot = MentorSlotFactory()
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.booking_create(user=user, slot=slot, team=team, topic="API-design")
    assert booking.status == BookingStatus.BOOKED and booking.booked_by == user
    assert _actions() == ["teams.booking.created"]
    assert [m.to for m in mail.outbox] == [[slot.mentor.user.email]]
    assert team.name in mail.outbox[0].subject


def test_only_members_book_for_a_team() -> None:
    team = make_team(UserFactory())
    with pytest.raises(PermissionDenied):
        services.booking_create(user=UserFactory(), slot=MentorSlotFactory(), team=team)
    assert not Booking.objects.exists()


def test_a_booked_slot_cannot_be_booked_again() -> None:
    first = BookingFactory()
    user = UserFactory()
    with pytest.raises(ApplicationError) as info:
        services.booking_create(user=user, slot=first.slot, team=make_team(user))
    assert info.value.code == "booked"
    assert Booking.objects.count() == 1


def test_the_database_refuses_a_second_active_booking_of_a_slot() -> None:
    """Without the row lock (SQLite), the partial unique index still holds, and
    the service turns its IntegrityError into the same clear refusal."""
    from unittest import mock

    first = BookingFactory()
    user = UserFactory()
    team = make_team(user)
    real_filter = Booking.objects.filter

    def blind_filter(*args, **kwargs):  # the pre-check sees no booking
        if kwargs.get("status") == BookingStatus.BOOKED and "slot" in kwargs:
            return Booking.objects.none()
        return real_filter(*args, **kwargs)

    with (
        mock.patch.object(Booking.objects, "filter", side_effect=blind_filter),
        pytest.raises(ApplicationError) as info,
    ):
        services.booking_create(user=user, slot=first.slot, team=team)
    assert info.value.code == "booked"
    assert Booking.objects.count() == 1


def test_a_cancelled_booking_frees_the_slot() -> None:
    first = BookingFactory(status=BookingStatus.CANCELLED_BY_TEAM)
    user = UserFactory()
    booking = services.booking_create(user=user, slot=first.slot, team=make_team(user))
    assert booking.status == BookingStatus.BOOKED


@pytest.mark.parametrize("case", ["past", "withdrawn", "inactive_mentor", "own"])
def test_slots_that_cannot_be_booked(case: str) -> None:
    user = UserFactory()
    team = make_team(user)
    slot = MentorSlotFactory()
    if case == "past":
        MentorSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    elif case == "withdrawn":
        MentorSlot.objects.filter(pk=slot.pk).update(is_withdrawn=True)
    elif case == "inactive_mentor":
        MentorProfile.objects.filter(pk=slot.mentor_id).update(is_active=False)
    else:
        slot = MentorSlotFactory(mentor=MentorProfileFactory(user=user))
    with pytest.raises(ApplicationError):
        services.booking_create(user=user, slot=slot, team=team)
    assert not Booking.objects.exists()


def test_a_team_cannot_hold_overlapping_bookings() -> None:
    user = UserFactory()
    team = make_team(user)
    start = _future(30)
    a = MentorSlotFactory(starts_at=start, duration_minutes=60)
    b = MentorSlotFactory(starts_at=start + timedelta(minutes=30), duration_minutes=30)
    c = MentorSlotFactory(starts_at=start + timedelta(minutes=60), duration_minutes=30)
    services.booking_create(user=user, slot=a, team=team)
    with pytest.raises(ApplicationError) as info:
        services.booking_create(user=user, slot=b, team=team)
    assert info.value.code == "team_overlap"
    services.booking_create(user=user, slot=c, team=team)  # starts as a ends
    other = make_team(UserFactory(), UserFactory())
    services.booking_create(user=other.memberships.first().user, slot=b, team=other)
    assert Booking.objects.count() == 3


def test_a_team_holds_at_most_five_coming_bookings() -> None:
    user = UserFactory()
    team = make_team(user)
    for n in range(services.MAX_ACTIVE_BOOKINGS_PER_TEAM):
        services.booking_create(
            user=user, slot=MentorSlotFactory(starts_at=_future(10 + n)), team=team
        )
    with pytest.raises(ApplicationError) as info:
        services.booking_create(user=user, slot=MentorSlotFactory(starts_at=_future(20)), team=team)
    assert info.value.code == "limit"
    assert Booking.objects.count() == services.MAX_ACTIVE_BOOKINGS_PER_TEAM


def test_the_topic_has_a_limit() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError) as info:
        services.booking_create(
            user=user, slot=MentorSlotFactory(), team=make_team(user), topic="x" * 1001
        )
    assert "topic" in info.value.message_dict


# --- cancelling ---------------------------------------------------------------------


def test_a_member_cancels_and_the_mentor_hears_in_their_language(
    django_capture_on_commit_callbacks,
) -> None:
    lead, member = UserFactory(), UserFactory()
    team = make_team(lead, member, name="Datadrakarna")
    booking = BookingFactory(team=team, booked_by=lead)
    mentor_user = booking.slot.mentor.user
    mentor_user.profile.languages = ["en"]
    mentor_user.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(user=member, booking=booking, reason="Vi är klara.")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_TEAM
    assert booking.cancelled_by == member and booking.cancelled_at is not None
    assert booking.cancel_reason == "Vi är klara."
    assert [m.to for m in mail.outbox] == [[mentor_user.email]]
    message = mail.outbox[0]
    assert message.subject.startswith("Cancelled")
    assert "The team Datadrakarna has cancelled" in message.body
    assert "Vi är klara." in message.body
    assert _actions() == ["teams.booking.cancelled"]


def test_the_mentor_cancels_and_the_team_hears_in_swedish(
    django_capture_on_commit_callbacks,
) -> None:
    lead = UserFactory()
    lead.profile.languages = []
    lead.profile.save()
    booking = BookingFactory(team=make_team(lead), booked_by=lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(user=booking.slot.mentor.user, booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_MENTOR
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert mail.outbox[0].subject.startswith("Inställt")


def test_no_mail_before_the_commit(django_capture_on_commit_callbacks) -> None:
    lead = UserFactory()
    booking = BookingFactory(team=make_team(lead))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.booking_cancel(user=lead, booking=booking)
    assert mail.outbox == [] and len(callbacks) == 1


def test_others_cannot_cancel() -> None:
    booking = BookingFactory(team=make_team(UserFactory()))
    with pytest.raises(PermissionDenied):
        services.booking_cancel(user=UserFactory(), booking=booking)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    assert _actions() == []


def test_a_cancelled_booking_cannot_be_cancelled_again() -> None:
    lead = UserFactory()
    booking = BookingFactory(team=make_team(lead))
    services.booking_cancel(user=lead, booking=booking)
    with pytest.raises(ApplicationError):
        services.booking_cancel(user=lead, booking=booking)


def test_a_past_meeting_cannot_be_cancelled() -> None:
    lead = UserFactory()
    booking = BookingFactory(team=make_team(lead))
    MentorSlot.objects.filter(pk=booking.slot_id).update(
        starts_at=timezone.now() - timedelta(hours=2)
    )
    with pytest.raises(ApplicationError):
        services.booking_cancel(user=lead, booking=booking)


def test_the_reason_has_a_limit() -> None:
    lead = UserFactory()
    booking = BookingFactory(team=make_team(lead))
    with pytest.raises(ValidationError):
        services.booking_cancel(user=lead, booking=booking, reason="x" * 1001)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


# --- calendar feed tokens -----------------------------------------------------------


def test_calendar_feed_token_is_made_once_and_rotated() -> None:
    user = UserFactory()
    feed = services.calendar_feed_token(user=user)
    assert len(feed.token) >= 40
    same = services.calendar_feed_token(user=user)
    assert same.token == feed.token
    rotated = services.calendar_feed_token(user=user, rotate=True)
    assert rotated.token != feed.token
    assert CalendarFeed.objects.count() == 1
    assert _actions() == ["teams.calendar_feed.created", "teams.calendar_feed.rotated"]
    # the token never goes into the audit log
    assert all(feed.token not in str(e.data) for e in AuditLogEntry.objects.all())


def test_user_language() -> None:
    user = UserFactory()
    user.profile.languages = ["fi", "en", "sv"]
    assert services.user_language(user) == "en"
    user.profile.languages = ["fi"]
    assert services.user_language(user) == "sv"
