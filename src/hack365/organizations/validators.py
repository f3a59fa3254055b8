"""Swedish organisation numbers (organisationsnummer): ten digits, the third
at least 2 (a legal person, never a personal identity number), the last a
Luhn check digit. Written NNNNNN-NNNN; the Swedish Tax Agency's twelve-digit
form with the prefix 16 is accepted and shortened."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: ``\d`` would also accept other scripts' digits.
_PATTERN = re.compile(r"^(?:16)?([0-9]{6})-?([0-9]{4})$")
# Hyphen look-alikes that word processors put in pasted numbers.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_WHITESPACE = re.compile(r"\s+")
_MAX_INPUT = 40


def luhn_ok(digits: str) -> bool:
    """True when the ASCII digit string ends in a correct Luhn check digit
    (weights 2, 1, 2, 1, … from the left, as for ten-digit Swedish numbers)."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def normalize_organisation_number(value: str | None) -> str:
    """'2021005489', '202100-5489', '202100 5489' or '16202100-5489' → '202100-5489'.
    Raises ValidationError with a message for the user."""
    text = value or ""
    match = None
    if len(text) <= _MAX_INPUT:
        cleaned = _WHITESPACE.sub("", text.translate(_DASHES))
        match = _PATTERN.match(cleaned)
    if not match:
        raise ValidationError(
            _("Enter the organisation number as ten digits, for example 202100-5489."),
            code="format",
        )
    digits = match.group(1) + match.group(2)
    if int(digits[2]) < 2:
        raise ValidationError(
            _(
                "This is not an organisation number (the third digit must be 2 or more). "
                "Do not enter a personal identity number."
            ),
            code="not_legal_person",
        )
    if not luhn_ok(digits):
        raise ValidationError(
            _("The organisation number's check digit is wrong. Check for typing errors."),
            code="checksum",
        )
    return f"{digits[:6]}-{digits[6:]}"


def validate_organisation_number(value: str) -> None:
    """Model-field validator: a valid number in its normal form NNNNNN-NNNN."""
    if normalize_organisation_number(value) != value:
        raise ValidationError(
            _("Write the organisation number as six digits, a hyphen and four digits."),
            code="normalized",
        )
