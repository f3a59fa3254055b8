"""Results, shortlist, feedback, awards, the public vote and the winners
(mounted at the root of the language prefix: ``/sv/events/<slug>/winners/``)."""

from __future__ import annotations

from django.urls import path

from . import award_views as views

app_name = "judging_awards"

urlpatterns = [
    path("events/<slug:slug>/winners/", views.event_winners, name="event_winners"),
    path("challenges/<slug:slug>/winners/", views.challenge_winners, name="challenge_winners"),
    path("evaluation-results/<int:round_pk>/", views.results, name="results"),
    path(
        "evaluation-results/entries/<int:entry_pk>/shortlist/",
        views.entry_shortlist,
        name="entry_shortlist",
    ),
    path(
        "evaluation-results/entries/<int:entry_pk>/feedback/",
        views.feedback_release,
        name="feedback_release",
    ),
    path("feedback/<int:entry_pk>/", views.feedback, name="feedback"),
    path("events/<slug:slug>/awards/", views.event_categories, name="event_categories"),
    path(
        "events/<slug:slug>/awards/defaults/",
        views.event_default_categories,
        name="event_default_categories",
    ),
    path("challenges/<slug:slug>/awards/", views.challenge_categories, name="challenge_categories"),
    path("awards/<int:category_pk>/", views.category, name="category"),
    path("awards/<int:category_pk>/edit/", views.category_edit, name="category_edit"),
    path("awards/<int:category_pk>/delete/", views.category_delete, name="category_delete"),
    path("awards/<int:category_pk>/publish/", views.category_publish, name="category_publish"),
    path("awards/<int:category_pk>/give/", views.award_give, name="award_give"),
    path(
        "awards/<int:category_pk>/give-top-voted/",
        views.award_give_top_voted,
        name="award_give_top_voted",
    ),
    path("awards/given/<int:award_pk>/revoke/", views.award_revoke, name="award_revoke"),
    path("vote/<int:category_pk>/", views.vote, name="vote"),
    path("vote/<int:category_pk>/cast/", views.vote_cast, name="vote_cast"),
    path("vote/<int:category_pk>/withdraw/", views.vote_withdraw, name="vote_withdraw"),
]
