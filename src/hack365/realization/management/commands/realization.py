"""``hack365 realization``: follow-ups of awarded solutions.

hack365 realization remind     # send every follow-up that is due (cron, daily)
hack365 realization pending    # list the follow-ups not sent yet
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from hack365.realization.models import FollowUp
from hack365.realization.services import follow_ups_send_due


class Command(BaseCommand):
    help = "Send the realization follow-ups that are due (6 and 12 months after an award)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("remind", help="Send every follow-up that is due and not sent yet.")
        actions.add_parser("pending", help="List the follow-ups not sent yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            sent = follow_ups_send_due()
            self.stdout.write(f"sent {sent} follow-up(s)")
            return
        now = timezone.now()
        pending = FollowUp.objects.filter(sent_at__isnull=True, answered_at__isnull=True)
        for follow_up in pending.select_related("solution").order_by("due_at", "pk"):
            state = "due" if follow_up.due_at <= now else "later"
            self.stdout.write(
                f"{follow_up.due_at:%Y-%m-%d %H:%M}\t{state}\t+{follow_up.months}\t"
                f"{follow_up.solution_id}\t{follow_up.solution.title}"
            )
