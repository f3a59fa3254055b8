from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hack365.core.models import AuditLogEntry
from hack365.realization import services
from hack365.realization.models import Decision, Milestone, Realization
from hack365.submissions.models import SolutionStatus
from tests.accounts.factories import UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.judging.factories import AwardCategoryFactory, AwardFactory

from .conftest import submitted

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"realization:{name}", args=args)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def html_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return str(response.content.decode())


def award(solution: Any, *, published: bool = True, name: str = "Hack for Sweden Award") -> Any:
    category = AwardCategoryFactory(
        event=solution.challenge.event or EventFactory(),
        name=name,
        published_at=timezone.now() if published else None,
    )
    return AwardFactory(category=category, solution=solution)


# --- the solution's realization page ----------------------------------------------------------


def test_public_page_shows_the_decision_and_milestones(need_owner: Any, solution: Any) -> None:
    realization = services.realization_decide(
        actor=need_owner,
        solution=solution,
        decision=Decision.DECLINE,
        reason="Vi har redan ett system.",
    )
    services.milestone_add(
        actor=need_owner,
        realization=realization,
        date=date(2026, 3, 12),
        title="Beslut i nämnden",
        update="Nämnden avslog.",
    )
    award(solution)
    html = html_of(Client().get(url("solution", solution.pk)))
    assert "Declined" in html
    assert "Vi har redan ett system." in html
    assert "Beslut i nämnden" in html and "12 March 2026" in html
    assert "Hack for Sweden Award" in html
    assert 'action="' + url("decide", solution.pk) not in html  # no forms for visitors
    assert "Edit the milestone" not in html


def test_need_owner_sees_the_forms(need_owner: Any, solution: Any) -> None:
    html = html_of(client_for(need_owner).get(url("solution", solution.pk)))
    assert f'action="{url("decide", solution.pk)}"' in html
    assert "No decision yet" in html
    assert 'type="radio"' in html and html.count('name="decision"') == 5
    assert "<fieldset><legend>Decision" in html  # the group has a legend, not a label
    assert "Record a decision first" in html  # no milestone form before a decision


@pytest.mark.parametrize("status", [SolutionStatus.DRAFT, SolutionStatus.WITHDRAWN])
def test_no_page_for_a_solution_not_submitted(organizer: Any, solution: Any, status: str) -> None:
    solution.status = status
    solution.save(update_fields=["status"])
    assert client_for(organizer).get(url("solution", solution.pk)).status_code == 404
    assert Client().get(url("solution", 10**12)).status_code == 404


def test_need_owners_see_it_when_the_challenge_is_no_longer_public(
    need_owner: Any, solution: Any
) -> None:
    solution.challenge.status = "draft"
    solution.challenge.save(update_fields=["status"])
    assert Client().get(url("solution", solution.pk)).status_code == 404
    assert client_for(UserFactory()).get(url("solution", solution.pk)).status_code == 404
    assert client_for(need_owner).get(url("solution", solution.pk)).status_code == 200


def test_record_and_change_the_decision(need_owner: Any, solution: Any) -> None:
    client = client_for(need_owner)
    response = client.post(url("decide", solution.pk), {"decision": "pilot", "reason": ""})
    assert response.status_code == 302
    assert response["Location"] == url("solution", solution.pk) + "#decision"
    assert Realization.objects.get(solution=solution).decision == Decision.PILOT
    page = html_of(client.get(response["Location"]))
    assert "The decision is recorded: Pilot." in page
    assert "Change the decision" in page
    client.post(url("decide", solution.pk), {"decision": "adopt", "reason": "Det fungerar."})
    assert Realization.objects.get(solution=solution).decision == Decision.ADOPT
    assert AuditLogEntry.objects.filter(action="realization.realization.changed").count() == 1


def test_decline_without_reason_shows_the_error_at_the_field(
    need_owner: Any, solution: Any
) -> None:
    response = client_for(need_owner).post(
        url("decide", solution.pk), {"decision": "decline", "reason": "  "}
    )
    html = html_of(response)
    assert 'href="#id_reason"' in html  # the summary links to the field
    assert 'id="id_reason_error"' in html
    assert "Give the reason why the solution is declined." in html
    assert not Realization.objects.exists()


def test_bad_decision_keeps_what_was_stored(need_owner: Any, solution: Any) -> None:
    services.realization_decide(
        actor=need_owner, solution=solution, decision=Decision.DECLINE, reason="För dyrt."
    )
    response = client_for(need_owner).post(
        url("decide", solution.pk), {"decision": "<script>", "reason": "x" * 4000}
    )
    html = html_of(response)
    assert "<script>" not in html.split("<main", 1)[1]
    assert 'id="id_decision_error"' in html
    assert 'href="#id_decision_0"' in html  # the summary leads into the radio group
    assert 'id="id_reason_error"' in html
    stored = Realization.objects.get(solution=solution)
    assert (stored.decision, stored.reason) == (Decision.DECLINE, "För dyrt.")


def test_others_may_not_decide(other_need_owner: Any, solution: Any) -> None:
    response = client_for(other_need_owner).post(url("decide", solution.pk), {"decision": "pilot"})
    assert response.status_code == 403
    assert Client().post(url("decide", solution.pk), {"decision": "pilot"}).status_code == 302
    assert not Realization.objects.exists()


@pytest.fixture
def decided(need_owner: Any, solution: Any) -> Realization:
    return services.realization_decide(actor=need_owner, solution=solution, decision="pilot")


def test_add_edit_and_remove_a_milestone(need_owner: Any, decided: Realization) -> None:
    client = client_for(need_owner)
    pk = decided.solution_id
    response = client.post(
        url("milestone_add", pk),
        {"date": "2026-03-12", "title": "Piloten startar", "update": "I Örebro."},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert (milestone.date, milestone.title) == (date(2026, 3, 12), "Piloten startar")
    page = html_of(client.get(url("solution", pk)))
    assert url("milestone_edit", pk, milestone.pk) in page
    form = html_of(client.get(url("milestone_edit", pk, milestone.pk)))
    assert 'value="2026-03-12"' in form and 'value="Piloten startar"' in form
    response = client.post(
        url("milestone_edit", pk, milestone.pk),
        {"date": "2026-04-01", "title": "Piloten startar", "update": "I Örebro och Umeå."},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.update == "I Örebro och Umeå."
    response = client.post(url("milestone_delete", pk, milestone.pk))
    assert response.status_code == 302
    assert not Milestone.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "1999-12-31", "title": "Förr"}, "date"),
        ({"date": "12/3", "title": "Förr"}, "date"),
        ({"date": "2026-03-12", "title": ""}, "title"),
        ({"date": "2026-03-12", "title": "x" * 201}, "title"),
        ({"date": "2026-03-12", "title": "Ok", "update": "x" * 3001}, "update"),
    ],
)
def test_bad_milestone_is_shown_with_its_error(
    need_owner: Any, decided: Realization, data: dict[str, str], field: str
) -> None:
    html = html_of(client_for(need_owner).post(url("milestone_add", decided.solution_id), data))
    assert f'id="id_{field}_error"' in html
    assert f'href="#id_{field}"' in html
    assert not Milestone.objects.exists()


def test_a_milestone_needs_a_decision_first(need_owner: Any, solution: Any) -> None:
    response = client_for(need_owner).post(
        url("milestone_add", solution.pk), {"date": "2026-03-12", "title": "Start"}
    )
    assert response.status_code == 302
    assert not Milestone.objects.exists()


def test_milestone_of_another_solution_is_not_found(
    need_owner: Any, decided: Realization, challenge: Any
) -> None:
    other = services.realization_decide(
        actor=need_owner, solution=submitted(challenge), decision="adopt"
    )
    milestone = services.milestone_add(
        actor=need_owner, realization=other, date=date(2026, 1, 1), title="Annan"
    )
    client = client_for(need_owner)
    assert client.get(url("milestone_edit", decided.solution_id, milestone.pk)).status_code == 404
    assert (
        client.post(url("milestone_delete", decided.solution_id, milestone.pk)).status_code == 404
    )
    assert Milestone.objects.filter(pk=milestone.pk).exists()


# --- the status on other pages -------------------------------------------------------------


def test_solution_page_shows_the_realization(need_owner: Any, decided: Realization) -> None:
    solution = decided.solution
    html = html_of(Client().get(solution.get_absolute_url()))
    assert 'id="realization-heading"' in html
    assert "Pilot" in html
    assert url("solution", solution.pk) in html
    owner_html = html_of(client_for(need_owner).get(solution.get_absolute_url()))
    assert "Record the decision and milestones" in owner_html


def test_solution_page_without_decision(solution: Any) -> None:
    html = html_of(Client().get(solution.get_absolute_url()))
    assert "No decision yet" in html


def test_challenge_page_shows_its_solutions_decisions(
    need_owner: Any, decided: Realization
) -> None:
    challenge = decided.solution.challenge
    html = html_of(Client().get(challenge.get_absolute_url()))
    section = html.split('id="realization-heading"', 1)[1]
    assert decided.solution.title in section and "Pilot" in section


def test_organisation_page_shows_realized_solutions(
    need_owner: Any, decided: Realization, organization: Any, challenge: Any
) -> None:
    services.realization_decide(
        actor=need_owner,
        solution=submitted(challenge, title="Avböjd"),
        decision="decline",
        reason="Nej.",
    )
    html = html_of(Client().get(organization.get_absolute_url()))
    section = html.split('id="realization-heading"', 1)[1]
    assert decided.solution.title in section
    assert "Avböjd" not in section


# --- the overview ------------------------------------------------------------------------


def test_overview_lists_awarded_solutions_and_where_they_stand(
    need_owner: Any, challenge: Any, decided: Realization
) -> None:
    award(decided.solution)
    services.milestone_add(
        actor=need_owner, realization=decided, date=date(2026, 5, 4), title="Senaste steget"
    )
    services.milestone_add(
        actor=need_owner, realization=decided, date=date(2026, 1, 4), title="Första steget"
    )
    services.follow_ups_schedule(solution=decided.solution, awarded_at=timezone.now())
    waiting = submitted(challenge, title="Väntar på beslut")
    award(waiting, name="Bästa användning av öppna data")
    hidden = submitted(challenge, title="Opublicerat pris")
    award(hidden, published=False)
    submitted(challenge, title="Utan pris")
    html = html_of(Client().get(url("overview")))
    assert "2 awarded solutions" in html
    assert "Väntar på beslut" in html and "Bästa användning av öppna data" in html
    assert "Opublicerat pris" not in html and "Utan pris" not in html
    row = html.split(decided.solution.title, 1)[1].split("</tr>", 1)[0]
    assert "Senaste steget" in row and "Första steget" not in row
    due = services.add_months(timezone.now(), 6)
    assert due.astimezone(timezone.get_default_timezone()).strftime("%Y") in row
    assert "No decision yet" in html


def test_overview_filters(need_owner: Any, challenge: Any, decided: Realization) -> None:
    award(decided.solution)
    award(submitted(challenge, title="Väntar"))
    elsewhere = submitted(PublishedChallengeFactory(event=EventFactory(slug="annat")), title="Där")
    award(elsewhere)
    client = Client()
    pilots = html_of(client.get(url("overview"), {"decision": "pilot"}))
    assert decided.solution.title in pilots and "Väntar" not in pilots
    none = html_of(client.get(url("overview"), {"decision": "none"}))
    assert "Väntar" in none and decided.solution.title not in none
    there = html_of(client.get(url("overview"), {"event": "annat"}))
    assert "Där" in there and "Väntar" not in there
    bad = html_of(client.get(url("overview"), {"decision": "x' OR 1=1", "event": "<b>"}))
    assert "3 awarded solutions" in bad  # invalid filters are left out


def test_overview_counts_per_decision(
    need_owner: Any, challenge: Any, decided: Realization
) -> None:
    award(decided.solution)
    award(submitted(challenge))
    html = html_of(Client().get(url("overview")))
    table = html.split('id="counts-heading"', 1)[1].split("</table>", 1)[0]
    cells = dict(re.findall(r'<th scope="row">([^<]+)</th><td>(\d+)</td>', table))
    assert cells["Pilot"] == "1"
    assert cells["No decision yet"] == "1"
    assert cells["Adopted"] == "0"


def _overview_queries(client: Client) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("overview"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overview_makes_a_constant_number_of_queries(need_owner: Any, challenge: Any) -> None:
    client = Client()

    def add(n: int) -> None:
        for i in range(n):
            solution = submitted(challenge)
            award(solution)
            services.follow_ups_schedule(solution=solution, awarded_at=timezone.now())
            if i % 2:
                realization = services.realization_decide(
                    actor=need_owner, solution=solution, decision="adopt"
                )
                for day in (1, 2):
                    services.milestone_add(
                        actor=need_owner,
                        realization=realization,
                        date=date(2026, 1, day),
                        title=f"Steg {day}",
                    )

    add(2)
    few = _overview_queries(client)
    add(10)
    many = _overview_queries(client)
    assert few == many
    assert many <= 10


def test_milestone_dates_ahead_are_accepted_in_the_form(
    need_owner: Any, decided: Realization
) -> None:
    ahead = timezone.localdate() + timedelta(days=365)
    response = client_for(need_owner).post(
        url("milestone_add", decided.solution_id),
        {"date": ahead.isoformat(), "title": "Införande planerat"},
    )
    assert response.status_code == 302
    assert Milestone.objects.get().date == ahead


def test_pages_in_swedish_use_the_projects_words(need_owner: Any, challenge: Any) -> None:
    declined = submitted(challenge, title="Avböjd lösning")
    services.realization_decide(
        actor=need_owner, solution=declined, decision="decline", reason="För dyrt."
    )
    award(declined)
    procured = submitted(challenge, title="Upphandlad lösning")
    services.realization_decide(actor=need_owner, solution=procured, decision="procurement")
    award(procured)
    overview = html_of(Client().get("/sv/realization/"))
    assert "Förverkligande av prisbelönta lösningar" in overview
    assert "Avböjs" in overview and "Innovationsupphandling" in overview
    assert "Inget beslut ännu" in overview  # the counts table
    page = html_of(client_for(need_owner).get(f"/sv/realization/solutions/{declined.pk}/"))
    assert "Skäl" in page and "För dyrt." in page
    assert "Avböjs – Organisationen kommer inte att använda lösningen." in page
    assert "Vidareutveckling" in page
