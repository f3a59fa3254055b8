"""The jury pages, under /<lang>/evaluation/: the organizers' rounds and the
jury members' own evaluations."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "judging"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/criteria/", views.criterion_add, name="criterion_add"),
    path("rounds/<int:pk>/jurors/", views.juror_add, name="juror_add"),
    path("rounds/<int:pk>/assignments/", views.assignment_add, name="assignment_add"),
    path("rounds/<int:pk>/assignments/auto/", views.assignments_auto, name="assignments_auto"),
    path("criteria/<int:pk>/edit/", views.criterion_edit, name="criterion_edit"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("jurors/<int:pk>/remove/", views.juror_remove, name="juror_remove"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("assignments/<int:pk>/conflict/", views.conflict, name="conflict"),
    path(
        "assignments/<int:pk>/attachments/<int:number>/",
        views.attachment,
        name="attachment",
    ),
]
