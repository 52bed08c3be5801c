from django.conf import settings
from strawberry.printer import print_schema

from {{ cookiecutter.project_slug }}.graphql.schema import schema


def test_the_committed_schema_file_is_up_to_date():
    committed = (settings.BASE_DIR / "schema.graphql").read_text()
    assert committed == print_schema(schema) + "\n", (
        "schema.graphql is out of date: run `make graphql-schema` and commit the result"
    )
