"""The ASGI side: the request-id middleware runs on the event loop without a hop to a
thread, every middleware can, and static files are served."""

import logging

import pytest
from asgiref.sync import iscoroutinefunction, sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.module_loading import import_string

from {{ cookiecutter.project_slug }}.core.api.middleware import RequestIdMiddleware

from tests.factories import UserFactory


def test_request_id_middleware_runs_in_the_mode_of_its_chain():
    def sync_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    async def async_view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    assert RequestIdMiddleware.sync_capable
    assert RequestIdMiddleware.async_capable
    assert iscoroutinefunction(RequestIdMiddleware(async_view))
    assert not iscoroutinefunction(RequestIdMiddleware(sync_view))


def test_every_middleware_can_run_on_the_event_loop():
    # One sync-only middleware would put every ASGI request on a thread until it is done.
    sync_only = [path for path in settings.MIDDLEWARE if not import_string(path).async_capable]
    assert sync_only == []


async def test_static_assets_are_served_under_asgi(async_client):
    response = await async_client.get(
        f"{settings.STATIC_URL}drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
    )
    assert response.status_code == 200
    assert b"".join([chunk async for chunk in response.streaming_content])


async def test_async_request_gets_its_request_id_and_one_log_line(async_client, caplog):
    with caplog.at_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.request"):
        # Not the liveness probe: it is answered before the chain (health/middleware.py).
        response = await async_client.get(
            reverse("v1:users:me"), headers={"X-Request-ID": "async-42"}
        )
    assert response["X-Request-ID"] == "async-42"
    records = [r for r in caplog.records if r.name == "{{ cookiecutter.project_slug }}.request"]
    assert len(records) == 1
    assert records[0].msg["request_id"] == "async-42"
    assert records[0].msg["status"] == response.status_code


@pytest.mark.django_db(transaction=True)
async def test_async_access_log_names_a_session_user_outside_drf_views(async_client, caplog):
    # A 404 page never authenticates; the middleware loads the user without blocking.
    user = await sync_to_async(UserFactory.create)()
    await async_client.aforce_login(user)
    with caplog.at_level(logging.INFO, logger="{{ cookiecutter.project_slug }}.request"):
        response = await async_client.get("/no/such/page/")
    assert response.status_code == 404
    records = [r for r in caplog.records if r.name == "{{ cookiecutter.project_slug }}.request"]
    assert records[-1].msg["user_id"] == user.pk


async def test_a_liveness_probe_is_answered_on_the_event_loop_before_the_chain(async_client):
    response = await async_client.get(reverse("health:live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "X-Request-ID" not in response  # no other middleware ran
    assert (await async_client.post(reverse("health:live"))).status_code == 405
