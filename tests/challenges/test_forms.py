"""Forms: choices per role, cross-field checks and forgiving filters."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.utils import timezone

from hack365.challenges.forms import ChallengeFilterForm, ChallengeForm, EventForm
from hack365.challenges.models import ChallengeStatus
from hack365.organizations.models import Organization
from tests.challenges.factories import EventFactory, PublishedChallengeFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _data(organization: Organization, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Rubrik",
        "summary": "Kort.",
        "problem": "Problem.",
        "expected_benefit": "Nytta.",
        "target_group": "Alla",
        "themes": ["EDUC"],
        "level": "national",
        "owner": str(organization.pk),
    }
    data.update(overrides)
    return data


def test_owner_choices_per_role(
    need_owner: Any,
    organizer: Any,
    participant: Any,
    organization: Organization,
    other_organization: Organization,
) -> None:
    def owners(user: Any) -> set[str]:
        field = ChallengeForm(user=user).fields["owner"]
        return {o.slug for o in field.queryset}  # type: ignore[attr-defined]

    assert owners(need_owner) == {organization.slug}
    assert owners(organizer) >= {organization.slug, other_organization.slug}
    assert owners(participant) == set()


def test_a_need_owner_starts_from_their_organisation(
    need_owner: Any, organization: Organization
) -> None:
    organization.level = "regional"
    organization.save()
    form = ChallengeForm(user=need_owner)
    assert form.initial["owner"] == organization.pk
    assert form.initial["level"] == "regional"


def test_cannot_choose_another_organisation(
    need_owner: Any, other_organization: Organization
) -> None:
    form = ChallengeForm(_data(other_organization), user=need_owner)
    assert not form.is_valid()
    assert "owner" in form.errors


def test_owner_cannot_be_co_owner(need_owner: Any, organization: Organization) -> None:
    form = ChallengeForm(_data(organization, co_owners=[str(organization.pk)]), user=need_owner)
    assert not form.is_valid()
    assert "co_owners" in form.errors


def test_deadline_rules(need_owner: Any, organization: Organization) -> None:
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    form = ChallengeForm(_data(organization, deadline=past), user=need_owner)
    assert not form.is_valid()
    assert "deadline" in form.errors
    future = (timezone.localtime() + timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")
    event = EventFactory()
    form = ChallengeForm(_data(organization, deadline=future, event=str(event.pk)), user=need_owner)
    assert not form.is_valid()
    assert "deadline" in form.errors
    form = ChallengeForm(_data(organization, deadline=future), user=need_owner)
    assert form.is_valid(), form.errors


def test_deadline_is_read_in_stockholm_time(need_owner: Any, organization: Organization) -> None:
    form = ChallengeForm(_data(organization, deadline="2031-06-01T12:00"), user=need_owner)
    assert form.is_valid(), form.errors
    deadline = form.cleaned_data["deadline"]
    assert deadline == datetime(2031, 6, 1, 12, 0, tzinfo=STOCKHOLM)
    assert deadline.utcoffset() is not None


def test_finished_events_are_not_offered(need_owner: Any) -> None:
    now = timezone.now()
    EventFactory(
        slug="old",
        registration_opens=now - timedelta(days=60),
        hacking_starts=now - timedelta(days=50),
        submission_deadline=now - timedelta(days=48),
        evaluation_ends=now - timedelta(days=40),
        results_at=now - timedelta(days=39),
    )
    EventFactory(slug="current")
    field = ChallengeForm(user=need_owner).fields["event"]
    assert [e.slug for e in field.queryset] == ["current"]  # type: ignore[attr-defined]
    html = ChallengeForm(user=need_owner)["event"].as_widget()
    assert "Löpande (inget evenemang)" in html


def test_event_form_shows_stockholm_time() -> None:
    start = datetime(2031, 3, 12, 8, 0, tzinfo=ZoneInfo("UTC"))
    event = EventFactory(
        registration_opens=start - timedelta(days=5),
        hacking_starts=start,
        submission_deadline=start + timedelta(days=2),
        evaluation_ends=start + timedelta(days=9),
        results_at=start + timedelta(days=10),
    )
    html = str(EventForm(instance=event)["hacking_starts"])
    assert 'type="datetime-local"' in html
    assert 'value="2031-03-12T09:00"' in html  # UTC+1 in March


def test_event_form_reports_each_date_on_its_field() -> None:
    data = {
        "name": "Hack",
        "kind": "annual",
        "registration_opens": "2031-03-10T09:00",
        "hacking_starts": "2031-03-01T09:00",
        "submission_deadline": "2031-03-01T09:00",
        "evaluation_ends": "2031-02-01T09:00",
        "results_at": "2031-01-01T09:00",
        "max_team_size": "6",
    }
    form = EventForm(data)
    assert not form.is_valid()
    assert set(form.errors) == {
        "hacking_starts",
        "submission_deadline",
        "evaluation_ends",
        "results_at",
    }


def test_filter_form_keeps_valid_filters_and_drops_bad_ones(
    organization: Organization,
) -> None:
    PublishedChallengeFactory(owner=organization)
    query = QueryDict(
        "q=skola&theme=EDUC&theme=ZZZ&level=%3Cscript%3E&organisation="
        f"{organization.slug}&status=draft&event=year-round"
    )
    form = ChallengeFilterForm(query)
    filters = form.filters()
    assert filters == {
        "q": "skola",
        "organisation": organization.slug,
        "event": "year-round",
    }
    assert {"theme", "level", "status"} <= set(form.errors)


def test_filter_form_offers_only_organisations_with_public_challenges(
    organization: Organization, other_organization: Organization
) -> None:
    PublishedChallengeFactory(owner=organization)
    PublishedChallengeFactory(owner=other_organization, status=ChallengeStatus.DRAFT)
    choices = dict(ChallengeFilterForm().fields["organisation"].choices)  # type: ignore[attr-defined]
    assert organization.slug in choices
    assert other_organization.slug not in choices


def test_unbound_filter_form_has_no_filters() -> None:
    assert ChallengeFilterForm().filters() == {}


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:30", "0001-01-01 00:30", "1999-12-31T23:59", "9999-12-31T23:59"]
)
def test_a_local_date_time_in_an_absurd_year_is_an_error_not_a_crash(value: str) -> None:
    from django import forms
    from django.utils import translation

    from hack365.challenges.forms import LocalDateTimeField

    field = LocalDateTimeField()
    for language, message in (
        ("sv", "Ange ett datum mellan år 2000 och 2100."),
        ("en", "Please give a date in the years 2000 to 2100."),
    ):
        with translation.override(language):
            with pytest.raises(forms.ValidationError) as caught:
                field.clean(value)
            assert caught.value.messages == [message]


def test_a_local_date_time_within_the_years_is_swedish_time() -> None:
    from hack365.challenges.forms import LocalDateTimeField

    field = LocalDateTimeField()
    for value in ("2000-01-01T00:00", "2100-12-31T23:59"):
        parsed = field.clean(value)
        assert parsed.tzinfo is not None
        assert timezone.localtime(parsed, STOCKHOLM).strftime("%Y-%m-%dT%H:%M") == value
    html = str(field.widget.render("when", None, attrs=field.widget_attrs(field.widget)))
    assert 'min="2000-01-01T00:00"' in html and 'max="2100-12-31T23:59"' in html
