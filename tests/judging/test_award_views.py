"""The results, awards, vote, winners and feedback pages through the test
client."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hack365.judging.models import (
    AssignmentStatus,
    Award,
    AwardCategory,
    AwardKind,
    RoundStatus,
    Scale,
    Vote,
)
from hack365.realization.models import FollowUp
from hack365.teams.models import TeamMembership
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import EventFactory
from tests.judging.factories import (
    AssignmentFactory,
    AwardCategoryFactory,
    AwardFactory,
    CriterionFactory,
    EntryFactory,
    EvaluationRoundFactory,
    JurorFactory,
    ScoreFactory,
    VoteFactory,
)

from .test_award_services import people_category, submitted_solution

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"judging_awards:{name}", kwargs=kwargs)


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def organizer() -> Any:
    return OrganizerFactory(username="arrangor")


@pytest.fixture
def event() -> Any:
    return EventFactory(slug="hack-for-sweden", name="Hack for Sweden 2026")


@pytest.fixture
def scored_round(event: Any) -> dict[str, Any]:
    """A closed round: three jurors (with names that must never reach a
    team), two solutions, two criteria; the third juror's assignment on S2 is
    a draft and a fourth juror recused (neither counts)."""
    round_ = EvaluationRoundFactory(event=event, status=RoundStatus.CLOSED, title="Omgång 1")
    benefit = CriterionFactory(round=round_, name="Samhällsnytta", scale=Scale.ONE_TO_FIVE)
    data = CriterionFactory(round=round_, name="Öppna data", scale=Scale.YES_NO)
    s1 = submitted_solution(event, title="Lösning Ett", team_name="Lag Ett")
    s2 = submitted_solution(event, title="Lösning Två", team_name="Lag Två")
    e1, e2 = EntryFactory(round=round_, solution=s1), EntryFactory(round=round_, solution=s2)
    jurors = [
        JurorFactory(
            round=round_,
            user=UserFactory(
                username=f"jurymedlem{n}", email=f"jury{n}@myndighet.se", profile=False
            ),
        )
        for n in range(4)
    ]
    for n, juror in enumerate(jurors[:3]):
        for entry, values in ((e1, (5 - n, 1)), (e2, (2, 0))):
            status = AssignmentStatus.SUBMITTED
            if n == 2 and entry is e2:
                status = AssignmentStatus.ASSIGNED
            assignment = AssignmentFactory(entry=entry, juror=juror, status=status)
            ScoreFactory(
                assignment=assignment,
                criterion=benefit,
                value=values[0],
                justification=f"Motivering {n} om nytta för {entry.solution.title}",
            )
            ScoreFactory(
                assignment=assignment,
                criterion=data,
                value=values[1],
                justification=f"Motivering {n} om data för {entry.solution.title}",
            )
    recused = AssignmentFactory(entry=e1, juror=jurors[3], status=AssignmentStatus.RECUSED)
    ScoreFactory(assignment=recused, criterion=benefit, value=1, justification="Jävig text")
    return {"round": round_, "e1": e1, "e2": e2, "jurors": jurors, "s1": s1, "s2": s2}


# --- results ----------------------------------------------------------------------------


def test_results_organizers_only(scored_round: dict[str, Any], organizer: Any) -> None:
    page = url("results", round_pk=scored_round["round"].pk)
    assert client_for(None).get(page).status_code == 302
    assert client_for(UserFactory()).get(page).status_code == 403
    assert client_for(organizer).get(url("results", round_pk=999999)).status_code == 404
    assert client_for(organizer).get(page).status_code == 200


def test_results_of_a_closed_round(scored_round: dict[str, Any], organizer: Any) -> None:
    html = client_for(organizer).get(url("results", round_pk=scored_round["round"].pk)).content
    text = html.decode()
    assert text.index("Lösning Ett") < text.index("Lösning Två")
    assert "normaliser" in text.lower()
    assert "z-" in text  # the method is explained
    # Two criteria, weight 1 each; benefit 1–5 and open data yes/no.
    # Juror 0: S1 = (1 + 1)/2 = 1, S2 = (.25 + 0)/2 = .125 → z +1, -1
    # Juror 1: S1 = (.75 + 1)/2 = .875, S2 = .125 → z +1, -1
    # Juror 2: S1 = (.5 + 1)/2 = .75; S2 is a draft → only one entry → 0
    # Normalised: S1 = (1 + 1 + 0)/3 = +0.67, S2 = (-1 - 1)/2 = -1.00
    # Weighted (0–100): S1 = (1 + .875 + .75)/3 = 87.5, S2 = 12.5
    assert "+0,67" in text and "\u22121,00" in text
    assert "87,5" in text and "12,5" in text
    assert "<td>3</td>" in text and "<td>2</td>" in text  # jury members per solution


def test_results_before_closing_show_progress_only(event: Any, organizer: Any) -> None:
    round_ = EvaluationRoundFactory(event=event, status=RoundStatus.OPEN)
    entry = EntryFactory(round=round_, solution=submitted_solution(event, title="Hemlig rang"))
    AssignmentFactory(entry=entry, status=AssignmentStatus.SUBMITTED)
    text = client_for(organizer).get(url("results", round_pk=round_.pk)).content.decode()
    assert "Hemlig rang" not in text
    assert "entry-" not in text


def test_results_show_ties(event: Any, organizer: Any) -> None:
    round_ = EvaluationRoundFactory(event=event, status=RoundStatus.CLOSED)
    criterion = CriterionFactory(round=round_)
    juror = JurorFactory(round=round_)
    for title in ("Lika A", "Lika B"):
        entry = EntryFactory(round=round_, solution=submitted_solution(event, title=title))
        ScoreFactory(
            assignment=AssignmentFactory(
                entry=entry, juror=juror, status=AssignmentStatus.SUBMITTED
            ),
            criterion=criterion,
            value=3,
        )
    client = client_for(organizer)
    text = client.get(url("results", round_pk=round_.pk)).content.decode()
    assert text.count("delad placering") == 2


def test_shortlist_and_release_through_the_page(
    scored_round: dict[str, Any], organizer: Any
) -> None:
    entry = scored_round["e1"]
    client = client_for(organizer)
    response = client.post(url("entry_shortlist", entry_pk=entry.pk), {"value": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{entry.pk}")
    entry.refresh_from_db()
    assert entry.shortlisted
    client.post(url("feedback_release", entry_pk=entry.pk), {"value": "1"})
    entry.refresh_from_db()
    assert entry.feedback_released_at is not None
    # A bad value changes nothing.
    client.post(url("entry_shortlist", entry_pk=entry.pk), {"value": "maybe"})
    entry.refresh_from_db()
    assert entry.shortlisted
    assert client.get(url("entry_shortlist", entry_pk=entry.pk)).status_code == 405
    assert (
        client_for(UserFactory()).post(url("entry_shortlist", entry_pk=entry.pk), {"value": "0"})
    ).status_code == 403


def test_shortlist_refused_while_the_round_is_open(event: Any, organizer: Any) -> None:
    entry = EntryFactory(round=EvaluationRoundFactory(event=event, status=RoundStatus.OPEN))
    response = client_for(organizer).post(
        url("entry_shortlist", entry_pk=entry.pk), {"value": "1"}, follow=True
    )
    assert "inte stängd" in response.content.decode() or "not closed" in response.content.decode()
    entry.refresh_from_db()
    assert not entry.shortlisted


# --- feedback ---------------------------------------------------------------------------


def _member(solution: Any) -> Any:
    return TeamMembership.objects.filter(team=solution.team).first().user  # type: ignore[union-attr]


def test_feedback_only_for_the_team(scored_round: dict[str, Any], organizer: Any) -> None:
    entry = scored_round["e1"]
    page = url("feedback", entry_pk=entry.pk)
    assert client_for(None).get(page).status_code == 302
    assert client_for(UserFactory()).get(page).status_code == 404
    other_team = _member(scored_round["s2"])
    assert client_for(other_team).get(page).status_code == 404
    assert client_for(scored_round["jurors"][0].user).get(page).status_code == 404
    assert client_for(_member(scored_round["s1"])).get(page).status_code == 200
    assert client_for(organizer).get(page).status_code == 200  # a preview
    assert client_for(organizer).get(url("feedback", entry_pk=999999)).status_code == 404


@pytest.mark.parametrize("status", [RoundStatus.DRAFT, RoundStatus.OPEN])
def test_no_feedback_preview_before_the_round_closes(
    scored_round: dict[str, Any], organizer: Any, status: str
) -> None:
    """Like the ranking: the scores are not final until the round closes."""
    round_ = scored_round["round"]
    type(round_).objects.filter(pk=round_.pk).update(status=status)
    page = url("feedback", entry_pk=scored_round["e1"].pk)
    assert client_for(organizer).get(page).status_code == 404
    member = client_for(_member(scored_round["s1"])).get(page)
    assert member.status_code == 200 and "Motivering" not in member.content.decode()


def test_feedback_before_release_says_so(scored_round: dict[str, Any]) -> None:
    entry = scored_round["e1"]
    text = client_for(_member(scored_round["s1"])).get(url("feedback", entry_pk=entry.pk))
    html = text.content.decode()
    assert "Motivering" not in html
    assert "Samhällsnytta" not in html


def test_released_feedback_without_any_juror_identity(
    scored_round: dict[str, Any], organizer: Any
) -> None:
    entry = scored_round["e1"]
    entry.feedback_released_at = timezone.now()
    entry.save()
    html = client_for(_member(scored_round["s1"])).get(url("feedback", entry_pk=entry.pk))
    text = html.content.decode()
    assert "Samhällsnytta" in text and "Öppna data" in text
    for n in range(3):
        assert f"Motivering {n} om nytta för Lösning Ett" in text
    assert "Jävig text" not in text  # the recused juror's score never counts
    assert "Lösning Två</" not in text and "om nytta för Lösning Två" not in text
    # benefit 5, 4, 3 → mean 4,0; yes/no all yes → 100 %
    assert "4,0" in text
    assert "100,0" in text
    for juror in scored_round["jurors"]:
        user = juror.user
        for secret in (user.username, user.email, user.email.split("@")[0]):
            assert secret not in text
        assert f"juror-{juror.pk}" not in text
    # Justifications in text order, not juror order.
    first, second, third = (
        text.index(f"Motivering {n} om nytta för Lösning Ett") for n in range(3)
    )
    assert first < second < third


# --- award categories and awards --------------------------------------------------------


def test_category_pages_organizers_only(event: Any, organizer: Any) -> None:
    category = AwardCategoryFactory(event=event)
    for page in (
        url("event_categories", slug=event.slug),
        url("category", category_pk=category.pk),
        url("category_edit", category_pk=category.pk),
    ):
        assert client_for(None).get(page).status_code == 302
        assert client_for(UserFactory()).get(page).status_code == 403
        assert client_for(organizer).get(page).status_code == 200
    assert client_for(organizer).get(url("event_categories", slug="nope")).status_code == 404
    assert client_for(organizer).get(url("category", category_pk=999999)).status_code == 404


def test_create_a_category_with_errors_on_the_form(event: Any, organizer: Any) -> None:
    client = client_for(organizer)
    response = client.post(
        url("event_categories", slug=event.slug),
        {"name": "Publikens pris", "kind": AwardKind.PEOPLE},
    )
    assert response.status_code == 200
    assert 'id="id_voting_opens_error"' in response.content.decode()
    assert not AwardCategory.objects.exists()
    response = client.post(
        url("event_categories", slug=event.slug),
        {
            "name": "Publikens pris",
            "kind": AwardKind.PEOPLE,
            "voting_opens": "2026-03-01T10:00",
            "voting_closes": "2026-03-08T10:00",
        },
    )
    category = AwardCategory.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("category", category_pk=category.pk)
    assert timezone.localtime(category.voting_opens).hour == 10  # Swedish time


def test_the_error_summary_leads_into_the_kind_radio_group(event: Any, organizer: Any) -> None:
    from .test_views import summary_links_lead_to_fields

    response = client_for(organizer).post(
        url("event_categories", slug=event.slug), {"name": "Ett pris"}
    )
    assert response.status_code == 200
    assert summary_links_lead_to_fields(response.content.decode()) == ["#id_kind_0"]
    assert not AwardCategory.objects.exists()


@pytest.mark.parametrize("value", ["0001-01-01T00:30", "9999-12-31T23:59"])
def test_absurd_voting_years_are_a_form_error_not_a_crash(
    event: Any, organizer: Any, value: str
) -> None:
    client = client_for(organizer)
    for field, other in (("voting_opens", "voting_closes"), ("voting_closes", "voting_opens")):
        response = client.post(
            url("event_categories", slug=event.slug),
            {
                "name": "Publikens pris",
                "kind": AwardKind.PEOPLE,
                field: value,
                other: "2026-03-01T10:00",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors[field] == ["Ange ett datum mellan år 2000 och 2100."]
    assert not AwardCategory.objects.exists()
    category = people_category(event)
    response = client.post(
        url("category_edit", category_pk=category.pk),
        {
            "name": category.name,
            "kind": AwardKind.PEOPLE,
            "voting_opens": "2026-03-01T10:00",
            "voting_closes": value,
        },
    )
    assert response.status_code == 200
    assert "Ange ett datum mellan år 2000 och 2100." in response.content.decode()
    closes = category.voting_closes
    category.refresh_from_db()
    assert category.voting_closes == closes


def test_the_voting_times_are_fixed_on_the_form_once_people_have_voted(
    event: Any, organizer: Any
) -> None:
    category = people_category(event)
    VoteFactory(category=category, solution=submitted_solution(event))
    opens, closes = category.voting_opens, category.voting_closes
    client = client_for(organizer)
    page = url("category_edit", category_pk=category.pk)
    assert (
        "Låst: kategorin är publicerad eller någon har röstat." in client.get(page).content.decode()
    )
    response = client.post(
        page,
        {
            "name": "Nytt namn",
            "kind": AwardKind.PEOPLE,
            "voting_opens": "2026-01-01T10:00",  # ignored: disabled
            "voting_closes": "2099-01-01T10:00",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Nytt namn"
    assert (category.voting_opens, category.voting_closes) == (opens, closes)


def test_default_categories_button(event: Any, organizer: Any) -> None:
    client = client_for(organizer)
    client.post(url("event_default_categories", slug=event.slug))
    assert AwardCategory.objects.filter(event=event).count() == 3
    client.post(url("event_default_categories", slug=event.slug))
    assert AwardCategory.objects.filter(event=event).count() == 3


def test_give_publish_and_revoke_through_the_pages(event: Any, organizer: Any) -> None:
    category = AwardCategoryFactory(event=event, name="Hack for Sweden Award")
    winner = submitted_solution(event, title="Vinnaren", team_name="Lag Vinst")
    client = client_for(organizer)
    page = client.get(url("category", category_pk=category.pk)).content.decode()
    assert "Vinnaren" in page
    response = client.post(
        url("award_give", category_pk=category.pk),
        {"solution": str(winner.pk), "place": "1", "citation": "Stor nytta."},
    )
    assert response.status_code == 302
    award = Award.objects.get()
    # Not public before publishing.
    assert (
        "Vinnaren"
        not in client_for(None).get(url("event_winners", slug=event.slug)).content.decode()
    )
    client.post(url("category_publish", category_pk=category.pk))
    category.refresh_from_db()
    assert category.published_at is not None
    assert FollowUp.objects.filter(solution=winner).count() == 2
    winners = client_for(None).get(url("event_winners", slug=event.slug)).content.decode()
    assert "Vinnaren" in winners and "Lag Vinst" in winners and "Stor nytta." in winners
    assert winner.get_absolute_url() in winners
    client.post(url("award_revoke", award_pk=award.pk))
    assert not Award.objects.exists()


def test_give_with_bad_input_changes_nothing(event: Any, organizer: Any) -> None:
    category = AwardCategoryFactory(event=event)
    elsewhere = submitted_solution(EventFactory())
    client = client_for(organizer)
    for data in (
        {"solution": str(elsewhere.pk), "place": "1"},
        {"solution": "abc", "place": "1"},
        {"solution": "", "place": "0"},
    ):
        response = client.post(url("award_give", category_pk=category.pk), data, follow=True)
        assert response.status_code == 200
        assert 'class="message message-error"' in response.content.decode() or "error" in (
            response.content.decode()
        )
    assert not Award.objects.exists()


def test_delete_a_category(event: Any, organizer: Any) -> None:
    category = AwardCategoryFactory(event=event)
    response = client_for(organizer).post(url("category_delete", category_pk=category.pk))
    assert response["Location"] == url("event_categories", slug=event.slug)
    assert not AwardCategory.objects.exists()


def test_edit_a_category(event: Any, organizer: Any) -> None:
    category = AwardCategoryFactory(event=event, name="Före")
    client = client_for(organizer)
    response = client.post(
        url("category_edit", category_pk=category.pk), {"name": "Efter", "kind": AwardKind.JURY}
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Efter"


# --- winners ----------------------------------------------------------------------------


def test_winners_page_unknown_event_and_empty_state(event: Any) -> None:
    assert client_for(None).get(url("event_winners", slug="finns-inte")).status_code == 404
    response = client_for(None).get(url("event_winners", slug=event.slug))
    assert response.status_code == 200
    assert reverse("judging_awards:event_winners", kwargs={"slug": event.slug}) == (
        "/sv/events/hack-for-sweden/winners/"
    )
    AwardFactory(category=AwardCategoryFactory(event=event, name="Opublicerat pris"))
    text = client_for(None).get(url("event_winners", slug=event.slug)).content.decode()
    assert "Opublicerat pris" not in text


def test_winners_page_orders_by_place(event: Any) -> None:
    category = AwardCategoryFactory(event=event, published_at=timezone.now(), name="Priset")
    AwardFactory(category=category, solution=submitted_solution(event, title="Tvåan"), place=2)
    AwardFactory(category=category, solution=submitted_solution(event, title="Ettan"), place=1)
    text = client_for(None).get(url("event_winners", slug=event.slug)).content.decode()
    assert text.index("Ettan") < text.index("Tvåan")


def test_challenge_winners_page(organizer: Any) -> None:
    solution = submitted_solution(None)
    challenge = solution.challenge
    category = AwardCategoryFactory(event=None, challenge=challenge, published_at=timezone.now())
    AwardFactory(category=category, solution=solution)
    text = client_for(None).get(url("challenge_winners", slug=challenge.slug)).content.decode()
    assert solution.title in text


def test_solution_awards_tag_shows_published_awards_only(event: Any) -> None:
    solution = submitted_solution(event)
    AwardFactory(category=AwardCategoryFactory(event=event, name="Hemligt pris"), solution=solution)
    AwardFactory(
        category=AwardCategoryFactory(
            event=event, name="Publicerat pris", published_at=timezone.now()
        ),
        solution=solution,
    )
    html = Template("{% load awards %}{% solution_awards solution %}").render(
        Context({"solution": solution})
    )
    assert "Publicerat pris" in html and "Hemligt pris" not in html
    assert url("event_winners", slug=event.slug) in html
    empty = Template("{% load awards %}{% solution_awards solution %}").render(
        Context({"solution": submitted_solution(event)})
    )
    assert empty.strip() == ""


# --- the vote ---------------------------------------------------------------------------


def test_vote_page_and_casting(event: Any) -> None:
    category = people_category(event)
    solution = submitted_solution(event, title="Favoriten")
    page = url("vote", category_pk=category.pk)
    anonymous = client_for(None).get(page).content.decode()
    assert "Favoriten" in anonymous
    assert "/accounts/login/" in anonymous
    voter = UserFactory()
    client = client_for(voter)
    html = client.get(page).content.decode()
    assert url("vote_cast", category_pk=category.pk) in html
    VoteFactory(category=category, solution=solution)
    html = client.get(page).content.decode()
    assert "1 röst" not in html and "1 vote" not in html  # counts hidden while open
    response = client.post(url("vote_cast", category_pk=category.pk), {"solution": solution.pk})
    assert response.status_code == 302
    assert Vote.objects.filter(user=voter, solution=solution).exists()
    client.post(url("vote_withdraw", category_pk=category.pk))
    assert not Vote.objects.filter(user=voter).exists()


def test_unverified_accounts_cannot_vote(event: Any) -> None:
    category = people_category(event)
    solution = submitted_solution(event)
    client = client_for(UserFactory(verified=False))
    html = client.get(url("vote", category_pk=category.pk)).content.decode()
    assert url("vote_cast", category_pk=category.pk) not in html
    response = client.post(url("vote_cast", category_pk=category.pk), {"solution": solution.pk})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_bad_vote_input(event: Any) -> None:
    category = people_category(event)
    client = client_for(UserFactory())
    for data in ({}, {"solution": "x"}, {"solution": "999999"}):
        response = client.post(url("vote_cast", category_pk=category.pk), data, follow=True)
        assert response.status_code == 200
    assert not Vote.objects.exists()


def test_counts_after_closing_and_top_voted_award(event: Any, organizer: Any) -> None:
    category = people_category(event, state="closed")
    favourite = submitted_solution(event, title="Favoriten")
    for _ in range(3):
        VoteFactory(category=category, solution=favourite)
    # closed but not published: the counts are for the organizers only
    page = url("vote", category_pk=category.pk)
    for viewer in (None, UserFactory()):
        html = client_for(viewer).get(page).content.decode()
        assert "3 röster" not in html and "3 votes" not in html
    html = client_for(organizer).get(page).content.decode()
    assert "3 röster" in html or "3 votes" in html
    client_for(organizer).post(url("award_give_top_voted", category_pk=category.pk))
    assert Award.objects.get().solution == favourite
    client_for(organizer).post(url("category_publish", category_pk=category.pk))
    category.refresh_from_db()
    assert category.published_at is not None
    html = client_for(None).get(page).content.decode()
    assert "3 röster" in html or "3 votes" in html


def test_nobody_follows_the_count_while_people_vote(event: Any, organizer: Any) -> None:
    category = people_category(event)
    favourite = submitted_solution(event, title="Favoriten")
    for _ in range(2):
        VoteFactory(category=category, solution=favourite)
    for page in (url("vote", category_pk=category.pk), url("category", category_pk=category.pk)):
        html = client_for(organizer).get(page).content.decode()
        assert "2 röster" not in html and "2 votes" not in html, page
    html = client_for(organizer).get(url("category", category_pk=category.pk)).content.decode()
    assert "Ingen ser antalet röster medan omröstningen pågår" in html


def test_vote_page_404s(event: Any) -> None:
    jury = AwardCategoryFactory(event=event)
    assert client_for(None).get(url("vote", category_pk=jury.pk)).status_code == 404
    assert client_for(None).get(url("vote", category_pk=999999)).status_code == 404


def test_vote_link_on_the_winners_page_while_open(event: Any) -> None:
    category = people_category(event, name="Publikens val")
    text = client_for(None).get(url("event_winners", slug=event.slug)).content.decode()
    assert url("vote", category_pk=category.pk) in text
    closed = people_category(event, state="closed", name="Stängd")
    text = client_for(None).get(url("event_winners", slug=event.slug)).content.decode()
    assert url("vote", category_pk=closed.pk) not in text


def test_event_page_links_to_the_winners(event: Any) -> None:
    text = client_for(None).get(event.get_absolute_url()).content.decode()
    assert url("event_winners", slug=event.slug) in text


def test_solution_feedback_tag_for_the_team_only(scored_round: dict[str, Any]) -> None:
    entry = scored_round["e1"]
    template = Template("{% load awards %}{% solution_feedback solution %}")
    member = _member(scored_round["s1"])

    def render(user: Any) -> str:
        return template.render(Context({"solution": scored_round["s1"], "user": user}))

    assert render(member).strip() == ""  # not released yet
    entry.feedback_released_at = timezone.now()
    entry.save()
    assert url("feedback", entry_pk=entry.pk) in render(member)
    for outsider in (UserFactory(), scored_round["jurors"][0].user):
        assert render(outsider).strip() == ""
