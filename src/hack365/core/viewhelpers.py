"""Small helpers every app's thin views share: service refusals onto forms
or into messages, and telling an htmx partial request from a page load."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its fields where the
    form has them, otherwise at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def form_errors_as_messages(request: HttpRequest, form: Form) -> None:
    """A small POST-only form's errors as messages ("Label: error"), for views
    that redirect back instead of showing the form again."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else str(message))


def is_partial(request: HttpRequest) -> bool:
    """An htmx request for part of a page (not a history restore, which wants
    the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not getattr(htmx, "history_restore_request", False)
