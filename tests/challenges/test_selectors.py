"""Challenge lists, filters, text search and access checks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from hack365.challenges import selectors
from hack365.challenges.models import Challenge, ChallengeStatus
from hack365.core.models import DataTheme
from hack365.organizations.models import County, Level, Organization
from tests.challenges.conftest import ROLES
from tests.challenges.factories import (
    ChallengeFactory,
    EventFactory,
    PublishedChallengeFactory,
    QuestionFactory,
)
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

S = ChallengeStatus


def slugs(qs: Any) -> list[str]:
    return [c.slug for c in qs]


def test_only_public_states_are_listed(make_challenge: Any) -> None:
    for state in S:
        make_challenge(state, slug=f"c-{state}")
    assert set(slugs(selectors.challenge_list())) == {"c-published", "c-closed", "c-archived"}


def test_newest_published_first() -> None:
    now = timezone.now()
    PublishedChallengeFactory(slug="old", published_at=now - timedelta(days=9))
    PublishedChallengeFactory(slug="new", published_at=now)
    PublishedChallengeFactory(slug="mid", published_at=now - timedelta(days=2))
    assert slugs(selectors.challenge_list()) == ["new", "mid", "old"]


@pytest.fixture
def searchable(organization: Organization) -> None:
    PublishedChallengeFactory(
        slug="skolan", title="Skolan i Åre", problem="Skolskjutsar på landsbygden"
    )
    PublishedChallengeFactory(slug="angest", title="Ångest hos unga", summary="Psykisk hälsa")
    PublishedChallengeFactory(slug="owner", owner=organization, title="Vattenkvalitet")
    co = PublishedChallengeFactory(slug="co", title="Busstrafik")
    co.co_owners.add(OrganizationFactory(name="Östgötatrafiken"))
    from hack365.challenges.services import challenge_search_text

    co.search_text = challenge_search_text(co)
    co.save(update_fields=["search_text"])
    ChallengeFactory(slug="draft", title="Skolan i hemlighet", status=S.DRAFT)


@pytest.mark.usefixtures("searchable")
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("skola", {"skolan"}),
        ("SKOLAN", {"skolan"}),
        ("åre", {"skolan"}),
        ("ÅRE", {"skolan"}),
        ("ångest", {"angest"}),
        ("ÅNGEST", {"angest"}),
        ("skolan åre", {"skolan"}),
        ("skolan ångest", set()),  # every word must match
        ("landsbygden", {"skolan"}),  # the problem text is searched
        ("länsstyrelsen", {"owner"}),  # the owner's name
        ("östgöta", {"co"}),  # a co-owner's name
        ("  ", {"skolan", "angest", "owner", "co"}),
        ("100%_", set()),  # LIKE wildcards are literal
    ],
)
def test_text_search(q: str, expected: set[str]) -> None:
    assert set(slugs(selectors.challenge_list({"q": q}))) == expected


def test_filters(
    organization: Organization, other_organization: Organization, theme: DataTheme
) -> None:
    county = County.objects.order_by("code").first()
    assert county is not None
    organization.county = county
    organization.save()
    event = EventFactory(slug="hfs-2026")
    a = PublishedChallengeFactory(slug="a", owner=organization, level=Level.REGIONAL)
    a.themes.add(theme)
    b = PublishedChallengeFactory(slug="b", owner=other_organization, event=event)
    b.themes.add(DataTheme.objects.get(code="HEAL"))
    c = PublishedChallengeFactory(slug="c", status=S.CLOSED, level=Level.LOCAL)
    c.co_owners.add(organization)

    def f(**filters: Any) -> set[str]:
        return set(slugs(selectors.challenge_list(filters)))

    assert f(theme="EDUC") == {"a"}
    assert f(theme=["EDUC", "HEAL"]) == {"a", "b"}
    assert f(level=Level.REGIONAL) == {"a"}
    assert f(organisation=organization.slug) == {"a", "c"}
    assert f(organisation="annan-kommun") == {"b"}
    assert f(county=county.code) == {"a"}
    assert f(status=S.CLOSED) == {"c"}
    assert f(status=S.DRAFT) == set()  # never a way to see drafts
    assert f(event="hfs-2026") == {"b"}
    assert f(event=selectors.YEAR_ROUND) == {"a", "c"}
    assert f(organisation=organization.slug, level=Level.LOCAL) == {"c"}
    assert f(theme="ZZZZ") == set()
    # A challenge with two matching themes and co-owners is listed once.
    a.themes.add(DataTheme.objects.get(code="HEAL"))
    a.co_owners.add(organization)
    assert slugs(selectors.challenge_list({"theme": ["EDUC", "HEAL"]})).count("a") == 1
    assert slugs(selectors.challenge_list({"organisation": organization.slug})).count("a") == 1


VISIBLE = {
    "anonymous": set(),
    "participant": set(),
    "need_owner": set(S),
    "co_owner": set(S),
    "other_need_owner": set(),
    "organizer": set(S),
}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("role", [*ROLES, "co_owner"])
def test_access_challenge(
    role: str, state: str, users: Any, make_challenge: Any, co_owner_organization: Organization
) -> None:
    challenge = make_challenge(state)
    challenge.co_owners.add(co_owner_organization)
    user = users(role)
    if challenge.is_public or state in VISIBLE[role]:
        assert selectors.access_challenge(user, challenge.slug) == challenge
    else:
        with pytest.raises(Http404):
            selectors.access_challenge(user, challenge.slug)


def test_access_unknown_challenge(organizer: Any) -> None:
    with pytest.raises(Http404):
        selectors.access_challenge(organizer, "no-such-challenge")


def test_challenges_for_need_owner(
    need_owner: Any,
    participant: Any,
    make_challenge: Any,
    other_organization: Organization,
    organization: Organization,
) -> None:
    own = [make_challenge(state) for state in S]
    co = ChallengeFactory(owner=other_organization, status=S.DRAFT)
    co.co_owners.add(organization)
    ChallengeFactory(owner=other_organization, status=S.PUBLISHED)
    listed = list(selectors.challenges_for_need_owner(need_owner))
    assert {c.pk for c in listed} == {c.pk for c in [*own, co]}
    assert list(selectors.challenges_for_need_owner(participant)) == []
    assert list(selectors.challenges_for_need_owner(None)) == []


def test_unanswered_count(need_owner: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    QuestionFactory(challenge=challenge)
    QuestionFactory(challenge=challenge, answer="Svar")
    QuestionFactory(challenge=challenge, is_hidden=True)
    (listed,) = selectors.challenges_for_need_owner(need_owner)
    assert listed.unanswered_count == 1


def test_review_queue(organizer: Any, need_owner: Any, make_challenge: Any) -> None:
    now = timezone.now()
    changes = make_challenge(S.CHANGES_REQUESTED, submitted_at=now - timedelta(days=9))
    newer = make_challenge(S.IN_REVIEW, submitted_at=now)
    older = make_challenge(S.IN_REVIEW, submitted_at=now - timedelta(days=3))
    make_challenge(S.DRAFT)
    make_challenge(S.PUBLISHED)
    assert list(selectors.review_queue(organizer)) == [older, newer, changes]
    with pytest.raises(PermissionDenied):
        selectors.review_queue(need_owner)
    with pytest.raises(PermissionDenied):
        selectors.review_queue(None)


def test_visible_questions(organizer: Any, participant: Any, make_challenge: Any) -> None:
    challenge = make_challenge(S.PUBLISHED)
    shown = QuestionFactory(challenge=challenge)
    hidden = QuestionFactory(challenge=challenge, is_hidden=True, hidden_reason="Spam")
    assert selectors.visible_questions(participant, challenge) == [shown]
    assert selectors.visible_questions(None, challenge) == [shown]
    assert selectors.visible_questions(organizer, challenge) == [shown, hidden]


def test_access_question(
    organizer: Any, participant: Any, need_owner: Any, make_challenge: Any
) -> None:
    hidden = QuestionFactory(challenge=make_challenge(S.PUBLISHED), is_hidden=True)
    assert selectors.access_question(organizer, hidden.pk) == hidden
    with pytest.raises(Http404):
        selectors.access_question(participant, hidden.pk)
    # A question on a challenge the user can't see (it went back to review).
    draft_q = QuestionFactory(challenge=make_challenge(S.IN_REVIEW))
    with pytest.raises(Http404):
        selectors.access_question(participant, draft_q.pk)
    assert selectors.access_question(need_owner, draft_q.pk) == draft_q
    with pytest.raises(Http404):
        selectors.access_question(organizer, 999999)


def test_events() -> None:
    now = timezone.now()
    past = EventFactory(
        slug="past",
        registration_opens=now - timedelta(days=60),
        hacking_starts=now - timedelta(days=50),
        submission_deadline=now - timedelta(days=48),
        evaluation_ends=now - timedelta(days=40),
        results_at=now - timedelta(days=39),
    )
    ongoing = EventFactory(slug="ongoing")
    coming = EventFactory(
        slug="coming",
        registration_opens=now + timedelta(days=10),
        hacking_starts=now + timedelta(days=20),
        submission_deadline=now + timedelta(days=22),
        evaluation_ends=now + timedelta(days=30),
        results_at=now + timedelta(days=31),
    )
    PublishedChallengeFactory(event=ongoing)
    ChallengeFactory(event=ongoing, status=S.DRAFT)
    current = list(selectors.events_current_and_upcoming())
    assert current == [ongoing, coming]
    assert current[0].public_challenge_count == 1
    assert list(selectors.events_past()) == [past]
    assert list(selectors.events_for_choice()) == [ongoing, coming]
    assert selectors.access_event(None, "past") == past
    with pytest.raises(Http404):
        selectors.access_event(None, "nope")
    assert len(selectors.event_challenges(ongoing)) == 1


def test_key_figures(participant: Any, organization: Organization) -> None:
    PublishedChallengeFactory(owner=organization)
    closed = PublishedChallengeFactory(status=S.CLOSED)
    closed.co_owners.add(organization)
    ChallengeFactory(status=S.DRAFT)  # its organisation doesn't count
    EventFactory()
    figures = selectors.key_figures()
    assert figures.open_challenges == 1
    assert figures.organisations == 2
    assert figures.events == 1
    assert figures.participants >= 1


def test_can_edit_helper(need_owner: Any, organizer: Any, make_challenge: Any) -> None:
    draft = make_challenge(S.DRAFT)
    published = make_challenge(S.PUBLISHED)
    assert selectors.can_edit(need_owner, draft)
    assert not selectors.can_edit(need_owner, published)
    assert selectors.can_edit(organizer, published)
    assert not selectors.can_edit(None, draft)
    assert selectors.can_create(need_owner)
    assert not selectors.can_create(None)
    actions = selectors.challenge_actions(need_owner, published)
    assert actions.close and not actions.publish and not actions.edit
    assert isinstance(draft, Challenge)


def test_renamed_owner_is_found_by_its_new_name(organizer) -> None:
    from hack365.challenges.selectors import challenge_list
    from hack365.organizations.services import organization_update
    from tests.challenges.factories import PublishedChallengeFactory
    from tests.organizations.factories import OrganizationFactory

    owner = OrganizationFactory(name="Gamla namnet")
    co_owner = OrganizationFactory(name="Medägaren")
    challenge = PublishedChallengeFactory(owner=owner)
    challenge.co_owners.add(co_owner)
    organization_update(actor=organizer, organization=owner, name="Nya Älvstaden")
    organization_update(actor=organizer, organization=co_owner, name="Östra delen")
    assert list(challenge_list({"q": "älvstaden"})) == [challenge]
    assert list(challenge_list({"q": "östra"})) == [challenge]
    assert list(challenge_list({"q": "gamla"})) == []
