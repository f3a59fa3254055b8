"""Account deletion: confirmed with the password, audited without personal
data, questions kept without author, the last superuser protected."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from hack365.accounts.models import Consent, Demographics, Profile, User
from hack365.accounts.services import account_delete, demographics_set
from hack365.challenges.models import Question
from hack365.core.errors import ApplicationError
from hack365.core.models import AuditLogEntry
from hack365.organizations.models import Membership
from tests.challenges.factories import QuestionFactory
from tests.organizations.factories import MembershipFactory

from .factories import SuperuserFactory, UserFactory
from .pagecheck import check_page

pytestmark = pytest.mark.django_db

URL = "/en/account/delete/"
PASSWORD = "correct-horse-battery"


def confirm(user, **overrides):
    return {"password": PASSWORD, "confirm_email": user.email, **overrides}


# --- service --------------------------------------------------------------------


def test_account_delete_erases_the_user_and_keeps_questions(participant):
    demographics_set(user=participant, gender="man", age_band="25-34", consent=True)
    MembershipFactory(user=participant)
    question = QuestionFactory(author=participant)
    user_id = participant.pk

    account_delete(user=participant)

    assert not User.objects.filter(pk=user_id).exists()
    for model in (Profile, Consent, Demographics, Membership, EmailAddress):
        assert not model.objects.filter(user_id=user_id).exists(), model
    question.refresh_from_db()
    assert question.author is None
    assert Question.objects.filter(pk=question.pk).exists()


def test_account_delete_is_audited_with_only_the_user_id(participant):
    user_id = participant.pk
    name = str(participant)
    account_delete(user=participant)
    entry = AuditLogEntry.objects.get(action="accounts.user.deleted")
    assert entry.actor is None
    assert entry.data == {"user_id": user_id}
    assert name not in entry.object_repr
    # Earlier entries lose their actor too.
    assert not AuditLogEntry.objects.filter(actor_id=user_id).exists()


def test_last_active_superuser_cannot_delete_themselves(db):
    admin = SuperuserFactory()
    with pytest.raises(ApplicationError) as excinfo:
        account_delete(user=admin)
    assert excinfo.value.code == "last_superuser"
    assert User.objects.filter(pk=admin.pk).exists()
    assert not AuditLogEntry.objects.filter(action="accounts.user.deleted").exists()


def test_a_superuser_may_leave_when_another_remains(db):
    admin = SuperuserFactory()
    SuperuserFactory()
    account_delete(user=admin)
    assert not User.objects.filter(pk=admin.pk).exists()


def test_an_inactive_superuser_does_not_count(db):
    admin = SuperuserFactory()
    SuperuserFactory(is_active=False)
    with pytest.raises(ApplicationError):
        account_delete(user=admin)


def test_an_organizer_may_delete_themselves(organizer):
    account_delete(user=organizer)
    assert not User.objects.filter(pk=organizer.pk).exists()


# --- page -----------------------------------------------------------------------------


def test_delete_page_asks_for_password_and_confirmation(user_client):
    response = user_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert 'autocomplete="current-password"' in html
    assert "Deleted user" in html
    assert "/en/account/export/" in html


def test_delete_with_password_and_confirmation_logs_out(user_client, participant):
    response = user_client.post(URL, confirm(participant))
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert not User.objects.filter(pk=participant.pk).exists()
    assert "_auth_user_id" not in user_client.session
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Your account and your personal data have been deleted." in messages


@pytest.mark.parametrize(
    "overrides",
    [
        {"password": "wrong"},
        {"password": ""},
        {"confirm_email": "someone@else.se"},
        {"confirm_email": ""},
        {"password": "x" * 5000},
        {"confirm_email": "x" * 5000},
    ],
)
def test_delete_refused_without_the_right_confirmation(user_client, participant, overrides):
    response = user_client.post(URL, confirm(participant, **overrides))
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert User.objects.filter(pk=participant.pk).exists()


def test_confirmation_ignores_case_and_spaces(user_client, participant):
    response = user_client.post(
        URL, confirm(participant, confirm_email=f" {participant.email.upper()} ")
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=participant.pk).exists()


def test_password_guessing_through_the_delete_form_is_limited(user_client, participant):
    for _ in range(10):
        user_client.post(URL, confirm(participant, password="wrong"))
    response = user_client.post(URL, confirm(participant))
    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()
    assert User.objects.filter(pk=participant.pk).exists()


def test_last_superuser_sees_a_clear_message(client):
    admin = SuperuserFactory()
    client.force_login(admin)
    page = client.get(URL).content.decode()
    assert "You are the last active superuser" in page
    response = client.post(URL, confirm(admin))
    assert response.status_code == 200
    assert "You are the last active superuser" in response.content.decode()
    assert User.objects.filter(pk=admin.pk).exists()


def test_deleted_author_questions_remain(participant, client):
    other = UserFactory()
    question = QuestionFactory(author=participant)
    client.force_login(participant)
    client.post(URL, confirm(participant))
    question.refresh_from_db()
    assert question.author_id is None
    assert User.objects.filter(pk=other.pk).exists()
