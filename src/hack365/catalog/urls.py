from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("datasets/", views.dataset_list, name="dataset_list"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("challenges/<slug:slug>/datasets/", views.challenge_datasets, name="challenge_datasets"),
    path(
        "challenges/<slug:slug>/datasets/link/",
        views.challenge_dataset_link,
        name="challenge_dataset_link",
    ),
    path(
        "challenges/<slug:slug>/datasets/<int:pk>/unlink/",
        views.challenge_dataset_unlink,
        name="challenge_dataset_unlink",
    ),
]
