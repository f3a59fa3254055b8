"""A visitor searches and filters datasets (htmx, as a browser does it), a
need owner finds a dataset with search-as-you-type and links it to a
challenge, and the dataset page then lists the challenge — with axe-core on
every page visited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hack365.catalog.services import harvest_job_start
from hack365.challenges.models import ChallengeStatus
from tests.catalog.factories import PREFIXES
from tests.challenges.factories import ChallengeFactory
from tests.e2e.test_challenge_flow import log_in
from tests.organizations.factories import OrganizationFactory, need_owner_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

THEME = "http://publications.europa.eu/resource/authority/data-theme/"
CATALOG = (
    PREFIXES
    + """
<https://data.example.se/catalog> a dcat:Catalog ; dct:title "Provkatalog"@sv ;
  dcat:dataset <https://data.example.se/d/skog>, <https://data.example.se/d/buss>,
               <https://data.example.se/d/skogsbrand> .
<https://data.example.se/org> a foaf:Agent ; foaf:name "Skogsstyrelsen"@sv .
<https://data.example.se/d/skog> a dcat:Dataset ;
  dct:title "Avverkningsanmälningar i skogen"@sv ; dct:description "Var skogar avverkas."@sv ;
  dct:publisher <https://data.example.se/org> ; dcat:theme <theme:ENVI> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://data.example.se/f.csv> ;
                      dct:format "text/csv" ] .
<https://data.example.se/d/skogsbrand> a dcat:Dataset ;
  dct:title "Skogsbränder per år"@sv ; dct:description "Bränder i skog."@sv ;
  dct:publisher <https://data.example.se/org> ; dcat:theme <theme:AGRI> .
<https://data.example.se/d/buss> a dcat:Dataset ;
  dct:title "Busshållplatser"@sv ; dct:description "Hållplatser i länet."@sv ;
  dct:publisher <https://data.example.se/org> ; dcat:theme <theme:TRAN> .
""".replace("<theme:", "<" + THEME)
)


def test_search_filter_link_and_see_it_listed(page: Any, axe: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.ttl"
    catalog.write_text(CATALOG, encoding="utf-8")
    job = harvest_job_start(user=None, file_path=str(catalog), enqueue=False)
    assert job.created_count == 3, job.error
    organisation = OrganizationFactory(name="Skogskommunen", slug="skogskommunen")
    owner = need_owner_of(organisation, user__username="behov", user__email="behov@skog.se")
    challenge = ChallengeFactory(
        owner=organisation,
        status=ChallengeStatus.PUBLISHED,
        title="Friskare skogar",
        slug="friskare-skogar",
        summary="Hur följer vi avverkningen?",
    )
    # Paths are written out: reverse() would follow whatever language an
    # earlier test left active in this thread.
    assert challenge.slug == "friskare-skogar"

    # A visitor searches ("skogar" finds "skog" and "skogen") and filters by theme.
    page.goto("/sv/datasets/")
    axe.check(page)
    page.get_by_label("Sök datamängder").fill("skogar")
    page.get_by_role("button", name="Sök", exact=True).click()
    page.wait_for_url("**/sv/datasets/?q=skogar**")
    page.locator("#result-count", has_text="2 datamängder").wait_for()
    # Leaving the text field (to click) and submitting both ask; let the
    # last answer land before touching the form it replaces.
    page.wait_for_load_state("networkidle")
    results = page.locator("#results .card h3")
    titles = sorted(results.all_inner_texts())
    assert titles == ["Avverkningsanmälningar i skogen", "Skogsbränder per år"]
    axe.check(page)
    page.get_by_label("Miljö").check()  # htmx: the results follow at once
    page.wait_for_url("**theme=ENVI**")
    page.locator("#result-count", has_text="1 datamängd").wait_for()
    assert results.all_inner_texts() == ["Avverkningsanmälningar i skogen"]
    assert page.get_by_label("Miljö").is_checked()
    axe.check(page)
    results.first.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Avverkningsanmälningar i skogen"
    assert "Ingen utmaning har kopplat" in page.content()
    axe.check(page)

    # The need owner links it from the challenge, with search-as-you-type.
    log_in(page, axe, owner.email)
    page.goto("/sv/challenges/friskare-skogar/")
    axe.check(page)
    page.get_by_role("link", name="Koppla datamängder").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("Hitta en datamängd att koppla").press_sequentially("skogen")
    found = page.locator("#picker-results .card h4")
    found.first.wait_for()
    assert sorted(found.all_inner_texts()) == [
        "Avverkningsanmälningar i skogen",
        "Skogsbränder per år",
    ]
    assert "?q=skogen" in page.url  # the address follows, for reloads and links
    axe.check(page)
    card = page.locator("#picker-results .card", has_text="Avverkningsanmälningar i skogen")
    card.get_by_label("Varför").fill("Visar var det avverkas.")
    card.get_by_role("button", name="Koppla till utmaningen").click()
    page.wait_for_load_state()
    assert "är nu kopplad till utmaningen" in page.locator(".messages").inner_text()
    axe.check(page)
    page.goto("/sv/challenges/friskare-skogar/")
    datasets = page.locator("#datasets")
    assert "Avverkningsanmälningar i skogen" in datasets.inner_text()
    assert "Visar var det avverkas." in datasets.inner_text()
    axe.check(page)
    datasets.get_by_role("link", name="Avverkningsanmälningar i skogen").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Friskare skogar").count() == 1
    axe.check(page)
    assert len(axe.checked) >= 11
