"""Celery under test: tasks run in-process unless a test starts a real worker."""

# Unit tests run tasks eagerly even with a broker configured; the integration tests
# (tests/integration/) start a real worker and turn this off.
CELERY_TASK_ALWAYS_EAGER = True
# A task that fails makes the test that ran it fail, with the task's traceback.
CELERY_TASK_EAGER_PROPAGATES = True
