"""Blind review: no team name and no member name (user name, first and last
name, display name, e-mail address) anywhere in what a jury member receives:
the HTML of every jury page and the headers of attachment downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from hack365.judging import services
from hack365.judging.models import Juror
from hack365.submissions.models import Attachment, SolutionStatus
from hack365.teams.models import Team, TeamMembership, TeamRole
from tests.accounts.factories import OrganizerFactory, UserFactory
from tests.challenges.factories import EventFactory, PublishedChallengeFactory
from tests.submissions.factories import SolutionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _swedish() -> Any:
    with translation.override("sv"):
        yield


@pytest.fixture
def blind_world(settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    organizer = OrganizerFactory()
    event = EventFactory()
    challenge = PublishedChallengeFactory(event=event)
    lead = UserFactory(
        username="zlatanlead",
        first_name="Agnes",
        last_name="Bergström",
        email="agnes.bergstrom@kommun.example",
    )
    member = UserFactory(username="hemligmedlem", first_name="Yusuf", last_name="Karlsson")
    member.profile.display_name = "Yusuf K i Malmö"
    member.profile.save(update_fields=["display_name"])
    team = Team.objects.create(name="Kodkollektivet Nordsken", challenge=challenge)
    TeamMembership.objects.create(team=team, user=lead, role=TeamRole.LEAD)
    TeamMembership.objects.create(team=team, user=member, role=TeamRole.MEMBER)
    solution = SolutionFactory(
        team=team,
        challenge=challenge,
        title="Snöröjningskartan",
        summary="Visar var det är plogat.",
        status=SolutionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    for name, confidential in (("Kodkollektivet-Nordsken-Agnes.pdf", False), ("hemlig.pdf", True)):
        Attachment.objects.create(
            solution=solution,
            file=ContentFile(PDF, name="x.pdf"),
            original_name=name,
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            is_confidential=confidential,
            uploaded_by=lead,
        )
    now = timezone.now()
    round = services.round_create(
        actor=organizer,
        event=event,
        title="Blind omgång",
        opens_at=now - timezone.timedelta(hours=1),
        closes_at=now + timezone.timedelta(days=3),
        blind=True,
    )
    juror_user = UserFactory(username="domaren")
    juror_user.profile.languages = ["sv"]
    juror_user.profile.save(update_fields=["languages"])
    services.juror_add(actor=organizer, round=round, user=juror_user, notify=False)
    services.juror_add(actor=organizer, round=round, user=UserFactory(), notify=False)
    services.round_open(actor=organizer, round=round)
    assignment = services.assignment_add(
        actor=organizer,
        entry=round.entries.get(),
        juror=Juror.objects.get(round=round, user=juror_user),
    )
    secrets = [
        team.name,
        *(
            value
            for user in (lead, member)
            for value in (
                user.username,
                user.first_name,
                user.last_name,
                user.email,
                user.profile.display_name,
            )
        ),
        "Kodkollektivet-Nordsken-Agnes",
    ]
    return {
        "round": round,
        "assignment": assignment,
        "juror": juror_user,
        "secrets": secrets,
        "solution": solution,
    }


def _leaks(text: str, secrets: list[str]) -> list[str]:
    lowered = text.lower()
    return [s for s in secrets if s and s.lower() in lowered]


def test_no_team_or_member_name_on_any_jury_page(blind_world: dict[str, Any]) -> None:
    assignment, secrets = blind_world["assignment"], blind_world["secrets"]
    client = Client()
    client.force_login(blind_world["juror"])
    criteria = list(blind_world["round"].criteria.order_by("position"))
    pages = {
        "mine": client.get(reverse("judging:mine")),
        "assignment": client.get(reverse("judging:assignment", kwargs={"pk": assignment.pk})),
        "conflict": client.get(reverse("judging:conflict", kwargs={"pk": assignment.pk})),
        # a form with errors, and a page after a saved draft
        "score_errors": client.post(
            reverse("judging:assignment", kwargs={"pk": assignment.pk}),
            {"action": "submit", f"value_{criteria[0].pk}": "3"},
        ),
        "draft_saved": client.post(
            reverse("judging:assignment", kwargs={"pk": assignment.pk}),
            {
                "action": "draft",
                f"value_{criteria[0].pk}": "3",
                f"justification_{criteria[0].pk}": "Bra.",
            },
            follow=True,
        ),
        "conflict_errors": client.post(
            reverse("judging:conflict", kwargs={"pk": assignment.pk}), {"reason": "other"}
        ),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.content.decode()
        assert not _leaks(html, secrets), f"{name} shows {_leaks(html, secrets)}"
    html = pages["assignment"].content.decode()
    assert "Lösning 1: Snöröjningskartan" in html
    assert "Bilaga 1 (PDF," in html
    assert "Bilaga 2 (PDF," in html  # the confidential one: the juror is assigned
    assert blind_world["solution"].get_absolute_url() not in html
    # nor the challenge's page, which lists its teams
    assert blind_world["solution"].challenge.get_absolute_url() not in html


def test_attachments_download_under_neutral_names(blind_world: dict[str, Any]) -> None:
    assignment, secrets = blind_world["assignment"], blind_world["secrets"]
    client = Client()
    client.force_login(blind_world["juror"])
    for number in (1, 2):
        response = client.get(
            reverse("judging:attachment", kwargs={"pk": assignment.pk, "number": number})
        )
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith(
            f'attachment; filename="attachment-{number}.pdf"'
        )
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        assert not _leaks(headers, secrets), headers
        assert response["Cache-Control"] == "private, no-store"
    assert (
        client.get(
            reverse("judging:attachment", kwargs={"pk": assignment.pk, "number": 3})
        ).status_code
        == 404
    )
    stranger = Client()
    stranger.force_login(UserFactory())
    url = reverse("judging:attachment", kwargs={"pk": assignment.pk, "number": 1})
    assert stranger.get(url).status_code == 404


def test_a_round_that_is_not_blind_names_the_team(blind_world: dict[str, Any]) -> None:
    round, assignment = blind_world["round"], blind_world["assignment"]
    type(round).objects.filter(pk=round.pk).update(blind=False)
    client = Client()
    client.force_login(blind_world["juror"])
    html = client.get(reverse("judging:assignment", kwargs={"pk": assignment.pk})).content.decode()
    assert "Kodkollektivet Nordsken" in html
    response = client.get(reverse("judging:attachment", kwargs={"pk": assignment.pk, "number": 1}))
    assert "Kodkollektivet-Nordsken-Agnes.pdf" in response["Content-Disposition"]


def test_a_reused_dataset_is_named_without_a_link_in_a_blind_round(
    blind_world: dict[str, Any],
) -> None:
    """A dataset's page lists every solution reusing it with its team's
    name: in blind review the jury gets the dataset's title, not the link."""
    from tests.catalog.factories import DatasetFactory
    from tests.submissions.factories import SolutionDatasetFactory

    dataset = DatasetFactory(title={"sv": "Plogrutter i Luleå", "en": "Ploughing routes"})
    SolutionDatasetFactory(solution=blind_world["solution"], dataset=dataset)
    round, assignment = blind_world["round"], blind_world["assignment"]
    client = Client()
    client.force_login(blind_world["juror"])
    page = reverse("judging:assignment", kwargs={"pk": assignment.pk})
    html = client.get(page).content.decode()
    assert "Plogrutter i Luleå" in html
    assert dataset.get_absolute_url() not in html
    type(round).objects.filter(pk=round.pk).update(blind=False)
    assert dataset.get_absolute_url() in client.get(page).content.decode()


def test_blind_review_warns_that_the_solutions_own_links_may_name_people(
    blind_world: dict[str, Any],
) -> None:
    from hack365.judging.forms import RoundForm

    warning = "Lösningens egna länkar (kodförråd, demo, video) visas som teamet angav dem"
    assert warning in str(RoundForm().fields["blind"].help_text)
    solution = blind_world["solution"]
    solution.repository_url = "https://github.com/agnes-bergstrom/plogkartan"
    solution.save(update_fields=["repository_url"])
    jury = Client()
    jury.force_login(blind_world["juror"])
    page = reverse("judging:assignment", kwargs={"pk": blind_world["assignment"].pk})
    assert warning in jury.get(page).content.decode()
    organizer = Client()
    organizer.force_login(OrganizerFactory())
    round_page = reverse("judging:round_detail", kwargs={"pk": blind_world["round"].pk})
    assert warning in organizer.get(round_page).content.decode()
    assert (
        warning
        in organizer.get(
            reverse("judging:round_edit", kwargs={"pk": blind_world["round"].pk})
        ).content.decode()
    )


def test_an_attachment_without_an_extension_is_a_file_in_the_users_language(
    blind_world: dict[str, Any],
) -> None:
    from hack365.judging import selectors

    Attachment.objects.filter(solution=blind_world["solution"], is_confidential=True).update(
        original_name="README"
    )
    assignment = blind_world["assignment"]
    kinds = [item.kind for item in selectors.assignment_attachments(assignment)]
    assert kinds == ["PDF", "fil"]
    with translation.override("en"):
        assert [item.kind for item in selectors.assignment_attachments(assignment)][1] == "file"
    client = Client()
    client.force_login(blind_world["juror"])
    html = client.get(reverse("judging:assignment", kwargs={"pk": assignment.pk})).content.decode()
    assert "Bilaga 2 (fil," in html
    assert "FILE" not in html
