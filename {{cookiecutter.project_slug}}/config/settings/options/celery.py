"""Celery (use_celery): background jobs, `make worker` and `make beat`.

What every task shares (retries, logs, the request id) is in the core app: core/tasks.py
and core/observability/task_logging.py.
"""

from typing import TYPE_CHECKING, Any

from config.settings.components import env

if TYPE_CHECKING:
    from config.settings.components.core import INSTALLED_APPS, TIME_ZONE
    from config.settings.components.health import READINESS_CHECKS

# The schedule of periodic tasks lives in the database (django-celery-beat).
INSTALLED_APPS += ["django_celery_beat"]
READINESS_CHECKS["broker"] = "{{ cookiecutter.project_slug }}.health.broker.Broker"

# Both default to REDIS_URL (options/redis.py reads it for the cache).
_redis_url = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_redis_url)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=_redis_url) or None
# Without a broker (the embedded default) tasks run in-process, so `make run` needs no
# services; with one they go to the worker. Production requires REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# Like on a worker, a failing task is logged and the request that enqueued it succeeds.
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE
# JSON only: a pickled message from the broker would run arbitrary code in the worker.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Acknowledge a task when it has finished, not when it arrives: a worker that dies
# mid-task leaves the message on the broker, to be redelivered. So tasks are idempotent.
CELERY_TASK_ACKS_LATE = True
# ... and when the worker process running it is killed (OOM, SIGKILL), requeue the task
# instead of recording it as failed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Each worker process reserves one task at a time: a long task never holds others back.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The soft limit raises SoftTimeLimitExceeded inside the task, so it can clean up; the
# hard limit kills the process. Tasks that need longer say so: @shared_task(time_limit=...).
CELERY_TASK_SOFT_TIME_LIMIT = 5 * 60
CELERY_TASK_TIME_LIMIT = 6 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged task to another worker after this many seconds: it
    # must outlast the hard time limit and the longest retry countdown (10 minutes), or
    # a task still running (or waiting to retry) would run twice.
    "visibility_timeout": 60 * 60,
}
# Losing the broker connection means the running tasks will be redelivered anyway:
# cancel them rather than finish them twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# A worker started before Redis keeps trying to connect instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results (and states) are kept one day: long enough to look at, short enough for Redis.
CELERY_RESULT_EXPIRES = 60 * 60 * 24
# Record STARTED, so a long task can be told apart from one still waiting in the queue.
CELERY_TASK_TRACK_STARTED = True
# Periodic tasks live in the database, editable in the admin; CELERY_BEAT_SCHEDULE
# entries (defined in code, e.g. by other option modules) are copied there when beat starts.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, Any]] = {
    # The outbox relay (core/outbox.py): publishes the tasks whose publish after commit
    # failed. A beat tick while the broker is down is lost, the next one after it is back
    # publishes them. An old tick is pointless: it expires.
    "outbox-relay": {
        "task": "{{ cookiecutter.project_slug }}.core.tasks.outbox_relay_task",
        "schedule": 10.0,
        "options": {"expires": 10},
    },
}
