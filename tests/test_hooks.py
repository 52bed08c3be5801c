"""The hooks: bad answers stop generation cleanly, good ones bake, and baking is hermetic."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from tests.baking import (
    OTHER_COOKIECUTTER,
    bake,
    describe,
    isolated_config,
    project_files,
    run_cookiecutter_cli,
)
from tests.options import TEMPLATE_DIR, Combo

# What Cookiecutter itself prints around any failing hook: one line with 2.6 (the tested
# version), that line and a FailedHookException traceback with 2.7. The template cannot
# change it, so the checks look past it.
COOKIECUTTER_HOOK_REPORT = re.compile(
    r"^(?:ERROR: )?Stopping generation because \w+ hook script didn't exit successfully\n"
    r"(?:Traceback \(most recent call last\):\n(?:[ \t].*\n)+"
    r"cookiecutter\.exceptions\.FailedHookException: .*\n)?",
    re.M,
)
COOKIECUTTER_EXIT_LINE = re.compile(r"^Hook script failed \(exit status: \d+\)$", re.M)

BAD_ANSWERS = [
    pytest.param({"project_slug": "my-app"}, ["project_slug"], id="slug_with_hyphen"),
    pytest.param({"project_slug": "Django"}, ["project_slug"], id="slug_with_capitals"),
    pytest.param({"project_slug": "django"}, ["project_slug"], id="slug_shadows_django"),
    pytest.param({"project_slug": "test"}, ["project_slug"], id="slug_shadows_stdlib_test"),
    pytest.param({"project_slug": "1abc"}, ["project_slug"], id="slug_starts_with_digit"),
    pytest.param({"project_slug": "celery"}, ["project_slug"], id="slug_shadows_celery"),
    pytest.param({"project_slug": "config"}, ["project_slug"], id="slug_shadows_config"),
    pytest.param({"project_slug": "site"}, ["project_slug"], id="slug_shadows_site"),
    pytest.param({"project_slug": "redis"}, ["project_slug"], id="slug_shadows_redis"),
    pytest.param({"project_slug": "os"}, ["project_slug"], id="slug_shadows_os"),
    pytest.param({"project_slug": "class"}, ["project_slug"], id="slug_is_a_keyword"),
    pytest.param({"email": "not-an-email"}, ["email"], id="email_without_at"),
    pytest.param({"email": "jane@example.com\\"}, ["email"], id="email_with_backslash"),
    pytest.param({"version": "banana"}, ["version"], id="version_not_pep440"),
    pytest.param({"timezone": "Mars/Olympus"}, ["timezone"], id="timezone_unknown"),
    pytest.param({"domain_name": "not a domain"}, ["domain_name"], id="domain_with_spaces"),
    pytest.param({"use_redis": "maybe"}, ["use_redis"], id="toggle_not_y_or_n"),
    pytest.param({"project_slug": "s" * 21}, ["project_slug"], id="slug_too_long_for_its_lines"),
    pytest.param({"project_name": "Two\nlines"}, ["project_name"], id="name_with_newline"),
    pytest.param({"project_name": "Long name " * 30}, ["project_name"], id="name_300_characters"),
    pytest.param({"project_name": "Tab\there"}, ["project_name"], id="name_not_printable"),
    # Cookiecutter creates the project directory before any hook runs: these are refused
    # while it renders that directory's name (local_extensions.AnswerSyntax).
    pytest.param({"project_slug": "a/b"}, ["project_slug"], id="slug_is_a_path"),
    pytest.param({"project_slug": "/tmp/abs"}, ["project_slug"], id="slug_is_an_absolute_path"),
    pytest.param({"project_slug": ".."}, ["project_slug"], id="slug_is_the_parent_directory"),
    pytest.param({"project_slug": "."}, ["project_slug"], id="slug_is_this_directory"),
    pytest.param({"project_slug": ""}, ["project_slug"], id="slug_empty"),
    pytest.param({"project_name": ""}, ["project_name"], id="name_empty"),
    pytest.param({"project_name": "???"}, ["project_name"], id="name_gives_an_empty_slug"),
    # Cookiecutter renders each answer as a Jinja template: the message quotes the text.
    pytest.param({"project_name": "{% if %}"}, ["{% if %}"], id="name_is_broken_jinja"),
    pytest.param({"description": "Ends {{ here"}, ["Ends {{ here"], id="text_is_broken_jinja"),
    pytest.param(
        {"use_celery": "y", "use_redis": "n"},
        ["use_celery", "use_redis"],
        id="celery_without_redis",
    ),
    pytest.param(
        {"use_flower": "y", "use_celery": "n"},
        ["use_flower", "use_celery"],
        id="flower_without_celery",
    ),
]


def _hook_output(stdout: str, stderr: str) -> str:
    """What the template's hook printed: the run's output less Cookiecutter's own report."""
    output = f"{stdout}\n{stderr}"
    output = COOKIECUTTER_HOOK_REPORT.sub("", output)
    output = COOKIECUTTER_EXIT_LINE.sub("", output)
    return "\n".join(line for line in output.splitlines() if line.strip())


@pytest.mark.parametrize("version", [None, OTHER_COOKIECUTTER], ids=["installed", "other"])
@pytest.mark.parametrize(("answers", "named"), BAD_ANSWERS)
def test_bad_answer_is_rejected_in_one_line_and_leaves_no_directory(
    tmp_path: Path, answers: dict[str, str], named: list[str], version: str | None
) -> None:
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    result = run_cookiecutter_cli(answers, output_dir, version=version)
    assert result.returncode != 0, f"{answers} was accepted:\n{describe(result)}"
    message = _hook_output(result.stdout, result.stderr)
    assert "Traceback" not in message, f"the hook crashed:\n{describe(result)}"
    assert len(message.splitlines()) == 1, f"expected one line, got:\n{message}"
    missing = [option for option in named if option not in message]
    assert not missing, f"the message does not name {missing}: {message!r}"
    leftovers = sorted(p.name for p in output_dir.iterdir())
    assert not leftovers, f"a failed bake left {leftovers} in the output directory"


GOOD_ANSWERS = [
    pytest.param({"project_slug": "billing_api"}, id="slug_with_underscore"),
    pytest.param({"project_slug": "svc2"}, id="slug_with_digit"),
    pytest.param({"email": "jane.doe+dev@example.co.uk"}, id="email_with_plus_and_subdomain"),
    pytest.param({"domain_name": "api.example.co.uk"}, id="domain_with_subdomains"),
    pytest.param({"version": "1.0.0rc1"}, id="version_prerelease"),
    pytest.param({"version": "2026.11.post1"}, id="version_calendar_post"),
    pytest.param({"timezone": "Europe/Berlin"}, id="timezone_iana_region"),
    pytest.param({"timezone": "America/Argentina/Buenos_Aires"}, id="timezone_three_parts"),
]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        pytest.param("Café Ünïcode", "cafe_unicode", id="accents_transliterated"),
        pytest.param("日本語 サービス", "ri_ben_yu_sahisu", id="japanese_transliterated"),
        pytest.param("A really long name for our billing service", "a_really_long_name", id="long"),
    ],
)
def test_the_default_slug_is_short_ascii_and_accepted(tmp_path: Path, name: str, slug: str) -> None:
    project = bake(Combo("derived", {"project_name": name}), tmp_path)
    assert project.name == slug
    assert (project / slug / "core").is_dir()


@pytest.mark.parametrize(
    "answers",
    [{}, {"project_name": "Café Ünïcode", "description": 'Says "hi" & \\o/'}],
    ids=["defaults", "unusual_text"],
)
def test_the_other_cookiecutter_release_bakes_the_same_project(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    baked = {}
    for version in (None, OTHER_COOKIECUTTER):
        output_dir = tmp_path / str(version)
        output_dir.mkdir()
        result = run_cookiecutter_cli(answers, output_dir, version=version)
        assert result.returncode == 0, describe(result)
        (project,) = output_dir.iterdir()
        baked[version] = {
            relative: (project / relative).read_bytes()
            for relative in project_files(project)
            if relative.name != ".env"  # a fresh secret key each time
        }
    assert baked[None] == baked[OTHER_COOKIECUTTER]


@pytest.mark.parametrize("answers", GOOD_ANSWERS)
def test_unusual_but_valid_answer_bakes(tmp_path: Path, answers: dict[str, str]) -> None:
    project = bake(Combo("good", answers), tmp_path)
    assert (project / "manage.py").is_file()


def test_cli_accepts_y_and_n_toggles(tmp_path: Path) -> None:
    result = run_cookiecutter_cli(
        {"use_redis": "n", "use_celery": "n", "use_jwt": "n", "use_sentry": "y"}, tmp_path
    )
    assert result.returncode == 0, describe(result)
    assert (tmp_path / "my_service" / "manage.py").is_file()


def test_replayed_bake_passes_the_hook_and_writes_the_same_files(tmp_path: Path) -> None:
    # Under --replay the hook gets every choice as the earlier answer (a string, no list).
    config = str(isolated_config(tmp_path / "config"))
    answers = {"license": "Apache-2.0", "database": "sqlite", "ci": "none", "use_flower": "y"}
    first = cookiecutter(
        str(TEMPLATE_DIR),
        no_input=True,
        extra_context=answers,
        output_dir=str(tmp_path / "first"),
        config_file=config,
    )
    replayed = cookiecutter(
        str(TEMPLATE_DIR), replay=True, output_dir=str(tmp_path / "replayed"), config_file=config
    )
    assert list(project_files(Path(replayed))) == list(project_files(Path(first)))


# Installed as sitecustomize.py for the bake and (through PYTHONPATH) for its hook
# processes: any network use or program other than this Python is refused and recorded.
GUARD = textwrap.dedent(
    """
    import os
    import sys

    LOG = os.environ["NEXUS_HERMETIC_LOG"]
    PYTHON = os.path.realpath(sys.executable)
    NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.sendto"}
    PROGRAMS = {"subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.system"}


    def refuse(event, args):
        if event in PROGRAMS:
            program = args[0] if event != "subprocess.Popen" else (args[0] or args[1][0])
            if event != "os.system" and os.path.realpath(os.fsdecode(program)) == PYTHON:
                return
        elif event not in NETWORK:
            return
        with open(LOG, "a") as log:
            log.write(f"{event} {args!r}\\n")
        raise PermissionError(f"hermetic bake: {event} refused")


    sys.addaudithook(refuse)
    """
)


def test_bake_uses_no_network_and_runs_no_other_program(tmp_path: Path) -> None:
    guard_dir = tmp_path / "guard"
    guard_dir.mkdir()
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "refused.log"
    output_dir = tmp_path / "out"
    output_dir.mkdir()
    result = run_cookiecutter_cli(
        {"use_flower": "y", "use_graphql": "y", "use_async": "y", "use_sentry": "y"},
        output_dir,
        extra_env={"PYTHONPATH": str(guard_dir), "NEXUS_HERMETIC_LOG": str(log)},
    )
    refused = log.read_text() if log.exists() else ""
    assert not refused, f"the bake tried to reach outside:\n{refused}"
    assert result.returncode == 0, describe(result)
    assert (output_dir / "my_service" / "manage.py").is_file()
