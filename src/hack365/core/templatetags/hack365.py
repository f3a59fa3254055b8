"""Template helpers: Markdown, dates in the reader's language, query strings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.safestring import SafeString

from ..markdown import markdown_to_text, render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: str | None) -> SafeString:
    return render_markdown(value)


@register.filter(name="plaintext")
def plaintext_filter(value: str | None, limit: int = 0) -> str:
    return markdown_to_text(value, limit or None)


@register.filter(name="longdate")
def longdate(value: date | datetime | None) -> str:
    """12 mars 2026 / 12 March 2026, in Europe/Stockholm."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "j F Y")


@register.filter(name="longdatetime")
def longdatetime(value: datetime | None) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{formats.date_format(value, 'j F Y')} {formats.time_format(value, 'H:i')}"


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for paging)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context: dict[str, Any]) -> dict[str, Any]:
    """Links to this same page in the other language(s)."""
    from django.conf import settings
    from django.urls import translate_url
    from django.utils.translation import get_language

    request = context.get("request")
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path() if request is not None else "/"
    names = {"sv": "Svenska", "en": "English"}
    return {
        "links": [
            {"code": code, "name": names.get(code, code), "url": translate_url(path, code)}
            for code, _name in settings.LANGUAGES
            if code != current
        ]
    }
