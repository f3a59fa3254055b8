"""Gender and age band are stored only with an explicit, dated consent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hack365.accounts.models import AgeBand, Consent, ConsentKind, Demographics, Gender
from hack365.accounts.services import consent_give, consent_withdraw, demographics_set
from hack365.core.errors import ApplicationError
from hack365.core.models import AuditLogEntry

from .pagecheck import check_page

pytestmark = pytest.mark.django_db

URL = "/en/account/demographics/"
WITHDRAW = "/en/account/demographics/withdraw/"


# --- services -----------------------------------------------------------------


def test_nothing_is_stored_without_consent(participant):
    with pytest.raises(ApplicationError):
        demographics_set(user=participant, gender=Gender.WOMAN, age_band="25-34", consent=False)
    assert not Demographics.objects.exists()
    assert not Consent.objects.exists()
    assert not AuditLogEntry.objects.exists()


def test_stored_with_a_dated_consent_and_audited_without_values(participant):
    before = timezone.now()
    row = demographics_set(
        user=participant, gender=Gender.NON_BINARY, age_band=AgeBand.A35_44, consent=True
    )
    consent = Consent.objects.get(user=participant)
    assert consent.kind == ConsentKind.DEMOGRAPHICS
    assert consent.given_at >= before and consent.withdrawn_at is None
    assert row.consent == consent
    assert (row.gender, row.age_band) == ("non_binary", "35-44")

    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert actions == {"accounts.consent.given", "accounts.demographics.set"}
    for entry in AuditLogEntry.objects.all():
        text = f"{entry.object_repr} {entry.data}"
        assert "non_binary" not in text and "35-44" not in text
        assert entry.actor == participant


def test_changing_answers_keeps_the_one_consent(participant):
    demographics_set(user=participant, gender=Gender.WOMAN, age_band="25-34", consent=True)
    demographics_set(user=participant, gender=Gender.WOMAN, age_band="35-44", consent=True)
    assert Consent.objects.filter(user=participant).count() == 1
    assert Demographics.objects.get(user=participant).age_band == "35-44"


@pytest.mark.parametrize(
    ("gender", "age_band"), [("alien", "25-34"), ("woman", "200"), ("", "25-34"), ("woman", "")]
)
def test_unknown_answers_are_refused(participant, gender, age_band):
    with pytest.raises(ApplicationError):
        demographics_set(user=participant, gender=gender, age_band=age_band, consent=True)
    assert not Demographics.objects.exists()
    assert not Consent.objects.exists()


def test_withdrawal_dates_the_consent_and_deletes_the_answers(participant):
    demographics_set(user=participant, gender=Gender.MAN, age_band="18-24", consent=True)
    consent = consent_withdraw(user=participant, kind=ConsentKind.DEMOGRAPHICS)
    assert consent.withdrawn_at is not None
    assert not Demographics.objects.filter(user=participant).exists()
    kept = Consent.objects.get(user=participant)
    assert kept.withdrawn_at is not None and kept.given_at <= kept.withdrawn_at
    entry = AuditLogEntry.objects.get(action="accounts.consent.withdrawn")
    assert entry.data["demographics_deleted"] is True


def test_withdrawing_without_consent_is_refused(participant):
    with pytest.raises(ApplicationError):
        consent_withdraw(user=participant, kind=ConsentKind.DEMOGRAPHICS)


def test_consent_can_be_given_again_after_withdrawal(participant):
    demographics_set(user=participant, gender=Gender.MAN, age_band="18-24", consent=True)
    consent_withdraw(user=participant)
    demographics_set(user=participant, gender=Gender.MAN, age_band="18-24", consent=True)
    consents = Consent.objects.filter(user=participant)
    assert consents.count() == 2
    assert consents.filter(withdrawn_at__isnull=True).count() == 1


def test_giving_consent_twice_is_idempotent(participant):
    first = consent_give(user=participant)
    second = consent_give(user=participant)
    assert first.pk == second.pk


def test_database_allows_only_one_active_consent_per_kind(participant):
    now = timezone.now()
    Consent.objects.create(user=participant, kind=ConsentKind.DEMOGRAPHICS, given_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            user=participant, kind=ConsentKind.DEMOGRAPHICS, given_at=now + timedelta(1)
        )


# --- pages ------------------------------------------------------------------------


def test_page_explains_the_purpose(user_client):
    response = user_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    check_page(html)
    assert "anonymous statistics" in html
    assert "&lt;5" in html  # small groups suppressed
    assert "I consent" in html
    assert "You have not given your consent" in html


def test_post_without_the_checkbox_stores_nothing(user_client):
    response = user_client.post(URL, {"gender": "woman", "age_band": "25-34"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert "Without your consent nothing is stored" in html
    assert not Demographics.objects.exists()
    assert not Consent.objects.exists()


def test_post_with_the_checkbox_stores_with_dated_consent(user_client, participant):
    response = user_client.post(URL, {"gender": "woman", "age_band": "25-34", "consent": "on"})
    assert response.status_code == 302
    assert Demographics.objects.get(user=participant).gender == "woman"
    consent = Consent.objects.get(user=participant, withdrawn_at__isnull=True)
    page = user_client.get(URL).content.decode()
    assert "You gave your consent on" in page
    assert str(consent.given_at.astimezone(timezone.get_current_timezone()).year) in page
    assert "Withdraw consent" in page


def test_withdraw_by_post(user_client, participant):
    user_client.post(URL, {"gender": "woman", "age_band": "25-34", "consent": "on"})
    response = user_client.post(WITHDRAW)
    assert response.status_code == 302
    assert not Demographics.objects.exists()
    assert Consent.objects.get(user=participant).withdrawn_at is not None
    page = user_client.get(URL).content.decode()
    assert "Your consent has been withdrawn" in page


def test_withdraw_without_consent_shows_a_message_not_an_error(user_client):
    response = user_client.post(WITHDRAW, follow=True)
    assert response.status_code == 200
    assert "There is no consent in force to withdraw." in response.content.decode()


def test_withdraw_by_get_is_not_allowed(user_client, participant):
    user_client.post(URL, {"gender": "woman", "age_band": "25-34", "consent": "on"})
    assert user_client.get(WITHDRAW).status_code == 405
    assert Demographics.objects.filter(user=participant).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"gender": "alien", "age_band": "25-34", "consent": "on"},
        {"gender": "woman", "age_band": "x" * 5000, "consent": "on"},
        {"gender": "woman", "age_band": "25-34", "consent": ""},
        {"consent": "on"},
        {},
    ],
)
def test_garbage_input_is_a_form_error(user_client, data):
    response = user_client.post(URL, data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not Demographics.objects.exists()
    assert not Consent.objects.exists()
