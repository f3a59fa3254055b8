"""The licences a solution can be published under: SPDX identifiers, open
licences first (those the EU public sector recommends for software and
content), then a few others, then "other / not stated"."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

NOASSERTION = "NOASSERTION"

# (SPDX identifier, readable name), in the order the form offers them.
OPEN_LICENCES: list[tuple[str, str]] = [
    ("EUPL-1.2", "European Union Public Licence 1.2 (EUPL-1.2)"),
    ("MIT", "MIT License"),
    ("Apache-2.0", "Apache License 2.0"),
    ("GPL-3.0-or-later", "GNU General Public License 3.0 or later"),
    ("AGPL-3.0-or-later", "GNU Affero General Public License 3.0 or later"),
    ("LGPL-3.0-or-later", "GNU Lesser General Public License 3.0 or later"),
    ("MPL-2.0", "Mozilla Public License 2.0"),
    ("BSD-3-Clause", "BSD 3-Clause License"),
    ("BSD-2-Clause", "BSD 2-Clause License"),
    ("CC-BY-4.0", "Creative Commons Attribution 4.0 (CC BY 4.0)"),
    ("CC-BY-SA-4.0", "Creative Commons Attribution-ShareAlike 4.0 (CC BY-SA 4.0)"),
    ("CC0-1.0", "Creative Commons Zero 1.0 (CC0, public domain)"),
]
OTHER_LICENCES: list[tuple[str, str]] = [
    ("CC-BY-NC-4.0", "Creative Commons Attribution-NonCommercial 4.0 (CC BY-NC 4.0)"),
    ("CC-BY-ND-4.0", "Creative Commons Attribution-NoDerivatives 4.0 (CC BY-ND 4.0)"),
    ("LicenseRef-Proprietary", "Proprietary (all rights reserved)"),
]

OPEN_IDS = frozenset(code for code, _name in OPEN_LICENCES)
ALL_IDS = frozenset(code for code, _name in [*OPEN_LICENCES, *OTHER_LICENCES]) | {NOASSERTION}


def licence_choices() -> list[tuple[Any, Any]]:
    """Grouped choices for a select: open licences, others, "other"."""
    return [
        ("", _("Choose a licence")),
        (_("Open licences (recommended)"), OPEN_LICENCES),
        (_("Other licences"), OTHER_LICENCES),
        (NOASSERTION, _("Other, or not decided (say which in the summary)")),
    ]


def licence_label(code: str) -> str | Promise:
    for value, name in [*OPEN_LICENCES, *OTHER_LICENCES]:
        if value == code:
            return name
    if code == NOASSERTION:
        return _("Other or not decided")
    return code


def is_open(code: str) -> bool:
    return code in OPEN_IDS
