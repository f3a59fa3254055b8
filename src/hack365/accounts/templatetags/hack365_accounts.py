"""Template helpers for the account pages and the allauth overrides."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..languages import language_name

register = template.Library()


@register.filter(name="squash")
def squash(value: Any) -> SafeString:
    """Collapse runs of whitespace (allauth's blocks are indented over several
    lines) into single spaces. The value is already-escaped template output."""
    return mark_safe(" ".join(str(value).split()))  # noqa: S308 - rendered template output


@register.filter(name="language_name")
def language_name_filter(code: str) -> str:
    return language_name(code)


@register.filter(name="has_tag")
def has_tag(tags: Any, names: str) -> bool:
    """True when an allauth element's ``tags`` include any of ``names``
    (comma-separated)."""
    if not tags:
        return False
    wanted = {name.strip() for name in names.split(",")}
    return bool(wanted.intersection(tags))
