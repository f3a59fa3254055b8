from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("challenges/", views.challenge_list, name="list"),
    path("challenges/new/", views.challenge_create, name="create"),
    path("challenges/<slug:slug>/", views.challenge_detail, name="detail"),
    path("challenges/<slug:slug>/edit/", views.challenge_edit, name="edit"),
    path("challenges/<slug:slug>/submit/", views.challenge_submit, name="submit"),
    path("challenges/<slug:slug>/publish/", views.challenge_publish, name="publish"),
    path("challenges/<slug:slug>/close/", views.challenge_close, name="close"),
    path("challenges/<slug:slug>/archive/", views.challenge_archive, name="archive"),
    path(
        "challenges/<slug:slug>/request-changes/",
        views.challenge_request_changes,
        name="request_changes",
    ),
    path("challenges/<slug:slug>/questions/", views.question_ask, name="ask"),
    path("questions/<int:pk>/answer/", views.question_answer, name="answer"),
    path("questions/<int:pk>/hide/", views.question_hide, name="hide_question"),
    path("questions/<int:pk>/unhide/", views.question_unhide, name="unhide_question"),
    path("my/challenges/", views.my_challenges, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("events/", views.event_list, name="event_list"),
    path("events/new/", views.event_create, name="event_create"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/edit/", views.event_edit, name="event_edit"),
]
