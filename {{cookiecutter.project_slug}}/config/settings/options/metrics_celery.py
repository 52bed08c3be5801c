"""Each Celery worker serves its task metrics on a port of its own (use_metrics with
use_celery): core/observability/task_metrics.py. 0 serves none."""

from config.settings.components import env

CELERY_WORKER_METRICS_PORT = env.int("CELERY_WORKER_METRICS_PORT", default=9808)
