from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MaximumLengthValidator:
    """Long passphrases are welcome; only absurd lengths (a denial-of-service
    vector for the hasher) are refused."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("This password is too long. It may have at most %(max)d characters."),
                code="password_too_long",
                params={"max": self.max_length},
            )

    def get_help_text(self) -> str:
        return _("Your password may have up to %(max)d characters.") % {"max": self.max_length}


MAX_SKILLS = 30
MAX_SKILL_LENGTH = 50


def parse_skills(text: str) -> list[str]:
    """Comma-separated skills → a list: trimmed, empty items dropped, the
    same skill (ignoring case) kept once, in the order given."""
    seen: set[str] = set()
    skills: list[str] = []
    for raw in text.split(","):
        skill = " ".join(raw.split())
        if skill and skill.casefold() not in seen:
            seen.add(skill.casefold())
            skills.append(skill)
    return skills


def validate_skills(skills: list[str]) -> None:
    """At most 30 skills of at most 50 characters each."""
    if len(skills) > MAX_SKILLS:
        raise ValidationError(
            _("You can list at most %(max)d skills; you gave %(count)d."),
            code="too_many_skills",
            params={"max": MAX_SKILLS, "count": len(skills)},
        )
    for skill in skills:
        if not isinstance(skill, str) or not skill.strip():
            raise ValidationError(_("A skill cannot be empty."), code="empty_skill")
        if len(skill) > MAX_SKILL_LENGTH:
            raise ValidationError(
                _("Each skill may have at most %(max)d characters (“%(skill)s…” is longer)."),
                code="skill_too_long",
                params={"max": MAX_SKILL_LENGTH, "skill": skill[:20]},
            )
