"""Mentor pages through the test client: the list and its filters (constant
queries), a mentor's page, the profile and times forms, booking and
cancelling, the teams a mentor meets, the calendar page, the team page's
bookings include."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from hack365.core.models import AuditLogEntry
from hack365.teams.models import Booking, BookingStatus, CalendarFeed, MentorProfile, MentorSlot
from tests.accounts.factories import OrganizerFactory, UserFactory

from .mentor_factories import BookingFactory, MentorProfileFactory, MentorSlotFactory, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _swedish_and_empty_cache() -> Any:
    cache.clear()
    with translation.override(settings.LANGUAGE_CODE):
        yield
    cache.clear()


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _h1(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the list ----------------------------------------------------------------------


def test_the_list_shows_active_mentors_with_their_next_free_time() -> None:
    active = MentorProfileFactory(user__username="ada", skills=["Geodata"])
    MentorProfileFactory(user__username="hidden", is_active=False)
    slot = MentorSlotFactory(mentor=active)
    response = _client().get(reverse("mentors:list"))
    html = response.content.decode()
    assert response.status_code == 200 and _h1(html) == 1
    assert "Ada" in html and "Geodata" in html and "Hidden" not in html
    assert response.context["mentors"][0].next_free_slots == [slot]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("skill=geo", {"Ada"}),
        ("language=fi", {"Bo"}),
        ("organisation=firma", {"Bo"}),
        ("q=python", {"Ada"}),
        ("q=ada+python", {"Ada"}),
        ("q=nobody", set()),
        ("language=zz", {"Ada", "Bo"}),  # an unknown code filters nothing
    ],
)
def test_the_list_filters(query: str, expected: set[str]) -> None:
    MentorProfileFactory(user__username="ada", skills=["Geodata", "Python"], languages=["sv"])
    MentorProfileFactory(
        user__username="bo", skills=["UX"], languages=["fi"], organisation_name="Bos firma"
    )
    response = _client().get(f"{reverse('mentors:list')}?{query}")
    assert response.status_code == 200
    assert {m.user.display_name for m in response.context["mentors"]} == expected


def _count_list_queries() -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = _client().get(reverse("mentors:list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_mentors(n: int) -> None:
    for _ in range(n):
        mentor = MentorProfileFactory()
        MentorSlotFactory(mentor=mentor)
        MentorSlotFactory(mentor=mentor)
        BookingFactory(slot=MentorSlotFactory(mentor=mentor))


def test_the_list_takes_a_constant_number_of_queries() -> None:
    _add_mentors(2)
    few = _count_list_queries()
    _add_mentors(18)
    assert _count_list_queries() == few


def test_the_list_pages() -> None:
    for _ in range(21):
        MentorProfileFactory()
    response = _client().get(f"{reverse('mentors:list')}?page=2")
    assert len(response.context["mentors"]) == 1


def test_the_list_answers_no_post() -> None:
    assert _client().post(reverse("mentors:list")).status_code == 405


# --- one mentor ----------------------------------------------------------------------


def test_a_mentor_page_shows_free_times_and_a_booking_form_to_team_members() -> None:
    mentor = MentorProfileFactory(bio="# Rubrik\n<script>alert(1)</script>")
    free = MentorSlotFactory(mentor=mentor)
    booked = BookingFactory(slot=MentorSlotFactory(mentor=mentor)).slot
    MentorSlotFactory(mentor=mentor, is_withdrawn=True)
    user = UserFactory()
    team = make_team(user, name="Kodkollektivet")
    response = _client(user).get(mentor.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and _h1(html) == 1
    assert "<script>alert" not in html
    assert [item["slot"] for item in response.context["items"]] == [free]
    assert f'action="{reverse("mentors:book", args=[free.pk])}"' in html
    assert reverse("mentors:book", args=[booked.pk]) not in html
    assert "Kodkollektivet" in html and f'value="{team.pk}" selected' in html


def test_a_visitor_sees_free_times_without_a_form() -> None:
    mentor = MentorProfileFactory()
    MentorSlotFactory(mentor=mentor)
    html = _client().get(mentor.get_absolute_url()).content.decode()
    assert "mentors/slots/" not in html.split("<main", 1)[1]
    assert reverse("account_login") in html


def test_an_inactive_mentor_is_404_except_for_its_owner_and_organizers() -> None:
    mentor = MentorProfileFactory(is_active=False)
    url = mentor.get_absolute_url()
    assert _client().get(url).status_code == 404
    assert _client(UserFactory()).get(url).status_code == 404
    assert _client(mentor.user).get(url).status_code == 200
    assert _client(OrganizerFactory()).get(url).status_code == 200
    assert _client().get(reverse("mentors:detail", args=[999999])).status_code == 404


# --- my profile and times -------------------------------------------------------------


def test_becoming_a_mentor_through_the_form() -> None:
    user = UserFactory()
    response = _client(user).post(
        reverse("mentors:profile"),
        {
            "skills": "Öppna data, Python, python",
            "organisation_name": "Egen firma",
            "languages": ["sv", "en"],
            "bio": "Jag hjälper gärna.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("mentors:slots")
    profile = MentorProfile.objects.get(user=user)
    assert profile.skills == ["Öppna data", "Python"] and profile.is_active
    page = _client(user).get(reverse("mentors:profile"))
    assert "Öppna data, Python" in page.content.decode()


def test_the_profile_form_shows_refusals_and_stores_nothing() -> None:
    user = UserFactory()
    skills = ", ".join(f"skill{n}" for n in range(25))
    response = _client(user).post(reverse("mentors:profile"), {"skills": skills})
    assert response.status_code == 200
    html = response.content.decode()
    assert "högst 20" in html or "at most 20" in html
    assert 'aria-describedby="id_skills_error' in html or "id_skills_error" in html
    assert not MentorProfile.objects.exists()


def test_the_times_page_needs_a_mentor_profile() -> None:
    response = _client(UserFactory()).get(reverse("mentors:slots"))
    assert response.status_code == 302 and response["Location"] == reverse("mentors:profile")
    assert _client().get(reverse("mentors:slots")).status_code == 302


def _slot_data(**changes: Any) -> dict[str, Any]:
    start = timezone.localtime(timezone.now() + timedelta(days=2)).replace(second=0, microsecond=0)
    data = {
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "30",
        "online_url": "https://meet.example.se/x",
        "place": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_offering_a_time_through_the_form() -> None:
    mentor = MentorProfileFactory()
    response = _client(mentor.user).post(reverse("mentors:slots"), _slot_data())
    assert response.status_code == 302
    slot = MentorSlot.objects.get()
    assert slot.mentor == mentor and slot.duration_minutes == 30
    page = _client(mentor.user).get(reverse("mentors:slots"))
    assert reverse("mentors:slot_withdraw", args=[slot.pk]) in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"online_url": "javascript:alert(1)"}, "online_url"),
        ({"duration_minutes": "481"}, "duration_minutes"),
        ({"starts_at": "2001-01-01T10:00"}, "starts_at"),
        ({"starts_at": "garbage"}, "starts_at"),
        ({"online_url": "", "place": ""}, "online_url"),
    ],
)
def test_the_times_form_refuses_bad_input(changes: dict[str, str], field: str) -> None:
    mentor = MentorProfileFactory()
    response = _client(mentor.user).post(reverse("mentors:slots"), _slot_data(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not MentorSlot.objects.exists()


def test_withdrawing_a_time() -> None:
    slot = MentorSlotFactory()
    assert _client(UserFactory()).post(
        reverse("mentors:slot_withdraw", args=[slot.pk])
    ).status_code in (302, 404)
    slot.refresh_from_db()
    assert not slot.is_withdrawn
    response = _client(slot.mentor.user).post(reverse("mentors:slot_withdraw", args=[slot.pk]))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.is_withdrawn


def test_someone_elses_time_is_404_to_withdraw() -> None:
    slot = MentorSlotFactory()
    MentorProfileFactory(user=(other := UserFactory()))
    response = _client(other).post(reverse("mentors:slot_withdraw", args=[slot.pk]))
    assert response.status_code == 404


# --- booking and cancelling ----------------------------------------------------------------


def test_booking_through_the_form() -> None:
    user = UserFactory()
    team = make_team(user)
    slot = MentorSlotFactory()
    response = _client(user).post(
        reverse("mentors:book", args=[slot.pk]),
        {"team": team.pk, "topic": "Datamodell"},
        follow=True,
    )
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert booking.team == team and booking.topic == "Datamodell"
    assert any(team.name in m for m in _messages(response))


def test_booking_for_someone_elses_team_is_refused() -> None:
    user = UserFactory()
    make_team(user)
    theirs = make_team(UserFactory())
    slot = MentorSlotFactory()
    response = _client(user).post(
        reverse("mentors:book", args=[slot.pk]), {"team": theirs.pk}, follow=True
    )
    assert not Booking.objects.exists()
    assert any("egna team" in m or "own teams" in m for m in _messages(response))


def test_booking_a_booked_time_says_so() -> None:
    taken = BookingFactory()
    user = UserFactory()
    team = make_team(user)
    response = _client(user).post(
        reverse("mentors:book", args=[taken.slot.pk]), {"team": team.pk}, follow=True
    )
    assert Booking.objects.count() == 1
    assert any("bokat" in m or "booked" in m for m in _messages(response))


def test_booking_a_withdrawn_or_unknown_slot_is_404() -> None:
    user = UserFactory()
    team = make_team(user)
    slot = MentorSlotFactory(is_withdrawn=True)
    for pk in (slot.pk, 999999):
        response = _client(user).post(reverse("mentors:book", args=[pk]), {"team": team.pk})
        assert response.status_code == 404


def test_cancelling_by_a_member_and_by_the_mentor() -> None:
    lead = UserFactory()
    team = make_team(lead)
    booking = BookingFactory(team=team)
    url = reverse("mentors:booking_cancel", args=[booking.pk])
    assert _client(UserFactory()).post(url).status_code == 404
    response = _client(lead).post(url, {"reason": "Krock"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED_BY_TEAM and booking.cancel_reason == "Krock"
    other = BookingFactory(team=team)
    response = _client(other.slot.mentor.user).post(
        reverse("mentors:booking_cancel", args=[other.pk])
    )
    assert response["Location"] == reverse("mentors:mentoring")
    other.refresh_from_db()
    assert other.status == BookingStatus.CANCELLED_BY_MENTOR


def test_organizers_see_but_do_not_cancel() -> None:
    booking = BookingFactory(team=make_team(UserFactory()))
    response = _client(OrganizerFactory()).post(
        reverse("mentors:booking_cancel", args=[booking.pk])
    )
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


# --- the teams I meet, the calendar ----------------------------------------------------------


def test_the_mentor_sees_the_teams_they_meet() -> None:
    mentor = MentorProfileFactory()
    coming = BookingFactory(slot=MentorSlotFactory(mentor=mentor), topic="Kartor")
    past = BookingFactory(slot=MentorSlotFactory(mentor=mentor), topic="Gammalt")
    MentorSlot.objects.filter(pk=past.slot_id).update(starts_at=timezone.now() - timedelta(days=2))
    cancelled = BookingFactory(
        slot=MentorSlotFactory(mentor=mentor), status=BookingStatus.CANCELLED_BY_TEAM
    )
    elses = BookingFactory()
    response = _client(mentor.user).get(reverse("mentors:mentoring"))
    html = response.content.decode()
    assert response.context["mentoring"].upcoming == [coming]
    assert response.context["mentoring"].past == [past]
    assert coming.team.name in html and "Kartor" in html and past.team.name in html
    assert cancelled.team.name not in html and elses.team.name not in html


def test_the_calendar_page_makes_no_address_on_get() -> None:
    user = UserFactory()
    response = _client(user).get(reverse("mentors:calendar"))
    assert response.status_code == 200 and response.context["feed"] is None
    assert not CalendarFeed.objects.exists()
    response = _client(user).post(reverse("mentors:calendar_rotate"))
    assert response.status_code == 302
    feed = CalendarFeed.objects.get(user=user)
    html = _client(user).get(reverse("mentors:calendar")).content.decode()
    assert feed.token in html
    _client(user).post(reverse("mentors:calendar_rotate"))
    assert CalendarFeed.objects.get(user=user).token != feed.token


def test_rotate_needs_a_post_and_a_login() -> None:
    assert _client(UserFactory()).get(reverse("mentors:calendar_rotate")).status_code == 405
    assert _client().post(reverse("mentors:calendar_rotate")).status_code == 302
    assert not CalendarFeed.objects.exists()


# --- the team page's include ---------------------------------------------------------------


def _render_include(team: Any, user: Any) -> str:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/sv/teams/1/")
    request.user = user or AnonymousUser()
    template = Template('{% include "teams/_team_bookings.html" %}')
    return template.render(Context({"team": team, "request": request, "user": request.user}))


def test_the_team_page_include_shows_bookings_only_to_those_involved() -> None:
    lead = UserFactory()
    team = make_team(lead)
    booking = BookingFactory(team=team, topic="Hemlig plan")
    other_booking = BookingFactory(team=team, topic="Annan mentor")
    for user in (None, UserFactory()):
        assert "Hemlig plan" not in _render_include(team, user)
    for user in (lead, OrganizerFactory()):
        html = _render_include(team, user)
        assert "Hemlig plan" in html and "Annan mentor" in html
    as_member = _render_include(team, lead)
    assert reverse("mentors:booking_cancel", args=[booking.pk]) in as_member
    assert reverse("mentors:list") in as_member
    assert reverse("mentors:booking_cancel", args=[booking.pk]) not in _render_include(
        team, OrganizerFactory(username="org2")
    )
    # the booked mentor sees their own booking with the team, not the others'
    as_mentor = _render_include(team, booking.slot.mentor.user)
    assert "Hemlig plan" in as_mentor and "Annan mentor" not in as_mentor
    assert other_booking.pk


def test_cancelled_bookings_show_who_and_why() -> None:
    lead = UserFactory()
    team = make_team(lead)
    BookingFactory(
        team=team,
        status=BookingStatus.CANCELLED_BY_MENTOR,
        cancelled_at=timezone.now(),
        cancelled_by=UserFactory(username="mentorn"),
        cancel_reason="Sjuk",
    )
    html = _render_include(team, lead)
    assert "Mentorn" in html and "Sjuk" in html and "Inställd av mentorn" in html


def test_audit_entries_for_page_actions() -> None:
    user = UserFactory()
    _client(user).post(reverse("mentors:calendar_rotate"))
    assert AuditLogEntry.objects.filter(action="teams.calendar_feed.created").count() == 1


def test_every_mentor_page_has_one_h1_labelled_fields_and_no_inline_code() -> None:
    from tests.accounts.pagecheck import check_page

    lead = UserFactory()
    team = make_team(lead)
    mentor = MentorProfileFactory(user=UserFactory())
    MentorSlotFactory(mentor=mentor)
    booking = BookingFactory(team=team, slot=MentorSlotFactory(mentor=mentor))
    CalendarFeed.objects.create(user=lead, token="t" * 43)
    pages = [
        (None, reverse("mentors:list")),
        (lead, reverse("mentors:list")),
        (lead, mentor.get_absolute_url()),
        (lead, reverse("mentors:profile")),
        (lead, reverse("mentors:calendar")),
        (mentor.user, reverse("mentors:profile")),
        (mentor.user, reverse("mentors:slots")),
        (mentor.user, reverse("mentors:mentoring")),
        (mentor.user, mentor.get_absolute_url()),
    ]
    for user, path in pages:
        response = _client(user).get(path)
        assert response.status_code == 200, path
        check_page(response.content.decode())
    assert reverse("mentors:booking_cancel", args=[booking.pk]) in (
        _client(lead).get(reverse("mentors:calendar")).content.decode()
    )
