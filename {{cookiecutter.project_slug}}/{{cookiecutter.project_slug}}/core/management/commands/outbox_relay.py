"""Publish what the outbox still holds: tasks whose publish after commit failed.

    python manage.py outbox_relay            # keep relaying, every 5 seconds
    python manage.py outbox_relay --once     # one pass, e.g. from a cron job

Beat runs the same relay every few seconds as a task; run this command as its own
process (a service or deployment of its own) when tasks must get through without
beat. Several relays may run at once: a message published twice runs once.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from {{ cookiecutter.project_slug }}.core.outbox import outbox_purge, outbox_relay


class Command(BaseCommand):
    help = "Publish the outbox's pending tasks to the broker (once, or every --interval s)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between passes (default 5)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            published = outbox_relay()
            purged = outbox_purge()
            if options["once"]:
                self.stdout.write(f"Published {published} task(s), purged {purged}.")
                return
            time.sleep(options["interval"])
