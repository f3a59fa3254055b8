"""Swedish organisation numbers (organisationsnummer): ten digits, the third
at least 2 (a legal person, never a personal identity number), the last a
Luhn check digit."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def normalize_organisation_number(value: str) -> str:
    """'2021005489', '202100-5489' or '16202100-5489' → '202100-5489'.
    Raises ValidationError with a message for the user."""
    match = _PATTERN.match((value or "").strip().replace(" ", ""))
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
    if normalize_organisation_number(value) != value:
        raise ValidationError(
            _("Write the organisation number as six digits, a hyphen and four digits."),
            code="normalized",
        )
