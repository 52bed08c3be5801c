"""Limits every GraphQL operation runs under, checked before anything executes.

The schema's deepest useful query is far shallower than these; they stop abuse (huge,
deeply nested or heavily aliased documents, pages of pages), not clients.

Every list of rows pages (`bounded_list`): a query that names no `pagination` gets the
default page (20), and no page is longer than the maximum (100; both in
config/settings/options/graphql.py). ItemBudget then bounds the whole operation: the
most rows it could return, every page full, stays within MAX_ITEMS.
"""

from collections.abc import Iterator
from contextlib import suppress
from typing import Any

import strawberry_django
from django.conf import settings
from django.db.models import QuerySet
from graphql import (
    ASTValidationRule,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    ValidationContext,
    get_named_type,
    get_operation_ast,
    value_from_ast_untyped,
)
from strawberry import UNSET
from strawberry.extensions import DisableIntrospection, QueryDepthLimiter, SchemaExtension
from strawberry_django.fields.field import StrawberryDjangoField
from strawberry_django.pagination import OffsetPaginationInput

MAX_DEPTH = 8
MAX_TOKENS = 2000
MAX_ALIASES = 15
# The most rows one operation may return: e.g. 100 articles with 20 comments each (2,100),
# not 15 aliases of that.
MAX_ITEMS = 2500
PAGINATION_ARGUMENT = "pagination"


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


class BoundedListField(StrawberryDjangoField):
    """A paged list field whose page applies when the query names none.

    strawberry-django returns every row when `pagination` is omitted; this applies the
    default page instead, both when the field is resolved on its own and when the
    optimizer prefetches it for a whole page of parents.
    """

    def apply_pagination[Rows: QuerySet[Any]](
        self,
        queryset: Rows,
        pagination: object | None = None,
        *,
        related_field_id: str | None = None,
    ) -> Rows:
        if pagination is None or pagination is UNSET:
            pagination = OffsetPaginationInput()
        return super().apply_pagination(queryset, pagination, related_field_id=related_field_id)


def bounded_list(*, description: str) -> Any:
    """A list of rows with a `pagination` argument and the default page without one."""
    return strawberry_django.field(
        field_cls=BoundedListField, pagination=True, description=description
    )


class ItemBudget(SchemaExtension):
    """Refuse, before it runs, an operation that could return more than MAX_ITEMS rows."""

    def on_execute(self) -> Iterator[None]:
        bound = self.most_rows()
        if bound > MAX_ITEMS:
            message = (
                f"This operation could return {bound} items; at most {MAX_ITEMS} are "
                "allowed: ask for smaller pages, or fewer lists in one operation."
            )
            error = GraphQLError(message, extensions={"code": "too_many_items"})
            self.execution_context.result = ExecutionResult(data=None, errors=[error])
        yield

    def most_rows(self) -> int:
        context = self.execution_context
        document = context.graphql_document
        if document is None or context.result is not None:
            return 0  # nothing to run, or already answered
        operation = get_operation_ast(document, context.operation_name)
        schema = context.schema._schema
        root = None if operation is None else schema.get_root_type(operation.operation)
        if operation is None or root is None:
            return 0  # execution reports the missing operation
        fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        count = _ItemCount(schema, fragments, context.variables or {})
        return count.rows(operation.selection_set, root, 1)


def page_size(field: FieldNode, variables: dict[str, Any]) -> int:
    """The page a list field asks for, as strawberry-django resolves it."""
    defaults = settings.STRAWBERRY_DJANGO
    limit: Any = None
    for argument in field.arguments or ():
        if argument.name.value == PAGINATION_ARGUMENT:
            pagination = value_from_ast_untyped(argument.value, variables)
            if isinstance(pagination, dict):
                limit = pagination.get("limit")
    if not isinstance(limit, int):
        return int(defaults["PAGINATION_DEFAULT_LIMIT"])  # not given, or null
    maximum = int(defaults["PAGINATION_MAX_LIMIT"])
    return maximum if limit < 0 or limit > maximum else limit


class _ItemCount:
    """The most rows a selection can return: each paged field's page times its parents'."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def rows(self, selection_set: SelectionSetNode, parent: Any, copies: int) -> int:
        return self._rows(selection_set, parent, copies, visited=set())

    def _rows(
        self, selection_set: SelectionSetNode, parent: Any, copies: int, visited: set[str]
    ) -> int:
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self._field_rows(selection, parent, copies)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = parent if condition is None else self.schema.get_type(condition.name.value)
                total += self._rows(selection.selection_set, on, copies, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in visited:
                    continue  # unknown (validation said so) or already counted here
                visited.add(name)
                on = self.schema.get_type(fragment.type_condition.name.value)
                total += self._rows(fragment.selection_set, on, copies, visited)
        return total

    def _field_rows(self, field: FieldNode, parent: Any, copies: int) -> int:
        definition = getattr(parent, "fields", {}).get(field.name.value)
        if definition is None:
            return 0  # __typename, or a field validation refused already
        rows = 0
        if PAGINATION_ARGUMENT in definition.args:
            copies *= page_size(field, self.variables)
            rows = copies
        if field.selection_set is not None:
            rows += self.rows(field.selection_set, get_named_type(definition.type), copies)
        return rows
