"""The endpoint is safe by default: limits, no introspection outside DEBUG, no leaks."""

import pytest
from django.test import override_settings
from django.urls import reverse

from {{ cookiecutter.project_slug }}.graphql import users
from {{ cookiecutter.project_slug }}.graphql.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS

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
