"""Template filters for catalog values (licences, access rights)."""

from __future__ import annotations

from django import template

from hack365.catalog import labels

register = template.Library()


@register.filter(name="licence_label")
def licence_label(value: str | None) -> str:
    return labels.licence_label(value or "") if value else ""


@register.filter(name="access_rights_label")
def access_rights_label(value: str | None) -> str:
    return labels.access_rights_label(value or "") if value else ""
