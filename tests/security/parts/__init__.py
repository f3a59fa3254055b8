"""The permission matrix and the URL walker's samples, one module per area
of the site that came after the first ones: each module holds its own
``MATRIX_TEXT`` (same columns as permission_matrix.py), ``POST_DATA``,
``SAMPLES`` and ``add_samples(world)``, which stores its sample objects in
``world.parts[<module name>]``."""

from __future__ import annotations

import importlib
from types import ModuleType

PART_NAMES = ("teams", "mentors", "submissions", "realization", "awards", "judging")


def parts() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in PART_NAMES]
