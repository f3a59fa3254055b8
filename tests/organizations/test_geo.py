"""Sweden's counties and municipalities: the data in geo.py and what the
migration loaded into the database."""

from __future__ import annotations

import pytest

from hack365.organizations.geo import COUNTIES, MUNICIPALITIES
from hack365.organizations.models import County, Municipality

SPOT_CHECKS = [
    ("0180", "Stockholm", "01"),
    ("1480", "Göteborg", "14"),
    ("1280", "Malmö", "12"),
    ("0380", "Uppsala", "03"),
    ("2580", "Luleå", "25"),
    ("2584", "Kiruna", "25"),
    ("0980", "Gotland", "09"),
    ("2361", "Härjedalen", "23"),
    ("1715", "Kil", "17"),
    ("0114", "Upplands Väsby", "01"),
    ("1880", "Örebro", "18"),
    ("2480", "Umeå", "24"),
    ("0580", "Linköping", "05"),
]

# Municipalities per county, as SCB counts them.
PER_COUNTY = {
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12, "09": 1, "10": 5,
    "12": 33, "13": 6, "14": 49, "17": 16, "18": 12, "19": 10, "20": 15, "21": 10, "22": 7,
    "23": 8, "24": 15, "25": 14,
}  # fmt: skip


def test_21_counties_with_scb_codes() -> None:
    assert len(COUNTIES) == 21
    assert [code for code, _ in COUNTIES] == sorted(PER_COUNTY)
    assert dict(COUNTIES)["01"] == "Stockholms län"
    assert dict(COUNTIES)["14"] == "Västra Götalands län"
    assert dict(COUNTIES)["25"] == "Norrbottens län"
    assert all(name.endswith(" län") for _, name in COUNTIES)


def test_290_municipalities_with_four_digit_codes() -> None:
    assert len(MUNICIPALITIES) == 290
    codes = [code for code, _ in MUNICIPALITIES]
    assert len(set(codes)) == 290
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    assert codes == sorted(codes)


def test_every_municipality_code_starts_with_its_county_code() -> None:
    county_codes = {code for code, _ in COUNTIES}
    for code, name in MUNICIPALITIES:
        assert code[:2] in county_codes, (code, name)


def test_municipalities_per_county() -> None:
    counted: dict[str, int] = {}
    for code, _ in MUNICIPALITIES:
        counted[code[:2]] = counted.get(code[:2], 0) + 1
    assert counted == PER_COUNTY


def test_names_are_unique() -> None:
    assert len({name for _, name in COUNTIES}) == 21
    assert len({name for _, name in MUNICIPALITIES}) == 290
    assert all(name == name.strip() and name for _, name in MUNICIPALITIES)


@pytest.mark.parametrize(("code", "name", "county"), SPOT_CHECKS)
def test_spot_checks_in_the_data(code: str, name: str, county: str) -> None:
    assert dict(MUNICIPALITIES)[code] == name
    assert code[:2] == county


@pytest.mark.django_db
def test_the_migration_loaded_everything() -> None:
    assert County.objects.count() == 21
    assert Municipality.objects.count() == 290
    assert set(County.objects.values_list("code", "name")) == set(COUNTIES)
    loaded = {m.code: (m.name, m.county_id) for m in Municipality.objects.all()}
    assert loaded == {code: (name, code[:2]) for code, name in MUNICIPALITIES}


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "name", "county"), SPOT_CHECKS)
def test_spot_checks_in_the_database(code: str, name: str, county: str) -> None:
    municipality = Municipality.objects.select_related("county").get(code=code)
    assert municipality.name == name
    assert municipality.county.code == county


@pytest.mark.django_db
def test_loading_again_changes_nothing() -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module(
        "hack365.organizations.migrations.0003_swedish_counties_and_municipalities"
    )
    Municipality.objects.filter(code="0180").update(name="Wrong")
    migration.load_geography(apps, None)
    assert Municipality.objects.count() == 290
    assert Municipality.objects.get(code="0180").name == "Stockholm"
