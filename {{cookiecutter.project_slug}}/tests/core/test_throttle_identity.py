"""Throttles identify a client by an address it cannot forge (X-Forwarded-For is only
believed behind the proxies DJANGO_NUM_PROXIES counts)."""

from rest_framework.test import APIRequestFactory
from rest_framework.throttling import AnonRateThrottle


def client_identity() -> str:
    request = APIRequestFactory().get(
        "/api/v1/", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.2", REMOTE_ADDR="10.0.0.1"
    )
    return str(AnonRateThrottle().get_ident(request))


def test_without_a_proxy_a_forged_forwarded_for_is_ignored():
    assert client_identity() == "10.0.0.1"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_identity() == "10.0.0.2"
