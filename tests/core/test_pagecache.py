"""The public page cache (hack365.core.pagecache): who gets cached pages,
what is never shared, and that it is off unless switched on."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from hack365.core.pagecache import HEADER
from hack365.teams.models import MentorProfile, Team, TeamMembership
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import PublishedChallengeFactory
from tests.organizations.factories import need_owner_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def on(settings):
    cache.clear()
    settings.PAGE_CACHE_SECONDS = 30
    yield settings
    cache.clear()


@pytest.fixture
def challenge(db):
    return PublishedChallengeFactory(title="Renare sjöar")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, path: str, **headers: str):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response


def test_off_by_default(settings, challenge) -> None:
    assert settings.PAGE_CACHE_SECONDS == 0
    cache.clear()
    client = Client()
    assert HEADER not in page(client, "/sv/challenges/")
    challenge.title = "Ny titel"
    challenge.save(update_fields=["title"])
    response = page(client, "/sv/challenges/")
    assert HEADER not in response and "Ny titel" in response.content.decode()


def test_anonymous_visitors_share_a_page_for_the_configured_time(on, challenge) -> None:
    first = page(Client(), f"/sv/challenges/{challenge.slug}/")
    assert first[HEADER] == "miss"
    challenge.title = "Ny titel"
    challenge.save(update_fields=["title"])
    second = page(Client(), f"/sv/challenges/{challenge.slug}/")
    assert second[HEADER] == "hit"
    assert "Renare sjöar" in second.content.decode()  # up to PAGE_CACHE_SECONDS old
    cache.clear()
    assert "Ny titel" in page(Client(), f"/sv/challenges/{challenge.slug}/").content.decode()


def test_plain_participants_share_pages_but_never_a_csrf_token(on, challenge) -> None:
    alice, bob = logged_in(UserFactory()), logged_in(UserFactory())
    path = f"/sv/challenges/{challenge.slug}/"
    first = page(alice, path)
    assert first[HEADER] == "miss"
    second = page(bob, path)
    assert second[HEADER] == "hit"
    alice_tokens, bob_tokens = TOKEN.findall(first.content), TOKEN.findall(second.content)
    assert bob_tokens, "the page has forms (log out, ask a question)"
    secret = bob.cookies["csrftoken"].value
    for token in bob_tokens:
        assert _unmask_cipher_token(token.decode()) == secret
    assert not set(alice_tokens) & set(bob_tokens)
    assert alice.cookies["csrftoken"].value != secret
    # and Bob's token works: he can ask a question from the cached page
    response = Client(enforce_csrf_checks=True)
    response.cookies = bob.cookies
    answer = response.post(
        f"/sv/challenges/{challenge.slug}/questions/",
        {"body": "Finns data per kommun?", "csrfmiddlewaretoken": bob_tokens[-1].decode()},
    )
    assert answer.status_code in (200, 302)
    assert answer.status_code != 403


def test_anonymous_and_logged_in_pages_are_kept_apart(on, challenge) -> None:
    page(Client(), "/sv/")
    response = page(logged_in(UserFactory()), "/sv/")
    assert response[HEADER] == "miss"
    assert b"/accounts/logout/" in response.content
    anonymous = page(Client(), "/sv/")
    assert anonymous[HEADER] == "hit" and b"/accounts/logout/" not in anonymous.content


def test_languages_and_htmx_partials_are_kept_apart(on, challenge) -> None:
    assert page(Client(), "/sv/challenges/")[HEADER] == "miss"
    assert page(Client(), "/en/challenges/")[HEADER] == "miss"
    assert page(Client(), "/sv/challenges/?q=sj%C3%B6ar")[HEADER] == "miss"
    partial = page(Client(), "/sv/challenges/", HX_Request="true")
    assert partial[HEADER] == "miss"
    assert b"<html" not in partial.content
    full = page(Client(), "/sv/challenges/")
    assert full[HEADER] == "hit" and b"<html" in full.content


def _organizer():
    return OrganizerFactory()


def _need_owner(challenge):
    return need_owner_of(challenge.owner)


def _team_member(challenge):
    user = UserFactory()
    team = Team.objects.create(name="Lag", challenge=challenge)
    TeamMembership.objects.create(team=team, user=user)
    return user


def _mentor(challenge):
    user = UserFactory()
    MentorProfile.objects.create(user=user)
    return user


@pytest.mark.parametrize(
    "make",
    [lambda c: _organizer(), _need_owner, _team_member, _mentor],
    ids=["organizer", "need owner", "team member", "mentor"],
)
def test_people_with_a_role_always_get_a_fresh_page_and_it_is_never_stored(
    on, challenge, make
) -> None:
    special = logged_in(make(challenge))
    path = f"/sv/challenges/{challenge.slug}/"
    for _ in range(2):
        assert HEADER not in page(special, path)
    # what was rendered for them was not stored: a plain participant renders anew
    assert page(logged_in(UserFactory()), path)[HEADER] == "miss"
    # and a page stored for plain participants is not served to them
    assert HEADER not in page(special, path)


def test_staff_and_inactive_accounts_are_not_plain(on, challenge) -> None:
    from hack365.core.pagecache import viewer_class

    class Request:
        COOKIES: dict[str, str] = {}

    request = Request()
    request.user = UserFactory(is_staff=True)  # type: ignore[attr-defined]
    assert viewer_class(request) is None  # type: ignore[arg-type]
    request.user = UserFactory(is_active=False)  # type: ignore[attr-defined]
    assert viewer_class(request) is None  # type: ignore[arg-type]
    request.user = UserFactory()  # type: ignore[attr-defined]
    assert viewer_class(request) == "plain"  # type: ignore[arg-type]


def test_pending_messages_are_shown_not_a_cached_page(on, challenge) -> None:
    page(Client(), "/sv/challenges/")
    assert page(Client(), "/sv/challenges/")[HEADER] == "hit"
    visitor = Client()  # anonymous: a message from their feedback waits in a cookie
    sent = visitor.post(
        "/sv/accessibility/", {"message": "Kontrasten är för låg", "page_url": "/sv/"}
    )
    assert sent.status_code == 302 and visitor.cookies.get("messages")
    response = page(visitor, "/sv/challenges/")
    assert HEADER not in response
    assert b"message-success" in response.content
    # the page with their message was not stored for others
    other = page(Client(), "/sv/challenges/")
    assert b"message-success" not in other.content


def test_after_their_own_change_a_participant_sees_fresh_pages(on, challenge) -> None:
    client = logged_in(UserFactory())
    path = f"/sv/challenges/{challenge.slug}/"
    page(client, path)
    assert page(client, path)[HEADER] == "hit"
    client.post(f"/sv/challenges/{challenge.slug}/questions/", {"body": "Finns data per län?"})
    response = page(client, path)
    assert HEADER not in response
    assert "Finns data per län?" in response.content.decode()
    # others still get the shared page
    assert page(logged_in(UserFactory()), path)[HEADER] == "hit"


def test_only_the_configured_views_and_only_successful_pages(on, challenge) -> None:
    client = logged_in(UserFactory())
    assert HEADER not in page(client, "/sv/account/")
    assert HEADER not in page(client, "/sv/accessibility/")
    missing = client.get("/sv/challenges/no-such-challenge/")
    assert missing.status_code == 404 and HEADER not in missing
    assert client.get("/sv/challenges/no-such-challenge/").status_code == 404


def test_a_token_outside_the_form_fields_keeps_the_page_out(on, rf) -> None:
    from django.http import HttpResponse

    from hack365.core.pagecache import _storable

    request = rf.get("/")
    token = "a" * 64
    body = f'<input name="csrfmiddlewaretoken" value="{token}"><meta content="{token}">'
    assert _storable(HttpResponse(body), request) is None
    stored = _storable(HttpResponse(f'<input name="csrfmiddlewaretoken" value="{token}">'), request)
    assert stored is not None and token not in stored["content"]
    with_cookie = HttpResponse("<p>x</p>")
    with_cookie.set_cookie("x", "1")
    assert _storable(with_cookie, request) is None
    assert _storable(HttpResponse("{}", content_type="application/json"), request) is None


# --- many readers, one render ----------------------------------------------------------


def _key(path: str, viewer: str = "anon") -> str:
    from django.test import RequestFactory

    from hack365.core.pagecache import cache_key

    request = RequestFactory().get(path)
    request.LANGUAGE_CODE = path.split("/")[1]  # type: ignore[attr-defined]
    return cache_key(request, viewer)


def _age(key: str) -> None:
    """Make the stored page no longer fresh (as if PAGE_CACHE_SECONDS had passed)."""
    entry = cache.get(key)
    assert entry is not None
    entry["fresh_until"] = 0
    cache.set(key, entry, 60)


def test_a_page_past_its_time_is_rendered_once_while_others_get_the_stale_copy(
    on, challenge
) -> None:
    path = f"/sv/challenges/{challenge.slug}/"
    key = _key(path)
    assert page(Client(), path)[HEADER] == "miss"
    challenge.title = "Ny titel"
    challenge.save(update_fields=["title"])
    _age(key)
    # another request is rendering it anew (it holds the lock): the old copy is served
    assert cache.add(key + ":lock", 1, 30)
    stale = page(Client(), path)
    assert stale[HEADER] == "stale" and "Renare sjöar" in stale.content.decode()
    cache.delete(key + ":lock")
    # the first request after that renders it, stores it, and lets go of the lock
    fresh = page(Client(), path)
    assert fresh[HEADER] == "miss" and "Ny titel" in fresh.content.decode()
    assert cache.get(key + ":lock") is None
    assert page(Client(), path)[HEADER] == "hit"


def test_a_cold_page_being_rendered_is_waited_for_not_rendered_again(
    on, challenge, monkeypatch
) -> None:
    from hack365.core import pagecache

    path = f"/sv/challenges/{challenge.slug}/"
    key = _key(path)
    assert cache.add(key + ":lock", 1, 30)
    # the other render finishes while this request waits
    page(Client(), "/sv/")  # (any page: only to have an entry to copy)
    entry = cache.get(_key("/sv/"))
    entry["content"] = "<p>rendered by the other request</p>"
    entry["fresh_until"] = 10**12
    sleeps = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 3:
            cache.set(key, entry, 60)

    monkeypatch.setattr(pagecache.time, "sleep", sleep)
    response = page(Client(), path)
    assert response[HEADER] == "hit" and b"rendered by the other request" in response.content
    assert len(sleeps) == 3
    # and when the other render never finishes, the wait is bounded: it renders itself
    cache.delete(key)
    sleeps.clear()
    monkeypatch.setattr(pagecache.time, "sleep", lambda s: sleeps.append(s))
    response = page(Client(), path)
    assert response[HEADER] == "miss" and "Renare sjöar" in response.content.decode()
    assert len(sleeps) == round(pagecache.WAIT_SECONDS / pagecache.WAIT_STEP)


def test_a_page_that_is_gone_is_not_served_stale(on, challenge) -> None:
    from hack365.challenges.models import ChallengeStatus

    path = f"/sv/challenges/{challenge.slug}/"
    key = _key(path)
    page(Client(), path)
    Challenge = type(challenge)
    Challenge.objects.filter(pk=challenge.pk).update(status=ChallengeStatus.DRAFT)
    _age(key)
    assert Client().get(path).status_code == 404
    assert cache.get(key) is None
    assert cache.add(key + ":lock", 1, 30)  # even while someone else renders it
    assert Client().get(path).status_code == 404


def test_a_role_given_by_someone_else_shows_at_once(on, challenge) -> None:
    user = UserFactory()
    client = logged_in(user)
    path = f"/sv/challenges/{challenge.slug}/"
    page(client, path)
    assert page(client, path)[HEADER] == "hit"
    team = Team.objects.create(name="Lag", challenge=challenge)
    membership = TeamMembership.objects.create(team=team, user=user)  # e.g. an approval
    assert HEADER not in page(client, path)
    membership.delete()
    assert page(client, path)[HEADER] == "hit"
    user.is_staff = True
    user.save()
    assert HEADER not in page(client, path)


def test_a_cached_page_for_a_known_plain_participant_reads_no_account_row(on, challenge) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = UserFactory()
    client = logged_in(user)
    path = f"/sv/challenges/{challenge.slug}/"
    page(client, path)
    page(client, path)
    with CaptureQueriesContext(connection) as queries:
        assert page(client, path)[HEADER] == "hit"
    # only the session itself (from the database here; from Redis in production)
    assert all('"django_session"' in q["sql"] for q in queries.captured_queries), [
        q["sql"] for q in queries.captured_queries
    ]
    # a password change elsewhere ends the session: no cached page for it
    user.set_password("ett-helt-nytt-losenord")
    user.save()
    response = client.get(path)
    assert response.status_code == 200 and b"/accounts/logout/" not in response.content


def test_pages_that_change_with_a_harvest_are_kept_longer(on, challenge) -> None:
    import time

    from tests.catalog.factories import DatasetFactory

    on.PAGE_CACHE_VIEW_SECONDS = {"catalog:dataset_detail": 300}
    dataset = DatasetFactory()
    path = f"/sv/datasets/{dataset.pk}/"
    assert page(Client(), path)[HEADER] == "miss"
    assert 290 < cache.get(_key(path))["fresh_until"] - time.time() <= 300
    page(Client(), f"/sv/challenges/{challenge.slug}/")
    fresh = cache.get(_key(f"/sv/challenges/{challenge.slug}/"))["fresh_until"] - time.time()
    assert 20 < fresh <= 30
    # never shorter than PAGE_CACHE_SECONDS
    on.PAGE_CACHE_VIEW_SECONDS = {"catalog:dataset_detail": 5}
    cache.clear()
    page(Client(), path)
    assert cache.get(_key(path))["fresh_until"] - time.time() > 20
