"""``hack365 demo``: load the demo content (once) and print the logins."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# The data migrations that load reference rows (themes, counties and
# municipalities). "flush" empties their tables but not the migration
# history, so "migrate" would not run them again.
REFERENCE_DATA = [
    ("hack365.core.migrations.0002_eu_data_themes", "load_themes"),
    ("hack365.organizations.migrations.0003_swedish_counties_and_municipalities", "load_geography"),
]


class Command(BaseCommand):
    help = "Load the demo data (organisations, events, challenges, users of every role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Empty the database first, then load the demo."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from hack365.catalog.models import HarvestSource
        from hack365.catalog.search import rebuild_index
        from hack365.demo import content
        from hack365.demo.loader import demo_loaded, load_demo

        if options["reset"]:
            # The uploaded copy of the demo catalog would outlive the flush.
            for source in HarvestSource.objects.filter(name=content.DEMO_CATALOG_SOURCE):
                if source.file:
                    source.file.delete(save=False)
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", verbosity=0)
            for module, function in REFERENCE_DATA:
                getattr(import_module(module), function)(apps, None)
        if demo_loaded():
            self.stdout.write("The demo data is already loaded (use --reset to start over).")
        else:
            result = load_demo()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {result.organisations} organisations, {result.events} events, "
                    f"{sum(result.challenges.values())} challenges "
                    f"({', '.join(f'{n} {s}' for s, n in sorted(result.challenges.items()))}), "
                    f"{result.questions} questions."
                )
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"Harvested {result.datasets} datasets and {result.services} data services "
                    f"from {result.publishers} publishers ({result.publishers_linked} of them "
                    f'demo organisations) into the source "{content.DEMO_CATALOG_SOURCE}"; '
                    f"linked {result.dataset_links} datasets to challenges."
                )
            )
            if result.counts:
                self.stdout.write(
                    self.style.SUCCESS(
                        "Made "
                        + ", ".join(f"{n} {what}" for what, n in result.counts.items())
                        + "."
                    )
                )
            if options["reset"]:
                # The flush left the old datasets in the search index.
                rebuild_index()
        self.stdout.write(f"\nDemo logins (password for all: {content.DEMO_PASSWORD}):")
        for username, email, name, _sector, _county, organizer, memberships in content.USERS:
            role = (
                "organizer"
                if organizer
                else ", ".join(sorted({r.replace("_", " ") for _s, r in memberships}))
                or {
                    "mentor": "participant (mentor)",
                    "jury": "participant (jury)",
                    "jury2": "participant (jury)",
                    "jury3": "participant (jury)",
                }.get(username, "participant")
            )
            self.stdout.write(f"  {email:48} {role:28} {name}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/ in your browser.")
