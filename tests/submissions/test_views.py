from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hack365.catalog.models import ChallengeDataset, Reuse
from hack365.challenges.models import ChallengeStatus
from hack365.submissions import services
from hack365.submissions.models import Attachment, Solution, SolutionStatus
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.organizations.factories import OrganizationFactory, need_owner_of

from .conftest import files_under
from .factories import make_team
from .test_services import PDF, complete

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"submissions:{name}", kwargs=kwargs)


@pytest.fixture
def need_owner_here(challenge: Any) -> Any:
    return need_owner_of(challenge.owner, user__username="behovsagare")


@pytest.fixture
def organizer_user(db: Any) -> Any:
    return OrganizerFactory(username="arrangor")


@pytest.fixture
def stranger(db: Any) -> Any:
    return UserFactory(username="stranger")


@pytest.fixture
def world(
    team_a: Any, team_b: Any, alice: Any, carol: Any, datasets: Any, media: Any
) -> dict[str, Any]:
    """Team A's draft with a confidential and a public attachment; team B's
    submitted solution with a confidential and a public attachment."""
    draft = services.solution_create(user=alice, team=team_a, title="Utkast A")
    services.solution_save(
        user=alice,
        solution=draft,
        expected_version=1,
        **complete(title="Utkast A", dataset_ids=[datasets[0].pk]),
    )
    a_secret = services.attachment_add(
        user=alice,
        solution=draft,
        upload=SimpleUploadedFile("hemlig-a.pdf", PDF),
        is_confidential=True,
    )
    submitted = services.solution_create(user=carol, team=team_b, title="Inlämnad B")
    services.solution_save(
        user=carol,
        solution=submitted,
        expected_version=1,
        **complete(title="Inlämnad B", summary="Skolvägar i Örebro", dataset_ids=[datasets[1].pk]),
    )
    services.solution_submit(user=carol, solution=submitted)
    b_public = services.attachment_add(
        user=carol, solution=submitted, upload=SimpleUploadedFile("Öppen rapport.pdf", PDF)
    )
    b_secret = services.attachment_add(
        user=carol,
        solution=submitted,
        upload=SimpleUploadedFile("sekretess.pdf", PDF),
        is_confidential=True,
    )
    return {
        "draft": draft,
        "a_secret": a_secret,
        "submitted": submitted,
        "b_public": b_public,
        "b_secret": b_secret,
    }


ROLES = ["anonymous", "alice", "carol", "stranger", "need_owner_here", "organizer_user"]


def client_for(request: pytest.FixtureRequest, login: Any, role: str) -> Any:
    return login(None if role == "anonymous" else request.getfixturevalue(role))


# --- who sees what ---------------------------------------------------------------------

# role -> (draft of A, A's confidential file, B's submitted, B's public file, B's confidential file)
VISIBILITY = {
    "anonymous": (404, 404, 200, 200, 404),
    "alice": (200, 200, 200, 200, 404),
    "carol": (404, 404, 200, 200, 200),
    "stranger": (404, 404, 200, 200, 404),
    "need_owner_here": (404, 404, 200, 200, 200),
    "organizer_user": (200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_visibility(request: pytest.FixtureRequest, login: Any, world: Any, role: str) -> None:
    client = client_for(request, login, role)
    draft, submitted = world["draft"], world["submitted"]
    got = (
        client.get(url("detail", pk=draft.pk)).status_code,
        client.get(url("attachment", pk=draft.pk, att_pk=world["a_secret"].pk)).status_code,
        client.get(url("detail", pk=submitted.pk)).status_code,
        client.get(url("attachment", pk=submitted.pk, att_pk=world["b_public"].pk)).status_code,
        client.get(url("attachment", pk=submitted.pk, att_pk=world["b_secret"].pk)).status_code,
    )
    assert got == VISIBILITY[role]


@pytest.mark.parametrize("role", ROLES)
def test_confidential_files_are_not_listed(
    request: pytest.FixtureRequest, login: Any, world: Any, role: str
) -> None:
    page = client_for(request, login, role).get(url("detail", pk=world["submitted"].pk))
    listed = "sekretess.pdf" in page.content.decode()
    assert listed == (VISIBILITY[role][4] == 200)
    assert "Öppen rapport.pdf" in page.content.decode()


def test_team_b_never_sees_team_a_s_draft_anywhere(login: Any, world: Any, carol: Any) -> None:
    client = login(carol)
    draft = world["draft"]
    for address in [
        url("detail", pk=draft.pk),
        url("edit", pk=draft.pk),
        url("versions", pk=draft.pk),
        url("versions", pk=draft.pk) + "?a=1&b=2",
        url("attachment", pk=draft.pk, att_pk=world["a_secret"].pk),
    ]:
        assert client.get(address).status_code == 404, address
    for name in ["submit", "withdraw", "attachment_add"]:
        assert client.post(url(name, pk=draft.pk)).status_code == 404
    response = client.post(url("attachment_remove", pk=draft.pk, att_pk=world["a_secret"].pk))
    assert response.status_code == 404
    # nor under its own solution's address
    submitted = world["submitted"]
    response = client.get(url("attachment", pk=submitted.pk, att_pk=world["a_secret"].pk))
    assert response.status_code == 404
    gallery = client.get(url("gallery"), {"q": "utkast"})
    assert "Utkast A" not in gallery.content.decode()
    assert Attachment.objects.filter(pk=world["a_secret"].pk).exists()


def test_versions_are_for_the_team_and_organizers(
    request: pytest.FixtureRequest, login: Any, world: Any
) -> None:
    submitted = world["submitted"]
    expected = {
        "anonymous": 302,
        "alice": 404,
        "carol": 200,
        "stranger": 404,
        "need_owner_here": 404,
        "organizer_user": 200,
    }
    for role, status in expected.items():
        response = client_for(request, login, role).get(url("versions", pk=submitted.pk))
        assert response.status_code == status, role


def test_withdrawn_solution_is_hidden_again(
    login: Any, world: Any, carol: Any, stranger: Any
) -> None:
    submitted = world["submitted"]
    services.solution_withdraw(user=carol, solution=submitted)
    assert login(stranger).get(url("detail", pk=submitted.pk)).status_code == 404
    assert login(carol).get(url("detail", pk=submitted.pk)).status_code == 200


# --- the download -----------------------------------------------------------------------


def test_download_headers(login: Any, world: Any, carol: Any) -> None:
    response = login(carol).get(
        url("attachment", pk=world["submitted"].pk, att_pk=world["b_secret"].pk)
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''sekretess.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    public = login(None).get(
        url("attachment", pk=world["submitted"].pk, att_pk=world["b_public"].pk)
    )
    assert "filename*=UTF-8''%C3%96ppen%20rapport.pdf" in public["Content-Disposition"]
    assert 'filename="_ppen rapport.pdf"' in public["Content-Disposition"]


# --- the gallery ------------------------------------------------------------------------


def _submitted(n: int, challenge: Any, datasets: list[Any]) -> list[Solution]:
    made = []
    for i in range(n):
        user = UserFactory()
        team = make_team(challenge, lead=user, name=f"Lag {i}")
        solution = services.solution_create(user=user, team=team, title=f"Lösning {i}")
        services.solution_save(
            user=user,
            solution=solution,
            expected_version=1,
            **complete(title=f"Lösning {i}", dataset_ids=[d.pk for d in datasets]),
        )
        services.solution_submit(user=user, solution=solution)
        made.append(solution)
    return made


def test_gallery_queries_do_not_grow(client: Any, challenge: Any, datasets: Any) -> None:
    _submitted(2, challenge, datasets)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("gallery")).status_code == 200
    other = PublishedChallengeFactory(event=EventFactory())
    _submitted(18, other, datasets)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("gallery"))
    assert response.content.decode().count('class="card"') == 20
    assert len(many) == len(few)


def test_gallery_search_folds_swedish_letters(client: Any, world: Any) -> None:
    for query in ["ÖREBRO", "örebro", "Örebro"]:
        page = client.get(url("gallery"), {"q": query}).content.decode()
        assert "Inlämnad B" in page, query
    assert "Inlämnad B" not in client.get(url("gallery"), {"q": "göteborg"}).content.decode()


def test_gallery_filters(client: Any, world: Any, challenge: Any, datasets: Any) -> None:
    other_event = EventFactory(slug="annat-evenemang")
    other = PublishedChallengeFactory(event=other_event, slug="annan")
    (elsewhere,) = _submitted(1, other, [datasets[2]])

    def titles(**params: Any) -> set[str]:
        page = client.get(url("gallery"), params).content.decode()
        return {t for t in ("Inlämnad B", elsewhere.title) if f">{t}</a>" in page}

    assert titles() == {"Inlämnad B", elsewhere.title}
    assert titles(event=challenge.event.slug) == {"Inlämnad B"}
    assert titles(event="annat-evenemang") == {elsewhere.title}
    assert titles(challenge="annan") == {elsewhere.title}
    assert titles(dataset=datasets[1].pk) == {"Inlämnad B"}
    assert titles(dataset=datasets[2].pk) == {elsewhere.title}
    assert titles(licence="MIT") == set()
    assert titles(licence="EUPL-1.2") == {"Inlämnad B", elsewhere.title}
    assert titles(event="finns-inte") == {"Inlämnad B", elsewhere.title}  # bad filter ignored


def test_gallery_never_shows_confidential_names(client: Any, world: Any) -> None:
    page = client.get(url("gallery")).content.decode()
    assert "sekretess" not in page and "hemlig" not in page


# --- the team's pages ---------------------------------------------------------------------


def test_create_flow(login: Any, team_a: Any, alice: Any, carol: Any) -> None:
    assert login(carol).get(url("create", team_pk=team_a.pk)).status_code == 403
    assert login(None).get(url("create", team_pk=team_a.pk)).status_code == 302
    assert login(alice).get(url("create", team_pk=999999)).status_code == 404
    client = login(alice)
    assert client.get(url("create", team_pk=team_a.pk)).status_code == 200
    response = client.post(url("create", team_pk=team_a.pk), {"title": "Vår idé"})
    solution = Solution.objects.get()
    assert response.status_code == 302 and response["Location"] == url("edit", pk=solution.pk)
    again = client.post(url("create", team_pk=team_a.pk), {"title": "Igen"})
    assert again["Location"] == url("edit", pk=solution.pk)
    assert Solution.objects.count() == 1


def _form_data(solution: Solution, **extra: Any) -> dict[str, Any]:
    data = complete(**extra)
    data["version"] = extra.get("version", solution.version)
    data["datasets"] = [str(pk) for pk in data.pop("dataset_ids")]
    return data


def test_edit_save_submit_withdraw(
    login: Any, team_a: Any, alice: Any, challenge: Any, datasets: Any
) -> None:
    ChallengeDataset.objects.create(challenge=challenge, dataset=datasets[0])
    solution = services.solution_create(user=alice, team=team_a)
    client = login(alice)
    page = client.get(url("edit", pk=solution.pk)).content.decode()
    assert datasets[0].display_title in page  # the challenge's datasets are offered
    assert 'name="version"' in page
    data = _form_data(solution, dataset_ids=[datasets[0].pk])
    data["add_datasets"] = (
        f"https://hack365.example/sv/datasets/{datasets[1].pk}/, {datasets[2].pk}"
    )
    response = client.post(url("edit", pk=solution.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    solution.refresh_from_db()
    assert solution.version == 2
    assert [u.dataset_id for u in solution.dataset_uses.all()] == [d.pk for d in datasets]
    assert client.post(url("submit", pk=solution.pk)).status_code == 302
    solution.refresh_from_db()
    assert solution.status == SolutionStatus.SUBMITTED
    assert Reuse.objects.filter(solution=solution).count() == 3
    assert client.post(url("withdraw", pk=solution.pk)).status_code == 302
    solution.refresh_from_db()
    assert solution.status == SolutionStatus.WITHDRAWN
    assert not Reuse.objects.exists()


def test_the_form_refuses_script_addresses(login: Any, team_a: Any, alice: Any) -> None:
    solution = services.solution_create(user=alice, team=team_a)
    data = _form_data(solution, demo_url="javascript:alert(1)")
    page = login(alice).post(url("edit", pk=solution.pk), data)
    assert page.status_code == 200
    assert "http:// or https://" in page.content.decode()
    solution.refresh_from_db()
    assert solution.version == 1


def test_conflict_keeps_the_second_editor_s_text(
    login: Any, team_a: Any, alice: Any, bob: Any
) -> None:
    solution = services.solution_create(user=alice, team=team_a)
    login(alice).post(url("edit", pk=solution.pk), _form_data(solution, summary="Alice"))
    page = login(bob).post(
        url("edit", pk=solution.pk), _form_data(solution, summary="Bobs egen text", version=1)
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Someone else saved a newer version" in text or "någon annan" in text.lower()
    assert "Alice" in text  # who saved
    assert "Bobs egen text" in text  # the input is kept
    assert url("versions", pk=solution.pk) + "?a=1&amp;b=2" in text
    assert 'name="version" value="2"' in text  # saving again is based on Alice's version
    solution.refresh_from_db()
    assert solution.summary == "Alice"
    again = login(bob).post(
        url("edit", pk=solution.pk), _form_data(solution, summary="Bobs egen text", version=2)
    )
    assert again.status_code == 302
    solution.refresh_from_db()
    assert solution.summary == "Bobs egen text" and solution.version == 3


def test_frozen_solution_edit_redirects(
    login: Any, team_a: Any, alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    solution = services.solution_create(user=alice, team=team_a)
    deadline = team_a.challenge.event.submission_deadline
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: deadline)
    response = login(alice).get(url("edit", pk=solution.pk))
    assert response.status_code == 302 and response["Location"] == url("detail", pk=solution.pk)
    page = login(alice).get(url("detail", pk=solution.pk)).content.decode()
    assert url("edit", pk=solution.pk) not in page


def test_versions_diff_is_escaped(login: Any, team_a: Any, alice: Any) -> None:
    solution = services.solution_create(user=alice, team=team_a)
    client = login(alice)
    client.post(url("edit", pk=solution.pk), _form_data(solution, summary="Gammal text"))
    solution.refresh_from_db()
    client.post(
        url("edit", pk=solution.pk),
        _form_data(solution, summary="Ny <script>alert(1)</script> text"),
    )
    page = client.get(url("versions", pk=solution.pk), {"a": 2, "b": 3}).content.decode()
    assert "<del>Gammal</del>" in page
    assert "<ins>Ny &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in page
    assert "<script>alert" not in page
    bad = client.get(url("versions", pk=solution.pk), {"a": "x", "b": 99})
    assert bad.status_code == 200


def test_upload_through_the_page(login: Any, team_a: Any, alice: Any, media: Any) -> None:
    solution = services.solution_create(user=alice, team=team_a)
    client = login(alice)
    fake = SimpleUploadedFile("rapport.pdf", b"<html><script>alert(1)</script>")
    response = client.post(url("attachment_add", pk=solution.pk), {"file": fake}, follow=True)
    assert "not a PDF" in response.content.decode() or "inte en PDF" in response.content.decode()
    assert files_under(media) == []
    good = SimpleUploadedFile("rapport.pdf", PDF)
    client.post(url("attachment_add", pk=solution.pk), {"file": good, "is_confidential": "on"})
    attachment = Attachment.objects.get()
    assert attachment.is_confidential
    response = client.post(url("attachment_remove", pk=solution.pk, att_pk=attachment.pk))
    assert response.status_code == 302
    assert not Attachment.objects.exists()


# --- other pages --------------------------------------------------------------------------


def test_dataset_page_lists_reusing_solutions(client: Any, world: Any, datasets: Any) -> None:
    page = client.get(reverse("catalog:dataset_detail", kwargs={"pk": datasets[1].pk}))
    assert "Inlämnad B" in page.content.decode()
    draft_dataset = client.get(reverse("catalog:dataset_detail", kwargs={"pk": datasets[0].pk}))
    assert "Utkast A" not in draft_dataset.content.decode()


def test_challenge_page_lists_public_solutions(client: Any, world: Any, challenge: Any) -> None:
    page = client.get(challenge.get_absolute_url()).content.decode()
    assert "Inlämnad B" in page
    assert "Utkast A" not in page


def test_event_page_links_to_its_solutions(client: Any, challenge: Any) -> None:
    page = client.get(challenge.event.get_absolute_url()).content.decode()
    assert url("gallery") + f"?event={challenge.event.slug}" in page


def test_organisation_page_lists_reuse_of_its_data(client: Any, world: Any, datasets: Any) -> None:
    from tests.catalog.factories import PublisherFactory

    org = OrganizationFactory(slug="utgivaren")
    publisher = PublisherFactory(organization=org)
    datasets[1].publisher = publisher
    datasets[1].save()
    page = client.get(org.get_absolute_url()).content.decode()
    assert "Inlämnad B" in page
    assert datasets[1].display_title in page


def test_closed_challenge_still_shows_submitted(client: Any, world: Any, challenge: Any) -> None:
    challenge.status = ChallengeStatus.CLOSED
    challenge.save()
    assert client.get(url("detail", pk=world["submitted"].pk)).status_code == 200


def test_an_upload_over_the_limit_is_dropped_while_read(
    login: Any, team_a: Any, alice: Any, media: Any, settings: Any, tmp_path: Any
) -> None:
    """The size limit bites while the body is read: nothing of the file is
    spooled to a temporary file, and the page says why it is missing."""
    settings.FILE_UPLOAD_MAX_BYTES = 64 * 1024  # small, so the test stays fast
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # anything larger would be spooled
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    solution = services.solution_create(user=alice, team=team_a)
    client = login(alice)
    big = SimpleUploadedFile("data.csv", b"a,b\n" * (64 * 1024 // 4 + 1))
    response = client.post(url("attachment_add", pk=solution.pk), {"file": big}, follow=True)
    page = response.content.decode()
    assert "too large" in page or "för stor" in page
    assert not Attachment.objects.exists()
    assert files_under(media) == []
    assert list(spool.iterdir()) == []
    # just under the limit, the same path stores it
    small = SimpleUploadedFile("data.csv", b"a,b\n" * 100)
    client.post(url("attachment_add", pk=solution.pk), {"file": small})
    assert Attachment.objects.count() == 1
