"""Limits every GraphQL operation runs under, checked before anything executes.

The schema's deepest useful query is far shallower than these; they stop abuse (huge,
deeply nested or heavily aliased documents), not clients.
"""

from collections.abc import Iterator
from contextlib import suppress

from django.conf import settings
from graphql import ASTValidationRule, ValidationContext
from strawberry.extensions import DisableIntrospection, QueryDepthLimiter

MAX_DEPTH = 8
MAX_TOKENS = 2000
MAX_ALIASES = 15


class QueryDepthLimit(QueryDepthLimiter):
    """Strawberry's depth limit, minus its crash on a fragment that is not defined.

    Its rule raises KeyError for `...Missing`, which would turn a client's typo into a
    server error; GraphQL's own KnownFragmentNamesRule reports that typo instead.
    """

    def __init__(self, max_depth: int = MAX_DEPTH) -> None:
        super().__init__(max_depth=max_depth)
        self.validation_rules = [
            tolerating_unknown_fragments(rule) for rule in self.validation_rules
        ]


def tolerating_unknown_fragments(rule: type[ASTValidationRule]) -> type[ASTValidationRule]:
    class Rule(ASTValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            with suppress(KeyError):
                rule(context)  # the depth rule reports its errors while it is built

    return Rule


class IntrospectionOnlyInDebug(DisableIntrospection):
    """Introspection maps the whole API for an attacker: allowed only while DEBUG is on.

    Checked per operation, not at import, so the setting decides at run time.
    """

    def on_operation(self) -> Iterator[None]:
        if settings.DEBUG:
            yield
        else:
            yield from super().on_operation()
