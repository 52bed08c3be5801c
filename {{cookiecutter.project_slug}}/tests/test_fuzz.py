"""The OpenAPI document tells the truth: schemathesis fuzzes every operation it lists.

Generated requests (valid and invalid, bounded per operation) go to the WSGI application
in-process, signed in as a user, and every answer must be what the document promises:
never a 5xx, a documented status code and content type, a body matching its schema.
`make fuzz` runs only these; `make test` runs them with the rest.
"""

from collections.abc import Iterator

import pytest
import schemathesis
{%- if cookiecutter.use_jwt == "n" %}
from django.conf import settings as django_settings
{%- endif %}
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
{%- if cookiecutter.use_jwt == "n" %}
from django.test import Client
{%- endif %}
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
{%- if cookiecutter.use_jwt == "y" %}

from {{ cookiecutter.project_slug }}.users.tokens import user_log_in
{%- endif %}

from config.wsgi import application
from tests.factories import UserFactory

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Examples per operation: enough to find a wrong declaration, few enough for `make test`.
EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_connection() -> Iterator[None]:
    # As Django's test client does: the end of a request does not close the database
    # connection, which holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in() -> dict[str, str]:
    """The headers of a signed-in user's requests."""
    user = UserFactory.create()
{%- if cookiecutter.use_jwt == "y" %}
    return {"Authorization": f"Bearer {user_log_in(user=user).access}"}
{%- else %}
    browser = Client()
    browser.force_login(user)
    session = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    # Writes with a session need the CSRF token, as from a browser.
    csrf = "fuzz" * 8
    return {
        "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={session}; "
        f"{django_settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }
{%- endif %}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, signed_in):
    case.call_and_validate(headers=signed_in, checks=CHECKS)
