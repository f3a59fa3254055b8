"""``hack365 search_reindex``: rebuild the dataset search index from the
database (after an upgrade, a restore, or if the index was lost)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from hack365.catalog.search import backend_name, rebuild_index


class Command(BaseCommand):
    help = "Rebuild the dataset search index from the database."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        verbosity = int(options.get("verbosity", 1))

        def progress(count: int) -> None:
            if verbosity > 1:
                self.stdout.write(f"  {count} datasets …")

        self.stdout.write(f"Rebuilding the search index ({backend_name()}) …")
        count = rebuild_index(progress=progress)
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} datasets in {time.monotonic() - started:.1f} s.")
        )
