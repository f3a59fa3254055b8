"""Organisation numbers: real ones, typing errors, personal identity numbers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from hack365.organizations.validators import (
    luhn_ok,
    normalize_organisation_number,
    validate_organisation_number,
)

# Published organisation numbers of well-known organisations; each check
# digit was recomputed with the Luhn algorithm before it went in here.
REAL_NUMBERS = [
    "202100-5448",  # Skatteverket
    "202100-4888",  # Lantmäteriet
    "202100-5521",  # Försäkringskassan
    "202100-6255",  # Myndigheten för digital förvaltning (DIGG)
    "212000-0142",  # Stockholms kommun
    "212000-1355",  # Göteborgs kommun
    "212000-1124",  # Malmö kommun
    "232100-0016",  # Region Stockholm
    "556012-5790",  # AB Volvo
    "202100-5489",  # the example in the help text
]


def _check_digit(nine: str) -> str:
    return next(str(c) for c in range(10) if luhn_ok(nine + str(c)))


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_numbers_are_valid(number: str) -> None:
    assert luhn_ok(number.replace("-", ""))
    assert normalize_organisation_number(number) == number
    validate_organisation_number(number)


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("2021005448", "202100-5448"),
        ("202100-5448", "202100-5448"),
        (" 202100-5448 ", "202100-5448"),
        ("202100 5448", "202100-5448"),
        ("20 21 00 54 48", "202100-5448"),
        ("202100\u00a05448", "202100-5448"),  # non-breaking space
        ("202100\u20135448", "202100-5448"),  # en dash from a word processor
        ("16202100-5448", "202100-5448"),  # the tax agency's twelve-digit form
        ("162021005448", "202100-5448"),
        ("16 202100-5448", "202100-5448"),
    ],
)
def test_accepted_spellings_normalise(raw: str, normal: str) -> None:
    assert normalize_organisation_number(raw) == normal


@pytest.mark.parametrize(
    "number",
    ["202100-5449", "202100-5440", "212000-0143", "556012-5791", "556012-5970"],
)
def test_wrong_check_digit(number: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_organisation_number(number)
    assert exc.value.code == "checksum"


@pytest.mark.parametrize(
    "number",
    [
        "811228-9874",  # a personal identity number (month 12): third digit 1
        "900101-0008",  # third digit 0
        "19811228-9874",  # twelve-digit personal identity number
        "16811228-9874",
    ],
)
def test_personal_identity_numbers_are_refused(number: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_organisation_number(number)
    assert exc.value.code in {"not_legal_person", "format"}
    if number.startswith(("81", "90", "16")):
        assert exc.value.code == "not_legal_person"


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "abc",
        "202100-544",
        "202100-54488",
        "2021-005448",
        "20210054488",
        "26202100-5448",  # twelve digits without the 16 prefix
        "202100--5448",
        "202100+5448",
        "٢٠٢١٠٠-٥٤٤٨",  # Arabic-Indic digits are not accepted
        "２０２１００-５４４８",  # full-width digits neither
        "1" * 1000,
        "<script>",
    ],
)
def test_wrong_formats(value: str | None) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_organisation_number(value)
    assert exc.value.code == "format"


def test_luhn_cannot_see_a_09_90_swap() -> None:
    # A known limit of the algorithm: swapping adjacent 0 and 9 keeps the sum.
    assert normalize_organisation_number("556012-5709") == "556012-5709"


def test_model_validator_wants_the_normal_form() -> None:
    validate_organisation_number("202100-5448")
    with pytest.raises(ValidationError) as exc:
        validate_organisation_number("2021005448")
    assert exc.value.code == "normalized"
    with pytest.raises(ValidationError):
        validate_organisation_number("202100-5449")


def test_luhn_ok() -> None:
    assert luhn_ok("2021005448")
    assert not luhn_ok("2021005447")
    assert not luhn_ok("")
    assert not luhn_ok("20210054a8")
    assert not luhn_ok("٢٠٢١٠٠٥٤٤٨")


def test_messages_are_translated() -> None:
    from django.utils import translation

    with translation.override("sv"):
        with pytest.raises(ValidationError) as exc:
            normalize_organisation_number("202100-5449")
        assert "kontrollsiffra" in exc.value.messages[0]
    with translation.override("en"):
        assert "check digit" in exc.value.messages[0]


legal_person_prefix = st.tuples(
    st.integers(0, 9), st.integers(0, 9), st.integers(2, 9), st.integers(0, 999_999)
).map(lambda t: f"{t[0]}{t[1]}{t[2]}{t[3]:06d}")


@given(nine=legal_person_prefix, hyphen=st.booleans(), prefix=st.booleans())
def test_every_correct_number_normalises_and_validates(
    nine: str, hyphen: bool, prefix: bool
) -> None:
    ten = nine + _check_digit(nine)
    normal = f"{ten[:6]}-{ten[6:]}"
    raw = ("16" if prefix else "") + (normal if hyphen else ten)
    assert normalize_organisation_number(raw) == normal
    validate_organisation_number(normal)


@given(nine=legal_person_prefix, wrong=st.integers(1, 9))
def test_every_other_check_digit_is_refused(nine: str, wrong: int) -> None:
    bad = str((int(_check_digit(nine)) + wrong) % 10)
    with pytest.raises(ValidationError) as exc:
        normalize_organisation_number(nine + bad)
    assert exc.value.code == "checksum"


@given(
    nine=st.tuples(st.integers(0, 99), st.integers(0, 1), st.integers(0, 999_999)).map(
        lambda t: f"{t[0]:02d}{t[1]}{t[2]:06d}"
    )
)
def test_third_digit_below_two_is_never_an_organisation_number(nine: str) -> None:
    with pytest.raises(ValidationError) as exc:
        normalize_organisation_number(nine + _check_digit(nine))
    assert exc.value.code == "not_legal_person"
