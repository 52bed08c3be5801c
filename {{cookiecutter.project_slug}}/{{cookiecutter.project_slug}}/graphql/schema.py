"""The GraphQL schema: its root types and the extensions every operation runs through.

`make graphql-schema` writes it to schema.graphql; a test fails when that file is stale.
"""

from functools import partial

import strawberry
from graphql import GraphQLError
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter
from strawberry.types import ExecutionContext
from strawberry_django.optimizer import DjangoOptimizerExtension

{% if cookiecutter.example_app == "y" -%}
from {{ cookiecutter.project_slug }}.graphql.articles import ArticleMutation, ArticleQuery
{% endif -%}
from {{ cookiecutter.project_slug }}.graphql.errors import ClientErrors, log_unexpected
from {{ cookiecutter.project_slug }}.graphql.limits import (
    MAX_ALIASES,
    MAX_TOKENS,
    IntrospectionOnlyInDebug,
    ItemBudget,
    QueryDepthLimit,
)
from {{ cookiecutter.project_slug }}.graphql.users import UserQuery


class Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry logs every error, a client's typo included, as an ERROR with a
        # traceback; only bugs deserve that (clients read their own mistakes in `errors`).
        log_unexpected(errors)


{%- if cookiecutter.example_app == "y" %}


@strawberry.type
class Query(UserQuery, ArticleQuery):
    """Every read."""


@strawberry.type
class Mutation(ArticleMutation):
    """Every write."""
{%- else %}


@strawberry.type
class Query(UserQuery):
    """Every read."""
{%- endif %}


schema = Schema(
    query=Query,
{%- if cookiecutter.example_app == "y" %}
    mutation=Mutation,
{%- endif %}
    # Classes and factories, not instances: each operation gets fresh extension objects.
    extensions=[
        QueryDepthLimit,
        partial(MaxTokensLimiter, max_token_count=MAX_TOKENS),
        partial(MaxAliasesLimiter, max_alias_count=MAX_ALIASES),
        IntrospectionOnlyInDebug,
        ItemBudget,
        ClientErrors,
        DjangoOptimizerExtension,
    ],
)
