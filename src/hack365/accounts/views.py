"""The user's own account pages: profile, demographics with consent, data
export and deletion. Sign-up, login, e-mail and password are allauth's."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hack365.core.errors import ApplicationError

from . import selectors, services
from .export import export_json, section_names
from .forms import DeleteAccountForm, DemographicsForm, ProfileForm
from .models import ConsentKind, User


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = selectors.profile_for(user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.profile_update(user=user, **form.cleaned_data)
            except ApplicationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("accounts:profile")
    else:
        form = ProfileForm(
            initial={
                "display_name": current.display_name,
                "bio": current.bio,
                "skills": current.skills,
                "sector": current.sector,
                "county": current.county_id,
                "languages": current.languages,
            }
        )
    return render(
        request,
        "accounts/profile.html",
        {"nav": "account", "form": form, "profile": current},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def demographics(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    stored = selectors.demographics_for(user)
    if request.method == "POST":
        form = DemographicsForm(request.POST)
        if form.is_valid():
            try:
                services.demographics_set(
                    user=user,
                    gender=form.cleaned_data["gender"],
                    age_band=form.cleaned_data["age_band"],
                    consent=form.cleaned_data["consent"],
                )
            except ApplicationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Thank you. Your answers have been saved."))
                return redirect("accounts:demographics")
    else:
        initial = {"gender": stored.gender, "age_band": stored.age_band} if stored else {}
        form = DemographicsForm(initial=initial)
    return render(
        request,
        "accounts/demographics.html",
        {
            "nav": "account",
            "form": form,
            "demographics": stored,
            "consent": selectors.consent_active(user, ConsentKind.DEMOGRAPHICS),
            "consent_history": selectors.consent_history(user, ConsentKind.DEMOGRAPHICS),
        },
    )


@login_required
@require_POST
def demographics_withdraw(request: HttpRequest) -> HttpResponse:
    try:
        services.consent_withdraw(user=_user(request), kind=ConsentKind.DEMOGRAPHICS)
    except ApplicationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Your consent has been withdrawn and your answers have been deleted.")
        )
    return redirect("accounts:demographics")


SECTION_LABELS = {
    "account": gettext_lazy(
        "your account: user name, e-mail address, when you joined and last logged in"
    ),
    "email_addresses": gettext_lazy("your e-mail addresses and whether they are verified"),
    "profile": gettext_lazy("your profile: name, about me, skills, sector, county and languages"),
    "consents": gettext_lazy("your consents, with the dates you gave and withdrew them"),
    "demographics": gettext_lazy("your gender and age band, if you have consented to store them"),
    "organisation_memberships": gettext_lazy("your memberships of organisations and your roles"),
    "challenge_questions": gettext_lazy("the questions you have asked about challenges"),
    "audit_log": gettext_lazy(
        "the log of what you have done on the platform (action, time, object)"
    ),
}


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = services.user_export(user=_user(request))
        filename = f"hack365-data-{timezone.localdate().isoformat()}.json"
        response = HttpResponse(export_json(data), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    sections = [SECTION_LABELS.get(name, name.replace("_", " ")) for name in section_names()]
    return render(request, "accounts/export.html", {"nav": "account", "sections": sections})


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, user=user, request=request)
        if form.is_valid():
            try:
                services.account_delete(user=user)
            except ApplicationError as exc:
                form.add_error(None, exc)
            else:
                logout(request)
                messages.success(
                    request, _("Your account and your personal data have been deleted.")
                )
                return redirect("home")
    else:
        form = DeleteAccountForm(user=user, request=request)
    return render(
        request,
        "accounts/delete.html",
        {
            "nav": "account",
            "form": form,
            "last_superuser": selectors.is_last_active_superuser(user),
        },
    )
