from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hack365.catalog.models import Reuse
from hack365.challenges.models import ChallengeStatus
from hack365.core.errors import ApplicationError, PermissionDenied
from hack365.core.models import AuditLogEntry
from hack365.submissions import files, services
from hack365.submissions.models import Attachment, Solution, SolutionStatus, SolutionVersion
from tests.catalog.factories import DatasetFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory

from .conftest import files_under
from .factories import make_team

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def complete(**extra: Any) -> dict[str, Any]:
    fields = {
        "title": "Trygga skolvägar",
        "summary": "En karta över säkra vägar till skolan.",
        "problem": "Föräldrar vet inte vilka vägar som är säkra.",
        "target_group": "Föräldrar",
        "other_data": "",
        "repository_url": "https://example.org/repo",
        "demo_url": "",
        "video_url": "",
        "licence": "EUPL-1.2",
        "dataset_ids": [],
    }
    fields.update(extra)
    return fields


def save(user: Any, solution: Solution, **extra: Any) -> Solution:
    expected = extra.pop("expected_version", solution.version)
    return services.solution_save(
        user=user, solution=solution, expected_version=expected, **complete(**extra)
    )


@pytest.fixture
def draft(team_a: Any, alice: Any) -> Solution:
    return services.solution_create(user=alice, team=team_a, title="Skolvägar")


def zip_bytes(members: list[tuple[str, str]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes(
    [
        (
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        ),
        ("word/document.xml", "<w:document/>"),
    ]
)
ODT = zip_bytes([("mimetype", "application/vnd.oasis.opendocument.text"), ("content.xml", "<x/>")])


# --- create --------------------------------------------------------------------------


def test_create_makes_a_draft_with_version_one(draft: Solution, alice: Any) -> None:
    assert draft.status == SolutionStatus.DRAFT
    assert draft.version == 1
    assert draft.created_by == alice
    assert draft.challenge == draft.team.challenge
    assert list(draft.versions.values_list("number", flat=True)) == [1]
    assert AuditLogEntry.objects.filter(action="submissions.solution.created").count() == 1


def test_create_default_title(team_a: Any, bob: Any) -> None:
    solution = services.solution_create(user=bob, team=team_a)
    assert "Team A" in solution.title


def test_create_only_by_members(team_a: Any, carol: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.solution_create(user=carol, team=team_a)
    with pytest.raises(PermissionDenied):
        services.solution_create(user=None, team=team_a)
    assert not Solution.objects.exists()


def test_create_one_per_team_and_challenge(draft: Solution, team_a: Any, bob: Any) -> None:
    with pytest.raises(ApplicationError, match="already has a solution"):
        services.solution_create(user=bob, team=team_a)
    assert Solution.objects.count() == 1


def test_create_needs_a_challenge(alice: Any) -> None:
    from hack365.teams.models import Team, TeamMembership

    team = Team.objects.create(name="Utan utmaning", event=EventFactory())
    TeamMembership.objects.create(team=team, user=alice, role="lead")
    with pytest.raises(ApplicationError, match="chosen a challenge"):
        services.solution_create(user=alice, team=team)


@pytest.mark.parametrize("status", [ChallengeStatus.CLOSED, ChallengeStatus.DRAFT])
def test_create_needs_a_published_challenge(status: str, alice: Any) -> None:
    challenge = PublishedChallengeFactory(status=status)
    team = make_team(challenge, lead=alice)
    with pytest.raises(ApplicationError):
        services.solution_create(user=alice, team=team)


def test_create_after_the_deadline_is_refused(alice: Any) -> None:
    challenge = PublishedChallengeFactory(deadline=timezone.now() - timedelta(seconds=1))
    team = make_team(challenge, lead=alice)
    with pytest.raises(ApplicationError, match="frozen"):
        services.solution_create(user=alice, team=team)


# --- save, versions, conflicts -------------------------------------------------------


def test_every_save_keeps_a_version(draft: Solution, alice: Any, bob: Any, datasets: Any) -> None:
    save(alice, draft, dataset_ids=[datasets[0].pk, datasets[1].pk])
    assert draft.version == 2
    save(bob, draft, summary="Ändrad", dataset_ids=[datasets[1].pk])
    draft.refresh_from_db()
    assert draft.version == 3
    numbers = list(draft.versions.order_by("number").values_list("number", "author__username"))
    assert numbers == [(1, "alice"), (2, "alice"), (3, "bob")]
    latest = draft.versions.get(number=3)
    assert latest.data["summary"] == "Ändrad"
    assert latest.data["datasets"] == [{"id": datasets[1].pk, "title": datasets[1].display_title}]
    assert list(draft.datasets.all()) == [datasets[1]]
    assert "ändrad" in draft.search_text
    entry = AuditLogEntry.objects.filter(action="submissions.solution.saved").latest("pk")
    assert entry.data["datasets_removed"] == [datasets[0].pk]


def test_datasets_keep_their_order(draft: Solution, alice: Any, datasets: Any) -> None:
    order = [datasets[2].pk, datasets[0].pk, datasets[2].pk]
    save(alice, draft, dataset_ids=order)
    assert [u.dataset_id for u in draft.dataset_uses.all()] == [datasets[2].pk, datasets[0].pk]


def test_second_save_from_the_same_version_is_a_conflict(
    draft: Solution, alice: Any, bob: Any
) -> None:
    started_from = draft.version
    save(alice, draft, summary="Alice version", expected_version=started_from)
    with pytest.raises(services.SolutionConflict) as caught:
        save(bob, draft, summary="Bob version", expected_version=started_from)
    assert "Alice" in str(caught.value.messages[0])
    assert caught.value.current_version == 2
    draft.refresh_from_db()
    assert draft.summary == "Alice version"
    assert draft.versions.count() == 2


def test_save_only_by_members(draft: Solution, carol: Any, organizer: Any) -> None:
    for user in (carol, organizer, None):
        with pytest.raises(PermissionDenied):
            save(user, draft)
    assert draft.versions.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "file:///etc/passwd",
        "//example.org/x",
        "example.org",
        "http://",
    ],
)
@pytest.mark.parametrize("field", ["repository_url", "demo_url", "video_url"])
def test_only_http_and_https_addresses(draft: Solution, alice: Any, field: str, url: str) -> None:
    with pytest.raises(ValidationError) as caught:
        save(alice, draft, **{field: url})
    assert field in caught.value.message_dict
    draft.refresh_from_db()
    assert draft.version == 1


def test_http_addresses_are_kept(draft: Solution, alice: Any) -> None:
    save(alice, draft, demo_url="http://demo.example.org/", video_url="https://video.example.org/v")
    draft.refresh_from_db()
    assert draft.demo_url == "http://demo.example.org/"


def test_text_limits_and_required_title(draft: Solution, alice: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        save(alice, draft, summary="x" * 601)
    assert "summary" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        save(alice, draft, title="  ")
    assert "title" in caught.value.message_dict


def test_unknown_licence_is_refused(draft: Solution, alice: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        save(alice, draft, licence="WTFPL-9")
    assert "licence" in caught.value.message_dict


def test_unknown_and_withdrawn_datasets(draft: Solution, alice: Any, datasets: Any) -> None:
    with pytest.raises(ValidationError, match="no dataset"):
        save(alice, draft, dataset_ids=[999999])
    gone = DatasetFactory(withdrawn=True)
    with pytest.raises(ValidationError, match="withdrawn"):
        save(alice, draft, dataset_ids=[gone.pk])
    with pytest.raises(ValidationError):
        save(alice, draft, dataset_ids=["x"])
    with pytest.raises(ValidationError, match="at most"):
        save(alice, draft, dataset_ids=[DatasetFactory().pk for _ in range(31)])


def test_a_dataset_withdrawn_later_can_be_kept(draft: Solution, alice: Any, datasets: Any) -> None:
    save(alice, draft, dataset_ids=[datasets[0].pk])
    datasets[0].withdrawn = True
    datasets[0].save()
    save(alice, draft, dataset_ids=[datasets[0].pk], summary="Fortfarande")
    assert draft.version == 3


# --- submit, reuse, withdraw ---------------------------------------------------------


def test_submit_checks_completeness(draft: Solution, alice: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.solution_submit(user=alice, solution=draft)
    assert {"summary", "problem", "datasets", "licence"} <= set(caught.value.message_dict)
    draft.refresh_from_db()
    assert draft.status == SolutionStatus.DRAFT


def test_submit_with_other_data_only(draft: Solution, alice: Any) -> None:
    save(alice, draft, other_data="Egen enkät bland föräldrar")
    services.solution_submit(user=alice, solution=draft)
    assert draft.status == SolutionStatus.SUBMITTED
    assert draft.submitted_at is not None
    assert not Reuse.objects.exists()


def test_submit_records_reuse_and_saves_keep_it_in_step(
    draft: Solution, alice: Any, datasets: Any
) -> None:
    save(alice, draft, dataset_ids=[datasets[0].pk, datasets[1].pk])
    assert not Reuse.objects.exists()  # a draft reuses nothing yet
    services.solution_submit(user=alice, solution=draft)
    assert set(Reuse.objects.values_list("dataset_id", flat=True)) == {
        datasets[0].pk,
        datasets[1].pk,
    }
    save(alice, draft, dataset_ids=[datasets[1].pk, datasets[2].pk])
    assert set(Reuse.objects.values_list("dataset_id", flat=True)) == {
        datasets[1].pk,
        datasets[2].pk,
    }
    assert AuditLogEntry.objects.filter(action="submissions.solution.submitted").exists()


def test_a_submitted_solution_must_stay_complete(
    draft: Solution, alice: Any, datasets: Any
) -> None:
    save(alice, draft, dataset_ids=[datasets[0].pk])
    services.solution_submit(user=alice, solution=draft)
    with pytest.raises(ValidationError) as caught:
        save(alice, draft, dataset_ids=[], other_data="")
    assert "datasets" in caught.value.message_dict
    assert Reuse.objects.count() == 1


def test_submit_twice_is_refused(draft: Solution, alice: Any, datasets: Any) -> None:
    save(alice, draft, dataset_ids=[datasets[0].pk])
    services.solution_submit(user=alice, solution=draft)
    with pytest.raises(ApplicationError):
        services.solution_submit(user=alice, solution=draft)


def test_submit_and_withdraw_only_by_members(
    draft: Solution, alice: Any, carol: Any, datasets: Any
) -> None:
    save(alice, draft, dataset_ids=[datasets[0].pk])
    with pytest.raises(PermissionDenied):
        services.solution_submit(user=carol, solution=draft)
    services.solution_submit(user=alice, solution=draft)
    with pytest.raises(PermissionDenied):
        services.solution_withdraw(user=carol, solution=draft)


def test_withdraw_removes_reuse_and_can_be_submitted_again(
    draft: Solution, alice: Any, bob: Any, datasets: Any
) -> None:
    save(alice, draft, dataset_ids=[datasets[0].pk])
    services.solution_submit(user=alice, solution=draft)
    services.solution_withdraw(user=bob, solution=draft)
    draft.refresh_from_db()
    assert draft.status == SolutionStatus.WITHDRAWN
    assert draft.withdrawn_at is not None
    assert not Reuse.objects.exists()
    assert AuditLogEntry.objects.filter(action="submissions.solution.withdrawn").exists()
    with pytest.raises(ApplicationError):
        services.solution_withdraw(user=bob, solution=draft)
    services.solution_submit(user=alice, solution=draft)
    assert Reuse.objects.count() == 1


# --- the deadline ----------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``clock(moment)``: the services' "now" is ``moment`` from here on."""

    def set_time(moment: Any) -> None:
        monkeypatch.setattr(services, "_now", lambda: moment)

    return set_time


@pytest.mark.parametrize("action", ["save", "submit", "attach", "withdraw", "remove"])
def test_deadline_boundary(
    action: str, draft: Solution, alice: Any, datasets: Any, clock: Any, media: Any
) -> None:
    deadline = draft.challenge.event.submission_deadline
    save(alice, draft, dataset_ids=[datasets[0].pk])
    attachment = services.attachment_add(
        user=alice, solution=draft, upload=SimpleUploadedFile("b.pdf", PDF)
    )
    if action in ("withdraw",):
        services.solution_submit(user=alice, solution=draft)

    def run() -> Any:
        draft.refresh_from_db()
        if action == "save":
            return save(alice, draft, dataset_ids=[datasets[1].pk])
        if action == "submit":
            return services.solution_submit(user=alice, solution=draft)
        if action == "attach":
            return services.attachment_add(
                user=alice, solution=draft, upload=SimpleUploadedFile("a.pdf", PDF)
            )
        if action == "withdraw":
            return services.solution_withdraw(user=alice, solution=draft)
        return services.attachment_remove(user=alice, attachment=attachment)

    clock(deadline)
    with pytest.raises(ApplicationError, match="frozen") as caught:
        run()
    local = timezone.localtime(deadline)
    assert f"{local:%H:%M}" in caught.value.messages[0]
    clock(deadline - timedelta(microseconds=1))
    run()


def test_year_round_challenge_uses_its_own_deadline(alice: Any, clock: Any) -> None:
    deadline = timezone.now() + timedelta(days=1)
    challenge = PublishedChallengeFactory(deadline=deadline)
    team = make_team(challenge, lead=alice)
    solution = services.solution_create(user=alice, team=team)
    clock(deadline)
    with pytest.raises(ApplicationError, match="frozen"):
        save(alice, solution)
    clock(deadline + timedelta(days=400))
    challenge.deadline = None
    challenge.save()
    solution.refresh_from_db()
    save(alice, solution)  # no deadline: open as long as the challenge is


def test_the_deadline_message_is_in_words() -> None:
    from django.utils import translation

    moment = timezone.make_aware(timezone.datetime(2026, 3, 12, 18, 0))
    with translation.override("en"):
        assert services.frozen_message(moment) == (
            "The deadline passed at 18:00 on 12 March 2026; the solution is frozen."
        )
    with translation.override("sv"):
        assert services.frozen_message(moment) == (
            "Sista dagen passerades kl. 18:00 den 12 mars 2026; lösningen är låst."
        )


def test_closed_challenge_freezes_the_solution(draft: Solution, alice: Any) -> None:
    draft.challenge.status = ChallengeStatus.CLOSED
    draft.challenge.save()
    draft.refresh_from_db()
    with pytest.raises(ApplicationError, match="not open"):
        save(alice, draft)


# --- attachments -----------------------------------------------------------------------


def test_attachment_is_stored_under_a_generated_name(
    draft: Solution, alice: Any, media: Any
) -> None:
    upload = SimpleUploadedFile("../../etc/Rapport <1>.pdf", PDF, content_type="text/html")
    attachment = services.attachment_add(
        user=alice, solution=draft, upload=upload, is_confidential=True
    )
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "Rapport _1_.pdf"
    assert attachment.size == len(PDF)
    year = f"{timezone.now():%Y}"
    assert attachment.file.name.startswith(f"attachments/{year}/")
    assert attachment.file.name.endswith(".pdf")
    assert "Rapport" not in attachment.file.name
    stored = files_under(media)
    assert len(stored) == 1 and stored[0].read_bytes() == PDF
    entry = AuditLogEntry.objects.get(action="submissions.attachment.added")
    assert "name" not in entry.data  # a confidential file's name stays out of the log
    assert entry.data["confidential"] is True


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bild.png", PNG),
        ("bild.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 20),
        ("bild.gif", b"GIF89a" + b"\x00" * 20),
        ("bild.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20),
        ("text.docx", DOCX),
        ("text.odt", ODT),
        ("data.csv", "kommun,antal\nÖrebro,3\n".encode()),
        ("läs mig.md", "# Rubrik\n\nText om å, ä och ö.\n".encode()),
        ("data.json", b'{"a": [1, 2]}'),
        ("anteckning.txt", b"Hej"),
    ],
)
def test_allowed_types(draft: Solution, alice: Any, media: Any, name: str, content: bytes) -> None:
    attachment = services.attachment_add(
        user=alice, solution=draft, upload=SimpleUploadedFile(name, content)
    )
    assert attachment.content_type == files.BY_EXTENSION[name.rsplit(".", 1)[1]].content_type


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("sida.html", b"<html><script>alert(1)</script></html>", "cannot be attached"),
        ("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "cannot be attached"),
        ("program.exe", b"MZ\x90\x00", "cannot be attached"),
        ("utan-filandelse", b"%PDF-1.4", "cannot be attached"),
        ("falsk.pdf", b"this is not a pdf at all", "not a PDF"),
        ("sida.pdf", b"<!DOCTYPE html><html><script>x</script></html>", "not a PDF"),
        ("bild.pdf", PNG, "not a PDF"),
        ("rapport.png", PDF, "not a PNG"),
        ("arkiv.docx", zip_bytes([("a.txt", "x")]), "not a Word"),
        ("text.docx", ODT, "not a Word"),
        ("text.odt", DOCX, "not a OpenDocument"),
        ("sida.txt", b"<!doctype html><p>hej</p>", "not a text"),
        ("bild.txt", b"<svg onload='x'/>", "not a text"),
        ("binar.csv", b"a,b\x00c", "not a CSV"),
        ("latin1.txt", "Åsa".encode("latin-1"), "not a text"),
        ("trasig.json", b"{nope", "not a JSON"),
        ("tom.pdf", b"", "empty"),
    ],
)
def test_refused_uploads_leave_nothing(
    draft: Solution, alice: Any, media: Any, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        services.attachment_add(
            user=alice, solution=draft, upload=SimpleUploadedFile(name, content)
        )
    assert "file" in caught.value.message_dict
    assert not Attachment.objects.exists()
    assert files_under(media) == []
    assert not AuditLogEntry.objects.filter(action__startswith="submissions.attachment").exists()


def test_over_size_upload_is_refused_while_reading(
    draft: Solution, alice: Any, media: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_SIZE", 1000)

    class Unsized(SimpleUploadedFile):
        read_chunks = 0

        def chunks(self, chunk_size: int | None = None) -> Any:
            for _i in range(100):
                Unsized.read_chunks += 1
                yield b"%PDF" + b"x" * 396

    upload = Unsized("stor.pdf", b"")
    upload.size = None  # type: ignore[assignment]  # as if the size were unknown
    with pytest.raises(ValidationError, match="too large"):
        services.attachment_add(user=alice, solution=draft, upload=upload)
    assert Unsized.read_chunks == 3  # stopped as soon as the limit was passed
    big = SimpleUploadedFile("stor.pdf", PDF + b"x" * 1000)
    with pytest.raises(ValidationError, match="too large"):
        services.attachment_add(user=alice, solution=draft, upload=big)
    assert not Attachment.objects.exists()
    assert files_under(media) == []


def test_the_limit_is_25_megabytes() -> None:
    assert files.MAX_SIZE == 25 * 1024 * 1024


def test_at_most_ten_attachments(
    draft: Solution, alice: Any, media: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(services.MAX_ATTACHMENTS):
        services.attachment_add(
            user=alice, solution=draft, upload=SimpleUploadedFile(f"{n}.txt", b"x")
        )
    with pytest.raises(ApplicationError, match="at most 10"):
        services.attachment_add(
            user=alice, solution=draft, upload=SimpleUploadedFile("x.txt", b"x")
        )
    assert len(files_under(media)) == services.MAX_ATTACHMENTS


def test_attachments_only_by_members(draft: Solution, carol: Any, media: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.attachment_add(user=carol, solution=draft, upload=SimpleUploadedFile("a.pdf", PDF))
    assert files_under(media) == []


def test_a_failing_row_leaves_no_file(
    draft: Solution, alice: Any, media: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database gone")

    monkeypatch.setattr(Attachment.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.attachment_add(user=alice, solution=draft, upload=SimpleUploadedFile("a.pdf", PDF))
    assert files_under(media) == []


def test_remove_deletes_the_file_after_commit(
    draft: Solution,
    alice: Any,
    bob: Any,
    carol: Any,
    media: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    attachment = services.attachment_add(
        user=alice, solution=draft, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    with pytest.raises(PermissionDenied):
        services.attachment_remove(user=carol, attachment=attachment)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(user=bob, attachment=attachment)
    assert not Attachment.objects.exists()
    assert files_under(media) == []
    assert AuditLogEntry.objects.filter(action="submissions.attachment.removed").exists()


def test_versions_are_not_made_by_status_changes(draft: Solution, alice: Any) -> None:
    save(alice, draft, other_data="Enkät")
    services.solution_submit(user=alice, solution=draft)
    assert SolutionVersion.objects.filter(solution=draft).count() == 2
