"""The personal-data export: every section, never the password."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from hack365.accounts import export
from hack365.accounts.services import demographics_set, profile_update, user_export
from hack365.core.audit import log_action
from hack365.core.models import AuditLogEntry
from tests.challenges.factories import QuestionFactory
from tests.organizations.factories import MembershipFactory

from .factories import UserFactory
from .pagecheck import check_page

pytestmark = pytest.mark.django_db

URL = "/en/account/export/"
SECTIONS = {
    "export",
    "account",
    "email_addresses",
    "profile",
    "consents",
    "demographics",
    "organisation_memberships",
    "challenge_questions",
    "audit_log",
}


@pytest.fixture
def rich_user(db):
    user = UserFactory(username="rich", first_name="Selma", last_name="Lagerlöf")
    profile_update(user=user, display_name="Selma L", skills=["GIS"], languages=["sv"])
    demographics_set(user=user, gender="woman", age_band="65+", consent=True)
    MembershipFactory(user=user)
    QuestionFactory(author=user, body="Vilka data finns om skogen?")
    QuestionFactory(body="Someone else's question")
    return user


def test_export_contains_every_section(rich_user):
    data = export.build_export(rich_user)
    assert set(data) >= SECTIONS
    assert data["account"]["email"] == rich_user.email
    assert data["account"]["username"] == "rich"
    assert data["email_addresses"] == [
        {"email": rich_user.email, "verified": True, "primary": True}
    ]
    assert data["profile"]["display_name"] == "Selma L"
    assert data["profile"]["skills"] == ["GIS"]
    assert data["consents"][0]["kind"] == "demographics"
    assert data["consents"][0]["withdrawn_at"] is None
    assert data["demographics"]["age_band"] == "65+"
    assert len(data["organisation_memberships"]) == 1
    assert data["organisation_memberships"][0]["role"] == "need_owner"
    assert [q["question"] for q in data["challenge_questions"]] == ["Vilka data finns om skogen?"]
    actions = {entry["action"] for entry in data["audit_log"]}
    assert {"accounts.profile.updated", "accounts.demographics.set"} <= actions


def test_export_never_contains_the_password(rich_user):
    text = export.export_json(export.build_export(rich_user))
    assert rich_user.password not in text
    assert "password" not in text.lower()
    assert "md5$" not in text and "pbkdf2" not in text


def test_export_of_a_bare_user(db):
    user = UserFactory(profile=False, verified=False)
    data = export.build_export(user)
    assert data["profile"] is None
    assert data["demographics"] is None
    assert data["consents"] == [] and data["challenge_questions"] == []
    json.loads(export.export_json(data))


def test_other_apps_can_register_sections(participant):
    def teams(user):
        return [{"team": "Datadrivna", "member_id": user.pk}]

    export.register_section("teams", teams)
    try:
        export.register_section("teams", teams)  # idempotent
        with pytest.raises(ValueError):
            export.register_section("teams", lambda user: [])
        with pytest.raises(ValueError):
            export.register_section("export", teams)
        data = export.build_export(participant)
        assert data["teams"] == [{"team": "Datadrivna", "member_id": participant.pk}]
        assert list(data)[-1] == "teams"
    finally:
        export.unregister_section("teams")
    assert "teams" not in export.build_export(participant)


def test_user_export_is_audited(participant):
    user_export(user=participant)
    entry = AuditLogEntry.objects.get(action="accounts.data.exported")
    assert entry.actor == participant


def test_audit_section_lists_only_own_actions(participant, organizer):
    log_action(None, "tests.thing.done", actor=participant)
    log_action(None, "tests.thing.other", actor=organizer)
    actions = [e["action"] for e in export.build_export(participant)["audit_log"]]
    assert "tests.thing.done" in actions and "tests.thing.other" not in actions


def test_export_page_explains(user_client):
    response = user_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert "never contains your password" in html
    assert "the questions you have asked about challenges" in html


def test_export_download_is_a_json_attachment(client, rich_user):
    client.force_login(rich_user)
    response = client.post(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="hack365-data-{today}.json"'
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert set(data) >= SECTIONS
    assert data["account"]["email"] == rich_user.email
    assert rich_user.password not in response.content.decode()


def test_export_queries_do_not_grow_with_the_data(participant):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            export.build_export(participant)
        return len(ctx.captured_queries)

    QuestionFactory.create_batch(2, author=participant)
    MembershipFactory.create_batch(2, user=participant)
    few = count()
    QuestionFactory.create_batch(18, author=participant)
    MembershipFactory.create_batch(18, user=participant)
    assert count() == few
