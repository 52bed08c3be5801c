"""Workers that tests start serve no metrics unless the test asks for a port."""

from config.settings.components import env

CELERY_WORKER_METRICS_PORT = env.int("CELERY_WORKER_METRICS_PORT", default=0)
