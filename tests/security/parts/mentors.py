"""Permission matrix rows and URL samples for the mentors pages (see __init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.security.world import World

MATRIX_TEXT = """
# pattern[on]                         method anon   part   own    other  pub    org
"""

POST_DATA: dict[str, Callable[[World, Any], dict[str, Any]]] = {}

SAMPLES: dict[str, Callable[[World, str | None], dict[str, str]]] = {}


def add_samples(world: World) -> None:
    world.parts["mentors"] = {}
