"""The need owner's realization page in headless Chromium, in Swedish: record
"decline" without a reason (the error leads to the field), then "pilot" and a
milestone; the public page, the solution page and the overview show it —
axe-core (WCAG 2.2 AA) on every page, with and without the forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from hack365.realization.models import Decision, Milestone, Realization
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.judging.factories import AwardCategoryFactory, AwardFactory
from tests.organizations.factories import OrganizationFactory, need_owner_of
from tests.realization.conftest import submitted

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in_as(page: Any, user: Any, base_url: str) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
                "httpOnly": True,
            }
        ]
    )


def test_need_owner_records_the_realization(page: Any, axe: Any, live_server: Any) -> None:
    organization = OrganizationFactory(name="Region Prov", slug="region-prov")
    owner = need_owner_of(organization, user__username="behovsagare")
    challenge = PublishedChallengeFactory(
        owner=organization, event=EventFactory(slug="hfs-prov"), slug="farre-tomma-bussar"
    )
    solution = submitted(challenge, title="Bussappen")
    category = AwardCategoryFactory(
        event=challenge.event, name="Hack for Sweden Award", published_at=timezone.now()
    )
    AwardFactory(category=category, solution=solution)

    log_in_as(page, owner, live_server.url)
    page.goto(f"/sv/realization/solutions/{solution.pk}/")
    axe.check(page)
    page.get_by_label("Avböjs", exact=False).check()
    page.get_by_role("button", name="Spara beslutet").click()
    page.wait_for_load_state()
    assert page.locator("#id_reason_error").is_visible()
    axe.check(page)
    page.locator("#error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_reason"
    assert not Realization.objects.exists()

    page.get_by_label("Pilot", exact=False).check()
    page.get_by_role("button", name="Spara beslutet").click()
    page.wait_for_load_state()
    assert Realization.objects.get().decision == Decision.PILOT
    page.locator("#id_date").fill("2026-03-12")
    page.locator("#id_title").fill("Piloten startar")
    page.locator("#id_update").fill("I tre kommuner.")
    page.get_by_role("button", name="Lägg till delmålet").click()
    page.wait_for_load_state()
    assert Milestone.objects.get().title == "Piloten startar"
    axe.check(page)
    page.get_by_role("link", name="Ändra delmålet Piloten startar").click()
    page.wait_for_load_state()
    axe.check(page)

    page.context.clear_cookies()
    page.goto(f"/sv/realization/solutions/{solution.pk}/")
    assert "Pilot" in page.locator("#decision").inner_text()
    assert "12 mars 2026" in page.locator("#milestones").inner_text()
    axe.check(page)
    page.goto(f"/sv/solutions/{solution.pk}/")
    assert "Pilot" in page.locator("#realization").inner_text()
    axe.check(page)
    page.goto("/sv/realization/")
    assert "Bussappen" in page.locator("#results").inner_text()
    axe.check(page)
    page.goto("/sv/realization/?decision=none")
    axe.check(page)
    page.goto(f"/sv/organisations/{organization.slug}/")
    assert "Bussappen" in page.locator("#realization").inner_text()
    axe.check(page)
