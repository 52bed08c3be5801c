from typing import Any

from django.core.management.base import BaseCommand

from {{ cookiecutter.project_slug }}.users.tokens import expired_tokens_purge


class Command(BaseCommand):
    help = "Delete expired refresh tokens and their blacklist entries."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = expired_tokens_purge()
        self.stdout.write(f"Purged {purged} expired refresh token(s).")
