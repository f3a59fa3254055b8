"""Mentor pages, mounted at /<lang>/mentors/."""

from django.urls import URLPattern, URLResolver, path

from . import mentor_views as views

app_name = "mentors"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mentor_list, name="list"),
    path("<int:pk>/", views.mentor_detail, name="detail"),
    path("me/", views.mentor_profile, name="profile"),
    path("me/slots/", views.mentor_slots, name="slots"),
    path("me/slots/<int:pk>/withdraw/", views.slot_withdraw, name="slot_withdraw"),
    path("me/teams/", views.mentoring, name="mentoring"),
    path("slots/<int:pk>/book/", views.slot_book, name="book"),
    path("bookings/<int:pk>/cancel/", views.booking_cancel, name="booking_cancel"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/new-address/", views.calendar_rotate, name="calendar_rotate"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
