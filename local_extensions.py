"""Jinja extensions of the template: a free-text answer made safe for the file it lands
in, and one that cannot be rendered refused in one line.

Cookiecutter loads this module from the template's root (`_extensions` in
cookiecutter.json); it runs at generation, offline, with what Cookiecutter brings.
"""

from __future__ import annotations

import sys
from typing import Any

from cookiecutter.utils import simple_filter
from jinja2 import Environment, TemplateSyntaxError
from jinja2.ext import Extension

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
    """A one-line refusal, instead of Jinja's traceback, for text that does not parse.

    Cookiecutter reads every answer as a Jinja template before any hook runs, so an answer
    such as "{% if %}" stopped generation with a traceback (and nothing written yet).
    """

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        parse = environment.from_string

        def from_string(source: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return parse(source, *args, **kwargs)
            except TemplateSyntaxError as error:
                print(
                    f"ERROR: {source!r} does not parse as Jinja ({error.message}): Cookiecutter "
                    "reads every answer as a template, so write it without {%, {{ or {#",
                    file=sys.stderr,
                )
                raise SystemExit(1) from None

        environment.from_string = from_string  # type: ignore[method-assign]
