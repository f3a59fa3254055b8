"""Profile: the service and the page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from hack365.accounts.forms import ProfileForm
from hack365.accounts.models import Profile, Sector
from hack365.accounts.services import profile_update
from hack365.accounts.validators import parse_skills
from hack365.core.errors import ApplicationError
from hack365.core.models import AuditLogEntry
from hack365.organizations.models import County

from .factories import UserFactory
from .pagecheck import check_page

pytestmark = pytest.mark.django_db

URL = "/en/account/"


@pytest.fixture
def county(db):
    return County.objects.get_or_create(code="01", defaults={"name": "Stockholms län"})[0]


def valid_data(county=None, **overrides):
    data: dict = {
        "display_name": "Greta Garbo",
        "bio": "Data analyst in a municipality.",
        "skills": "Python, data analysis, UX design",
        "sector": Sector.PUBLIC_SECTOR,
        "county": county.pk if county else "",
        "languages": ["sv", "en", "se"],
    }
    if "county_raw" in overrides:
        overrides["county"] = overrides.pop("county_raw")
    data.update(overrides)
    return data


# --- parsing and the form ---------------------------------------------------


def test_parse_skills_trims_drops_empty_and_duplicates():
    assert parse_skills(" Python ,, data  analysis, python, , UX ") == [
        "Python",
        "data analysis",
        "UX",
    ]
    assert parse_skills("") == []


def test_form_turns_comma_separated_skills_into_a_list(county):
    form = ProfileForm(valid_data(county))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["skills"] == ["Python", "data analysis", "UX design"]
    assert form.cleaned_data["county"] == county


def test_form_shows_a_list_as_comma_separated_text():
    form = ProfileForm(initial={"skills": ["Python", "GIS"]})
    assert 'value="Python, GIS"' in str(form["skills"])


def test_form_refuses_a_skill_over_50_characters():
    form = ProfileForm(valid_data(skills="Python, " + "x" * 51))
    assert not form.is_valid()
    assert "at most 50 characters" in form.errors["skills"][0]


def test_form_accepts_30_skills_and_refuses_31():
    thirty = ", ".join(f"skill {n}" for n in range(30))
    assert ProfileForm(valid_data(skills=thirty)).is_valid()
    form = ProfileForm(valid_data(skills=thirty + ", one more"))
    assert not form.is_valid()
    assert "at most 30 skills" in form.errors["skills"][0]


def test_language_names_follow_the_reader_language():
    with translation.override("en"):
        names = dict(ProfileForm().fields["languages"].choices)
        assert names["se"] == "Northern Sami"
        assert names["sv"] == "Swedish"
    with translation.override("sv"):
        names = dict(ProfileForm().fields["languages"].choices)
        assert names["se"] == "nordsamiska"
        assert names["sv"] == "svenska"


# --- service ------------------------------------------------------------------


def test_profile_update_saves_and_audits_without_values(participant, county):
    profile = profile_update(
        user=participant,
        display_name="  Greta   Garbo ",
        bio="Hello",
        skills=["Python"],
        sector=Sector.ACADEMIA,
        county=county,
        languages=["sv", "sv", "fi"],
    )
    profile.refresh_from_db()
    assert profile.display_name == "Greta Garbo"
    assert profile.skills == ["Python"]
    assert profile.languages == ["sv", "fi"]
    assert profile.county == county
    entry = AuditLogEntry.objects.get(action="accounts.profile.updated")
    assert entry.actor == participant
    assert "Greta" not in str(entry.data) and "Greta" not in entry.object_repr
    assert entry.data["fields"] == sorted(
        ["display_name", "bio", "skills", "sector", "county", "languages"]
    )


def test_profile_update_without_changes_writes_no_audit_entry(participant):
    profile_update(user=participant, display_name=participant.profile.display_name)
    assert not AuditLogEntry.objects.filter(action="accounts.profile.updated").exists()


def test_profile_update_creates_a_missing_profile(db):
    user = UserFactory(profile=False)
    assert not Profile.objects.filter(user=user).exists()
    profile_update(user=user, display_name="Ny Person")
    assert Profile.objects.get(user=user).display_name == "Ny Person"


@pytest.mark.parametrize(
    "overrides",
    [
        {"display_name": ""},
        {"display_name": "x" * 121},
        {"bio": "x" * 2001},
        {"skills": ["x" * 51]},
        {"skills": [f"s{n}" for n in range(31)]},
        {"sector": "pirates"},
        {"languages": ["klingon"]},
    ],
)
def test_profile_update_refuses_bad_values(participant, overrides):
    before = Profile.objects.get(user=participant)
    kwargs = {"user": participant, "display_name": "Ok Name", **overrides}
    with pytest.raises(ApplicationError):
        profile_update(**kwargs)
    after = Profile.objects.get(user=participant)
    assert after.display_name == before.display_name


def test_profile_update_needs_a_logged_in_user():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        profile_update(user=AnonymousUser(), display_name="x")  # type: ignore[arg-type]


# --- the page -------------------------------------------------------------------


def test_profile_page_shows_the_form_and_the_privacy_links(user_client, participant):
    response = user_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert participant.email in html
    for name in ["account_email", "account_change_password"]:
        with translation.override("en"):
            assert reverse(name) in html
    for name in ["demographics", "export", "delete"]:
        assert f'href="/en/account/{name}/"' in html
    assert 'aria-current="page"' in html  # "My account" marked in the menu


def test_profile_page_saves_valid_input(user_client, participant, county):
    response = user_client.post(URL, valid_data(county))
    assert response.status_code == 302
    assert response["Location"] == URL
    profile = Profile.objects.get(user=participant)
    assert profile.skills == ["Python", "data analysis", "UX design"]
    assert profile.sector == Sector.PUBLIC_SECTOR
    assert profile.languages == ["sv", "en", "se"]
    page = user_client.get(URL)
    assert "Your profile has been saved." in page.content.decode()
    assert 'value="Python, data analysis, UX design"' in page.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"display_name": "x" * 121},
        {"bio": "x" * 2001},
        {"skills": "ok, " + "x" * 51},
        {"skills": ", ".join(f"s{n}" for n in range(31))},
        {"skills": "x" * 5000},
        {"sector": "pirates"},
        {"county_raw": "not-a-county"},
        {"county_raw": "99"},
        {"languages": ["klingon"]},
        {"display_name": ""},
    ],
)
def test_profile_page_refuses_bad_input_and_changes_nothing(user_client, participant, overrides):
    before = Profile.objects.get(user=participant)
    response = user_client.post(URL, valid_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert 'class="error-summary"' in html
    after = Profile.objects.get(user=participant)
    assert (after.display_name, after.skills, after.bio) == (
        before.display_name,
        before.skills,
        before.bio,
    )


def test_profile_page_for_a_user_without_profile(client):
    user = UserFactory(profile=False)
    assert not Profile.objects.filter(user=user).exists()
    client.force_login(user)
    assert client.get(URL).status_code == 200
    assert not Profile.objects.filter(user=user).exists()  # GET writes nothing
