"""Challenge, question and event services: every transition allowed and
refused per role, audit entries, and nothing changed on refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hack365.challenges import services
from hack365.challenges.models import Challenge, ChallengeStatus, Event, EventKind, Question
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import AuditLogEntry, DataTheme
from hack365.organizations.models import Level, Organization
from tests.challenges.conftest import ROLES
from tests.challenges.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db

S = ChallengeStatus
ALL_STATES = list(S)

# service → (roles that may call it, states it starts from, state it ends in, audit verb)
TRANSITIONS: dict[str, tuple[set[str], set[str], str, str]] = {
    "submit": (
        {"need_owner", "co_owner", "organizer"},
        {S.DRAFT, S.CHANGES_REQUESTED},
        S.IN_REVIEW,
        "submitted",
    ),
    "request_changes": ({"organizer"}, {S.IN_REVIEW}, S.CHANGES_REQUESTED, "changes_requested"),
    "publish": ({"organizer"}, {S.IN_REVIEW}, S.PUBLISHED, "published"),
    "close": ({"need_owner", "organizer"}, {S.PUBLISHED}, S.CLOSED, "closed"),
    "archive": ({"organizer"}, {S.CLOSED}, S.ARCHIVED, "archived"),
}
ALL_ROLES = [*ROLES, "co_owner"]


def _call(name: str, user: Any, challenge: Challenge) -> Challenge:
    if name == "submit":
        return services.challenge_submit_for_review(user=user, challenge=challenge)
    if name == "request_changes":
        return services.challenge_request_changes(
            user=user, challenge=challenge, comment="Lägg till en målgrupp."
        )
    return getattr(services, f"challenge_{name}")(user=user, challenge=challenge)


def _snapshot(challenge: Challenge) -> dict[str, Any]:
    fresh = Challenge.objects.get(pk=challenge.pk)
    return {
        f: getattr(fresh, f)
        for f in (
            "status",
            "title",
            "review_comment",
            "submitted_at",
            "published_at",
            "closed_at",
            "updated_at",
        )
    }


def _audit(action: str) -> list[AuditLogEntry]:
    return list(AuditLogEntry.objects.filter(action=action))


@pytest.fixture
def challenge_in(make_challenge: Any, co_owner_organization: Organization) -> Any:
    def make(status: str) -> Challenge:
        challenge = make_challenge(status)
        challenge.co_owners.add(co_owner_organization)
        return challenge

    return make


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_transition_matrix(name: str, role: str, state: str, users: Any, challenge_in: Any) -> None:
    roles, sources, target, verb = TRANSITIONS[name]
    user = users(role)
    challenge = challenge_in(state)
    before = _snapshot(challenge)

    if role not in roles:
        with pytest.raises(PermissionDenied):
            _call(name, user, challenge)
    elif state not in sources:
        with pytest.raises(ApplicationError) as excinfo:
            _call(name, user, challenge)
        assert excinfo.value.messages[0]  # a message a person can read
    else:
        _call(name, user, challenge)
        challenge.refresh_from_db()
        assert challenge.status == target
        (entry,) = _audit(f"challenges.challenge.{verb}")
        assert entry.actor == user
        assert entry.object_id == str(challenge.pk)
        assert entry.data["from"] == state
        assert entry.data["to"] == target
        return

    assert _snapshot(challenge) == before
    assert not AuditLogEntry.objects.filter(action__startswith="challenges.challenge").exists()


def test_submit_sets_submitted_at(need_owner: Any, challenge_in: Any) -> None:
    challenge = challenge_in(S.DRAFT)
    services.challenge_submit_for_review(user=need_owner, challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.submitted_at is not None


def test_submit_refuses_an_incomplete_challenge(need_owner: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT, target_group="  ")
    challenge.themes.clear()
    with pytest.raises(ApplicationError) as excinfo:
        services.challenge_submit_for_review(user=need_owner, challenge=challenge)
    message = excinfo.value.messages[0]
    assert "målgrupp" in message  # Swedish, the default language
    assert "minst ett tema" in message
    challenge.refresh_from_db()
    assert challenge.status == S.DRAFT
    assert not _audit("challenges.challenge.submitted")


def test_submit_refuses_a_passed_deadline(need_owner: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT, deadline=timezone.now() - timedelta(days=1))
    with pytest.raises(ApplicationError):
        services.challenge_submit_for_review(user=need_owner, challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.status == S.DRAFT


def test_request_changes_stores_the_comment(organizer: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.IN_REVIEW)
    services.challenge_request_changes(
        user=organizer, challenge=challenge, comment="  Beskriv nyttan.  "
    )
    challenge.refresh_from_db()
    assert challenge.status == S.CHANGES_REQUESTED
    assert challenge.review_comment == "Beskriv nyttan."
    (entry,) = _audit("challenges.challenge.changes_requested")
    assert entry.data["comment"] == "Beskriv nyttan."


@pytest.mark.parametrize("comment", ["", "   ", "x" * 5001])
def test_request_changes_needs_a_sensible_comment(
    organizer: Any, make_challenge: Any, comment: str
) -> None:
    challenge = make_challenge(S.IN_REVIEW)
    with pytest.raises(ValidationError) as excinfo:
        services.challenge_request_changes(user=organizer, challenge=challenge, comment=comment)
    assert "comment" in excinfo.value.message_dict
    challenge.refresh_from_db()
    assert challenge.status == S.IN_REVIEW
    assert not _audit("challenges.challenge.changes_requested")


def test_publish_and_close_set_their_dates(organizer: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.IN_REVIEW)
    services.challenge_publish(user=organizer, challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.published_at is not None
    assert challenge.is_public
    services.challenge_close(user=organizer, challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.closed_at is not None


def test_a_full_lifecycle(need_owner: Any, organizer: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT)
    services.challenge_submit_for_review(user=need_owner, challenge=challenge)
    services.challenge_request_changes(user=organizer, challenge=challenge, comment="Mer data.")
    services.challenge_submit_for_review(user=need_owner, challenge=challenge)
    services.challenge_publish(user=organizer, challenge=challenge)
    services.challenge_close(user=need_owner, challenge=challenge)
    services.challenge_archive(user=organizer, challenge=challenge)
    challenge.refresh_from_db()
    assert challenge.status == S.ARCHIVED
    actions = list(
        AuditLogEntry.objects.filter(object_id=str(challenge.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "challenges.challenge.submitted",
        "challenges.challenge.changes_requested",
        "challenges.challenge.submitted",
        "challenges.challenge.published",
        "challenges.challenge.closed",
        "challenges.challenge.archived",
    ]


def test_an_inactive_organizer_is_refused(organizer: Any, make_challenge: Any) -> None:
    organizer.is_active = False
    organizer.save()
    challenge = make_challenge(S.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.challenge_publish(user=organizer, challenge=challenge)


# --- create ---------------------------------------------------------------------


def _create(user: Any, organization: Organization, **overrides: Any) -> Challenge:
    data: dict[str, Any] = {
        "title": "Säkrare skolvägar på Öland",
        "summary": "Hur hittar barn säkra vägar till skolan?",
        "problem": "Många **föräldrar** skjutsar.",
        "expected_benefit": "Färre bilar vid skolorna.",
        "target_group": "Elever och föräldrar",
        "level": Level.LOCAL,
        "themes": DataTheme.objects.filter(code__in=["EDUC", "TRAN"]),
    }
    data.update(overrides)
    return services.challenge_create(user=user, organization=organization, **data)


CREATE_ALLOWED = {"need_owner": True, "organizer": True}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_create_per_role(role: str, users: Any, organization: Organization) -> None:
    user = users(role)
    if CREATE_ALLOWED.get(role):
        challenge = _create(user, organization)
        assert challenge.status == S.DRAFT
        assert challenge.owner == organization
        assert challenge.created_by == user
        (entry,) = _audit("challenges.challenge.created")
        assert entry.actor == user
        assert entry.object_id == str(challenge.pk)
    else:
        with pytest.raises(PermissionDenied):
            _create(user, organization)
        assert not Challenge.objects.exists()
        assert not _audit("challenges.challenge.created")


def test_create_makes_a_readable_unique_slug(need_owner: Any, organization: Organization) -> None:
    first = _create(need_owner, organization)
    second = _create(need_owner, organization)
    assert first.slug == "sakrare-skolvagar-pa-oland"
    assert second.slug == "sakrare-skolvagar-pa-oland-2"
    assert _create(need_owner, organization, title="Åäö ÅÄÖ").slug == "aao-aao"
    assert _create(need_owner, organization, title="New").slug == "new-2"
    assert _create(need_owner, organization, title="???").slug == "challenge"
    long = _create(need_owner, organization, title="Ord " * 49)
    assert len(long.slug) <= 100


def test_create_keeps_search_text_and_contacts(
    need_owner: Any, organization: Organization, co_owner_organization: Organization
) -> None:
    challenge = _create(need_owner, organization, co_owners=[co_owner_organization, organization])
    assert challenge.search_text == services.challenge_search_text(challenge)
    assert "säkrare skolvägar på öland" in challenge.search_text
    assert "länsstyrelsen test" in challenge.search_text
    assert "region samverkan" in challenge.search_text
    # The owner is never its own co-owner.
    assert list(challenge.co_owners.all()) == [co_owner_organization]
    assert list(challenge.contacts.all()) == [need_owner]


def test_create_validates_lengths_and_schedule(need_owner: Any, organization: Organization) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _create(need_owner, organization, title="x" * 201)
    assert "title" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        _create(
            need_owner,
            organization,
            event=EventFactory(),
            deadline=timezone.now() + timedelta(days=3),
        )
    assert "deadline" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        _create(need_owner, organization, level="galactic")
    assert not Challenge.objects.exists()
    assert not AuditLogEntry.objects.exists()


# --- update ---------------------------------------------------------------------

UPDATE_STATES = {
    "need_owner": {S.DRAFT, S.CHANGES_REQUESTED},
    "co_owner": {S.DRAFT, S.CHANGES_REQUESTED},
    "organizer": {S.DRAFT, S.IN_REVIEW, S.CHANGES_REQUESTED, S.PUBLISHED},
}


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_update_matrix(role: str, state: str, users: Any, challenge_in: Any) -> None:
    user = users(role)
    challenge = challenge_in(state)
    before = _snapshot(challenge)
    if role not in UPDATE_STATES:
        with pytest.raises(PermissionDenied):
            services.challenge_update(user=user, challenge=challenge, title="Ny rubrik")
    elif state not in UPDATE_STATES[role]:
        with pytest.raises(ApplicationError):
            services.challenge_update(user=user, challenge=challenge, title="Ny rubrik")
    else:
        services.challenge_update(user=user, challenge=challenge, title="Ny rubrik")
        challenge.refresh_from_db()
        assert challenge.title == "Ny rubrik"
        assert challenge.status == state
        assert "ny rubrik" in challenge.search_text
        (entry,) = _audit("challenges.challenge.updated")
        assert entry.data["fields"] == ["title"]
        assert entry.actor == user
        return
    assert _snapshot(challenge) == before
    assert not _audit("challenges.challenge.updated")


def test_update_reindexes_co_owners_and_keeps_the_slug(
    need_owner: Any, make_challenge: Any, other_organization: Organization
) -> None:
    challenge = make_challenge(S.DRAFT, title="Gammal")
    slug = challenge.slug
    services.challenge_update(
        user=need_owner, challenge=challenge, title="Ny titel", co_owners=[other_organization]
    )
    challenge.refresh_from_db()
    assert challenge.slug == slug
    assert "annan kommun" in challenge.search_text
    (entry,) = _audit("challenges.challenge.updated")
    assert entry.data["fields"] == ["title", "co_owners"]


def test_update_without_changes_writes_no_audit(need_owner: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT)
    services.challenge_update(user=need_owner, challenge=challenge, title=challenge.title)
    assert not _audit("challenges.challenge.updated")


def test_update_refuses_bad_values_and_changes_nothing(
    need_owner: Any, make_challenge: Any
) -> None:
    challenge = make_challenge(S.DRAFT)
    before = _snapshot(challenge)
    with pytest.raises(ValidationError):
        services.challenge_update(user=need_owner, challenge=challenge, title="x" * 201)
    assert challenge.title == before["title"]  # the object in memory too
    assert _snapshot(challenge) == before
    with pytest.raises(TypeError):
        services.challenge_update(user=need_owner, challenge=challenge, status="published")


def test_owner_change_only_to_own_organisations(
    need_owner: Any,
    co_owner: Any,
    make_challenge: Any,
    other_organization: Organization,
    co_owner_organization: Organization,
) -> None:
    challenge = make_challenge(S.DRAFT)
    challenge.co_owners.add(co_owner_organization)
    with pytest.raises(PermissionDenied):
        services.challenge_update(user=need_owner, challenge=challenge, owner=other_organization)
    # A co-owner can't take the challenge over.
    with pytest.raises(PermissionDenied):
        services.challenge_update(user=co_owner, challenge=challenge, owner=co_owner_organization)
    challenge.refresh_from_db()
    assert challenge.owner_id == need_owner.memberships.get().organization_id


def test_choosing_an_event_drops_the_deadline(organizer: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.DRAFT, deadline=timezone.now() + timedelta(days=30))
    event = EventFactory()
    services.challenge_update(user=organizer, challenge=challenge, event=event)
    challenge.refresh_from_db()
    assert challenge.event == event
    assert challenge.deadline is None
    assert challenge.effective_deadline == event.submission_deadline


# --- questions --------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_ask_per_role(role: str, users: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    user = users(role)
    if role == "anonymous":
        with pytest.raises(PermissionDenied):
            services.question_ask(user=user, challenge=challenge, body="Hej?")
        assert not Question.objects.exists()
        return
    question = services.question_ask(user=user, challenge=challenge, body="  Finns data?  ")
    assert question.body == "Finns data?"
    assert question.author == user
    (entry,) = _audit("challenges.question.asked")
    assert entry.object_id == str(question.pk)


@pytest.mark.parametrize("state", [s for s in ALL_STATES if s != S.PUBLISHED])
def test_ask_only_while_open(state: str, participant: Any, make_challenge: Any) -> None:
    challenge = make_challenge(state)
    with pytest.raises(ApplicationError):
        services.question_ask(user=participant, challenge=challenge, body="Finns data?")
    assert not Question.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 3001])
def test_ask_checks_the_length(body: str, participant: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    with pytest.raises(ValidationError) as excinfo:
        services.question_ask(user=participant, challenge=challenge, body=body)
    assert "body" in excinfo.value.message_dict
    assert not Question.objects.exists()


def test_ask_accepts_the_longest_question(participant: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    services.question_ask(user=participant, challenge=challenge, body="x" * 3000)
    assert Question.objects.count() == 1


def test_ask_is_rate_limited(participant: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    for i in range(services.QUESTIONS_PER_HOUR):
        services.question_ask(user=participant, challenge=challenge, body=f"Fråga {i}")
    with pytest.raises(ApplicationError):
        services.question_ask(user=participant, challenge=challenge, body="En till")
    assert Question.objects.count() == services.QUESTIONS_PER_HOUR
    # Questions older than an hour don't count.
    Question.objects.update(created_at=timezone.now() - timedelta(hours=2))
    services.question_ask(user=participant, challenge=challenge, body="Nu går det")


ANSWER_ALLOWED = {"need_owner", "co_owner", "organizer"}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_answer_per_role(
    role: str, users: Any, make_challenge: Any, co_owner_organization: Organization
) -> None:
    challenge = make_challenge(S.PUBLISHED)
    challenge.co_owners.add(co_owner_organization)
    question = QuestionFactory(challenge=challenge)
    user = users(role)
    if role not in ANSWER_ALLOWED:
        with pytest.raises(PermissionDenied):
            services.question_answer(user=user, question=question, answer="Ja.")
        question.refresh_from_db()
        assert question.answer == ""
        assert not AuditLogEntry.objects.exists()
        return
    services.question_answer(user=user, question=question, answer="Ja, per kommun.")
    question.refresh_from_db()
    assert question.answer == "Ja, per kommun."
    assert question.answered_by == user
    assert question.answered_at is not None
    assert len(_audit("challenges.question.answered")) == 1
    services.question_answer(user=user, question=question, answer="Ja, per län också.")
    question.refresh_from_db()
    assert question.answer == "Ja, per län också."
    assert len(_audit("challenges.question.answer_edited")) == 1


@pytest.mark.parametrize("answer", ["", " ", "x" * 10001])
def test_answer_checks_the_length(need_owner: Any, answer: str, make_challenge: Any) -> None:
    question = QuestionFactory(challenge=make_challenge(S.PUBLISHED))
    with pytest.raises(ValidationError):
        services.question_answer(user=need_owner, question=question, answer=answer)
    question.refresh_from_db()
    assert question.answer == ""


@pytest.mark.parametrize("role", ALL_ROLES)
def test_hide_and_unhide_per_role(role: str, users: Any, make_challenge: Any) -> None:
    question = QuestionFactory(challenge=make_challenge(S.PUBLISHED))
    user = users(role)
    if role != "organizer":
        with pytest.raises(PermissionDenied):
            services.question_hide(user=user, question=question, reason="Reklam")
        question.refresh_from_db()
        assert not question.is_hidden
        question.is_hidden = True
        question.save()
        with pytest.raises(PermissionDenied):
            services.question_unhide(user=user, question=question)
        question.refresh_from_db()
        assert question.is_hidden
        assert not AuditLogEntry.objects.exists()
        return
    services.question_hide(user=user, question=question, reason="Reklam")
    question.refresh_from_db()
    assert question.is_hidden
    assert question.hidden_reason == "Reklam"
    (entry,) = _audit("challenges.question.hidden")
    assert entry.data == {"reason": "Reklam"}
    with pytest.raises(ApplicationError):
        services.question_hide(user=user, question=question, reason="Igen")
    services.question_unhide(user=user, question=question, reason="Misstag")
    question.refresh_from_db()
    assert not question.is_hidden
    assert question.hidden_reason == ""
    (entry,) = _audit("challenges.question.unhidden")
    assert entry.data == {"reason": "Misstag"}
    with pytest.raises(ApplicationError):
        services.question_unhide(user=user, question=question)


@pytest.mark.parametrize("reason", ["", "x" * 301])
def test_hide_needs_a_reason(organizer: Any, reason: str, make_challenge: Any) -> None:
    question = QuestionFactory(challenge=make_challenge(S.PUBLISHED))
    with pytest.raises(ValidationError):
        services.question_hide(user=organizer, question=question, reason=reason)
    question.refresh_from_db()
    assert not question.is_hidden


# --- events -------------------------------------------------------------------------


def _event_data(**overrides: Any) -> dict[str, Any]:
    start = timezone.now() + timedelta(days=30)
    data: dict[str, Any] = {
        "name": "Hack for Sweden Örebro",
        "kind": EventKind.ANNUAL,
        "registration_opens": start - timedelta(days=20),
        "hacking_starts": start,
        "submission_deadline": start + timedelta(days=2),
        "evaluation_ends": start + timedelta(days=10),
        "results_at": start + timedelta(days=12),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ALL_ROLES)
def test_event_create_per_role(role: str, users: Any) -> None:
    user = users(role)
    if role != "organizer":
        with pytest.raises(PermissionDenied):
            services.event_create(user=user, **_event_data())
        assert not Event.objects.exists()
        return
    event = services.event_create(user=user, **_event_data())
    assert event.slug == "hack-for-sweden-orebro"
    assert services.event_create(user=user, **_event_data()).slug == "hack-for-sweden-orebro-2"
    assert len(_audit("challenges.event.created")) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hacking_starts", timedelta(days=-21)),  # before registration opens
        ("submission_deadline", timedelta(days=0)),  # equal to hacking start: must be after
        ("evaluation_ends", timedelta(days=1)),  # before the submission deadline
        ("results_at", timedelta(days=9)),  # before evaluation ends
    ],
)
def test_event_dates_must_be_in_order(organizer: Any, field: str, value: timedelta) -> None:
    data = _event_data()
    data[field] = data["hacking_starts"] + value
    with pytest.raises(ValidationError) as excinfo:
        services.event_create(user=organizer, **data)
    assert list(excinfo.value.message_dict) == [field]
    assert not Event.objects.exists()


def test_event_update(organizer: Any, participant: Any) -> None:
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        services.event_update(user=participant, event=event, name="Nytt namn")
    services.event_update(user=organizer, event=event, name="Nytt namn", location="Luleå")
    event.refresh_from_db()
    assert event.name == "Nytt namn"
    (entry,) = _audit("challenges.event.updated")
    assert entry.data["fields"] == ["name", "location"]
    deadline = event.submission_deadline
    with pytest.raises(ValidationError) as excinfo:
        services.event_update(user=organizer, event=event, submission_deadline=event.hacking_starts)
    assert "submission_deadline" in excinfo.value.message_dict
    assert event.submission_deadline == deadline
    event.refresh_from_db()
    assert event.submission_deadline == deadline


def test_search_text_folds_case_and_includes_owners(
    make_challenge: Any, co_owner_organization: Organization
) -> None:
    challenge = make_challenge(S.DRAFT, title="ÅRETS Skolmat", summary="Ärligt  talat")
    challenge.co_owners.add(co_owner_organization)
    text = services.challenge_search_text(challenge)
    assert "årets skolmat" in text
    assert "ärligt talat" in text
    assert "länsstyrelsen test" in text
    assert "region samverkan" in text
    assert text == text.casefold()
