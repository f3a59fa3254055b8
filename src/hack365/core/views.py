from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .forms import AccessibilityFeedbackForm
from .services import accessibility_feedback_submit


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (DOS-lagen) with a feedback form."""
    form = AccessibilityFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accessibility_feedback_submit(
                message=form.cleaned_data["message"],
                page_url=form.cleaned_data["page_url"],
                email=form.cleaned_data["email"],
                language=get_language() or "sv",
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. We have received your report."))
            return redirect("core:accessibility")
    return render(request, "core/accessibility.html", {"form": form})


def admin_login_redirect(request: HttpRequest, extra_context: object = None) -> HttpResponse:
    """The admin's login page, replaced by the site's rate-limited login."""
    from django.core.exceptions import PermissionDenied

    if request.user.is_authenticated:
        if admin.site.has_permission(request):
            # Already logged in as staff: the admin's index, as Django's own
            # admin login page does.
            return redirect("admin:index")
        # Logged in but not staff: the admin is not for them.
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or request.get_full_path())
