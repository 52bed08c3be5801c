"""The Celery broker's readiness check (use_celery): does it accept a connection?

Whether a worker runs is another question, answered by `manage.py celery_ping`.
"""

import dataclasses

from celery import current_app
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from kombu.exceptions import OperationalError

BROKER_TIMEOUT_SECONDS = 2


@dataclasses.dataclass
class Broker(HealthCheck):
    def run(self) -> None:
        if not current_app.conf.broker_url:
            return  # no broker configured: tasks run in-process
        # Socket timeouts of its own: a broker that accepts connections but never answers
        # must fail the check, not hang it (and the thread running it).
        options = {
            "socket_timeout": BROKER_TIMEOUT_SECONDS,
            "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        }
        try:
            with current_app.connection_for_write(transport_options=options) as connection:
                connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        except (OperationalError, OSError) as error:
            msg = "The broker does not answer."
            raise ServiceUnavailable(msg) from error
