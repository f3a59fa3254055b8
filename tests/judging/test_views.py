from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from hack365.core.models import AuditLogEntry
from hack365.judging import services
from hack365.judging.models import (
    Assignment,
    AssignmentStatus,
    ConflictDeclaration,
    Criterion,
    EvaluationRound,
    Juror,
    RoundStatus,
    Score,
)
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory

from .factories import open_round, submitted_solution

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def _client(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_organizer_runs_a_round_through_the_pages(
    django_capture_on_commit_callbacks: Any,
) -> None:
    organizer = OrganizerFactory()
    event = EventFactory(slug="var-hack")
    challenge = PublishedChallengeFactory(event=event)
    for _ in range(3):
        submitted_solution(challenge)
    client = _client(organizer)
    index = client.get(reverse("judging:index"))
    assert index.status_code == 200
    assert "There are no evaluation rounds yet." in index.content.decode()
    form = client.get(reverse("judging:round_create") + "?event=var-hack")
    assert form.status_code == 200
    now = timezone.now()
    response = client.post(
        reverse("judging:round_create"),
        {
            "event": str(event.pk),
            "title": "Vårens bedömning",
            "opens_at": _local(now - timedelta(hours=1)),
            "closes_at": _local(now + timedelta(days=5)),
            "jurors_per_solution": "2",
        },
    )
    round = EvaluationRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:round_detail", kwargs={"pk": round.pk})
    assert round.criteria.count() == 5

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Societal benefit" in html and "Add a criterion" in html

    response = client.post(
        reverse("judging:criterion_add", kwargs={"pk": round.pk}),
        {"name": "Tillgänglighet", "guidance": "WCAG", "weight": "0.5", "scale": "yes-no"},
        follow=True,
    )
    assert "“Tillgänglighet” is added." in _messages(response)
    added = Criterion.objects.get(name="Tillgänglighet")
    response = client.post(
        reverse("judging:criterion_edit", kwargs={"pk": added.pk}),
        {"name": "Tillgänglighet", "guidance": "WCAG 2.1 AA", "weight": "0", "scale": "yes-no"},
    )
    assert response.status_code == 200  # the weight must be positive
    added.refresh_from_db()
    assert added.guidance == "WCAG"
    client.post(
        reverse("judging:criterion_edit", kwargs={"pk": added.pk}),
        {"name": "Tillgänglighet", "guidance": "WCAG 2.1 AA", "weight": "2", "scale": "yes-no"},
    )
    added.refresh_from_db()
    assert added.guidance == "WCAG 2.1 AA"
    client.post(reverse("judging:criterion_delete", kwargs={"pk": added.pk}))
    assert not Criterion.objects.filter(pk=added.pk).exists()

    jurors = [UserFactory(username=f"jurymedlem{n}") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for user in jurors:
            response = client.post(
                reverse("judging:juror_add", kwargs={"pk": round.pk}),
                {"account": user.email},
                follow=True,
            )
            assert response.status_code == 200
    assert len(mail.outbox) == 3
    response = client.post(
        reverse("judging:juror_add", kwargs={"pk": round.pk}),
        {"account": "ingen-sadan"},
        follow=True,
    )
    assert any("There is no account" in m for m in _messages(response))
    assert round.jurors.count() == 3

    response = client.post(reverse("judging:round_open", kwargs={"pk": round.pk}), follow=True)
    assert "The round is open with 3 solutions." in " ".join(_messages(response))
    response = client.post(
        reverse("judging:assignments_auto", kwargs={"pk": round.pk}), follow=True
    )
    assert "6 assignments were added" in " ".join(_messages(response))
    assert Assignment.objects.count() == 6
    entry = round.entries.first()
    juror = Juror.objects.exclude(assignments__entry=entry).first()
    client.post(
        reverse("judging:assignment_add", kwargs={"pk": round.pk}),
        {"entry": str(entry.pk), "juror": str(juror.pk)},
    )
    assert Assignment.objects.count() == 7
    response = client.post(
        reverse("judging:assignment_add", kwargs={"pk": round.pk}),
        {"entry": str(entry.pk), "juror": str(juror.pk)},
        follow=True,
    )
    assert "already assigned" in " ".join(_messages(response))
    html = client.get(reverse("judging:round_detail", kwargs={"pk": round.pk})).content.decode()
    assert "0 of 7 assignments submitted" in html
    response = client.post(reverse("judging:round_close", kwargs={"pk": round.pk}), follow=True)
    assert "every score is locked" in " ".join(_messages(response))
    round.refresh_from_db()
    assert round.status == RoundStatus.CLOSED


def test_the_round_form_shows_errors() -> None:
    organizer = OrganizerFactory()
    now = timezone.now()
    response = _client(organizer).post(
        reverse("judging:round_create"),
        {
            "title": "",
            "opens_at": _local(now),
            "closes_at": _local(now - timedelta(days=1)),
            "jurors_per_solution": "0",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"title", "closes_at", "jurors_per_solution", "event"} <= set(form.errors)
    assert not EvaluationRound.objects.exists()


def test_only_organizers_reach_the_organizer_pages() -> None:
    round, organizer, users = open_round(solutions=1, jurors=1)
    juror = users[0]
    client = _client(juror)
    assert client.get(reverse("judging:index"))["Location"] == reverse("judging:mine")
    assert client.get(reverse("judging:round_create")).status_code == 403
    assert client.get(reverse("judging:round_detail", kwargs={"pk": round.pk})).status_code == 404
    response = client.post(reverse("judging:round_close", kwargs={"pk": round.pk}))
    assert response.status_code == 404
    round.refresh_from_db()
    assert round.status == RoundStatus.OPEN
    anonymous = Client().get(reverse("judging:mine"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def _scored_round() -> tuple[EvaluationRound, Assignment, Any, list[Criterion]]:
    round, organizer, users = open_round(solutions=2, jurors=2)
    assignment = services.assignment_add(
        actor=organizer, entry=round.entries.order_by("id")[0], juror=round.jurors.all()[0]
    )
    return round, assignment, assignment.juror.user, list(round.criteria.order_by("position"))


def test_a_juror_scores_saves_a_draft_and_submits() -> None:
    round, assignment, juror, criteria = _scored_round()
    client = _client(juror)
    mine = client.get(reverse("judging:mine"))
    assert mine.status_code == 200
    assert assignment.entry.solution.title in mine.content.decode()
    url = reverse("judging:assignment", kwargs={"pk": assignment.pk})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert criteria[0].guidance[:30] in html and "Save draft" in html
    response = client.post(
        url,
        {
            f"value_{criteria[0].pk}": "4",
            f"justification_{criteria[0].pk}": "Bra.",
            "action": "draft",
        },
        follow=True,
    )
    assert "Your scores are saved." in _messages(response)
    assert Score.objects.get().value == 4

    data = {"action": "submit"}
    for criterion in criteria:
        data[f"value_{criterion.pk}"] = "3"
        data[f"justification_{criterion.pk}"] = "Motiverat."
    data[f"justification_{criteria[2].pk}"] = "  "
    response = client.post(url, data)
    assert response.status_code == 200
    assert criteria[2].name in response.content.decode()
    assert f"justification_{criteria[2].pk}" in response.context["form"].errors
    data[f"justification_{criteria[2].pk}"] = "Nu motiverat."
    data[f"value_{criteria[1].pk}"] = "9"
    response = client.post(url, data)
    assert "the score must be from 1 to 5" in response.content.decode()
    data[f"value_{criteria[1].pk}"] = "5"
    response = client.post(url, data, follow=True)
    assert any("submitted" in m for m in _messages(response))
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.SUBMITTED
    assert Score.objects.filter(assignment=assignment).count() == len(criteria)
    assert "Save the changes" in client.get(url).content.decode()


def test_after_the_lock_the_form_is_gone_and_posts_are_refused(monkeypatch: Any) -> None:
    round, assignment, juror, criteria = _scored_round()
    EvaluationRound.objects.filter(pk=round.pk).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(seconds=1)
    )
    client = _client(juror)
    url = reverse("judging:assignment", kwargs={"pk": assignment.pk})
    html = client.get(url).content.decode()
    assert "Save draft" not in html and "locked" in html
    response = client.post(
        url, {f"value_{criteria[0].pk}": "4", f"justification_{criteria[0].pk}": "x"}
    )
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert not Score.objects.exists()


def test_a_juror_sees_only_their_own_assignments() -> None:
    round, assignment, juror, criteria = _scored_round()
    url = reverse("judging:assignment", kwargs={"pk": assignment.pk})
    other_juror = round.jurors.exclude(pk=assignment.juror_id).get().user
    for user in (other_juror, UserFactory(), OrganizerFactory()):
        assert _client(user).get(url).status_code == 404
        assert _client(user).post(url, {"action": "submit"}).status_code == 404
    mine = _client(other_juror).get(reverse("judging:mine")).content.decode()
    assert assignment.entry.solution.title not in mine


def test_a_declared_conflict_recuses_and_hides_the_solution() -> None:
    round, assignment, juror, criteria = _scored_round()
    client = _client(juror)
    url = reverse("judging:conflict", kwargs={"pk": assignment.pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "other", "explanation": ""})
    assert response.status_code == 200
    assert "explanation" in response.context["form"].errors
    response = client.post(url, {"reason": "knows_member", "explanation": "Min granne."})
    assert response.status_code == 302 and response["Location"] == reverse("judging:mine")
    assert ConflictDeclaration.objects.get().explanation == "Min granne."
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECUSED
    replacement = Assignment.objects.get(entry=assignment.entry, status=AssignmentStatus.ASSIGNED)
    assert replacement.juror != assignment.juror
    assert (
        client.get(reverse("judging:assignment", kwargs={"pk": assignment.pk})).status_code == 404
    )
    assert AuditLogEntry.objects.filter(action="judging.conflict.declared").exists()
    page = _client(OrganizerFactory()).get(reverse("judging:round_detail", kwargs={"pk": round.pk}))
    assert "Min granne." in page.content.decode()


# --- review findings --------------------------------------------------------------------


def summary_links_lead_to_fields(html: str) -> list[str]:
    """The targets of the error summary's links; each must be an element's
    id on the page (a radio group's first button, not "#")."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.ids: set[str] = set()
            self.links: list[str] = []
            self.depth = 0  # inside the error summary

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if found.get("id"):
                self.ids.add(str(found["id"]))
            if found.get("id") == "error-summary":
                self.depth = 1
            elif self.depth and tag == "div":
                self.depth += 1
            if self.depth and tag == "a":
                self.links.append(str(found.get("href") or ""))

        def handle_endtag(self, tag: str) -> None:
            if self.depth and tag == "div":
                self.depth -= 1

    page = Page()
    page.feed(html)
    assert page.links, "no error summary"
    for link in page.links:
        assert link.startswith("#") and len(link) > 1, f"{link!r} leads nowhere"
        assert link[1:] in page.ids, f"{link!r}: no such id on the page"
    return page.links


def test_the_error_summary_leads_into_radio_groups() -> None:
    round, assignment, juror, criteria = _scored_round()
    client = _client(juror)
    conflict = client.post(
        reverse("judging:conflict", kwargs={"pk": assignment.pk}), {"explanation": ""}
    )
    assert conflict.status_code == 200
    assert summary_links_lead_to_fields(conflict.content.decode()) == ["#id_reason_0"]
    score = client.post(
        reverse("judging:assignment", kwargs={"pk": assignment.pk}),
        {"action": "draft", f"value_{criteria[0].pk}": "x"},
    )
    assert score.status_code == 200
    links = summary_links_lead_to_fields(score.content.decode())
    assert f"#id_value_{criteria[0].pk}_0" in links
    assert not ConflictDeclaration.objects.exists() and not Score.objects.exists()


def test_a_conflict_without_a_free_juror_says_so() -> None:
    round, organizer, users = open_round(solutions=1, jurors=1)
    assignment = services.assignment_add(
        actor=organizer, entry=round.entries.get(), juror=round.jurors.get()
    )
    response = _client(users[0]).post(
        reverse("judging:conflict", kwargs={"pk": assignment.pk}),
        {"reason": "knows_member"},
        follow=True,
    )
    text = " ".join(_messages(response))
    assert "No other jury member is free to take it over" in text
    assert "it goes to another jury member" not in text
    page = _client(organizer).get(reverse("judging:round_detail", kwargs={"pk": round.pk}))
    html = page.content.decode()
    assert "Too few jury members: 0 of 3" in html
    assert "Add jury members and assign automatically again" in html
    assert "Has declared a conflict of interest" in html  # not removable


def test_the_closing_time_is_fixed_on_the_form_once_locked() -> None:
    round, organizer, _users = open_round(solutions=1, jurors=0)
    EvaluationRound.objects.filter(pk=round.pk).update(
        closes_at=timezone.now() - timedelta(minutes=5)
    )
    round.refresh_from_db()
    locked_at = round.closes_at
    client = _client(organizer)
    page = client.get(reverse("judging:round_detail", kwargs={"pk": round.pk})).content.decode()
    assert "nobody can join the jury or be assigned any more" in page
    assert reverse("judging:assignments_auto", kwargs={"pk": round.pk}) not in page
    assert reverse("judging:juror_add", kwargs={"pk": round.pk}) not in page
    url = reverse("judging:round_edit", kwargs={"pk": round.pk})
    assert "the closing time can no longer move" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Ny titel",
            "opens_at": _local(round.opens_at),
            "closes_at": _local(timezone.now() + timedelta(days=3)),  # ignored: disabled
            "jurors_per_solution": "3",
        },
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.title == "Ny titel" and round.closes_at == locked_at


@pytest.mark.parametrize("value", ["0001-01-01T00:30", "9999-12-31T23:59", "1999-12-31T23:59"])
def test_absurd_years_are_a_form_error_not_a_crash(value: str) -> None:
    organizer = OrganizerFactory()
    event = EventFactory()
    now = timezone.now()
    client = _client(organizer)
    for field, other in (("opens_at", "closes_at"), ("closes_at", "opens_at")):
        data = {
            "event": str(event.pk),
            "title": "Omgång",
            field: value,
            other: _local(now + timedelta(days=1)),
            "jurors_per_solution": "3",
        }
        response = client.post(reverse("judging:round_create"), data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors[field] == ["Please give a date in the years 2000 to 2100."]
    assert not EvaluationRound.objects.exists()
    round, organizer, _users = open_round(solutions=1, jurors=0, organizer=organizer)
    response = client.post(
        reverse("judging:round_edit", kwargs={"pk": round.pk}),
        {
            "title": "Omgång",
            "opens_at": _local(round.opens_at),
            "closes_at": value,
            "jurors_per_solution": "3",
        },
    )
    assert response.status_code == 200
    assert "Please give a date in the years 2000 to 2100." in response.content.decode()
    closes = round.closes_at
    round.refresh_from_db()
    assert round.closes_at == closes


@pytest.mark.parametrize("bad", ["var\x00hack", "var hack", "x" * 101, "%C3%28"])
def test_a_query_string_that_is_no_slug_counts_as_not_given(bad: str) -> None:
    """PostgreSQL refuses NUL bytes in a query (a server error before)."""
    from django.test import RequestFactory

    from hack365.judging.views import _slug_param

    assert _slug_param(RequestFactory().get("/", {"event": bad}), "event") == ""
    assert _slug_param(RequestFactory().get("/", {"event": "var-hack"}), "event") == "var-hack"
    organizer = OrganizerFactory()
    EventFactory(slug="var-hack")
    client = _client(organizer)
    for name in ("judging:index", "judging:round_create"):
        response = client.get(reverse(name), {"event": bad, "challenge": bad})
        assert response.status_code == 200
