from __future__ import annotations

from django.urls import path

from . import views

app_name = "realization"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("solutions/<int:pk>/", views.solution, name="solution"),
    path("solutions/<int:pk>/decision/", views.decide, name="decide"),
    path("solutions/<int:pk>/milestones/", views.milestone_add, name="milestone_add"),
    path(
        "solutions/<int:pk>/milestones/<int:milestone_pk>/",
        views.milestone_edit,
        name="milestone_edit",
    ),
    path(
        "solutions/<int:pk>/milestones/<int:milestone_pk>/delete/",
        views.milestone_delete,
        name="milestone_delete",
    ),
]
