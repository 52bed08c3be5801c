"""GET /api/v1/users/stats/: async end to end (ORM and cache), staff only."""

import asyncio

import pytest
from asgiref.sync import iscoroutinefunction, sync_to_async
from django.core.cache import cache
from django.urls import resolve, reverse

from {{ cookiecutter.project_slug }}.users.api import views
from {{ cookiecutter.project_slug }}.users.selectors import USER_STATS_CACHE_KEY, user_stats

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
URL = reverse("v1:users:stats")
DEADLINE_SECONDS = 10


@pytest.fixture
async def staff_client(async_client):
    staff = await sync_to_async(UserFactory.create)(is_staff=True)
    await async_client.aforce_login(staff)
    return async_client


def test_the_view_is_served_as_a_coroutine():
    assert iscoroutinefunction(resolve(URL).func)


async def test_stats_count_the_users(staff_client):
    await sync_to_async(UserFactory.create)(is_active=False)

    response = await staff_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2
    assert body["active"] == 1
    assert body["staff"] == 1
    assert body["joined_recently"] == 2
    assert body["recent_days"] == 7
    assert body["counted_at"]


async def test_stats_are_served_from_the_cache_until_it_expires(staff_client):
    first = (await staff_client.get(URL)).json()
    await sync_to_async(UserFactory.create)()

    assert (await staff_client.get(URL)).json() == first
    assert await cache.aget(USER_STATS_CACHE_KEY) is not None

    await cache.adelete(USER_STATS_CACHE_KEY)
    assert (await staff_client.get(URL)).json()["total"] == first["total"] + 1


async def test_stats_are_for_staff_only(async_client):
    anonymous = await async_client.get(URL)
    assert anonymous.status_code in (401, 403)
    assert anonymous["Content-Type"] == "application/problem+json"

    user = await sync_to_async(UserFactory.create)()
    await async_client.aforce_login(user)
    response = await async_client.get(URL)
    assert response.status_code == 403
    assert response.json()["status"] == 403


async def test_other_methods_are_a_405_problem(staff_client):
    response = await staff_client.post(URL)
    assert response.status_code == 405
    assert response.json()["status"] == 405


async def test_concurrent_requests_are_served_at_the_same_time(staff_client, monkeypatch):
    # Each request waits inside the view until all of them are inside it; served one at a
    # time, the first would wait forever and the deadline below would fail the test.
    concurrent = 5
    all_inside = asyncio.Barrier(concurrent)

    async def user_stats_once_all_are_inside():
        await all_inside.wait()
        return await user_stats()

    monkeypatch.setattr(views, "user_stats", user_stats_once_all_are_inside)

    async with asyncio.timeout(DEADLINE_SECONDS):
        responses = await asyncio.gather(*(staff_client.get(URL) for _ in range(concurrent)))

    assert [r.status_code for r in responses] == [200] * concurrent
    assert len({r.json()["total"] for r in responses}) == 1


def test_stats_are_in_the_openapi_schema(api_client):
    schema = api_client.get(reverse("schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/users/stats/"]["get"]
    assert set(operation["responses"]) >= {"200"}
