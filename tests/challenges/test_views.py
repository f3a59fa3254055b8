"""Challenge and event pages: a permission matrix per role, bad input,
query counts on list pages and the htmx partial."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hack365.challenges.models import Challenge, ChallengeStatus, Event, Question
from hack365.core.models import AuditLogEntry
from hack365.organizations.models import Organization
from tests.challenges.conftest import ROLES
from tests.challenges.factories import (
    ChallengeFactory,
    EventFactory,
    QuestionFactory,
    make_public_challenges,
)
from tests.organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db

S = ChallengeStatus
LOGIN = "login"  # anonymous: redirected to the login page


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def assert_status(response: Any, expected: int | str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, response.status_code
        assert "/accounts/login/" in response["Location"]
        return
    assert response.status_code == expected, (response.status_code, expected)
    if expected in (200, 403, 404):
        html = response.content.decode()
        assert h1_count(html) == 1, "exactly one <h1>"
        assert "<title>" in html


# --- pages (GET) -------------------------------------------------------------------

# role order: anonymous, participant, need_owner, other_need_owner, organizer
GET_MATRIX: dict[str, tuple[Any, ...]] = {
    "home": (200, 200, 200, 200, 200),
    "list": (200, 200, 200, 200, 200),
    "detail_published": (200, 200, 200, 200, 200),
    "detail_draft": (404, 404, 200, 404, 200),
    "detail_in_review": (404, 404, 200, 404, 200),
    "create": (LOGIN, 403, 200, 200, 200),
    "edit_draft": (LOGIN, 404, 200, 404, 200),
    "edit_in_review": (LOGIN, 404, 403, 404, 200),
    "edit_published": (LOGIN, 403, 403, 403, 200),
    "edit_closed": (LOGIN, 403, 403, 403, 403),
    "request_changes": (LOGIN, 404, 403, 404, 200),
    "answer": (LOGIN, 403, 200, 403, 200),
    "answer_hidden": (LOGIN, 404, 404, 404, 200),
    "mine": (LOGIN, 200, 200, 200, 200),
    "review_queue": (LOGIN, 403, 403, 403, 200),
    "event_list": (200, 200, 200, 200, 200),
    "event_detail": (200, 200, 200, 200, 200),
    "event_create": (LOGIN, 403, 403, 403, 200),
    "event_edit": (LOGIN, 403, 403, 403, 200),
}


@pytest.fixture
def world(make_challenge: Any) -> dict[str, Any]:
    published = make_challenge(S.PUBLISHED, slug="open-one")
    return {
        "published": published,
        "draft": make_challenge(S.DRAFT, slug="draft-one"),
        "in_review": make_challenge(S.IN_REVIEW, slug="review-one"),
        "closed": make_challenge(S.CLOSED, slug="closed-one"),
        "question": QuestionFactory(challenge=published),
        "hidden": QuestionFactory(challenge=published, is_hidden=True, hidden_reason="Spam"),
        "event": EventFactory(slug="hfs"),
    }


def page_url(page: str, world: dict[str, Any]) -> str:
    if page.startswith("detail_"):
        return reverse("challenges:detail", args=[world[page[7:]].slug])
    if page.startswith("edit_"):
        return reverse("challenges:edit", args=[world[page[5:]].slug])
    return {
        "home": reverse("home"),
        "list": reverse("challenges:list"),
        "create": reverse("challenges:create"),
        "request_changes": reverse("challenges:request_changes", args=["review-one"]),
        "answer": reverse("challenges:answer", args=[world["question"].pk]),
        "answer_hidden": reverse("challenges:answer", args=[world["hidden"].pk]),
        "mine": reverse("challenges:mine"),
        "review_queue": reverse("challenges:review_queue"),
        "event_list": reverse("challenges:event_list"),
        "event_detail": reverse("challenges:event_detail", args=["hfs"]),
        "event_create": reverse("challenges:event_create"),
        "event_edit": reverse("challenges:event_edit", args=["hfs"]),
    }[page]


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("page", list(GET_MATRIX))
def test_get_matrix(page: str, role_index: int, world: Any, client_for: Any) -> None:
    client = client_for(ROLES[role_index])
    response = client.get(page_url(page, world))
    assert_status(response, GET_MATRIX[page][role_index])


def test_urls_are_stable() -> None:
    assert reverse("home") == "/sv/"
    assert reverse("challenges:list") == "/sv/challenges/"
    assert reverse("challenges:detail", args=["x"]) == "/sv/challenges/x/"
    assert reverse("challenges:event_detail", args=["x"]) == "/sv/events/x/"
    assert reverse("challenges:mine") == "/sv/my/challenges/"
    assert reverse("challenges:review_queue") == "/sv/review/"


# --- actions (POST) ----------------------------------------------------------------

# (url name, start state, form data, expected per role, state after success)
ACTIONS: dict[str, tuple[str, str, dict[str, str], tuple[Any, ...], str]] = {
    "submit": ("submit", S.DRAFT, {}, (LOGIN, 404, 302, 404, 302), S.IN_REVIEW),
    "publish": ("publish", S.IN_REVIEW, {}, (LOGIN, 404, 403, 404, 302), S.PUBLISHED),
    "close": ("close", S.PUBLISHED, {}, (LOGIN, 403, 302, 403, 302), S.CLOSED),
    "archive": ("archive", S.CLOSED, {}, (LOGIN, 403, 403, 403, 302), S.ARCHIVED),
    "request_changes": (
        "request_changes",
        S.IN_REVIEW,
        {"comment": "Beskriv datan."},
        (LOGIN, 404, 403, 404, 302),
        S.CHANGES_REQUESTED,
    ),
}


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_transition_actions(
    action: str, role_index: int, make_challenge: Any, client_for: Any
) -> None:
    name, start, data, expected, after = ACTIONS[action]
    challenge = make_challenge(start)
    response = client_for(ROLES[role_index]).post(
        reverse(f"challenges:{name}", args=[challenge.slug]), data
    )
    assert_status(response, expected[role_index])
    challenge.refresh_from_db()
    if expected[role_index] == 302:
        assert response["Location"] == challenge.get_absolute_url()
        assert challenge.status == after
        assert AuditLogEntry.objects.filter(object_id=str(challenge.pk)).count() == 1
    else:
        assert challenge.status == start
        assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize("name", ["submit", "publish", "close", "archive"])
def test_transitions_are_post_only(name: str, organizer: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT)
    client = Client()
    client.force_login(organizer)
    assert client.get(reverse(f"challenges:{name}", args=[challenge.slug])).status_code == 405


def test_illegal_transition_becomes_a_message(organizer: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT)
    client = Client()
    client.force_login(organizer)
    response = client.post(reverse("challenges:publish", args=[challenge.slug]), follow=True)
    assert response.status_code == 200
    assert 'class="message message-error"' in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.status == S.DRAFT


def test_success_message_in_the_users_language(need_owner: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT)
    client = Client()
    client.force_login(need_owner)
    response = client.post(reverse("challenges:submit", args=[challenge.slug]), follow=True)
    assert "Utmaningen har skickats för granskning" in response.content.decode()
    challenge = make_challenge(S.DRAFT)
    url = f"/en{reverse('challenges:submit', args=[challenge.slug])[3:]}"
    response = client.post(url, follow=True)
    assert "The challenge was submitted for review" in response.content.decode()


QUESTION_ACTIONS: dict[str, tuple[str, dict[str, str], tuple[Any, ...]]] = {
    # name, data, expected per role
    "answer": ("answer", {"answer": "Ja, per kommun."}, (LOGIN, 403, 302, 403, 302)),
    "hide": ("hide_question", {"reason": "Reklam"}, (LOGIN, 403, 403, 403, 302)),
    "unhide": ("unhide_question", {"reason": ""}, (LOGIN, 404, 404, 404, 302)),
}


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
@pytest.mark.parametrize("action", list(QUESTION_ACTIONS))
def test_question_actions(
    action: str, role_index: int, make_challenge: Any, client_for: Any
) -> None:
    name, data, expected = QUESTION_ACTIONS[action]
    question = QuestionFactory(challenge=make_challenge(S.PUBLISHED), is_hidden=action == "unhide")
    before = (question.answer, question.is_hidden)
    response = client_for(ROLES[role_index]).post(
        reverse(f"challenges:{name}", args=[question.pk]), data
    )
    assert_status(response, expected[role_index])
    question.refresh_from_db()
    if expected[role_index] == 302:
        assert response["Location"].endswith(f"#question-{question.pk}")
        assert (question.answer, question.is_hidden) != before
    else:
        assert (question.answer, question.is_hidden) == before
        assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_ask(role_index: int, make_challenge: Any, client_for: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    response = client_for(ROLES[role_index]).post(
        reverse("challenges:ask", args=[challenge.slug]), {"body": "Finns det data per län?"}
    )
    if ROLES[role_index] == "anonymous":
        assert_status(response, LOGIN)
        assert not Question.objects.exists()
    else:
        assert response.status_code == 302
        question = Question.objects.get()
        assert response["Location"].endswith(f"#question-{question.pk}")


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_create_post(role_index: int, client_for: Any, organization: Organization) -> None:
    expected = (LOGIN, 403, 302, 200, 302)[role_index]
    response = client_for(ROLES[role_index]).post(
        reverse("challenges:create"), challenge_form(organization)
    )
    assert_status(response, expected)
    if expected == 302:
        challenge = Challenge.objects.get()
        assert response["Location"] == challenge.get_absolute_url()
        assert challenge.status == S.DRAFT
        assert challenge.slug == "battre-data-om-skolvagar"
        assert [t.code for t in challenge.themes.all()] == ["EDUC", "TRAN"]
    else:
        # other_need_owner may not choose this organisation: a form error.
        assert not Challenge.objects.exists()
        if expected == 200:
            assert "error-summary" in response.content.decode()


@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_event_create_post(role_index: int, client_for: Any) -> None:
    expected = (LOGIN, 403, 403, 403, 302)[role_index]
    response = client_for(ROLES[role_index]).post(reverse("challenges:event_create"), event_form())
    assert_status(response, expected)
    assert Event.objects.count() == (1 if expected == 302 else 0)


def test_edit_post(need_owner: Any, make_challenge: Any, organization: Organization) -> None:
    challenge = make_challenge(S.CHANGES_REQUESTED)
    client = Client()
    client.force_login(need_owner)
    data = challenge_form(organization, title="Ny titel")
    response = client.post(reverse("challenges:edit", args=[challenge.slug]), data)
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Ny titel"
    assert challenge.status == S.CHANGES_REQUESTED


def test_event_edit_post(organizer: Any) -> None:
    event = EventFactory(slug="hfs")
    client = Client()
    client.force_login(organizer)
    response = client.post(
        reverse("challenges:event_edit", args=["hfs"]), event_form(name="Nytt namn")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.name == "Nytt namn"
    assert event.slug == "hfs"


# --- bad input -----------------------------------------------------------------------


def challenge_form(organization: Organization, **overrides: str) -> dict[str, Any]:
    from hack365.core.models import DataTheme

    data: dict[str, Any] = {
        "title": "Bättre data om skolvägar",
        "summary": "Säkrare vägar till skolan.",
        "problem": "Barn går längs **stora vägar**.",
        "expected_benefit": "Färre olyckor.",
        "target_group": "Elever",
        "themes": [t.code for t in DataTheme.objects.filter(code__in=["EDUC", "TRAN"])],
        "level": "local",
        "owner": str(organization.pk),
        "event": "",
        "deadline": "",
    }
    data.update(overrides)
    return data


def event_form(**overrides: str) -> dict[str, str]:
    start = timezone.localtime(timezone.now() + timedelta(days=30))

    def at(days: int) -> str:
        return (start + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")

    data = {
        "name": "Hack for Sweden 2027",
        "kind": "annual",
        "description": "",
        "location": "Stockholm",
        "registration_opens": at(-20),
        "hacking_starts": at(0),
        "submission_deadline": at(2),
        "evaluation_ends": at(10),
        "results_at": at(12),
        "max_team_size": "6",
    }
    data.update(overrides)
    return data


@pytest.fixture
def need_owner_client(need_owner: Any) -> Client:
    client = Client()
    client.force_login(need_owner)
    return client


@pytest.fixture
def organizer_client(organizer: Any) -> Client:
    client = Client()
    client.force_login(organizer)
    return client


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "x" * 201},
        {"title": ""},
        {"summary": "x" * 401},
        {"level": "<script>"},
        {"owner": "999999"},
        {"owner": "abc"},
        {"themes": ["ZZZZ"]},
        {"deadline": "not a date"},
        {"deadline": "2001-01-01T10:00"},
        {"event": "999999"},
    ],
)
def test_create_with_bad_input(
    overrides: dict[str, Any], need_owner_client: Client, organization: Organization
) -> None:
    response = need_owner_client.post(
        reverse("challenges:create"), challenge_form(organization, **overrides)
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Challenge.objects.exists()


def test_create_with_deadline_and_event(
    need_owner_client: Client, organization: Organization
) -> None:
    event = EventFactory()
    response = need_owner_client.post(
        reverse("challenges:create"),
        challenge_form(
            organization,
            event=str(event.pk),
            deadline=(timezone.now() + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 200
    assert "submission deadline" in response.content.decode() or "inlämning" in (
        response.content.decode()
    )
    assert not Challenge.objects.exists()


def test_edit_with_bad_input_changes_nothing(
    need_owner_client: Client, make_challenge: Any, organization: Organization
) -> None:
    challenge = make_challenge(S.DRAFT, title="Original")
    response = need_owner_client.post(
        reverse("challenges:edit", args=[challenge.slug]),
        challenge_form(organization, title="x" * 201),
    )
    assert response.status_code == 200
    challenge.refresh_from_db()
    assert challenge.title == "Original"
    assert not AuditLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hacking_starts", -30, "Hackandet kan inte börja innan anmälan öppnar."),
        ("submission_deadline", -1, "Sista dag för inlämning måste vara efter att hackandet"),
        ("results_at", 5, "Resultaten kan inte publiceras innan utvärderingen är slut."),
    ],
)
def test_event_dates_out_of_order(
    organizer_client: Client, field: str, value: int, message: str
) -> None:
    start = timezone.localtime(timezone.now() + timedelta(days=30))
    bad = (start + timedelta(days=value)).strftime("%Y-%m-%dT%H:%M")
    response = organizer_client.post(reverse("challenges:event_create"), event_form(**{field: bad}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert not Event.objects.exists()


def test_event_with_bad_dates_and_numbers(organizer_client: Client) -> None:
    response = organizer_client.post(
        reverse("challenges:event_create"),
        event_form(hacking_starts="yesterday", max_team_size="-3", kind="party", name="x" * 201),
    )
    assert response.status_code == 200
    assert not Event.objects.exists()


def test_ask_with_bad_input(participant: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    client = Client()
    client.force_login(participant)
    for body in ["", "x" * 3001]:
        response = client.post(reverse("challenges:ask", args=[challenge.slug]), {"body": body})
        assert response.status_code == 200
        assert "error-summary" in response.content.decode()
    assert not Question.objects.exists()


def test_ask_rate_limit_is_a_message(participant: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    client = Client()
    client.force_login(participant)
    url = reverse("challenges:ask", args=[challenge.slug])
    for i in range(10):
        assert client.post(url, {"body": f"Fråga {i}"}).status_code == 302
    response = client.post(url, {"body": "En fråga till"}, follow=True)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert Question.objects.count() == 10


def test_hide_without_reason(organizer_client: Client, make_challenge: Any) -> None:
    question = QuestionFactory(challenge=make_challenge(S.PUBLISHED))
    response = organizer_client.post(
        reverse("challenges:hide_question", args=[question.pk]), {"reason": ""}, follow=True
    )
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    question.refresh_from_db()
    assert not question.is_hidden


def test_request_changes_without_comment(organizer_client: Client, make_challenge: Any) -> None:
    challenge = make_challenge(S.IN_REVIEW)
    url = reverse("challenges:request_changes", args=[challenge.slug])
    for comment in ["", "x" * 5001]:
        response = organizer_client.post(url, {"comment": comment})
        assert response.status_code == 200
    challenge.refresh_from_db()
    assert challenge.status == S.IN_REVIEW


def test_request_changes_page_for_a_challenge_not_in_review(
    organizer_client: Client, make_challenge: Any
) -> None:
    challenge = make_challenge(S.DRAFT)
    response = organizer_client.get(reverse("challenges:request_changes", args=[challenge.slug]))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.status == S.DRAFT


@pytest.mark.parametrize(
    "url",
    [
        "/sv/challenges/no-such-challenge/",
        "/sv/challenges/no-such-challenge/edit/",
        "/sv/challenges/no-such-challenge/request-changes/",
        "/sv/questions/999999/answer/",
        "/sv/events/no-such-event/",
        "/sv/events/no-such-event/edit/",
        "/sv/challenges/%C3%A5%C3%A4%C3%B6/",
    ],
)
def test_unknown_things_are_404(url: str, organizer_client: Client) -> None:
    response = organizer_client.get(url)
    assert_status(response, 404)


@pytest.mark.parametrize(
    "url",
    [
        "/sv/challenges/no-such-challenge/submit/",
        "/sv/challenges/no-such-challenge/publish/",
        "/sv/challenges/no-such-challenge/questions/",
        "/sv/questions/999999/hide/",
        "/sv/questions/999999/unhide/",
    ],
)
def test_unknown_things_are_404_on_post(url: str, organizer_client: Client) -> None:
    assert organizer_client.post(url, {"body": "x", "reason": "x"}).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?theme=ZZZ&page=abc&level=<script>alert(1)</script>",
        "?page=999999",
        "?page=-1",
        "?status=draft",
        "?county=99&organisation=../../etc&event=%00",
        "?q=" + "å" * 500,
        "?theme=EDUC&theme=ZZZ&q=%25%25_",
    ],
)
def test_garbage_filters_never_fail(query: str, client: Client, make_challenge: Any) -> None:
    make_challenge(S.PUBLISHED)
    make_challenge(S.DRAFT, title="Hemligt utkast")
    response = client.get(reverse("challenges:list") + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "Hemligt utkast" not in html


def test_invalid_filter_is_shown_and_ignored(client: Client, make_challenge: Any) -> None:
    make_challenge(S.PUBLISHED, title="Öppen utmaning")
    response = client.get(reverse("challenges:list") + "?level=galactic")
    html = response.content.decode()
    assert 'id="id_level_error"' in html
    assert "Öppen utmaning" in html


# --- content ----------------------------------------------------------------------


def test_list_filters_and_search(client: Client, make_challenge: Any) -> None:
    make_challenge(S.PUBLISHED, title="Skolan i Åre", slug="skolan")
    make_challenge(S.PUBLISHED, title="Vården i Kiruna", slug="varden")
    response = client.get(reverse("challenges:list"), {"q": "åre"})
    html = response.content.decode()
    assert "Skolan i Åre" in html
    assert "Vården i Kiruna" not in html
    assert "1 utmaning" in html


def test_card_shows_the_facts(client: Client, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED, title="Skolan", deadline=None)
    html = client.get(reverse("challenges:list")).content.decode()
    assert challenge.owner.name in html
    assert 'class="status status-published"' in html
    assert "Öppen" in html  # status in words
    assert "Löpande" in html  # year-round
    assert "Utbildning, kultur och sport" in html  # the theme, in Swedish
    event = EventFactory(name="Hack the Crisis")
    make_challenge(S.PUBLISHED, event=event)
    html = client.get(reverse("challenges:list")).content.decode()
    assert "Hack the Crisis" in html


def test_htmx_gets_the_results_only(client: Client, make_challenge: Any) -> None:
    make_challenge(S.PUBLISHED, title="Skolan i Åre")
    response = client.get(reverse("challenges:list"), {"q": "skolan"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Skolan i Åre" in html
    assert 'id="result-count"' in html
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("challenges:list"), {"q": "skolan"}).content.decode()
    assert "<html" in full
    assert 'hx-get="/sv/challenges/"' in full
    assert 'hx-target="#results"' in full
    # htmx restoring history asks for the whole page.
    restore = client.get(
        reverse("challenges:list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


def test_pagination(client: Client) -> None:
    make_public_challenges(25)
    first = client.get(reverse("challenges:list")).content.decode()
    assert first.count('class="card"') == 20
    assert "?page=2" in first
    second = client.get(reverse("challenges:list"), {"page": "2"}).content.decode()
    assert second.count('class="card"') == 5


def test_detail_renders_markdown_safely(client: Client, make_challenge: Any) -> None:
    challenge = make_challenge(
        S.PUBLISHED,
        problem="# Rubrik\n\n**viktigt** <script>alert(1)</script>",
        expected_benefit="[länk](javascript:alert(1))",
    )
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "<strong>viktigt</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript:' not in html
    assert h1_count(html) == 1


def test_detail_shows_actions_by_role(
    make_challenge: Any, need_owner: Any, organizer: Any, participant: Any
) -> None:
    challenge = make_challenge(S.IN_REVIEW)
    client = Client()
    client.force_login(organizer)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert reverse("challenges:publish", args=[challenge.slug]) in html
    assert reverse("challenges:request_changes", args=[challenge.slug]) in html
    client.force_login(need_owner)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert reverse("challenges:publish", args=[challenge.slug]) not in html
    assert reverse("challenges:edit", args=[challenge.slug]) not in html


def test_review_comment_for_need_owners_only(
    make_challenge: Any, need_owner: Any, organizer: Any
) -> None:
    challenge = make_challenge(S.CHANGES_REQUESTED, review_comment="Lägg till källor.")
    client = Client()
    client.force_login(need_owner)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "Lägg till källor." in html
    assert reverse("challenges:submit", args=[challenge.slug]) in html
    assert reverse("challenges:edit", args=[challenge.slug]) in html


def test_detail_questions(
    make_challenge: Any, need_owner: Any, organizer: Any, participant: Any
) -> None:
    challenge = make_challenge(S.PUBLISHED)
    open_q = QuestionFactory(challenge=challenge, body="Finns data per kommun?")
    answered = QuestionFactory(challenge=challenge, body="Vilket format?", answer="**CSV**")
    hidden = QuestionFactory(challenge=challenge, body="Köp billiga klockor", is_hidden=True)
    answer_url = reverse("challenges:answer", args=[open_q.pk])
    anon = Client().get(challenge.get_absolute_url()).content.decode()
    assert "Finns data per kommun?" in anon
    assert "<strong>CSV</strong>" in anon
    assert "Köp billiga klockor" not in anon
    assert answer_url not in anon
    assert "/accounts/login/" in anon
    client = Client()
    client.force_login(participant)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert reverse("challenges:ask", args=[challenge.slug]) in html
    assert answer_url not in html
    client.force_login(need_owner)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert answer_url in html
    assert reverse("challenges:answer", args=[answered.pk]) in html
    assert reverse("challenges:hide_question", args=[open_q.pk]) not in html
    client.force_login(organizer)
    html = client.get(challenge.get_absolute_url()).content.decode()
    assert "Köp billiga klockor" in html
    assert reverse("challenges:hide_question", args=[open_q.pk]) in html
    assert reverse("challenges:unhide_question", args=[hidden.pk]) in html


def test_mine_for_a_participant_explains(participant: Any) -> None:
    client = Client()
    client.force_login(participant)
    html = client.get(reverse("challenges:mine")).content.decode()
    assert "behovsägare" in html
    assert "<table" not in html


def test_mine_lists_all_states(need_owner: Any, make_challenge: Any) -> None:
    for state in S:
        make_challenge(state, title=f"Utmaning {state}")
    ChallengeFactory(title="Någon annans")
    client = Client()
    client.force_login(need_owner)
    html = client.get(reverse("challenges:mine")).content.decode()
    for state in S:
        assert f"Utmaning {state}" in html
    assert "Någon annans" not in html
    assert "skicka in den för granskning" in html  # the next step for a draft


def test_event_detail_marks_the_current_phase(client: Client) -> None:
    event = EventFactory(slug="hfs")  # in its hacking phase
    html = client.get(event.get_absolute_url()).content.decode()
    current = re.findall(r'<li aria-current="step">\s*([^<]+)', html)
    assert [c.strip() for c in current] == ["Hackande"]


def test_event_detail_lists_public_challenges(client: Client, make_challenge: Any) -> None:
    event = EventFactory(slug="hfs")
    make_challenge(S.PUBLISHED, event=event, title="Publik utmaning")
    make_challenge(S.DRAFT, event=event, title="Hemligt utkast")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Publik utmaning" in html
    assert "Hemligt utkast" not in html


def test_error_pages(participant: Any, make_challenge: Any) -> None:
    client = Client()
    client.force_login(participant)
    html = client.get(reverse("challenges:review_queue")).content.decode()
    assert "Bara arrangörer får göra detta." in html  # the reason, in Swedish
    response = client.get("/sv/challenges/nope/")
    assert "Sidan kunde inte hittas" in response.content.decode()


# --- query counts ------------------------------------------------------------------


def count_queries(client: Client, url: str) -> int:
    from django.core.cache import cache

    cache.clear()  # figures cached between requests are counted every time
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_rows(page: str, n: int, organization: Organization) -> None:
    if page in ("home", "list", "event_list", "event_detail"):
        event = Event.objects.get(slug="hfs")
        make_public_challenges(n, event=event if page == "event_detail" else None)
        if page == "event_list":
            for _ in range(n):
                EventFactory()
    elif page in ("review_queue", "mine"):
        for i in range(n):
            challenge = ChallengeFactory(
                owner=organization, status=S.IN_REVIEW if i % 2 else S.CHANGES_REQUESTED
            )
            challenge.co_owners.add(MembershipFactory().organization)


@pytest.mark.parametrize(
    ("page", "role"),
    [
        ("home", "anonymous"),
        ("list", "anonymous"),
        ("list", "participant"),
        ("event_list", "anonymous"),
        ("event_detail", "anonymous"),
        ("review_queue", "organizer"),
        ("mine", "need_owner"),
    ],
)
def test_list_pages_use_a_constant_number_of_queries(
    page: str, role: str, client_for: Any, organization: Organization
) -> None:
    EventFactory(slug="hfs")
    url = {
        "home": reverse("home"),
        "list": reverse("challenges:list"),
        "event_list": reverse("challenges:event_list"),
        "event_detail": reverse("challenges:event_detail", args=["hfs"]),
        "review_queue": reverse("challenges:review_queue"),
        "mine": reverse("challenges:mine"),
    }[page]
    client = client_for(role)
    _add_rows(page, 2, organization)
    few = count_queries(client, url)
    _add_rows(page, 18, organization)
    many = count_queries(client, url)
    assert few == many


def test_detail_uses_a_constant_number_of_queries(
    organizer: Any, make_challenge: Any, co_owner_organization: Organization
) -> None:
    challenge = make_challenge(S.PUBLISHED)
    challenge.co_owners.add(co_owner_organization)
    client = Client()
    client.force_login(organizer)
    QuestionFactory.create_batch(2, challenge=challenge)
    few = count_queries(client, challenge.get_absolute_url())
    QuestionFactory.create_batch(18, challenge=challenge, answer="Svar")
    many = count_queries(client, challenge.get_absolute_url())
    assert few == many


def test_questions_never_show_email_addresses(make_challenge: Any) -> None:
    from tests.accounts.factories import UserFactory

    challenge = make_challenge(S.PUBLISHED)
    named = UserFactory(username="kim")  # the factory gives a profile named "Kim"
    nameless = UserFactory(username="anonym", profile=False)
    QuestionFactory(challenge=challenge, author=named)
    QuestionFactory(challenge=challenge, author=nameless)
    challenge.contacts.add(nameless)
    html = Client().get(challenge.get_absolute_url()).content.decode()
    assert "Ställd av Kim den" in html
    assert "@example.se" not in html
    assert "En behovsägare" in html  # the contact without a name


def test_question_of_a_deleted_account_says_so(client) -> None:
    from hack365.accounts.services import account_delete
    from tests.challenges.factories import QuestionFactory

    question = QuestionFactory()
    account_delete(user=question.author)
    response = client.get(question.challenge.get_absolute_url())
    assert "Ställd av en borttagen användare".encode() in response.content
