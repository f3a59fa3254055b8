from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.gallery, name="gallery"),
    path("new/<int:team_pk>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/versions/", views.versions, name="versions"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:att_pk>/", views.attachment, name="attachment"),
    path(
        "<int:pk>/attachments/<int:att_pk>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
