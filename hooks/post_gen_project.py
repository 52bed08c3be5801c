"""Shape the freshly generated project to the answers.

Three steps, in order: prune what the answers switched off (one table below says which
answer owns which paths), write `.env` with fresh secrets (the project's own
scripts/write_env.py, which `make setup` runs too), print the next steps.
Hermetic: no network and no subprocess.
"""

from __future__ import annotations

import json
import runpy
import shutil
from pathlib import Path

# The answers arrive as JSON inside a raw string, so no answer can break this file.
ANSWERS: dict[str, str] = json.loads(r"""{{ cookiecutter | tojson }}""")
SLUG = ANSWERS["project_slug"]

# (answer, value) -> paths that exist only for the other value. `{slug}` is the
# project package. Small variations inside shared files are Jinja blocks instead.
OWNED_PATHS: dict[tuple[str, str], list[str]] = {
    ("database", "sqlite"): [
        "config/settings/options/postgresql.py",
        "config/settings/options/postgresql_asgi.py",
        "tests/core/test_postgresql_restart.py",
        "{slug}/core/db",
        "tests/core/test_connection_health_check.py",
    ],
    ("use_redis", "n"): [
        "config/settings/options/redis.py",
        "config/settings/options/test/redis.py",
        "config/settings/options/redis_jwt.py",
        "{slug}/core/redis_cache.py",
        "tests/core/test_redis_cache.py",
        "tests/redis_server.py",
        "tests/articles/test_cache_unreachable.py",
        "tests/users/test_login_throttle_outage.py",
    ],
    ("use_celery", "n"): [
        "config/celery.py",
        "config/settings/options/celery.py",
        "config/settings/options/jwt_celery.py",
        "config/settings/options/test/celery.py",
        "deploy/kubernetes/base/beat.yaml",
        "deploy/kubernetes/base/worker.yaml",
        "{slug}/core/observability/task_logging.py",
        "{slug}/core/tasks.py",
        "{slug}/core/models.py",
        "{slug}/core/migrations",
        "{slug}/core/outbox.py",
        "{slug}/core/management",
        "tests/core/test_outbox.py",
        "{slug}/health/broker.py",
        "{slug}/health/management",
        "{slug}/users/tasks.py",
        "{slug}/articles/tasks.py",
        "tests/core/test_celery.py",
        "tests/integration",
        "tests/users/test_tasks.py",
        "tests/articles/test_tasks.py",
        "config/settings/options/metrics_celery.py",
        "config/settings/options/test/metrics_celery.py",
        "{slug}/core/observability/task_metrics.py",
    ],
    ("use_flower", "n"): [
        "config/flower.py",
        "deploy/kubernetes/base/flower.yaml",
        "tests/test_flower.py",
    ],
    ("use_jwt", "n"): [
        "config/settings/options/jwt.py",
        "config/settings/options/jwt_celery.py",
        "config/settings/options/redis_jwt.py",
        "{slug}/users/api/auth.py",
        "{slug}/users/authentication.py",
        "{slug}/users/row_cache.py",
        "{slug}/users/management",
        "{slug}/users/signals.py",
        "{slug}/users/tasks.py",
        "{slug}/users/tokens.py",
        "tests/users/test_auth.py",
        "tests/users/test_tasks.py",
        "tests/users/test_tokens.py",
        "tests/users/test_row_cache.py",
        "tests/users/test_login_throttle_outage.py",
    ],
    ("use_graphql", "n"): [
        "config/settings/options/graphql.py",
        "config/settings/options/cors_graphql.py",
        "{slug}/graphql",
        "schema.graphql",
        "tests/graphql",
    ],
    ("use_sentry", "n"): [
        "config/settings/options/sentry.py",
        "config/settings/options/production",
        "{slug}/core/observability/sentry.py",
        "tests/core/test_sentry.py",
    ],
    ("use_async", "n"): [
        "config/settings/options/asgi.py",
        "config/settings/options/postgresql_asgi.py",
        "{slug}/core/api/async_views.py",
        "{slug}/core/asgi_handler.py",
        "tests/core/test_asgi_handler.py",
        "{slug}/users/selectors.py",
        "tests/core/test_async.py",
        "tests/health/test_async.py",
        "tests/users/test_stats.py",
    ],
    ("use_docker", "n"): [
        "Dockerfile",
        "compose.yaml",
        "compose.override.yaml",
        ".dockerignore",
        "docker",
    ],
    ("ci", "none"): [
        ".github",
    ],
    ("use_kubernetes", "n"): [
        "deploy",
    ],
    ("example_app", "n"): [
        "config/settings/options/articles.py",
        "{slug}/articles",
        "{slug}/graphql/articles.py",
        "tests/articles",
        "tests/graphql/test_articles.py",
        "tests/integration/test_article_notification.py",
        "tests/integration/test_outbox.py",
    ],
    ("use_metrics", "n"): [
        "deploy/kubernetes/monitoring",
        "config/settings/options/metrics.py",
        "config/settings/options/metrics_celery.py",
        "config/settings/options/test/metrics_celery.py",
        "{slug}/core/api/metrics.py",
        "{slug}/core/observability/metrics.py",
        "{slug}/core/observability/task_metrics.py",
        "tests/core/test_metrics.py",
        "tests/integration/test_worker_metrics.py",
    ],
    ("use_opentelemetry", "n"): [
        "config/settings/options/opentelemetry.py",
        "config/settings/options/test/opentelemetry.py",
        "{slug}/core/observability/tracing.py",
        "{slug}/core/observability/tracing_setup.py",
        "tests/core/test_tracing.py",
        "tests/integration/test_worker_tracing.py",
        "tests/integration/tracing_worker_settings.py",
    ],
    ("use_cors", "n"): [
        "config/settings/options/cors.py",
        "config/settings/options/cors_graphql.py",
        "tests/core/test_cors.py",
    ],
}


def prune(root: Path) -> None:
    for (answer, value), paths in OWNED_PATHS.items():
        if ANSWERS[answer] != value:
            continue
        for relative in paths:
            path = root / relative.format(slug=SLUG)
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    remove_empty_dirs(root)


def remove_empty_dirs(root: Path) -> None:
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def write_env(root: Path) -> None:
    """`.env` by the same writer as `make setup`: every secret fresh, mode 0600."""
    runpy.run_path(str(root / "scripts" / "write_env.py"))["write_env"](root)


def print_next_steps() -> None:
    # Generation starts no program (no git either): the repository is the user's step.
    steps = [
        f"cd {SLUG}",
        "git init && git add --all   # then commit: pre-commit and `cruft update` need git",
        "make setup      # installs dependencies with uv, creates uv.lock (commit it)",
        "make run        # migrates and serves http://localhost:8000 (no services needed)",
        "make test",
        "uv run pre-commit install   # the hooks on every commit",
    ]
    if ANSWERS["use_docker"] == "y":
        steps.append("make up         # or: the whole stack in Docker")
    print(f"\nYour service {SLUG} is ready. Next steps:\n")
    print("\n".join(f"  {step}" for step in steps))
    print(
        "\nREADME.md covers configuration, the API and updates from the template;"
        "\ndocs/deployment.md how to run it in production.\n"
    )


def main() -> None:
    root = Path.cwd()
    prune(root)
    write_env(root)
    print_next_steps()


if __name__ == "__main__":
    main()
