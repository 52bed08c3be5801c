"""Settings of the Celery worker that the integration tests start.

The test settings, on the test database that pytest created: the test process passes
its name, so with SQLite it is the file that config/settings/test.py names.
"""

import os
from typing import TYPE_CHECKING

from config.settings.test import *  # noqa: F403

if TYPE_CHECKING:
    from config.settings.components.database import DATABASES

DATABASES["default"]["NAME"] = os.environ["INTEGRATION_DATABASE_NAME"]
# A real worker: tasks come from the broker.
CELERY_TASK_ALWAYS_EAGER = False
# The test run's own queue (conftest.py), for what this process publishes (the relay).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("INTEGRATION_QUEUE", "celery")

if visibility_timeout := os.environ.get("INTEGRATION_VISIBILITY_TIMEOUT"):
    # Redelivery tests: Redis hands a killed worker's unacknowledged task to this worker
    # after a few seconds instead of an hour, and the worker looks every second.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(visibility_timeout),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
