"""The ``hack365`` command: a thin wrapper over Django's management commands.

``hack365 demo``, ``hack365 worker``, ``hack365 migrate`` … all run the Django
management command of the same name (``worker`` runs the django-tasks database
worker).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hack365.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    args[0] = "hack365"
    execute_from_command_line(args)


if __name__ == "__main__":  # pragma: no cover
    main()
