"""Forms for organisations: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import County, Level, MembershipRole, Municipality, Organization, OrganizationKind
from .validators import normalize_organisation_number

_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"})


def swedish_key(text: str) -> str:
    """Sort key for Swedish names: å, ä and ö after z, in that order."""
    return text.casefold().translate(_SWEDISH_ORDER)


def county_choices() -> list[tuple[str, str]]:
    counties = sorted(County.objects.all(), key=lambda c: swedish_key(c.name))
    return [(c.code, c.name) for c in counties]


def municipality_choices() -> list[tuple[str, Any]]:
    """Municipalities grouped by county, for a <select> with <optgroup>s (one query)."""
    groups: dict[str, list[Municipality]] = {}
    for m in Municipality.objects.select_related("county"):
        groups.setdefault(m.county.name, []).append(m)
    return [
        (
            county,
            [(m.code, m.name) for m in sorted(groups[county], key=lambda m: swedish_key(m.name))],
        )
        for county in sorted(groups, key=swedish_key)
    ]


class CountyField(forms.ChoiceField):
    """A county chosen by its code, cleaned to the object."""

    def __init__(self, *, empty_label: Any = "—", **kwargs: Any) -> None:
        super().__init__(choices=lambda: [("", empty_label), *county_choices()], **kwargs)

    def clean(self, value: Any) -> County | None:
        code = super().clean(value)
        if not code:
            return None
        county = County.objects.filter(code=code).first()
        if county is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return county


class MunicipalityField(forms.ChoiceField):
    """A municipality chosen from a list grouped by county, cleaned to the object."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=lambda: [("", "—"), *municipality_choices()], **kwargs)

    def clean(self, value: Any) -> Municipality | None:
        code = super().clean(value)
        if not code:
            return None
        municipality = Municipality.objects.select_related("county").filter(code=code).first()
        if municipality is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return municipality


class OrganizationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        required=False,
        help_text=_(
            "Letters a–z, digits and hyphens, as in /organisations/skatteverket/. "
            "Leave empty to make one from the name."
        ),
    )
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        max_length=20,
        required=False,
        help_text=_("Ten digits, as 202100-5489."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    county = CountyField(label=_("County"), required=False)
    municipality = MunicipalityField(
        label=_("Municipality"),
        required=False,
        help_text=_("For a municipality, or an organisation based in one."),
    )
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the organisation does. You can use Markdown: **bold**, lists, links."),
    )
    publisher_uri = forms.URLField(
        label=_("Publisher URI in data catalogs"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_(
            "The address that identifies the organisation as a publisher in "
            "dataportal.se and other DCAT-AP catalogs."
        ),
    )

    def __init__(self, *args: Any, require_slug: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if require_slug:
            self.fields["slug"].required = True
            self.fields["slug"].help_text = _(
                "Letters a–z, digits and hyphens. Changing it breaks links to the old address."
            )

    @classmethod
    def initial_for(cls, org: Organization) -> dict[str, Any]:
        return {
            "name": org.name,
            "slug": org.slug,
            "organisation_number": org.organisation_number or "",
            "kind": org.kind,
            "level": org.level,
            "county": org.county_id,
            "municipality": org.municipality_id or "",
            "website": org.website,
            "description": org.description,
            "publisher_uri": org.publisher_uri,
        }

    def clean_organisation_number(self) -> str | None:
        value = self.cleaned_data.get("organisation_number") or ""
        if not value.strip():
            return None
        return normalize_organisation_number(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        county, municipality = data.get("county"), data.get("municipality")
        if county is not None and municipality is not None and municipality.county_id != county.pk:
            self.add_error(
                "municipality",
                _("%(municipality)s is not in %(county)s.")
                % {"municipality": municipality.name, "county": county.name},
            )
        return data


class MembershipAddForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The address the person uses to log in to hack365."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), max_length=100, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *OrganizationKind.choices],
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Level"),
        choices=[("", _("All levels")), *Level.choices],
        required=False,
    )
    county = CountyField(label=_("County"), required=False, empty_label=_("All counties"))

    def filters(self) -> dict[str, Any]:
        """The valid filters; invalid ones (garbage in the address) are ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "")}

    def without_invalid(self) -> OrganizationFilterForm:
        """This form with the invalid values dropped, to show what was applied."""
        if not self.is_bound or not self.errors:
            return self
        kept = {k: self.data[k] for k in self.fields if k in self.data and k not in self.errors}
        return OrganizationFilterForm(kept)
