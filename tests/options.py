"""The template's options as data: the combinations to bake and what each option owns.

Every test module reads its parameters from here, so one table states the promise
("use_celery=n leaves no 'celery' anywhere") and every combination is checked against it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
DEFAULTS: dict[str, object] = json.loads((TEMPLATE_DIR / "cookiecutter.json").read_text())
DEFAULT_SLUG = "my_service"

# The y/n prompts, in cookiecutter.json's order: every key whose default is "y" or "n".
TOGGLES = tuple(key for key, default in DEFAULTS.items() if default in ("y", "n"))


@dataclass(frozen=True)
class Combo:
    """One set of answers, named so a failing test id says which bake broke."""

    name: str
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def context(self) -> dict[str, str]:
        """The full answers: cookiecutter.json's first choices, overridden by ``answers``."""
        resolved = {
            key: value[0] if isinstance(value, list) else value
            for key, value in DEFAULTS.items()
            if not key.startswith("_")
        }
        resolved.update(self.answers)
        resolved["project_slug"] = self.answers.get("project_slug", DEFAULT_SLUG)
        return resolved

    def __str__(self) -> str:
        return self.name


ALL_ON = Combo(
    "all_on",
    {
        **dict.fromkeys(TOGGLES, "y"),
        "ci": "github",
        "database": "postgresql",
    },
)
ALL_OFF = Combo(
    "all_off",
    {
        **dict.fromkeys(TOGGLES, "n"),
        "ci": "none",
        "database": "sqlite",
    },
)

# Each toggle flipped away from its default, plus what the flip needs to stay valid.
FLIPS = (
    Combo("redis_off", {"use_redis": "n", "use_celery": "n"}),
    Combo("celery_off", {"use_celery": "n"}),
    Combo("flower_on", {"use_flower": "y"}),
    Combo("jwt_off", {"use_jwt": "n"}),
    Combo("graphql_on", {"use_graphql": "y"}),
    Combo("async_on", {"use_async": "y"}),
    Combo("docker_off", {"use_docker": "n"}),
    Combo("ci_none", {"ci": "none"}),
    Combo("sentry_on", {"use_sentry": "y"}),
    Combo("example_app_off", {"example_app": "n"}),
    Combo("kubernetes_on", {"use_kubernetes": "y"}),
    Combo("metrics_off", {"use_metrics": "n"}),
    Combo("opentelemetry_on", {"use_opentelemetry": "y"}),
    Combo("cors_on", {"use_cors": "y"}),
)
DATABASES = tuple(Combo(f"database_{db}", {"database": db}) for db in DEFAULTS["database"])
LICENSES = tuple(
    Combo(f"license_{name.lower().replace('-', '_').replace('.', '_')}", {"license": name})
    for name in DEFAULTS["license"]
)
PYTHONS = tuple(
    Combo(f"python_{v.replace('.', '')}", {"python_version": v}) for v in DEFAULTS["python_version"]
)

# Free-text answers with the characters that break naive quoting in TOML, YAML and Python.
QUOTED = Combo(
    "quoted_answers",
    {
        "project_name": 'Acme "Rocket" \\ Service',
        "project_slug": "acme_rocket",
        "description": 'Says "hi" & it\'s \\ really: yes # no',
        "author_name": 'Siobhán O\'Brien "Jr"',
    },
)

# The longest package name the pre-generation hook accepts, with every option on: each
# generated line that names it must stay within the project's own line length.
# Options whose files meet: a module of one that names the other only when that is on.
CROSSINGS = (Combo("async_without_jwt", {"use_async": "y", "use_jwt": "n"}),)
LONGEST_SLUG = Combo("longest_slug", {**ALL_ON.answers, "project_slug": "s" * 20})

DEFAULT = Combo("defaults")
COMBOS = (
    DEFAULT,
    *FLIPS,
    *CROSSINGS,
    ALL_ON,
    ALL_OFF,
    *DATABASES,
    *LICENSES,
    *PYTHONS,
    QUOTED,
    LONGEST_SLUG,
)


@dataclass(frozen=True)
class Part:
    """What one option owns: words that must vanish when it is off, files that exist when on."""

    option: str
    off_when: str
    words: tuple[str, ...]
    files: tuple[str, ...] = ()
    dependency: str = ""  # part of a [project] dependency name the option adds when on

    def is_off(self, combo: Combo) -> bool:
        return combo.context[self.option] == self.off_when

    def __str__(self) -> str:
        return f"{self.option}={self.off_when}"


PARTS = (
    Part(
        "use_celery", "n", ("celery", "outbox_", "outboxmessage"), ("config/celery.py",), "celery"
    ),
    Part("use_redis", "n", ("redis",), (), "redis"),
    Part("use_flower", "n", ("flower",), (), "flower"),
    Part("use_jwt", "n", ("jwt", "simplejwt"), (), "simplejwt"),
    Part("use_graphql", "n", ("graphql", "strawberry"), (), "strawberry"),
    Part("use_async", "n", ("uvicorn", "servestatic"), (), "uvicorn"),
    Part(
        "use_docker",
        "n",
        ("dockerfile", "compose.yaml", "dockerignore", "docker"),
        ("Dockerfile", "compose.yaml", ".dockerignore"),
    ),
    Part(
        "ci",
        "none",
        (".github", "github actions"),
        (".github/workflows/ci.yml", ".github/dependabot.yml"),
    ),
    Part("use_sentry", "n", ("sentry",), (), "sentry-sdk"),
    Part(
        "example_app",
        "n",
        ("articles",),
        ("{slug}/articles/__init__.py", "{slug}/articles/models.py"),
    ),
    Part("database", "sqlite", ("psycopg", "postgres"), (), "psycopg"),
    Part(
        "use_kubernetes",
        "n",
        ("kubernetes", "kustomiz", "kubectl"),
        (
            "deploy/kubernetes/base/kustomization.yaml",
            "deploy/kubernetes/overlays/staging/kustomization.yaml",
            "deploy/kubernetes/overlays/production/kustomization.yaml",
        ),
    ),
    Part(
        "use_metrics",
        "n",
        ("prometheus", "metrics"),
        ("{slug}/core/observability/metrics.py",),
        "prometheus-client",
    ),
    Part(
        "use_opentelemetry",
        "n",
        ("opentelemetry", "otel", "otlp", "trace_id"),
        ("{slug}/core/observability/tracing.py",),
        "opentelemetry-sdk",
    ),
    Part("use_cors", "n", ("cors",), ("config/settings/options/cors.py",), "django-cors-headers"),
)

# Paths every bake has, whatever the answers (DESIGN.md section 3).
ALWAYS_PRESENT = (
    "manage.py",
    "pyproject.toml",
    ".python-version",
    "config/settings/base.py",
    "config/settings/local.py",
    "config/settings/test.py",
    "config/settings/production.py",
    "config/settings/components/core.py",
    "config/urls.py",
    "config/wsgi.py",
    "config/asgi.py",
    ".env.example",
    ".env",
    "Makefile",
    "README.md",
    ".gitignore",
    ".pre-commit-config.yaml",
    "{slug}/__init__.py",
    "{slug}/core/__init__.py",
    "{slug}/health/__init__.py",
    "scripts/write_env.py",
    "{slug}/users/__init__.py",
    "tests",
)


def combo_part_pairs(*, off: bool) -> list[tuple[Combo, Part]]:
    """Every (combination, part) where the part is switched off (or on) in that bake."""
    return [(c, p) for c in COMBOS for p in PARTS if p.is_off(c) is off]
