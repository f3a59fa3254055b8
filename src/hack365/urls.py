from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language

from hack365.challenges import views as challenge_views
from hack365.core.views import admin_login_redirect

# One login for the whole site: the admin's own login form would bypass
# allauth's rate limits, so it sends people to the ordinary login page.
admin.site.login = admin_login_redirect  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/setlang/", set_language, name="set_language"),
]

urlpatterns += i18n_patterns(
    path("", challenge_views.home, name="home"),
    path("", include("hack365.core.urls")),
    path("", include("hack365.challenges.urls")),
    path("", include("hack365.catalog.urls")),
    path("teams/", include("hack365.teams.urls")),
    path("mentors/", include("hack365.teams.mentor_urls")),
    path("solutions/", include("hack365.submissions.urls")),
    path("evaluation/", include("hack365.judging.urls")),
    path("", include("hack365.judging.award_urls")),
    path("realization/", include("hack365.realization.urls")),
    path("organisations/", include("hack365.organizations.urls")),
    path("harvest/", include("hack365.catalog.harvest_urls")),
    path("account/", include("hack365.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:  # pragma: no cover
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
