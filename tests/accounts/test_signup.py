"""Sign-up with e-mail verification, password rules, login, logout, password reset."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from hack365.accounts.models import Profile, User
from hack365.core.models import AuditLogEntry

from .pagecheck import error_summary

pytestmark = pytest.mark.django_db

SIGNUP = "/en/accounts/signup/"
LOGIN = "/en/accounts/login/"
GOOD_PASSWORD = "Kanelbulle-på-fredag-42"


def signup(client, **overrides):
    data = {
        "display_name": "Astrid Lindgren",
        "email": "astrid@example.se",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return client.post(SIGNUP, data)


def link_in(message) -> str:
    match = re.search(r"https?://testserver(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_creates_user_profile_and_sends_verification(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="astrid@example.se")
    assert user.profile.display_name == "Astrid Lindgren"
    assert str(user) == "Astrid Lindgren"
    address = EmailAddress.objects.get(user=user)
    assert address.email == "astrid@example.se"
    assert address.primary and not address.verified
    assert AuditLogEntry.objects.filter(action="accounts.user.signed_up", actor=user).exists()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["astrid@example.se"]
    # Not logged in before verifying (verification is mandatory).
    assert "_auth_user_id" not in client.session


def test_verification_link_verifies_and_logs_in(client):
    signup(client)
    confirm_path = link_in(mail.outbox[0])
    page = client.get(confirm_path)
    assert page.status_code == 200
    assert b"astrid@example.se" in page.content

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="astrid@example.se").verified
    entry = AuditLogEntry.objects.get(action="accounts.email.confirmed")
    assert "astrid" not in str(entry.data) and "astrid" not in entry.object_repr
    assert int(client.session["_auth_user_id"]) == User.objects.get(email="astrid@example.se").pk


def test_login_before_verification_resends_instead_of_logging_in(client):
    signup(client)
    mail.outbox.clear()
    client.cookies.clear()
    response = client.post(LOGIN, {"login": "astrid@example.se", "password": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_signup_display_name_is_required_and_limited(client):
    response = signup(client, display_name="   ")
    assert response.status_code == 200
    assert not User.objects.exists()
    response = signup(client, display_name="x" * 121)
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "display_name" in response.context["form"].errors


def test_signup_with_taken_address_reveals_nothing(client, participant):
    """Enumeration is prevented: same page as a new sign-up, a mail to the owner."""
    response = signup(client, email=participant.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact=participant.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [participant.email]


def test_signup_refuses_overlong_email_politely(client):
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".se"
    assert 254 < len(email) <= 320
    response = signup(client, email=email)
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Kort-1!", "too short"),
        ("qwertyuiop", "too common"),
        ("password1", "too common"),
        ("8734926150273", "entirely numeric"),
        ("astrid@example.se", "too similar"),
        ("x" * 1025, "too long"),
    ],
)
def test_password_rules_are_enforced_at_signup(client, password, message):
    response = signup(client, password1=password, password2=password)
    assert response.status_code == 200
    assert not User.objects.exists()
    errors = " ".join(response.context["form"].errors.get("password1", []))
    assert message in errors
    assert message in error_summary(response.content.decode())


@pytest.mark.parametrize("length", [8, 64, 200, 1024])
def test_long_passphrases_are_welcome(client, length):
    password = ("correct horse battery staple " * 40)[: length - 1] + "!"
    assert len(password) == length
    response = signup(client, password1=password, password2=password)
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="astrid@example.se")
    assert user.check_password(password)


def test_passwords_must_match(client):
    response = signup(client, password2=GOOD_PASSWORD + "x")
    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    assert not User.objects.exists()


def test_login_by_email_and_logout_by_post(client, participant):
    response = client.post(LOGIN, {"login": participant.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == participant.pk
    # allauth names the user by the display name, not the generated user name.
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Participant" in m for m in messages), messages

    # GET only asks for confirmation; it never logs out.
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert int(client.session["_auth_user_id"]) == participant.pk

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_login_is_case_insensitive_on_email(client, participant):
    response = client.post(
        LOGIN, {"login": participant.email.upper(), "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_password_reset_flow(client, participant):
    response = client.post("/en/accounts/password/reset/", {"email": participant.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    reset_path = link_in(mail.outbox[0])

    page = client.get(reset_path, follow=True)
    assert page.status_code == 200
    form_action = page.redirect_chain[-1][0] if page.redirect_chain else reset_path
    new_password = "Ny-lösenordsfras-för-våren"
    response = client.post(form_action, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    participant.refresh_from_db()
    assert participant.check_password(new_password)
    entry = AuditLogEntry.objects.get(action="accounts.password.reset")
    assert entry.actor == participant and entry.data == {"user_id": participant.pk}


def test_password_reset_for_unknown_address_looks_the_same(client):
    response = client.post("/en/accounts/password/reset/", {"email": "nobody@example.se"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


def test_signup_page_in_swedish_uses_allauth_and_our_translations(client):
    response = client.get("/sv/accounts/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ditt namn" in html  # our field
    assert 'lang="sv"' in html


def test_profile_exists_for_every_signed_up_user(client):
    signup(client)
    signup(client, email="emil@example.se", display_name="Emil")
    assert Profile.objects.count() == User.objects.count() == 2


def test_password_change_is_audited_without_the_password(client, participant):
    client.force_login(participant)
    new_password = "Ett-helt-nytt-lösenord-2026"
    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": "correct-horse-battery",
            "password1": new_password,
            "password2": new_password,
        },
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.check_password(new_password)
    entry = AuditLogEntry.objects.get(action="accounts.password.changed")
    assert entry.actor == participant
    assert new_password not in str(entry.data)


def test_password_change_refuses_a_common_password(client, participant):
    client.force_login(participant)
    response = client.post(
        "/en/accounts/password/change/",
        {
            "oldpassword": "correct-horse-battery",
            "password1": "qwertyuiop",
            "password2": "qwertyuiop",
        },
    )
    assert response.status_code == 200
    assert "too common" in error_summary(response.content.decode())
    participant.refresh_from_db()
    assert participant.check_password("correct-horse-battery")


def test_adding_and_removing_an_email_address_is_audited(client, participant):
    client.force_login(participant)
    response = client.post("/en/accounts/email/", {"action_add": "", "email": "second@example.se"})
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=participant, email="second@example.se").exists()
    response = client.post(
        "/en/accounts/email/", {"action_remove": "", "email": "second@example.se"}
    )
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email="second@example.se").exists()
    actions = set(AuditLogEntry.objects.filter(actor=participant).values_list("action", flat=True))
    assert {"accounts.email.added", "accounts.email.removed"} <= actions
    for entry in AuditLogEntry.objects.all():
        assert "second@example.se" not in f"{entry.data} {entry.object_repr}"


def test_adding_an_overlong_email_address_is_a_form_error(client, participant):
    client.force_login(participant)
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".se"
    response = client.post("/en/accounts/email/", {"action_add": "", "email": email})
    assert response.status_code == 200
    assert (
        not EmailAddress.objects.filter(user=participant).exclude(email=participant.email).exists()
    )
