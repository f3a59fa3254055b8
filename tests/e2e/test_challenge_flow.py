"""A need owner drafts and submits a challenge, an organizer publishes it, a
visitor finds it by text search — with axe-core on every page visited."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.accounts.factories import OrganizerFactory
from tests.organizations.factories import OrganizationFactory, need_owner_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"


def log_in(page: Any, axe: Any, email: str) -> None:
    page.goto("/sv/accounts/login/")
    axe.check(page)
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.content()[:2000]


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_load_state()
    if "/accounts/logout/" in page.url:  # confirmation page
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()


def test_need_owner_drafts_organizer_publishes_visitor_finds(page: Any, axe: Any) -> None:
    organisation = OrganizationFactory(name="Sjöstads kommun", slug="sjostads-kommun")
    owner = need_owner_of(organisation, user__username="behov", user__email="behov@sjostad.se")
    organizer = OrganizerFactory(username="arrangor", email="arrangor@hack365.se")

    # The need owner drafts the challenge and submits it for review.
    log_in(page, axe, owner.email)
    page.goto("/sv/challenges/new/")
    axe.check(page)
    page.get_by_label("Rubrik").fill("Bättre badplatsinformation i Sjöstad")
    page.get_by_label("Kort sammanfattning").fill("Var är vattnet varmt och rent i dag?")
    page.get_by_label(re.compile(r"^Problem")).fill("Badgäster vet inte **var** vattnet är rent.")
    page.get_by_label("Förväntad samhällsnytta").fill("Friskare och tryggare bad.")
    page.get_by_label("Målgrupp").fill("Badgäster och barnfamiljer")
    page.get_by_label("Miljö").check()
    page.get_by_label("Nivå").select_option("local")
    page.get_by_role("button", name="Spara som utkast").click()
    page.wait_for_load_state()
    assert "/sv/challenges/battre-badplatsinformation-i-sjostad/" in page.url
    axe.check(page)
    page.get_by_role("button", name="Skicka för granskning").click()
    page.wait_for_load_state()
    assert page.locator(".status").first.inner_text().strip() == "Under granskning"
    axe.check(page)
    log_out(page)

    # The organizer finds it in the review queue and publishes it.
    log_in(page, axe, organizer.email)
    page.goto("/sv/review/")
    axe.check(page)
    page.get_by_role("link", name="Bättre badplatsinformation i Sjöstad").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_role("button", name="Publicera").click()
    page.wait_for_load_state()
    assert page.locator(".status").first.inner_text().strip() == "Öppen"
    axe.check(page)
    log_out(page)

    # A visitor finds it by text search (a word from the problem, any case).
    page.goto("/sv/")
    axe.check(page)
    page.goto("/sv/challenges/")
    axe.check(page)
    page.get_by_label("Sök").fill("BADPLATS")
    page.get_by_role("button", name="Visa utmaningar").click()
    page.wait_for_load_state()
    results = page.locator("main .card h2, main .card h3")
    assert results.count() == 1
    assert "Bättre badplatsinformation i Sjöstad" in results.first.inner_text()
    axe.check(page)
    page.get_by_role("link", name="Bättre badplatsinformation i Sjöstad").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bättre badplatsinformation i Sjöstad"
    assert page.locator("main strong", has_text="var").count() == 1  # Markdown rendered
    axe.check(page)
    assert len(axe.checked) >= 11
