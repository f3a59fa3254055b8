"""Bugs the URL walker and the permission matrix found, pinned down one by one."""

from __future__ import annotations

import pytest

from hack365.challenges.forms import ChallengeForm
from hack365.challenges.models import Challenge

from .permission_matrix import POST_DATA
from .world import World, client_for, rolled_back

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("huge", ["99999999999999999999", "-99999999999999999999", "9" * 5000])
def test_a_co_owner_id_beyond_64_bits_is_an_invalid_choice(world: World, huge: str) -> None:
    """SQLite raised OverflowError (a 500) on ``pk__in`` with such an id."""
    data = {**POST_DATA["challenges:create"](world, None), "co_owners": [huge]}
    form = ChallengeForm(data, user=world.user("organizer"))
    assert not form.is_valid()
    assert list(form.errors) == ["co_owners"]
    with rolled_back():
        before = Challenge.objects.count()
        response = client_for(world, "organizer").post("/sv/challenges/new/", data)
        assert response.status_code == 200
        assert Challenge.objects.count() == before


def test_a_valid_co_owner_is_still_accepted(world: World) -> None:
    co_owner = world.other_organization
    data = {**POST_DATA["challenges:create"](world, None), "co_owners": [str(co_owner.pk)]}
    form = ChallengeForm(data, user=world.user("organizer"))
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["co_owners"]) == [co_owner]


def test_the_admin_login_page_sends_logged_in_staff_to_the_admin(world: World) -> None:
    """It answered 403 to organizers too, not only to users who are not staff."""
    with rolled_back():
        response = client_for(world, "organizer").get("/sv/admin/login/?next=/sv/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/sv/admin/"
    with rolled_back():
        assert client_for(world, "participant").get("/sv/admin/login/").status_code == 403
    with rolled_back():
        response = client_for(world, "anonymous").get("/sv/admin/login/?next=/sv/admin/")
    assert response["Location"] == "/sv/accounts/login/?next=/sv/admin/"
