import pytest
from django.test import Client
{%- if cookiecutter.use_jwt == "y" %}
from rest_framework_simplejwt.tokens import RefreshToken
{%- endif %}

from tests.graphql.conftest import GraphQLClient, messages

pytestmark = pytest.mark.django_db
ME = "{ me { id username email firstName lastName dateJoined } }"


def test_me_is_the_signed_in_user(user_graphql, user):
    result = user_graphql.execute(ME)
    assert "errors" not in result
    assert result["data"]["me"]["username"] == user.username
    assert result["data"]["me"]["email"] == user.email
    assert result["data"]["me"]["id"] == str(user.pk)


def test_me_refuses_anonymous_users_with_the_rest_message(graphql):
    result = graphql.execute(ME)
    assert result["data"] is None
    assert messages(result) == ["Authentication credentials were not provided."]
    assert result["errors"][0]["path"] == ["me"]
    assert result["errors"][0]["extensions"]["code"] == "permission_denied"


def test_a_session_post_without_the_csrf_token_is_refused(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = GraphQLClient(browser).post(ME)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("CSRF Failed")


def test_a_session_post_with_the_csrf_token_is_served(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    secret = "a" * 32  # what Django keeps in the csrftoken cookie
    browser.cookies["csrftoken"] = secret
    result = GraphQLClient(browser).execute(ME, headers={"X-CSRFToken": secret})
    assert result["data"]["me"]["username"] == user.username


def test_an_anonymous_post_needs_no_csrf_token():
    result = GraphQLClient(Client(enforce_csrf_checks=True)).execute("{ __typename }")
    assert result == {"data": {"__typename": "Query"}}
{%- if cookiecutter.use_jwt == "y" %}


def bearer(user) -> str:
    return f"Bearer {RefreshToken.for_user(user).access_token}"


def test_me_accepts_a_bearer_token_without_csrf(user):
    client = GraphQLClient(Client(enforce_csrf_checks=True))
    result = client.execute(ME, headers={"Authorization": bearer(user)})
    assert result["data"]["me"]["username"] == user.username


def test_a_bad_bearer_token_is_a_401_problem_not_anonymous(graphql):
    response = graphql.post(ME, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401
{%- endif %}
