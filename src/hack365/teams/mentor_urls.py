from django.urls import URLPattern, URLResolver

app_name = "mentors"

urlpatterns: list[URLPattern | URLResolver] = []
