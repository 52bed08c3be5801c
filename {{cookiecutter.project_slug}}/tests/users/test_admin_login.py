"""The admin site's login locks out a brute force (django-axes), and only the admin's."""

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = f"/{settings.ADMIN_URL}login/"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def admin():
    return UserFactory.create(is_staff=True, is_superuser=True)


def attempt(username, password, address="203.0.113.7", **headers):
    """One login on the admin's form, from a browser of its own; its status code."""
    client = Client(REMOTE_ADDR=address, headers=headers)
    response = client.post(LOGIN_URL, {"username": username, "password": password})
    return response.status_code


def test_the_defaults_are_five_failures_and_a_quarter_of_an_hour():
    assert LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def test_after_the_limit_even_the_right_password_is_refused(admin):
    assert [attempt(admin.username, "wrong") for _ in range(LIMIT - 1)] == [200] * (LIMIT - 1)
    # The limit's failure locks: the form is not shown again, the right password is refused.
    assert attempt(admin.username, "wrong") == 429
    assert attempt(admin.username, DEFAULT_PASSWORD) == 429


def test_one_username_is_locked_out_from_any_address(admin):
    for number in range(LIMIT):
        attempt(admin.username, "wrong", address=f"198.51.100.{number}")
    assert attempt(admin.username, DEFAULT_PASSWORD, address="192.0.2.99") == 429


def test_one_address_is_locked_out_whatever_usernames_it_tries(admin):
    for number in range(LIMIT):
        attempt(f"guess{number}", "wrong")
    assert attempt(admin.username, DEFAULT_PASSWORD) == 429
    assert attempt(admin.username, DEFAULT_PASSWORD, address="192.0.2.99") == 302


def test_a_forged_forwarded_for_header_is_not_a_new_client(admin):
    # Without a proxy in front (DJANGO_NUM_PROXIES=0) the header is the client's to write.
    for number in range(LIMIT):
        attempt(f"guess{number}", "wrong", X_Forwarded_For=f"10.0.0.{number}")
    assert attempt(admin.username, DEFAULT_PASSWORD, X_Forwarded_For="10.9.9.9") == 429


def test_the_lockout_ends_after_the_cool_off(admin):
    for _ in range(LIMIT):
        attempt(admin.username, "wrong")
    assert attempt(admin.username, DEFAULT_PASSWORD) == 429
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME * 1.1, tick=False):
        assert attempt(admin.username, DEFAULT_PASSWORD) == 302


def test_a_successful_login_clears_the_failures(admin):
    for _ in range(LIMIT - 1):
        attempt(admin.username, "wrong")
    assert attempt(admin.username, DEFAULT_PASSWORD) == 302
    for _ in range(LIMIT - 1):
        attempt(admin.username, "wrong")
    assert attempt(admin.username, DEFAULT_PASSWORD) == 302
{%- if cookiecutter.use_jwt == "y" %}


def test_api_logins_neither_count_towards_nor_are_stopped_by_the_admin_lockout(admin, api_client):
    token_url = "/api/v1/auth/token/"
    wrong = {"username": admin.username, "password": "wrong"}
    right = {"username": admin.username, "password": DEFAULT_PASSWORD}
    # API failures below the API's own throttle leave the admin's form open ...
    for _ in range(LIMIT):
        assert api_client.post(token_url, wrong).status_code == 401
    assert attempt(admin.username, DEFAULT_PASSWORD) == 302
    # ... and an admin lockout leaves the API's login to its own throttles.
    for _ in range(LIMIT):
        attempt(admin.username, "wrong")
    assert attempt(admin.username, DEFAULT_PASSWORD) == 429
    assert api_client.post(token_url, right).status_code == 200
{%- endif %}
