"""Pages for mentors: the list, one mentor with bookable times, one's mentor
profile and times, booking and cancelling, the teams a mentor meets and the
calendar feed.

Thin views: parse a form, call one service, redirect with a message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hack365.core.errors import ApplicationError
from hack365.core.viewhelpers import add_service_errors, form_errors_as_messages

from . import mentor_selectors as selectors
from . import mentor_services as services
from .calendar import bookings_calendar
from .mentor_forms import BookForm, CancelForm, MentorFilterForm, MentorProfileForm, SlotForm
from .models import Booking

PAGE_SIZE = 20


# --- public pages -------------------------------------------------------------------


@require_GET
def mentor_list(request: HttpRequest) -> HttpResponse:
    form = MentorFilterForm(request.GET or None)
    filters = form.filters()
    paginator = Paginator(selectors.mentor_list(filters), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "teams/mentors/list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "mentors": page_obj.object_list,
            "filtered": bool(filters),
            "own_profile": selectors.mentor_profile_of(request.user),
            "nav": "mentors",
        },
    )


@require_GET
def mentor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = selectors.access_mentor(request.user, pk)
    slots = selectors.free_slots(mentor) if mentor.is_active else []
    teams = list(selectors.user_teams(request.user))
    is_self = request.user.is_authenticated and mentor.user_id == request.user.pk
    initial = {"team": teams[0].pk} if len(teams) == 1 else {}
    items: list[dict[str, Any]] = [
        {
            "slot": slot,
            "form": (
                BookForm(user=request.user, auto_id=f"id_book{slot.pk}_%s", initial=initial)
                if teams and not is_self
                else None
            ),
        }
        for slot in slots
    ]
    return render(
        request,
        "teams/mentors/detail.html",
        {"mentor": mentor, "items": items, "teams": teams, "is_self": is_self, "nav": "mentors"},
    )


# --- my mentor profile and times -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mentor_profile(request: HttpRequest) -> HttpResponse:
    profile = selectors.mentor_profile_of(request.user)
    initial: dict[str, Any] = {"is_active": True}
    if profile is not None:
        initial = {
            "skills": profile.skills,
            "organization": profile.organization_id,
            "organisation_name": profile.organisation_name,
            "languages": profile.languages,
            "bio": profile.bio,
            "is_active": profile.is_active,
        }
    form = MentorProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.mentor_profile_upsert(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if profile is None:
                messages.success(
                    request, _("Your mentor profile is saved. Now offer times teams can book.")
                )
                return redirect("mentors:slots")
            messages.success(request, _("Your mentor profile is saved."))
            return redirect(saved)
    return render(
        request,
        "teams/mentors/profile_form.html",
        {"form": form, "profile": profile, "nav": "mentors"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentor_slots(request: HttpRequest) -> HttpResponse:
    profile = selectors.mentor_profile_of(request.user)
    if profile is None:
        messages.info(request, _("Create your mentor profile first."))
        return redirect("mentors:profile")
    form = SlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.slot_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The time is offered. Teams can book it now."))
            return redirect("mentors:slots")
    return render(
        request,
        "teams/mentors/slots.html",
        {
            "form": form,
            "profile": profile,
            "slots": selectors.mentor_slots(profile),
            "nav": "mentors",
        },
    )


@login_required
@require_POST
def slot_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.access_own_slot(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect("mentors:slots")
    try:
        services.slot_withdraw(user=request.user, slot=slot, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The time is withdrawn."))
    return redirect("mentors:slots")


# --- booking and cancelling ------------------------------------------------------------


@login_required
@require_POST
def slot_book(request: HttpRequest, pk: int) -> HttpResponse:
    slot = selectors.access_bookable_slot(pk)
    target = slot.mentor.get_absolute_url()
    form = BookForm(request.POST, user=request.user)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(target)
    try:
        services.booking_create(
            user=request.user,
            slot=slot,
            team=form.cleaned_data["team"],
            topic=form.cleaned_data["topic"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The time is booked for %(team)s. The mentor gets an e-mail.")
            % {"team": form.cleaned_data["team"].name},
        )
    return redirect(target)


def _after_cancel(request: HttpRequest, booking: Booking) -> str:
    if booking.slot.mentor.user_id == request.user.pk:
        return reverse("mentors:mentoring")
    try:
        return booking.team.get_absolute_url()
    except NoReverseMatch:  # the team pages are not there (yet)
        return reverse("mentors:calendar")


@login_required
@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.access_booking(request.user, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        form_errors_as_messages(request, form)
        return redirect(_after_cancel(request, booking))
    try:
        services.booking_cancel(
            user=request.user, booking=booking, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as error:
        messages.error(request, " ".join(error.messages))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The booking is cancelled. The other side gets an e-mail."))
    return redirect(_after_cancel(request, booking))


# --- the teams I meet, my calendar ----------------------------------------------------------


@login_required
@require_GET
def mentoring(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "teams/mentors/mentoring.html",
        {
            "profile": selectors.mentor_profile_of(request.user),
            "mentoring": selectors.my_mentoring(request.user),
            "nav": "mentors",
        },
    )


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    feed = selectors.calendar_feed_of(request.user)
    feed_url = (
        request.build_absolute_uri(reverse("mentors:calendar_feed", args=[feed.token]))
        if feed is not None
        else ""
    )
    return render(
        request,
        "teams/mentors/calendar.html",
        {
            "feed": feed,
            "feed_url": feed_url,
            "bookings": selectors.feed_bookings(request.user),
            "nav": "mentors",
        },
    )


@login_required
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    had_feed = selectors.calendar_feed_of(request.user) is not None
    services.calendar_feed_token(user=request.user, rotate=True)
    if had_feed:
        messages.success(
            request,
            _("Your calendar has a new address. The old one no longer works: subscribe again."),
        )
    else:
        messages.success(request, _("Your calendar address is ready. Subscribe to it below."))
    return redirect("mentors:calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret-address feed: no login, the token is the key."""
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    body = bookings_calendar(selectors.feed_bookings(feed.user), feed.user)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hack365-bookings.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
