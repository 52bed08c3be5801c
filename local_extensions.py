"""Jinja extensions of the template: a free-text answer made safe for the file it lands
in, and one that cannot be rendered, or cannot name the project's directory, refused in
one line.

Cookiecutter loads this module from the template's root (`_extensions` in
cookiecutter.json); it runs at generation, offline, with what Cookiecutter brings.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from cookiecutter.utils import simple_filter
from jinja2 import Environment, TemplateSyntaxError
from jinja2.ext import Extension

# The template's project directory: Cookiecutter renders this name and creates the directory
# before any hook runs.
PROJECT_DIRECTORY = next(
    path.name for path in Path(__file__).parent.iterdir() if path.name.startswith("{{")
)

ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@simple_filter
def python_string(value: str) -> str:
    """``value`` as a Python string literal, in the quotes ruff's formatter would choose.

    Double quotes, unless the text holds more double than single quotes (then the fewer
    escapes win, as ruff decides); backslashes, the chosen quote and control characters
    are escaped, so the literal always evaluates back to ``value``.
    """
    quote = "'" if value.count('"') > value.count("'") else '"'
    body = "".join(_escaped(char, quote) for char in value)
    return f"{quote}{body}{quote}"


def _escaped(char: str, quote: str) -> str:
    if char in ESCAPES:
        return ESCAPES[char]
    if char == quote:
        return f"\\{char}"
    if char.isprintable():
        return char
    return f"\\U{ord(char):08x}" if ord(char) > 0xFFFF else f"\\u{ord(char):04x}"


class AnswerSyntax(Extension):
    """A one-line refusal, instead of Jinja's traceback or a misleading error, for an answer
    Cookiecutter cannot use before any hook runs.

    Cookiecutter reads every answer as a Jinja template, so an answer such as "{% if %}"
    stopped generation with a traceback (and nothing written yet). It then renders the
    project directory's name and creates that directory: `project_slug=a/b` left an empty
    `a/`, and an empty or `..` slug was reported as "directory already exists". Such a
    name is refused here, while it is rendered, so nothing is written.
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        parse = environment.from_string

        def from_string(source: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                template = parse(source, *args, **kwargs)
            except TemplateSyntaxError as error:
                refuse(
                    f"{source!r} does not parse as Jinja ({error.message}): Cookiecutter "
                    "reads every answer as a template, so write it without {%, {{ or {#"
                )
            if source == PROJECT_DIRECTORY:
                template.render = _checked_directory_name(template.render)
            return template

        environment.from_string = from_string  # type: ignore[method-assign]


def _checked_directory_name(render: Any) -> Any:
    def checked(*args: Any, **kwargs: Any) -> str:
        name: str = render(*args, **kwargs)
        if name in {"", ".", ".."} or any(sep in name for sep in ("/", "\\", "\0")):
            project_name = str(dict(*args, **kwargs)["cookiecutter"].get("project_name", ""))
            if not project_name.strip():
                refuse("project_name '' is empty: give the service a name, e.g. My Service")
            source = "" if name else f" (none comes from project_name {project_name!r})"
            refuse(
                f"project_slug {name!r} cannot be the project's directory{source}: it must be "
                "a lowercase Python identifier of at most 20 characters, e.g. my_service"
            )
        return name

    return checked


def refuse(message: str) -> NoReturn:
    """Stop generation with ``message`` as the one line on standard error, exit status 1."""
    print(f"ERROR: {message}", file=sys.stderr)
    raise SystemExit(1)
