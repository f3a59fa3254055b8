"""``hack365 demo``: load the demo content (once) and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Load the demo data (organisations, events, challenges, users of every role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Empty the database first, then load the demo."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from hack365.demo import content
        from hack365.demo.loader import demo_loaded, load_demo

        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            call_command("migrate", verbosity=0)  # data migrations (themes, geography) again
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
        self.stdout.write(f"\nDemo logins (password for all: {content.DEMO_PASSWORD}):")
        for username, email, name, _sector, _county, organizer, memberships in content.USERS:
            role = (
                "organizer"
                if organizer
                else ", ".join(sorted({r.replace("_", " ") for _s, r in memberships}))
                or {"mentor": "participant (mentor)", "jury": "participant (jury)"}.get(
                    username, "participant"
                )
            )
            self.stdout.write(f"  {email:48} {role:28} {name}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/ in your browser.")
