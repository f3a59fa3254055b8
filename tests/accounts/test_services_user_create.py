from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from hack365.accounts.models import User
from hack365.accounts.services import user_create
from hack365.core.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def test_user_create_makes_account_address_profile_and_audit() -> None:
    user = user_create(
        email="Karin@Example.se",
        password="ett-langt-losenord",
        display_name="Karin",
        email_verified=True,
    )
    assert user.email == "karin@example.se"
    assert user.check_password("ett-langt-losenord")
    assert user.profile.display_name == "Karin"
    assert EmailAddress.objects.get(user=user).verified
    assert AuditLogEntry.objects.filter(
        action="accounts.user.created", object_id=str(user.pk)
    ).exists()


def test_user_create_organizer_and_unique_usernames() -> None:
    a = user_create(
        email="anna@a.se", password="ett-langt-losenord", display_name="A", is_organizer=True
    )
    b = user_create(email="anna@b.se", password="ett-langt-losenord", display_name="B")
    assert a.is_staff and not b.is_staff
    assert a.username != b.username


@pytest.mark.parametrize(
    ("email", "password"),
    [("inte-en-adress", "ett-langt-losenord"), ("x@y.se", "kort"), ("x@y.se", "password123")],
)
def test_user_create_refuses_bad_input(email: str, password: str) -> None:
    with pytest.raises(ValidationError):
        user_create(email=email, password=password, display_name="X")
    assert User.objects.count() == 0


def test_user_create_refuses_taken_address() -> None:
    user_create(email="a@b.se", password="ett-langt-losenord", display_name="A")
    with pytest.raises(ValidationError):
        user_create(email="A@B.se", password="ett-langt-losenord", display_name="B")
    assert User.objects.count() == 1
