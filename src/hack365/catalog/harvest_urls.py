from django.urls import path

from . import harvest_views as views

app_name = "harvest"

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("sources/new/", views.source_create, name="source_create"),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("sources/<int:pk>/edit/", views.source_edit, name="source_edit"),
    path("sources/<int:pk>/run/", views.source_run, name="source_run"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
]
