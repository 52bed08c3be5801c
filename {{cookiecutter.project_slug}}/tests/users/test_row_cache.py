"""A bearer GET takes its user from the cache, and every change to the user is seen at once.

The settings turn it on only with a cache every instance shares
{%- if cookiecutter.use_redis == "y" %} (Redis: redis_jwt.py){% endif %};
these tests turn it on for the tests' cache, as one instance of a deployment would see it.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

{% if cookiecutter.use_redis == "y" -%}
from {{ cookiecutter.project_slug }}.core.redis_cache import cache_breaker
{% endif -%}
from {{ cookiecutter.project_slug }}.users.models import User
from {{ cookiecutter.project_slug }}.users.row_cache import user_row_key

from tests.factories import UserFactory
{%- if cookiecutter.use_redis == "y" %}
from tests.redis_server import UNREACHABLE, redis_cache
{%- endif %}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("row_cache_on")]
ME_URL = reverse("v1:users:me")


@pytest.fixture
def row_cache_on():
    with override_settings(USER_ROW_CACHE_SECONDS=60):
        yield


@pytest.fixture
def bearer_client(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return api_client


def test_a_bearer_get_reads_no_table_once_the_row_is_cached(
    bearer_client, user, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert bearer_client.get(ME_URL).status_code == 200
    with django_assert_num_queries(0):
        response = bearer_client.get(ME_URL)
    assert response.status_code == 200
    assert response.json()["username"] == user.username


def test_without_the_setting_every_request_reads_the_row(bearer_client, django_assert_num_queries):
    with override_settings(USER_ROW_CACHE_SECONDS=0):
        bearer_client.get(ME_URL)
        with django_assert_num_queries(1):
            assert bearer_client.get(ME_URL).status_code == 200
    assert cache.get(user_row_key(User.objects.get().pk)) is None


def test_the_password_hash_is_never_cached(bearer_client, user):
    bearer_client.get(ME_URL)
    cached = cache.get(user_row_key(user.pk))
    assert isinstance(cached, User)
    assert "password" in cached.get_deferred_fields()


def test_a_profile_change_through_the_api_is_seen_by_the_next_get(bearer_client):
    bearer_client.get(ME_URL)
    assert bearer_client.patch(ME_URL, {"first_name": "Ada"}).status_code == 200
    assert bearer_client.get(ME_URL).json()["first_name"] == "Ada"


def test_a_change_saved_elsewhere_is_seen_by_the_next_get(bearer_client, user):
    # The admin's form, a management command, a service: any save of the user.
    bearer_client.get(ME_URL)
    user.first_name = "Grace"
    user.save()
    assert bearer_client.get(ME_URL).json()["first_name"] == "Grace"


def test_a_deactivated_user_is_refused_at_once(bearer_client, user):
    bearer_client.get(ME_URL)
    user.is_active = False
    user.save()
    response = bearer_client.get(ME_URL)
    assert response.status_code == 401
    assert response.json()["detail"] == "User is inactive"


def test_a_deleted_user_is_refused_at_once(bearer_client, user):
    bearer_client.get(ME_URL)
    user.delete()
    response = bearer_client.get(ME_URL)
    assert response.status_code == 401
    assert response.json()["detail"] == "User not found"


def test_a_write_loads_the_row_from_the_database(bearer_client, user):
    # A cached copy older than the database (a read that raced a change) must not be
    # saved back over the newer row by a write.
    stale = User.objects.get(pk=user.pk)
    stale.first_name = "Stale"
    cache.set(user_row_key(user.pk), stale, timeout=60)
    User.objects.filter(pk=user.pk).update(first_name="Fresh")
    response = bearer_client.patch(ME_URL, {"last_name": "Lovelace"})
    assert response.status_code == 200
    assert response.json()["first_name"] == "Fresh"
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Fresh", "Lovelace")


def test_a_row_cached_before_the_change_commits_is_forgotten_after_it(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user.first_name = "Changed"
        user.save()
        # A concurrent request read the row before this transaction committed.
        cache.set(user_row_key(user.pk), User.objects.get(pk=user.pk), timeout=60)
    assert cache.get(user_row_key(user.pk)) is None


def test_another_users_token_gets_its_own_row(bearer_client):
    other = UserFactory.create()
    bearer_client.get(ME_URL)
    other_client = APIClient()
    other_client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(other)}")
    assert other_client.get(ME_URL).json()["username"] == other.username
{%- if cookiecutter.use_redis == "y" %}


def test_with_the_cache_down_the_row_comes_from_the_database(bearer_client, user):
    cache_breaker(UNREACHABLE).reset()
    with override_settings(CACHES={"default": redis_cache(UNREACHABLE)}):
        for _ in range(2):
            response = bearer_client.get(ME_URL)
            assert response.status_code == 200
            assert response.json()["username"] == user.username
    cache_breaker(UNREACHABLE).reset()
{%- endif %}
