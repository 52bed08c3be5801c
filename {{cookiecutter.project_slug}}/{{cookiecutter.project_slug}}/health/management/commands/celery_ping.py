"""Worker health check: exit 0 when a Celery worker answers a ping, 1 otherwise.

    python manage.py celery_ping                                  # any worker
    python manage.py celery_ping --destination celery@$HOSTNAME   # this host's worker

It returns as soon as the workers it waits for have answered (any one, or each named
one); only a missing answer takes the whole --timeout.

Run it as the worker container's HEALTHCHECK or an orchestrator's liveness probe. The
ping goes through the broker to the worker's control channel, so a worker that is
stuck, or cut off from the broker, fails it too.
"""

from typing import Any

from celery import current_app as celery_app
from django.core.management.base import BaseCommand, CommandError, CommandParser
from kombu.exceptions import OperationalError


class Command(BaseCommand):
    help = "Ping Celery workers through the broker; fail unless one answers in time."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout", type=int, default=5, help="seconds to wait for answers (default 5)"
        )
        parser.add_argument(
            "--destination",
            action="append",
            default=[],
            help="only this worker, by node name (celery@HOST); repeat for several",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        timeout: int = options["timeout"]
        destination: list[str] = options["destination"]
        if not celery_app.conf.broker_url:
            msg = (
                "No broker configured (set REDIS_URL or CELERY_BROKER_URL): tasks run "
                "in-process, there is no worker to ping."
            )
            raise CommandError(msg)
        with celery_app.connection_for_write() as connection:
            broker = connection.as_uri()  # the password is masked
            try:
                connection.ensure_connection(max_retries=1, timeout=timeout)
            except (OperationalError, OSError) as exc:
                msg = f"Broker {broker} is unreachable: {exc}"
                raise CommandError(msg) from exc
            # Stop listening once the expected workers (each named one, else any one)
            # have answered: the timeout is how long to wait for a missing answer.
            replies = celery_app.control.ping(
                destination=destination or None,
                timeout=timeout,
                connection=connection,
                limit=len(destination) or 1,
            )
        workers = sorted(name for reply in replies or [] for name in reply)
        if not workers:
            which = ", ".join(destination) or "any worker"
            msg = f"No Celery worker answered a ping within {timeout}s: {which}, broker {broker}"
            raise CommandError(msg)
        self.stdout.write(f"{len(workers)} worker(s) answered: {', '.join(workers)}")
