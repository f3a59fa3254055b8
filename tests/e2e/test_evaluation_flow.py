"""An organizer builds the jury and assigns it automatically, two jury
members score every solution with justifications, the organizer closes the
round, gives an award and publishes it, and the challenge's need owner
records a pilot; the winners page and the solution page then show the award
and the realization — with axe-core on every page visited. In English."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hack365.challenges.models import ChallengeStatus
from hack365.judging import services as judging_services
from hack365.judging.models import Assignment, AssignmentStatus, Award, Criterion, RoundStatus
from hack365.realization.models import Decision, Realization
from hack365.submissions.models import SolutionStatus
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import ChallengeFactory, EventFactory
from tests.e2e.test_team_flow import log_in, log_out
from tests.organizations.factories import OrganizationFactory, need_owner_of
from tests.submissions.factories import SolutionFactory, make_team

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_assign_score_award_and_follow_into_a_pilot(page: Any, axe: Any) -> None:
    now = timezone.now()
    organizer = OrganizerFactory(username="olga", email="olga@example.se")
    organisation = OrganizationFactory(name="Trafikkommunen", slug="trafikkommunen")
    need_owner = need_owner_of(organisation, user__username="nils", user__email="nils@example.se")
    event = EventFactory(
        name="Spring hack",
        slug="spring-hack",
        registration_opens=now - timedelta(days=10),
        hacking_starts=now - timedelta(days=5),
        submission_deadline=now - timedelta(days=1),
        evaluation_ends=now + timedelta(days=7),
        results_at=now + timedelta(days=8),
    )
    challenge = ChallengeFactory(
        owner=organisation, status=ChallengeStatus.PUBLISHED, event=event, title="Safer roads"
    )
    solutions = [
        SolutionFactory(
            team=make_team(challenge, name=name),
            challenge=challenge,
            title=title,
            status=SolutionStatus.SUBMITTED,
            submitted_at=now - timedelta(days=2),
        )
        for name, title in (("Road runners", "Ice warning"), ("Gritters", "Grit map"))
    ]
    jana = UserFactory(username="jana", email="jana@example.se")
    jon = UserFactory(username="jon", email="jon@example.se")
    round = judging_services.round_create(
        actor=organizer,
        event=event,
        title="Spring jury",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=3),
        jurors_per_solution=2,
    )

    # The organizer builds the jury, opens the round and assigns automatically.
    log_in(page, axe, organizer.email)
    page.goto(f"/en/evaluation/rounds/{round.pk}/")
    axe.check(page)
    for juror in (jana, jon):
        page.get_by_label("E-mail address or user name").fill(juror.email)
        page.get_by_role("button", name="Add to the jury").click()
        page.wait_for_load_state()
        axe.check(page)
    page.get_by_role("button", name="Open the round").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_role("button", name="Assign automatically").click()
    page.wait_for_load_state()
    axe.check(page)
    assignments = Assignment.objects.filter(entry__round=round)
    assert assignments.count() == 4, page.content()[:3000]
    log_out(page)

    # Each jury member scores both solutions, with a justification per criterion.
    criteria = list(Criterion.objects.filter(round=round))
    assert len(criteria) == 5
    for juror, base in ((jana, 4), (jon, 2)):
        log_in(page, axe, juror.email)
        page.goto("/en/evaluation/mine/")
        axe.check(page)
        for number, solution in enumerate(solutions):
            assignment = assignments.get(juror__user=juror, entry__solution=solution)
            page.goto(f"/en/evaluation/assignments/{assignment.pk}/")
            axe.check(page)
            for criterion in criteria:
                value = base + (1 if number == 0 else 0)
                page.locator(f"input[name=value_{criterion.pk}][value='{value}']").check()
                page.get_by_label(f"Justification: {criterion.name}").fill(
                    f"{solution.title}: {value} for {criterion.name.lower()}."
                )
            page.get_by_role("button", name="Submit the scores").click()
            page.wait_for_load_state()
            axe.check(page)
            assignment.refresh_from_db()
            assert assignment.status == AssignmentStatus.SUBMITTED, page.content()[:3000]
        log_out(page)

    # The organizer closes the round, reads the ranking and awards the winner.
    log_in(page, axe, organizer.email)
    page.goto(f"/en/evaluation/rounds/{round.pk}/")
    page.get_by_role("button", name="Close the round and lock the scores").click()
    page.wait_for_load_state()
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED
    axe.check(page)
    page.get_by_role("link", name="Results and ranking").click()
    page.wait_for_load_state()
    axe.check(page)
    ranking = page.locator("main table").first.inner_text()
    assert ranking.index("Ice warning") < ranking.index("Grit map")
    page.goto("/en/events/spring-hack/awards/")
    axe.check(page)
    page.get_by_label("Name of the award").fill("Road safety award")
    page.get_by_role("button", name="Create the category").click()
    page.wait_for_load_state()
    axe.check(page)
    if "Give the award" not in page.content():
        page.get_by_role("link", name="Road safety award").click()
        page.wait_for_load_state()
        axe.check(page)
    page.get_by_label("Solution").select_option(label="Ice warning (Road runners)")
    page.get_by_label("The jury's citation").fill("Warns drivers before the road freezes.")
    page.get_by_role("button", name="Give the award").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_role("button", name="Publish the awards").click()
    page.wait_for_load_state()
    axe.check(page)
    award = Award.objects.get(solution=solutions[0])
    assert award.category.published_at is not None
    log_out(page)

    # The need owner records a pilot.
    log_in(page, axe, need_owner.email)
    page.goto(f"/en/realization/solutions/{solutions[0].pk}/")
    axe.check(page)
    page.locator("input[name=decision][value=pilot]").check()
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_load_state()
    axe.check(page)
    assert Realization.objects.get(solution=solutions[0]).decision == Decision.PILOT
    log_out(page)

    # Anyone sees the winner and where it stands.
    page.goto("/en/events/spring-hack/winners/")
    axe.check(page)
    winners = page.locator("main").inner_text()
    assert "Road safety award" in winners and "Ice warning" in winners
    assert "Grit map" not in winners
    page.get_by_role("link", name="Ice warning").first.click()
    page.wait_for_load_state()
    axe.check(page)
    assert page.locator("h1").inner_text() == "Ice warning"
    status = page.locator("#realization").inner_text()
    assert "Pilot" in status, status
    assert "Road safety award" in page.locator("main").inner_text()
    # The jury members stay anonymous to the public.
    html = page.content()
    assert "jana@example.se" not in html and "jon@example.se" not in html
    assert len(axe.checked) >= 25
