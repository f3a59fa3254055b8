from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("demographics/", views.demographics, name="demographics"),
    path("demographics/withdraw/", views.demographics_withdraw, name="demographics_withdraw"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
