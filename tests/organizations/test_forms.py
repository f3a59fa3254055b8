"""Organisation forms: Swedish ordering of places, cleaning, filters."""

from __future__ import annotations

import pytest

from hack365.organizations.forms import (
    OrganizationFilterForm,
    OrganizationForm,
    county_choices,
    municipality_choices,
    swedish_key,
)

pytestmark = pytest.mark.django_db


def test_swedish_key_puts_a_ring_a_umlaut_o_umlaut_last() -> None:
    names = ["Örebro", "Ängelholm", "Åstorp", "Ystad", "Alvesta", "Zebra"]
    assert sorted(names, key=swedish_key) == [
        "Alvesta",
        "Ystad",
        "Zebra",
        "Åstorp",
        "Ängelholm",
        "Örebro",
    ]


def test_counties_in_swedish_order() -> None:
    names = [name for _, name in county_choices()]
    assert len(names) == 21
    assert names[0] == "Blekinge län"
    assert names[-3:] == ["Västra Götalands län", "Örebro län", "Östergötlands län"]


def test_municipalities_grouped_by_county_in_swedish_order() -> None:
    groups = dict(municipality_choices())
    assert len(groups) == 21
    assert sum(len(options) for options in groups.values()) == 290
    skane = [name for _, name in groups["Skåne län"]]
    assert skane[-5:] == ["Ystad", "Åstorp", "Ängelholm", "Örkelljunga", "Östra Göinge"]
    assert ("0980", "Gotland") in groups["Gotlands län"]


def test_form_cleans_places_and_number() -> None:
    form = OrganizationForm(
        {
            "name": "Testkommunen",
            "organisation_number": "16 212000-1777",
            "kind": "municipality",
            "level": "local",
            "county": "17",
            "municipality": "1715",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["county"].name == "Värmlands län"
    assert form.cleaned_data["municipality"].name == "Kil"
    assert form.cleaned_data["organisation_number"] == "212000-1777"


def test_form_refuses_municipality_in_another_county() -> None:
    form = OrganizationForm(
        {
            "name": "X",
            "kind": "municipality",
            "level": "local",
            "county": "01",
            "municipality": "1715",
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["municipality"]


def test_filter_form_drops_garbage_quietly() -> None:
    form = OrganizationFilterForm({"kind": "ministry", "county": "12", "q": "region"})
    filters = form.filters()
    assert set(filters) == {"county", "q"}
    assert filters["county"].code == "12"
    shown = form.without_invalid()
    assert shown.is_valid()
    assert shown.data == {"county": "12", "q": "region"}
