"""Services and selectors for datasets linked to challenges, and the
recommendations."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given, settings
from hypothesis import strategies as st

from hack365.catalog import selectors, services
from hack365.catalog.models import ChallengeDataset
from hack365.catalog.search import index_datasets
from hack365.catalog.stopwords import is_stopword
from hack365.challenges.models import ChallengeStatus
from hack365.core.errors import ApplicationError
from hack365.core.models import AuditLogEntry
from tests.catalog.search_helpers import make_dataset, search_index  # noqa: F401
from tests.challenges.factories import ChallengeFactory


@pytest.fixture
def challenge(organization: Any) -> Any:
    return ChallengeFactory(owner=organization, status=ChallengeStatus.PUBLISHED)


@pytest.fixture
def dataset(db: None) -> Any:
    return make_dataset("Luftkvalitet i tätorter")


def test_need_owner_links_and_unlinks(need_owner: Any, challenge: Any, dataset: Any) -> None:
    link = services.challenge_dataset_link(
        user=need_owner, challenge=challenge, dataset=dataset, note="  Mätningar\nper timme "
    )
    assert link.note == "Mätningar per timme"
    entry = AuditLogEntry.objects.get(action="catalog.challenge_dataset.linked")
    assert entry.data["dataset"] == dataset.pk
    services.challenge_dataset_unlink(user=need_owner, link=link)
    assert not ChallengeDataset.objects.exists()
    assert AuditLogEntry.objects.filter(action="catalog.challenge_dataset.unlinked").exists()


def test_co_owner_need_owner_may_link(
    other_need_owner: Any, other_organization: Any, challenge: Any, dataset: Any
) -> None:
    challenge.co_owners.add(other_organization)
    services.challenge_dataset_link(user=other_need_owner, challenge=challenge, dataset=dataset)
    assert ChallengeDataset.objects.count() == 1


def test_organizer_may_link_in_every_state_but_archived(
    organizer: Any, organization: Any, dataset: Any
) -> None:
    for status in ChallengeStatus:
        challenge = ChallengeFactory(owner=organization, status=status)
        if status == ChallengeStatus.ARCHIVED:
            with pytest.raises(ApplicationError):
                services.challenge_dataset_link(
                    user=organizer, challenge=challenge, dataset=dataset
                )
        else:
            services.challenge_dataset_link(user=organizer, challenge=challenge, dataset=dataset)
    assert ChallengeDataset.objects.count() == len(ChallengeStatus) - 1


@pytest.mark.parametrize("who", ["anonymous", "participant", "other_need_owner"])
def test_others_are_refused(
    who: str, request: pytest.FixtureRequest, challenge: Any, dataset: Any
) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.challenge_dataset_link(user=user, challenge=challenge, dataset=dataset)
    link = ChallengeDataset.objects.create(challenge=challenge, dataset=dataset)
    with pytest.raises(PermissionDenied):
        services.challenge_dataset_unlink(user=user, link=link)
    assert ChallengeDataset.objects.count() == 1
    assert not AuditLogEntry.objects.filter(action__startswith="catalog.challenge_dataset").exists()


def test_refusals(need_owner: Any, challenge: Any, dataset: Any) -> None:
    with pytest.raises(ApplicationError) as too_long:
        services.challenge_dataset_link(
            user=need_owner, challenge=challenge, dataset=dataset, note="x" * 501
        )
    assert "note" in too_long.value.message_dict
    withdrawn = make_dataset("Borta", withdrawn=True)
    with pytest.raises(ApplicationError):
        services.challenge_dataset_link(user=need_owner, challenge=challenge, dataset=withdrawn)
    services.challenge_dataset_link(user=need_owner, challenge=challenge, dataset=dataset)
    with pytest.raises(ApplicationError):
        services.challenge_dataset_link(user=need_owner, challenge=challenge, dataset=dataset)
    assert ChallengeDataset.objects.count() == 1


def test_at_most_fifty_links(need_owner: Any, challenge: Any) -> None:
    for n in range(services.MAX_LINKS_PER_CHALLENGE):
        ChallengeDataset.objects.create(challenge=challenge, dataset=make_dataset(f"D {n}"))
    with pytest.raises(ApplicationError):
        services.challenge_dataset_link(
            user=need_owner, challenge=challenge, dataset=make_dataset("En för mycket")
        )
    assert ChallengeDataset.objects.count() == services.MAX_LINKS_PER_CHALLENGE


def test_dataset_page_lists_only_visible_challenges(
    need_owner: Any, participant: Any, organization: Any, dataset: Any
) -> None:
    public = ChallengeFactory(owner=organization, status=ChallengeStatus.PUBLISHED)
    draft = ChallengeFactory(owner=organization, status=ChallengeStatus.DRAFT)
    for challenge in (public, draft):
        ChallengeDataset.objects.create(challenge=challenge, dataset=dataset)
    assert [link.challenge for link in selectors.challenges_linking(participant, dataset)] == [
        public
    ]
    assert {link.challenge for link in selectors.challenges_linking(need_owner, dataset)} == {
        public,
        draft,
    }


# --- recommendations ------------------------------------------------------------------


def test_challenge_words_drop_stop_words(organization: Any) -> None:
    challenge = ChallengeFactory(
        owner=organization,
        title="Hur kan vi minska trängseln i kollektivtrafiken?",
        summary="Data om resor och hållplatser behövs.",
        target_group="Resenärer",
        problem="",
    )
    words = selectors.challenge_words(challenge)
    assert words[:3] == ["trängseln", "kollektivtrafiken", "resor"]
    assert not {"hur", "data", "och", "minska"} & set(words)
    assert "resenärer" in words


@pytest.mark.usefixtures("search_index")
def test_recommendations_rank_rare_words_and_themes(organization: Any) -> None:
    challenge = ChallengeFactory(
        owner=organization,
        status=ChallengeStatus.PUBLISHED,
        title="Pollen och astma i skolor",
        summary="Hur varnar vi elever med astma när pollenhalterna är höga?",
        problem="",
        target_group="Elever",
    )
    challenge.themes.set(["HEAL"])
    pollen = make_dataset("Pollenhalter per dag", description="Pollen mätt i städer.")
    both = make_dataset(
        "Astma och pollen bland elever", description="Enkät i skolor.", themes=["HEAL"]
    )
    schools = [
        make_dataset(f"Skolor i kommun {n}", description="Lista över skolor.") for n in range(5)
    ]
    unrelated = make_dataset("Väderstationer")
    linked = make_dataset("Pollen, redan kopplad")
    ChallengeDataset.objects.create(challenge=challenge, dataset=linked)
    withdrawn = make_dataset("Pollen, tillbakadragen", withdrawn=True)
    index_datasets([d.pk for d in [pollen, both, *schools, unrelated, linked, withdrawn]])
    recommendations = selectors.recommended_datasets(challenge, limit=10)
    ids = [r.dataset.pk for r in recommendations]
    assert ids[0] == both.pk  # most words and the shared theme
    assert recommendations[0].shared_themes[0].code == "HEAL"
    assert set(recommendations[0].matched_words) >= {"pollen", "astma"}
    assert pollen.pk in ids
    assert ids.index(pollen.pk) < min(ids.index(s.pk) for s in schools if s.pk in ids)
    assert unrelated.pk not in ids and linked.pk not in ids and withdrawn.pk not in ids


@pytest.mark.usefixtures("search_index")
def test_recommendations_without_matches(organization: Any) -> None:
    challenge = ChallengeFactory(owner=organization, title="Zzyzx", summary="Qwvfr.", problem="")
    assert selectors.recommended_datasets(challenge) == []


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_challenge_words_never_fail(text: str) -> None:
    from hack365.challenges.models import Challenge

    challenge = Challenge(title=text[:200], summary=text, problem=text, target_group=text[:50])
    words = selectors.challenge_words(challenge)
    assert len(words) == len(set(words))
    assert all(len(w) >= 3 and not is_stopword(w) and not w.isdigit() for w in words)
