import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse


class GraphQLClient:
    """Posts operations to /graphql/ as a client would: JSON over HTTP."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        body = {"query": query, "variables": variables or {}}
        return self.client.post(
            reverse("graphql"), json.dumps(body), content_type="application/json", headers=headers
        )

    def execute(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ):
        """The operation's result: {"data": ..., "errors": [...]} from a 200 response."""
        response = self.post(query, variables, headers)
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def graphql(db: None) -> GraphQLClient:
    return GraphQLClient(Client())


@pytest.fixture
def user_graphql(user) -> GraphQLClient:
    """Signed in with a session, as a browser would be (CSRF is tested on its own)."""
    client = Client()
    client.force_login(user)
    return GraphQLClient(client)


def messages(result: dict[str, Any]) -> list[str]:
    return [error["message"] for error in result.get("errors", [])]
