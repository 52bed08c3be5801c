"""The endpoint is safe by default: limits, no introspection outside DEBUG, no leaks."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from {{ cookiecutter.project_slug }}.graphql import users
from {{ cookiecutter.project_slug }}.graphql.limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_ITEMS,
    MAX_TOKENS,
)

from tests.articles.factories import ArticleFactory, CommentFactory
from tests.factories import UserFactory
from tests.graphql.conftest import messages

pytestmark = pytest.mark.django_db
INTROSPECTION = "{ __schema { queryType { name } } }"


def nested(depth: int) -> str:
    """A query `depth` levels deep; the inner fields need not exist, depth is checked first."""
    return "{ me " + "{ inner " * (depth - 1) + "{ id }" + " }" * depth


def test_an_over_deep_query_is_refused_with_a_clear_error(graphql):
    result = graphql.execute(nested(MAX_DEPTH + 1))
    assert result["data"] is None
    assert f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}" in messages(result)


def test_the_depth_limit_names_the_operation(graphql):
    result = graphql.execute("query Deep " + nested(MAX_DEPTH + 1))
    assert f"'Deep' exceeds maximum operation depth of {MAX_DEPTH}" in messages(result)


def test_too_many_aliases_are_refused(graphql):
    aliases = " ".join(f"a{i}: __typename" for i in range(MAX_ALIASES + 1))
    result = graphql.execute("{ " + aliases + " }")
    assert messages(result) == [f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"]


def test_a_huge_document_is_refused(graphql):
    result = graphql.execute("{ " + "__typename " * MAX_TOKENS + "}")
    assert result["data"] is None
    assert "Syntax Error: Document contains more than" in messages(result)[0]


def test_introspection_is_off_by_default(graphql):
    result = graphql.execute(INTROSPECTION)
    assert result["data"] is None
    assert "introspection has been disabled" in messages(result)[0]


@override_settings(DEBUG=True)
def test_introspection_is_on_in_debug(graphql):
    result = graphql.execute(INTROSPECTION)
    assert result == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


TYPO = "{ me { usernam } }"


def test_a_misspelt_field_gets_no_suggestion_outside_debug(graphql):
    assert messages(graphql.execute(TYPO)) == ["Cannot query field 'usernam' on type 'User'."]


@override_settings(DEBUG=True)
def test_a_misspelt_field_gets_a_suggestion_in_debug(graphql):
    assert messages(graphql.execute(TYPO)) == [
        "Cannot query field 'usernam' on type 'User'. Did you mean 'username'?"
    ]


def test_the_typename_of_the_root_is_always_allowed(graphql):
    assert graphql.execute("{ __typename }") == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ me ", "Syntax Error: Expected Name, found <EOF>."),
        ("{ nothing }", "Cannot query field 'nothing' on type 'Query'."),
        ("{ ...Missing }", "Unknown fragment 'Missing'."),
        (
            "query A { __typename } query A { __typename }",
            "There can be only one operation named 'A'.",
        ),
    ],
    ids=["syntax", "unknown-field", "unknown-fragment", "duplicate-operation"],
)
def test_malformed_queries_are_errors_not_crashes(graphql, query, message):
    result = graphql.execute(query)
    assert result["data"] is None
    assert message in messages(result)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "Variable '$show' has invalid value: Expected a value of non-null type"),
        ({"show": "yes"}, "Variable '$show' has invalid value: Boolean cannot represent"),
    ],
    ids=["missing", "wrong-type"],
)
def test_bad_variables_are_errors_not_crashes(graphql, variables, message):
    result = graphql.execute("query($show: Boolean!) { __typename @include(if: $show) }", variables)
    assert result["data"] is None
    assert any(text.startswith(message) for text in messages(result))


@pytest.mark.parametrize(
    ("body", "content_type", "detail"),
    [
        ("{not json", "application/json", "Unable to parse request body as JSON"),
        ('{"query": 5}', "application/json", "The GraphQL operation's `query` must be a string"),
        (
            '{"query": "{ __typename }", "variables": "x"}',
            "application/json",
            "`variables` must be",
        ),
        ("{}", "application/json", "No GraphQL query found in the request"),
        ('[{"query": "{ __typename }"}]', "application/json", "Batching is not enabled"),
        ("query { __typename }", "text/plain", "Unsupported content type"),
    ],
    ids=["not-json", "query-not-string", "variables-not-object", "no-query", "batch", "text"],
)
def test_a_malformed_request_is_a_400_problem(client, body, content_type, detail):
    response = client.post(reverse("graphql"), body, content_type=content_type)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith(detail) or detail in response.json()["detail"]


def test_get_is_not_allowed_and_serves_no_graphiql(client):
    response = client.get(reverse("graphql"), headers={"Accept": "text/html"})
    assert response.status_code == 405
    assert b"graphiql" not in response.content.lower()


def test_an_unexpected_error_is_masked_and_logged(user_graphql, monkeypatch, caplog):
    def broken(request):
        msg = "database password is hunter2"
        raise RuntimeError(msg)

    monkeypatch.setattr(users, "current_user", broken)
    response = user_graphql.post("{ me { id } }")
    assert response.status_code == 200
    body = response.content.decode()
    assert "hunter2" not in body
    assert "Traceback" not in body
    error = response.json()["errors"][0]
    assert error["message"] == "An unexpected error occurred."
    assert error["extensions"] == {"code": "internal_error"}
    assert any(record.levelname == "ERROR" for record in caplog.records)


# --- Bounded lists ----------------------------------------------------------------

DEFAULT_PAGE = 20
MAX_PAGE = 100


@pytest.fixture
def crowded_article():
    """An article with more comments than the longest page."""
    article = ArticleFactory.create()
    CommentFactory.create_batch(MAX_PAGE + 1, article=article, author=UserFactory.create())
    return article


def test_comments_without_pagination_get_the_default_page_not_every_row(graphql, crowded_article):
    detail = "query($id: ID!) { article(id: $id) { commentCount comments { id } } }"
    shown = graphql.execute(detail, {"id": crowded_article.pk})["data"]["article"]
    assert shown["commentCount"] == MAX_PAGE + 1
    assert len(shown["comments"]) == DEFAULT_PAGE
    # The same through the list, where the optimizer prefetches every article's comments.
    listed = graphql.execute("{ articles { results { comments { id } } } }")
    assert len(listed["data"]["articles"]["results"][0]["comments"]) == DEFAULT_PAGE


@pytest.mark.parametrize("limit", [MAX_PAGE + 1, 10_000, -1])
def test_no_page_of_comments_is_longer_than_the_maximum(graphql, crowded_article, limit):
    query = (
        "query($id: ID!, $limit: Int) "
        "{ article(id: $id) { comments(pagination: {limit: $limit}) { id } } }"
    )
    shown = graphql.execute(query, {"id": crowded_article.pk, "limit": limit})
    assert len(shown["data"]["article"]["comments"]) == MAX_PAGE


# Each alias a page of 100 articles, each with a page of 100 comments: 15 x 10,100 rows.
PAGE_OF_PAGES = (
    "articles(pagination: {limit: 100}) "
    "{ results { comments(pagination: {limit: $limit}) { id } } }"
)
PAGES_OF_PAGES = (
    "query($limit: Int) { " + " ".join(f"a{i}: " + PAGE_OF_PAGES for i in range(MAX_ALIASES)) + " }"
)


def test_an_operation_that_could_return_too_many_items_is_refused_before_it_runs(graphql):
    with CaptureQueriesContext(connection) as queries:
        result = graphql.execute(PAGES_OF_PAGES, {"limit": 100})
    assert result["data"] is None
    assert messages(result) == [
        f"This operation could return {MAX_ALIASES * (100 + 100 * 100)} items; at most "
        f"{MAX_ITEMS} are allowed: ask for smaller pages, or fewer lists in one operation."
    ]
    assert result["errors"][0]["extensions"] == {"code": "too_many_items"}
    assert len(queries) == 0


def test_the_budget_counts_lists_reached_through_fragments(graphql):
    query = """
    query { articles(pagination: {limit: 100}) { ...Page } }
    fragment Page on ArticleOffsetPaginated { results { ...Comments } }
    fragment Comments on Article { comments(pagination: {limit: 100}) { id } }
    """
    result = graphql.execute(query)
    assert result["errors"][0]["extensions"] == {"code": "too_many_items"}


def test_a_full_page_with_default_pages_of_comments_is_within_the_budget(graphql):
    # 100 articles x 20 comments, the largest answer a client gets without asking.
    ArticleFactory.create_batch(2)
    result = graphql.execute(
        "{ articles(pagination: {limit: 100}) { results { comments { id } } } }"
    )
    assert "errors" not in result, result
    assert len(result["data"]["articles"]["results"]) == 2
