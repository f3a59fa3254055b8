"""Two participants form a team (one creates it and invites the other, who
accepts), the team books a mentor, and the lead writes and submits a
solution that uses two datasets; the dataset page then lists the solution —
with axe-core on every page visited. In English, so that the whole flow is
also checked in the second language."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from hack365.catalog.models import ChallengeDataset, Dataset
from hack365.catalog.services import harvest_job_start
from hack365.challenges.models import ChallengeStatus
from hack365.submissions.models import Solution, SolutionStatus
from hack365.teams.models import Booking, BookingStatus, Team, TeamMembership
from tests.accounts.factories import UserFactory
from tests.catalog.factories import PREFIXES
from tests.challenges.factories import ChallengeFactory
from tests.organizations.factories import OrganizationFactory
from tests.teams.mentor_factories import MentorProfileFactory, MentorSlotFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery"  # the factories' password
CATALOG = (
    PREFIXES
    + """
<https://data.example.se/catalog> a dcat:Catalog ; dct:title "Provkatalog"@sv ;
  dcat:dataset <https://data.example.se/d/hallplatser>, <https://data.example.se/d/resor> .
<https://data.example.se/org> a foaf:Agent ; foaf:name "Trafikverket prov"@sv .
<https://data.example.se/d/hallplatser> a dcat:Dataset ;
  dct:title "Bus stops in the county"@en, "Busshållplatser i länet"@sv ;
  dct:description "Every stop with its position."@en ;
  dct:publisher <https://data.example.se/org> .
<https://data.example.se/d/resor> a dcat:Dataset ;
  dct:title "Journeys per line"@en, "Resor per linje"@sv ;
  dct:description "Travellers per line and hour."@en ;
  dct:publisher <https://data.example.se/org> .
"""
)


def log_in(page: Any, axe: Any, email: str) -> None:
    page.goto("/en/accounts/login/")
    axe.check(page)
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, page.content()[:2000]


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()
    if "/accounts/logout/" in page.url:  # confirmation page
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()


def test_form_a_team_book_a_mentor_and_submit(page: Any, axe: Any, tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.ttl"
    catalog.write_text(CATALOG, encoding="utf-8")
    job = harvest_job_start(user=None, file_path=str(catalog), enqueue=False)
    assert job.created_count == 2, job.error
    organisation = OrganizationFactory(name="Busskommunen", slug="busskommunen")
    challenge = ChallengeFactory(
        owner=organisation,
        status=ChallengeStatus.PUBLISHED,
        title="Fuller buses",
        slug="fuller-buses",
        summary="How do we fill the rural buses?",
        event=None,
        deadline=timezone.now() + timedelta(days=7),
    )
    stops = Dataset.objects.get(key="https://data.example.se/d/hallplatser")
    journeys = Dataset.objects.get(key="https://data.example.se/d/resor")
    for dataset in (stops, journeys):
        ChallengeDataset.objects.create(challenge=challenge, dataset=dataset)
    anna = UserFactory(username="anna", email="anna@example.se")
    bo = UserFactory(username="bo", email="bo@example.se")
    # display names are the user names, title-cased
    mentor = MentorProfileFactory(user__username="mira", skills=["public transport"])
    slot = MentorSlotFactory(
        mentor=mentor,
        starts_at=timezone.now() + timedelta(days=2),
        online_url="https://meet.example.se/mira",
        place="",
    )

    # Anna finds the challenge and creates a team for it.
    log_in(page, axe, anna.email)
    page.goto("/en/challenges/fuller-buses/")
    axe.check(page)
    page.locator("#teams").get_by_role("link", name="Create a team").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("Team name").fill("Bus buddies")
    page.get_by_role("button", name="Create the team").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bus buddies"
    team = Team.objects.get(name="Bus buddies")
    assert team.challenge_id == challenge.pk
    axe.check(page)

    # She invites Bo by e-mail address.
    page.get_by_label("E-mail address or user name").fill(bo.email)
    page.get_by_role("button", name="Send the invitation").click()
    page.wait_for_load_state()
    axe.check(page)
    log_out(page)

    # Bo sees the invitation among his teams and accepts it.
    log_in(page, axe, bo.email)
    page.goto("/en/teams/mine/")
    axe.check(page)
    page.get_by_role("link", name="Bus buddies").first.click()
    page.wait_for_load_state()
    if "/invitations/" in page.url:  # the invitation's own page
        axe.check(page)
        page.get_by_role("button", name="Accept").first.click()
        page.wait_for_load_state()
    assert TeamMembership.objects.filter(team=team, user=bo).exists(), page.content()[:3000]
    axe.check(page)

    # Bo books the mentor for the team.
    page.goto("/en/mentors/")
    axe.check(page)
    page.get_by_role("link", name="Mira").first.click()
    page.wait_for_load_state()
    axe.check(page)
    times = page.locator(f"#slot-{slot.pk}")
    topic = times.get_by_label("What the team wants help with")
    if topic.count():
        topic.fill("Which data shows where people travel?")
    times.get_by_role("button", name="Book").click()
    page.wait_for_load_state()
    booking = Booking.objects.get(slot=slot)
    assert booking.team_id == team.pk and booking.status == BookingStatus.BOOKED
    axe.check(page)
    log_out(page)

    # Anna starts the solution from the team page, fills it in with both
    # datasets, saves and submits it.
    log_in(page, axe, anna.email)
    page.goto(f"/en/teams/{team.pk}/")
    axe.check(page)
    assert "Mira" in page.content()  # the booking is on the team page
    page.get_by_role("link", name="Start your solution").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("Title of the solution").fill("Bus finder")
    page.get_by_role("button", name="Start the draft").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("Summary").fill("Shows which buses run empty, and when.")
    page.get_by_label("The problem it solves").fill("Buses run *empty* at midday.")
    page.get_by_label("Target group").fill("Travellers and planners")
    page.get_by_label("Bus stops in the county").check()
    page.get_by_label("Journeys per line").check()
    page.get_by_label("Code repository").fill("https://code.example.se/bus-finder")
    page.get_by_label("Licence").select_option("EUPL-1.2")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_role("button", name="Submit the solution").click()
    page.wait_for_load_state()
    solution = Solution.objects.get(team=team)
    assert solution.status == SolutionStatus.SUBMITTED, page.content()[:3000]
    assert set(solution.datasets.values_list("pk", flat=True)) == {stops.pk, journeys.pk}
    axe.check(page)
    log_out(page)

    # A visitor finds it in the gallery and on both datasets' pages.
    page.goto("/en/solutions/")
    axe.check(page)
    assert page.get_by_role("link", name="Bus finder").count() == 1
    for dataset in (stops, journeys):
        page.goto(f"/en/datasets/{dataset.pk}/")
        assert page.get_by_role("link", name="Bus finder").count() == 1
        axe.check(page)
    page.get_by_role("link", name="Bus finder").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Bus finder"
    assert "<em>empty</em>" in page.content()
    axe.check(page)
    assert len(axe.checked) >= 20
