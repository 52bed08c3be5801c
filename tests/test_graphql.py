"""use_graphql: the committed schema.graphql matches the answers it was baked with."""

from __future__ import annotations

import pytest

from tests.conftest import Baker
from tests.options import Combo

WITH_ARTICLES = Combo("graphql_on", {"use_graphql": "y"})
WITHOUT_ARTICLES = Combo("graphql_without_articles", {"use_graphql": "y", "example_app": "n"})


@pytest.mark.parametrize("combo", [WITH_ARTICLES, WITHOUT_ARTICLES], ids=str)
def test_schema_file_has_the_articles_types_only_with_the_example_app(
    baked: Baker, combo: Combo
) -> None:
    schema = (baked(combo) / "schema.graphql").read_text()
    assert "type Query {" in schema
    assert "me: User!" in schema
    with_articles = combo.context["example_app"] == "y"
    assert ("type Article {" in schema) is with_articles
    assert ("type Mutation {" in schema) is with_articles
    assert schema.endswith("}\n")
    assert "\n\n\n" not in schema


def test_graphql_articles_code_goes_with_the_example_app(baked: Baker) -> None:
    project = baked(WITHOUT_ARTICLES)
    assert (project / "my_service/graphql/schema.py").exists()
    assert not (project / "my_service/graphql/articles.py").exists()
    assert not (project / "tests/graphql/test_articles.py").exists()
