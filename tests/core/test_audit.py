from __future__ import annotations

import pytest

from hack365.core.audit import log_action
from hack365.core.models import AuditLogEntry, DataTheme

pytestmark = pytest.mark.django_db


def test_log_action_records_actor_object_and_data(participant) -> None:
    theme = DataTheme.objects.get(code="HEAL")
    entry = log_action(theme, "core.theme.viewed", actor=participant, data={"a": 1})
    entry.refresh_from_db()
    assert entry.actor == participant
    assert entry.object_id == "HEAL"
    assert entry.content_type is not None and entry.content_type.model == "datatheme"
    assert entry.data == {"a": 1}


def test_secrets_never_enter_the_log(participant) -> None:
    entry = log_action(
        None,
        "accounts.user.tested",
        actor=participant,
        data={"password": "x", "Token": "y", "ok": 1},
    )
    assert entry.data == {"password": "[removed]", "Token": "[removed]", "ok": 1}


def test_anonymous_actor_is_stored_as_none() -> None:
    from django.contrib.auth.models import AnonymousUser

    entry = log_action(None, "core.thing.done", actor=AnonymousUser())
    assert entry.actor is None


def test_action_names_are_dotted() -> None:
    with pytest.raises(ValueError):
        log_action(None, "published")


def test_audit_log_is_append_only() -> None:
    entry = log_action(None, "core.thing.done")
    entry.action = "core.thing.changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditLogEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditLogEntry.objects.update(action="x.y.z")
    assert AuditLogEntry.objects.get(pk=entry.pk).action == "core.thing.done"


def test_audit_log_is_read_only_in_the_admin(client, organizer) -> None:
    organizer.is_superuser = True
    organizer.save(update_fields=["is_superuser"])
    entry = log_action(None, "core.thing.done")
    client.force_login(organizer)
    assert client.get("/sv/admin/core/auditlogentry/").status_code == 200
    assert client.get("/sv/admin/core/auditlogentry/add/").status_code == 403
    response = client.post(f"/sv/admin/core/auditlogentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_all_thirteen_eu_themes_are_loaded() -> None:
    assert DataTheme.objects.count() == 13
    assert DataTheme.objects.get(code="TRAN").uri.endswith("/data-theme/TRAN")
